//! Hostile inputs: files that are not what they seem, a server that misbehaves on purpose, a
//! token that must never show, and the bounded fuzz run of the loader and the client's
//! decoding. (The client-level cases against a scripted server are in tests/client/hostile.rs.)

#[path = "hostile/diagnostics.rs"]
mod diagnostics;
#[path = "hostile/durability.rs"]
mod durability;
#[path = "hostile/files.rs"]
mod files;
#[path = "hostile/fuzz.rs"]
mod fuzz;
#[path = "hostile/leaks.rs"]
mod leaks;
#[allow(dead_code)]
#[path = "client/stub.rs"]
mod stub;
