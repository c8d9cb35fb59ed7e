//! Benchmark support: a deterministic synthetic org at scale (emulator seed, matching
//! manifests, change variants) and the request counts a perfect client would need for it.
//!
//! The benchmark itself is `benches/scale.rs` (`cargo bench --bench scale`); this module is in
//! the library so that `tests/synthetic.rs` can check the generator the benchmark relies on.
//! Nothing here does I/O.

pub mod synthetic;
