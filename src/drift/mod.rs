//! Drift: where the live org differs from the manifests, seen from the org's side, with who
//! changed each object last and when, and whether that happened after the last apply.
//!
//! Pure like the planner: no I/O and no clock. `drift()` plans (drift is the plan's diff read
//! the other way round, so there is one differ, not two), groups the steps by the object they
//! target, reads `updatedBy`/`updatedAt` from the live metadata, compares with the record of
//! the last apply (`record`) when there is one, and applies the policy's ignore list with the
//! day the CLI passes in. `text`, `json` and `markdown` render the `DriftReport`.
//!
//! Layout: `types` (the report value), `build` (grouping, provenance, origin, ignore list),
//! `words` (plan steps told from the org's side), `booking` (meeting types, reminders and
//! scheduling links, read from their addresses and details as text), `record` (the
//! last-applied record), and the renderers `phrases`, `text`, `markdown`.

mod booking;
mod build;
mod markdown;
mod phrases;
mod record;
mod text;
mod types;
mod words;

pub use markdown::markdown;

/// A live object's `updatedBy` (`user/<id>`, `apikey/<id>`) for people, as the drift report
/// names callers: `ava@acme.example (person)`, `API key ci`.
pub fn author_of(reference: &str, live: &crate::model::Live) -> String {
    phrases::author_short(&build::author(reference, live))
}
pub use phrases::summary_line;
pub use record::{LastApplied, RECORD_FORMAT_VERSION, RecordError, last_applied};
pub use text::text;
pub use types::*;

use crate::model::{Desired, Live};

/// What drift needs besides the two states.
#[derive(Debug, Clone, Copy)]
pub struct DriftOptions<'a> {
    /// Today, to decide which ignore entries have expired (the CLI reads the clock, in UTC).
    pub today: jiff::civil::Date,
    /// The record of the last apply (`--last-applied FILE`), to tell real drift from changes
    /// not applied yet.
    pub last_applied: Option<&'a LastApplied>,
}

/// Compares the manifests with the live org and reports every difference from the org's
/// side. Refused plans (tenant mismatch, missing workspace, ...) give a report with `errors`
/// and no objects: check `DriftReport::outcome()`.
pub fn drift(desired: &Desired, live: &Live, options: &DriftOptions<'_>) -> DriftReport {
    build::report(desired, live, options)
}

/// The report as pretty-printed JSON (versioned: `formatVersion`), ending with a newline.
pub fn json(report: &DriftReport) -> String {
    // Strings, numbers, sequences and string-keyed maps only: serialization cannot fail.
    let mut out = serde_json::to_string_pretty(report).unwrap_or_default();
    out.push('\n');
    out
}
