//! The planner's integration tests, in one binary: behaviour tests on hand-built states,
//! scenario snapshots (manifests + live JSON, all three renderings, then apply to an emulator
//! seeded with the live JSON and plan again), property tests, and the
//! purity check of the pure modules.

#[path = "plan/behaviour.rs"]
mod behaviour;
#[path = "plan/booking.rs"]
mod booking;
#[path = "plan/booking_properties.rs"]
mod booking_properties;
#[path = "plan/booking_rules.rs"]
mod booking_rules;
#[path = "plan/booking_sim.rs"]
mod booking_sim;
#[path = "plan/emulated.rs"]
mod emulated;
#[path = "plan/properties.rs"]
mod properties;
#[path = "plan/purity.rs"]
mod purity;
#[path = "plan/rendering.rs"]
mod rendering;
#[path = "plan/scenarios.rs"]
mod scenarios;
#[path = "plan/semantics.rs"]
mod semantics;
#[path = "plan/sim.rs"]
mod sim;
#[path = "plan/support.rs"]
mod support;
