//! Manifests: YAML files -> `Desired`, with every problem reported at once (file:line:column).
