//! The emulator's clock: a deterministic one for tests and snapshots, or the system clock.

use serde::{Deserialize, Serialize};

/// Where metadata timestamps come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ClockMode {
    /// Starts at `DETERMINISTIC_START` and advances `DETERMINISTIC_STEP_SECONDS` per change, so
    /// the same calls give the same timestamps (stable snapshots).
    #[default]
    Deterministic,
    /// The machine's clock (`sandbox serve`).
    System,
}

/// The instant a deterministic clock starts at; seeded objects carry it.
pub const DETERMINISTIC_START: &str = "2026-01-05T09:00:00Z";

/// How far a deterministic clock advances with each change.
pub const DETERMINISTIC_STEP_SECONDS: i64 = 1;

/// The timestamp of the `n_changes`-th change (0 is the seed), RFC 3339 in UTC.
pub fn timestamp(mode: ClockMode, n_changes: u64) -> String {
    match mode {
        ClockMode::Deterministic => {
            let start: jiff::Timestamp = DETERMINISTIC_START
                .parse()
                .expect("DETERMINISTIC_START is an RFC 3339 instant");
            let offset = i64::try_from(n_changes)
                .unwrap_or(i64::MAX / 2)
                .saturating_mul(DETERMINISTIC_STEP_SECONDS);
            start
                .checked_add(jiff::SignedDuration::from_secs(offset))
                .unwrap_or(start)
                .to_string()
        }
        ClockMode::System => {
            // Whole seconds keep timestamps short and comparable with the deterministic ones.
            let now = jiff::Timestamp::now();
            jiff::Timestamp::from_second(now.as_second())
                .unwrap_or(now)
                .to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_clock_starts_at_the_fixed_instant_and_steps() {
        assert_eq!(
            timestamp(ClockMode::Deterministic, 0),
            "2026-01-05T09:00:00Z"
        );
        assert_eq!(
            timestamp(ClockMode::Deterministic, 61),
            "2026-01-05T09:01:01Z"
        );
    }
}
