//! Integration tests of the Edge API emulator: raw HTTP against `emulator::start()`.

#[path = "emulator/support.rs"]
mod support;

#[path = "emulator/auth.rs"]
mod auth;
#[path = "emulator/booking.rs"]
mod booking;
#[path = "emulator/cli.rs"]
mod cli;
#[path = "emulator/control.rs"]
mod control;
#[path = "emulator/distributions.rs"]
mod distributions;
#[path = "emulator/faults.rs"]
mod faults;
#[path = "emulator/pagination.rs"]
mod pagination;
#[path = "emulator/reads.rs"]
mod reads;
#[path = "emulator/rules.rs"]
mod rules;
#[path = "emulator/teams.rs"]
mod teams;
#[path = "emulator/users.rs"]
mod users;
#[path = "emulator/workspaces.rs"]
mod workspaces;
