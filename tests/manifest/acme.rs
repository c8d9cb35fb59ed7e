//! examples/acme: the demo org with its four deliberate differences loads cleanly.
