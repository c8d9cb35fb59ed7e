//! The record of the last apply (`scoville apply --record FILE`): which manifests were applied
//! and the fingerprint of every object they manage as the org was right after. `scoville drift
//! --last-applied FILE` compares against it to tell real drift (the org changed since) from
//! changes not applied yet (the manifests changed since).
//!
//! Making the record is pure: the CLI reads the org after a fully successful apply and the
//! clock, and passes both in.

use serde::{Deserialize, Serialize};

use crate::model::Live;
use crate::plan::{Address, Fingerprint, Plan, fingerprint};

/// The version of the record format. `LastApplied::from_json` refuses others.
pub const RECORD_FORMAT_VERSION: u32 = 1;

/// What the record file's `kind` says, so a plan or report given by mistake is refused.
const RECORD_KIND: &str = "scoville-last-applied";

/// The state the last fully successful apply left the org in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LastApplied {
    pub format_version: u32,
    /// Always `scoville-last-applied`.
    pub kind: String,
    /// The tenant applied to, when known.
    pub tenant: Option<String>,
    /// `Desired::content_hash` of the manifests applied.
    pub content_hash: String,
    /// When the apply finished (RFC 3339), if the caller knew.
    pub applied_at: Option<String>,
    /// Every object the manifests manage (the plan's reads), as the org was after the apply;
    /// sorted by address.
    pub fingerprints: Vec<Fingerprint>,
}

/// Why a record file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error(
        "the file is not a scoville apply record ({message}): create one with `scoville apply --record FILE`"
    )]
    NotARecord { message: String },
    #[error(
        "the apply record has format version {found} but this scoville reads version {supported}: record a new one with `scoville apply --record FILE`"
    )]
    UnsupportedVersion { found: u32, supported: u32 },
}

impl LastApplied {
    /// The record's fingerprint of the object at `address`, if it has one.
    pub fn fingerprint_of(&self, address: &str) -> Option<&Fingerprint> {
        self.fingerprints
            .iter()
            .find(|fingerprint| fingerprint.address == address)
    }

    /// Reads a record, refusing other kinds of file and other format versions.
    pub fn from_json(text: &str) -> Result<LastApplied, RecordError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Header {
            format_version: Option<u32>,
            kind: Option<String>,
        }
        let not_a_record = |message: String| RecordError::NotARecord { message };
        let header: Header =
            serde_json::from_str(text).map_err(|error| not_a_record(error.to_string()))?;
        if header.kind.as_deref() != Some(RECORD_KIND) {
            return Err(not_a_record(format!("its `kind` is not `{RECORD_KIND}`")));
        }
        match header.format_version {
            Some(RECORD_FORMAT_VERSION) => {}
            Some(found) => {
                return Err(RecordError::UnsupportedVersion {
                    found,
                    supported: RECORD_FORMAT_VERSION,
                });
            }
            None => return Err(not_a_record("it has no `formatVersion`".to_string())),
        }
        serde_json::from_str(text).map_err(|error| not_a_record(error.to_string()))
    }

    /// The record as pretty JSON ending with a newline, for a file that is committed or kept
    /// as a CI artifact.
    pub fn to_json(&self) -> String {
        // Strings, numbers and sequences only: serialization cannot fail.
        let mut out = serde_json::to_string_pretty(self).unwrap_or_default();
        out.push('\n');
        out
    }
}

/// The record of a fully successful apply of `plan`: the manifests' hash and tenant from the
/// plan, and, for every object the plan read (which is every object the manifests manage, plus
/// those it pruned), its fingerprint in `live_after`, a fresh read made after the apply.
pub fn last_applied(plan: &Plan, live_after: &Live, applied_at: Option<String>) -> LastApplied {
    let mut fingerprints: Vec<Fingerprint> = plan
        .fingerprints
        .iter()
        .filter_map(|planned| Address::parse(&planned.address))
        .map(|address| fingerprint(live_after, &address))
        .collect();
    fingerprints.sort();
    fingerprints.dedup();
    LastApplied {
        format_version: RECORD_FORMAT_VERSION,
        kind: RECORD_KIND.to_string(),
        tenant: live_after
            .tenant
            .as_ref()
            .map(|tenant| tenant.tenant_id.clone())
            .or_else(|| plan.tenant.clone()),
        content_hash: plan.content_hash.clone(),
        applied_at,
        fingerprints,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_round_trips_and_other_files_are_refused() {
        let record = LastApplied {
            format_version: RECORD_FORMAT_VERSION,
            kind: RECORD_KIND.to_string(),
            tenant: Some("acme-corp.app3".into()),
            content_hash: "abc".into(),
            applied_at: None,
            fingerprints: vec![Fingerprint {
                address: "team:Sales/inbound-sdr".into(),
                exists: true,
                id: Some("t-1".into()),
                revision: Some(2),
                updated_at: Some("2026-01-05T09:00:00Z".into()),
                updated_by: Some("apikey/ci".into()),
                digest: Some("0011".into()),
            }],
        };
        let back = LastApplied::from_json(&record.to_json()).unwrap();
        assert_eq!(back, record);
        assert!(back.fingerprint_of("team:Sales/inbound-sdr").is_some());

        let plan_file = r#"{"formatVersion": 1, "steps": []}"#;
        assert!(matches!(
            LastApplied::from_json(plan_file),
            Err(RecordError::NotARecord { .. })
        ));
        let future = record.to_json().replace(
            "\"formatVersion\": 1",
            &format!("\"formatVersion\": {}", RECORD_FORMAT_VERSION + 1),
        );
        assert_eq!(
            LastApplied::from_json(&future),
            Err(RecordError::UnsupportedVersion {
                found: RECORD_FORMAT_VERSION + 1,
                supported: RECORD_FORMAT_VERSION
            })
        );
    }
}
