//! Integration tests of `scoville drift`, in one binary: the end-to-end drift report after
//! out-of-band edits (snapshots of text, JSON and Markdown), the record of the last apply
//! (real drift against not applied yet), the policy's ignore list with expiry, the booking
//! layer's lengths of time, and the binary against an in-process emulator. The purity of `src/drift/` is checked with the other pure
//! modules in `tests/plan/purity.rs`.

#[path = "drift/support.rs"]
mod support;

#[path = "drift/binary.rs"]
mod binary;
#[path = "drift/booking.rs"]
mod booking;
#[path = "drift/end_to_end.rs"]
mod end_to_end;
#[path = "drift/ignore.rs"]
mod ignore;
#[path = "drift/record.rs"]
mod record;
