//! `scoville doctor`: the first contact with an org, read-only. Is the token accepted, which
//! tenant, which read permissions it has, can every collection scoville reads be fetched and
//! decoded, which page sizes the server echoes, how long a round trip takes, and (given
//! manifests) which write permissions `apply` would need.
//!
//! `probe` makes the reads (never a write) and builds a [`Report`]; `requirements` turns a plan
//! into the write permissions it needs; `render` shows a report as text (JSON is the report's
//! serde form). The report and the verdict are plain data.

mod booking;
mod probe;
mod render;
mod requirements;

use serde::Serialize;

pub use probe::{Examination, examine};
pub use render::text;
pub use requirements::write_needs;

/// Version of the JSON form of [`Report`] (`scoville doctor --format json`).
pub const REPORT_FORMAT_VERSION: u32 = 1;

/// Everything `doctor` found.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub format_version: u32,
    /// The base URL asked (never the token).
    pub endpoint: String,
    pub token: TokenVerdict,
    pub tenant: Option<TenantSummary>,
    /// Median of the health pings, in milliseconds; `None` when none answered.
    pub round_trip_ms: Option<f64>,
    /// One entry per read operation of `edge::ops`.
    pub read_permissions: Vec<OperationAccess>,
    pub collections: Vec<Collection>,
    /// Objects scoville could not decode (or keeps opaque), with where they are.
    pub unknown_objects: Vec<UnknownObject>,
    /// Whether what was read translates into scoville's model of the org (references resolve,
    /// no duplicate names), or why not.
    pub model_check: ModelCheck,
    /// With manifests: what `apply` would need.
    pub write_needs: Option<WriteNeeds>,
}

/// Whether what was read makes a `Live` (the model `plan`, `drift` and `export` work from).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "status")]
pub enum ModelCheck {
    Ok,
    Failed {
        reason: String,
    },
    /// The reads failed or some objects could not be decoded, so there was nothing to check.
    NotChecked,
}

/// Whether the API accepted the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TokenVerdict {
    Accepted,
    /// 401: unknown, revoked, or sent without `Bearer`.
    Refused,
    /// No answer that says either way (the endpoint is unreachable or failing).
    Unknown,
}

/// `tenant-get`'s answer, the parts a person recognises.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TenantSummary {
    pub tenant_id: String,
    pub subdomain: String,
    pub cluster: String,
    /// `Organization` or `Personal`.
    pub kind: String,
}

/// Whether the token may call one read operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationAccess {
    /// Operation id (`edge::ops`).
    pub op: String,
    /// The permission the table says it needs.
    pub permission: String,
    /// Whether `plan`, `drift` and `export` need it (else only `apply` uses it, to read back
    /// after an uncertain write).
    pub required: bool,
    pub access: Access,
}

/// What probing one operation showed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "status")]
pub enum Access {
    Granted,
    /// 403 (the permission the server named, else the table's).
    Missing {
        permission: String,
    },
    /// 401.
    TokenRefused,
    /// Any other failure, in the client's words.
    Failed {
        message: String,
    },
    /// Not called, and why (nothing to read it with, or doctor does not know how).
    NotProbed {
        reason: String,
    },
}

/// One collection scoville reads, as fetched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Collection {
    /// `users`, `workspaces`, `teams`, `distributions`, `rules`, `workspace settings`.
    pub kind: String,
    pub op: String,
    /// Objects fetched.
    pub count: u64,
    /// Of which scoville could not decode.
    pub undecodable: u64,
    /// Paging, for list operations.
    pub paging: Option<Paging>,
    /// Why the collection could not be fetched.
    pub error: Option<String>,
}

/// What the server did with the page size scoville asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Paging {
    pub asked: u64,
    /// The `pageSize` the server echoed.
    pub echoed: Option<u64>,
    pub total: Option<u64>,
    pub pages: u64,
}

/// An object scoville does not understand, and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnknownObject {
    /// The collection (`rules`, `workspace settings`, ...).
    pub kind: String,
    pub id: Option<String>,
    /// Workspace, team, distribution or rule name; never a person's.
    pub name: Option<String>,
    /// What is unknown, in the decoder's words (`unknown variant ...`).
    pub detail: String,
}

/// The write permissions `apply` would need for the plan of the given manifests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WriteNeeds {
    /// Problems that refuse the plan (then `permissions` is empty).
    pub plan_refused: Vec<String>,
    /// Each permission with the operations (and their step counts) that need it, sorted.
    pub permissions: Vec<PermissionNeed>,
}

/// One permission `apply` would need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionNeed {
    pub permission: String,
    /// `(operation id, steps)`.
    pub operations: Vec<(String, usize)>,
}

impl Report {
    /// Why scoville cannot work with this org read-only; empty when it can.
    pub fn blockers(&self) -> Vec<String> {
        let mut out = Vec::new();
        match self.token {
            TokenVerdict::Accepted => {}
            TokenVerdict::Refused => out.push(
                "the token was refused (401): check CHILI_PIPER_API_KEY or --token-file".into(),
            ),
            TokenVerdict::Unknown => out.push(
                "no answer from the Edge API said whether the token is accepted: check \
                 --endpoint and the network"
                    .into(),
            ),
        }
        for entry in self.read_permissions.iter().filter(|entry| entry.required) {
            match &entry.access {
                Access::Granted | Access::TokenRefused | Access::NotProbed { .. } => {}
                Access::Missing { permission } => out.push(format!(
                    "the token lacks `{permission}` ({}): add it to the token",
                    entry.op
                )),
                Access::Failed { message } => out.push(format!("{}: {message}", entry.op)),
            }
        }
        for collection in &self.collections {
            if let Some(error) = &collection.error
                && !self.read_permissions.iter().any(|entry| {
                    entry.op == collection.op && !matches!(entry.access, Access::Granted)
                })
            {
                out.push(format!("cannot fetch the {}: {error}", collection.kind));
            }
            if collection.undecodable > 0 {
                out.push(format!(
                    "{} of the {} {} cannot be decoded (listed under unknown objects), and \
                     scoville's reader stops at them: please report it",
                    collection.undecodable, collection.count, collection.kind
                ));
            }
        }
        if let ModelCheck::Failed { reason } = &self.model_check {
            out.push(format!("scoville cannot read this org: {reason}"));
        }
        out
    }

    /// Whether scoville can work with this org read-only (exit 0).
    pub fn is_ok(&self) -> bool {
        self.blockers().is_empty()
    }

    /// The JSON form (`--format json`): the report plus its verdict.
    pub fn json(&self) -> String {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct WithVerdict<'a> {
            #[serde(flatten)]
            report: &'a Report,
            ok: bool,
            blockers: Vec<String>,
        }
        let mut text = serde_json::to_string_pretty(&WithVerdict {
            report: self,
            ok: self.is_ok(),
            blockers: self.blockers(),
        })
        .expect("a doctor report serializes to JSON");
        text.push('\n');
        text
    }
}
