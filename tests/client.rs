//! Integration tests of the Edge API client and the live reader: the real client against the
//! real emulator over HTTP, and a scripted stub for exact fault sequences.

#[path = "client/booking.rs"]
mod booking;
#[path = "client/catalogue.rs"]
mod catalogue;
#[path = "client/early_reads.rs"]
mod early_reads;
#[path = "client/emulated.rs"]
mod emulated;
#[path = "client/export.rs"]
mod export;
#[path = "client/forward.rs"]
mod forward;
#[path = "client/forward_fields.rs"]
mod forward_fields;
#[path = "client/hostile.rs"]
mod hostile;
#[path = "client/integrity.rs"]
mod integrity;
#[path = "client/push_back.rs"]
mod push_back;
#[path = "client/scripted.rs"]
mod scripted;
#[path = "client/stub.rs"]
mod stub;
