//! The Edge API emulator: a stateful, faithful Edge API on loopback for tests, demos, benchmarks.
