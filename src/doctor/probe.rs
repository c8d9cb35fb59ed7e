//! The reads of `scoville doctor`: health pings, `tenant-get`, one sweep per collection
//! (decoding each object on its own, so one odd object is named instead of failing the lot),
//! the workspace settings, and a one-item call to each remaining read operation. No write.

use std::collections::BTreeMap;
use std::time::Instant;

use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::{
    Access, Collection, ModelCheck, OperationAccess, Paging, Report, TenantSummary, TokenVerdict,
    UnknownObject,
};
use crate::edge::ops::{self, Op};
use crate::edge::pagination::MAX_PAGES;
use crate::edge::{EdgeClient, EdgeError, wire};
use crate::live::{self, LiveParts, Scope};

/// Health pings whose median is the round trip.
const N_PINGS: usize = 3;

/// The operations `live::fetch` calls: without them `plan`, `drift` and `export` cannot work.
const READ_BY_FETCH: &[Op] = &[
    ops::TENANT_GET,
    ops::WORKSPACE_LIST,
    ops::WORKSPACE_LIST_USERS,
    ops::TEAM_LIST_PUT,
    ops::DISTRIBUTION_LIST_PUT,
    ops::DISTRIBUTION_WORKSPACE_SETTINGS_GET,
    ops::RULE_LIST,
    // Not the meeting-type and scheduling-link reads: `plan` and `drift` make them only for
    // the workspaces whose manifests declare those kinds, and `export` leaves the kinds out
    // (and says so) when the token may not read them.
];

/// How a list operation takes `page`/`pageSize`.
#[derive(Debug, Clone, Copy)]
enum PageIn {
    Query,
    Body,
}

/// The collections scoville reads, in the order they are reported.
const SWEEPS: &[(&str, Op, PageIn)] = &[
    ("users", ops::WORKSPACE_LIST_USERS, PageIn::Query),
    ("workspaces", ops::WORKSPACE_LIST, PageIn::Query),
    ("teams", ops::TEAM_LIST_PUT, PageIn::Body),
    ("distributions", ops::DISTRIBUTION_LIST_PUT, PageIn::Body),
    ("rules", ops::RULE_LIST, PageIn::Query),
];

/// A report, and what was read when everything decoded (for planning given manifests).
#[derive(Debug)]
pub struct Examination {
    pub report: Report,
    pub parts: Option<LiveParts>,
}

/// Examines the org behind `client` with reads only.
pub async fn examine(client: &EdgeClient) -> Examination {
    let mut report = Report {
        format_version: super::REPORT_FORMAT_VERSION,
        endpoint: client.endpoint().to_string(),
        token: TokenVerdict::Unknown,
        tenant: None,
        round_trip_ms: None,
        read_permissions: Vec::new(),
        collections: Vec::new(),
        unknown_objects: Vec::new(),
        model_check: ModelCheck::NotChecked,
        write_needs: None,
    };
    let mut access: BTreeMap<&'static str, Access> = BTreeMap::new();

    let mut pings = Vec::new();
    for _ in 0..N_PINGS {
        let started = Instant::now();
        let answer = client.health().await;
        let millis = started.elapsed().as_secs_f64() * 1000.0;
        note(&mut report.token, &answer);
        if answer.is_ok() {
            pings.push(millis);
        }
        access.insert(ops::HEALTH_PING.id, access_of(&answer));
    }
    pings.sort_by(f64::total_cmp);
    report.round_trip_ms = pings
        .get(pings.len() / 2)
        .map(|ms| (ms * 100.0).round() / 100.0);

    let tenant = read_one::<wire::TenantInfo>(client, ops::TENANT_GET, &[], None).await;
    note(&mut report.token, &tenant);
    access.insert(ops::TENANT_GET.id, access_of(&tenant));
    if let Ok(Ok(info)) = &tenant {
        let data = info.tenant_data();
        report.tenant = Some(TenantSummary {
            tenant_id: data.tenant_id.clone(),
            subdomain: data.subdomain.clone(),
            cluster: data.cluster.clone(),
            kind: match info {
                wire::TenantInfo::Organization { .. } => "Organization",
                wire::TenantInfo::Personal { .. } => "Personal",
            }
            .to_string(),
        });
    }
    let mut swept: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for &(kind, op, page_in) in SWEEPS {
        let sweep = sweep(client, op, page_in).await;
        note(&mut report.token, &sweep);
        access.insert(op.id, access_of(&sweep));
        let (items, paging, error) = match sweep {
            Ok((items, paging)) => (items, Some(paging), None),
            Err(error) => (Vec::new(), None, Some(describe(&error))),
        };
        report.collections.push(Collection {
            kind: kind.to_string(),
            op: op.id.to_string(),
            count: items.len() as u64,
            undecodable: 0,
            paging,
            error,
        });
        swept.insert(kind, items);
    }
    let mut take = |kind: &str| swept.remove(kind).unwrap_or_default();
    let (users, workspaces, teams, distributions, rules) = (
        take("users"),
        take("workspaces"),
        take("teams"),
        take("distributions"),
        take("rules"),
    );
    let mut decoded = Decoded::default();
    let users: Vec<wire::User> = decoded.items("users", users, false);
    for user in users
        .iter()
        .filter(|u| !u.licenses.unknown_fields.is_empty())
    {
        // Named by id only: a user's name or email is personal.
        decoded.unknown.push(UnknownObject {
            kind: "users".to_string(),
            id: Some(user.id.clone()),
            name: None,
            detail: fields_detail(&user.licenses.unknown_fields),
        });
    }
    let workspaces: Vec<wire::Workspace> = decoded.items("workspaces", workspaces, true);
    let teams: Vec<wire::Team> = decoded.items("teams", teams, true);
    let distributions: Vec<wire::Tolerant<wire::Distribution>> =
        decoded.tolerant_items("distributions", distributions, true);
    let rules: Vec<wire::Tolerant<wire::Rule>> = decoded.tolerant_items("rules", rules, true);
    for rule in rules.iter().filter_map(wire::Tolerant::known) {
        if let wire::Rule::AssignmentTableRule(body) = rule {
            decoded.unknown.push(UnknownObject {
                kind: "rules".to_string(),
                id: Some(body.id.clone()),
                name: Some(body.name.clone()),
                detail: "an assignment-table rule: read and listed, never changed by scoville"
                    .to_string(),
            });
        }
    }

    let mut settings = BTreeMap::new();
    let mut settings_collection = Collection {
        kind: "workspace settings".to_string(),
        op: ops::DISTRIBUTION_WORKSPACE_SETTINGS_GET.id.to_string(),
        count: 0,
        undecodable: 0,
        paging: None,
        error: None,
    };
    let mut settings_access = Access::NotProbed {
        reason: "no workspace to read the settings of".to_string(),
    };
    for workspace in &workspaces {
        let query = [("workspaceId".to_string(), workspace.id.clone())];
        let answer = read_one::<wire::Tolerant<wire::WorkspaceSettingsRead>>(
            client,
            ops::DISTRIBUTION_WORKSPACE_SETTINGS_GET,
            &query,
            None,
        )
        .await;
        note(&mut report.token, &answer);
        settings_access = access_of(&answer);
        match answer {
            Ok(Ok(found)) => {
                settings_collection.count += 1;
                if let wire::Tolerant::Unknown { reason, .. } = &found {
                    // Read and kept opaque: scoville works on, and refuses only to change them.
                    decoded.unknown.push(UnknownObject {
                        kind: "workspace settings".to_string(),
                        id: Some(workspace.id.clone()),
                        name: Some(workspace.name.clone()),
                        detail: reason.clone(),
                    });
                }
                settings.insert(workspace.id.clone(), found);
            }
            Ok(Err(detail)) => {
                settings_collection.count += 1;
                settings_collection.undecodable += 1;
                decoded.unknown.push(UnknownObject {
                    kind: "workspace settings".to_string(),
                    id: Some(workspace.id.clone()),
                    name: Some(workspace.name.clone()),
                    detail,
                });
            }
            Err(error) => {
                settings_collection.error = Some(describe(&error));
                break;
            }
        }
    }
    access.insert(ops::DISTRIBUTION_WORKSPACE_SETTINGS_GET.id, settings_access);
    report.collections.push(settings_collection);
    let booking = super::booking::probe(
        client,
        &workspaces,
        &mut report.token,
        &mut access,
        &mut decoded,
    )
    .await;
    report.collections.extend(booking.collections);

    let first_rule = rules.iter().find_map(wire::Tolerant::known);
    probe_the_rest(client, &mut access, users.first(), first_rule).await;
    report.read_permissions = read_permissions(access);
    settle_the_token(&mut report);
    for collection in &mut report.collections {
        if let Some(n) = decoded.undecodable.get(collection.kind.as_str()) {
            collection.undecodable = *n;
        }
    }
    report.unknown_objects = decoded.unknown;

    let complete = report
        .collections
        .iter()
        .all(|collection| collection.error.is_none() && collection.undecodable == 0);
    let parts = match (&tenant, complete) {
        (Ok(Ok(tenant)), true) => Some(LiveParts {
            tenant: tenant.clone(),
            users,
            workspaces,
            teams,
            distributions,
            rules,
            settings,
            booking: booking.parts,
        }),
        _ => None,
    };
    if let Some(parts) = &parts {
        report.model_check = match live::to_live(parts.clone(), &Scope::everything_with_settings())
        {
            Ok(_) => ModelCheck::Ok,
            Err(error) => ModelCheck::Failed {
                reason: error.to_string(),
            },
        };
    }
    Examination { report, parts }
}

/// Objects decoded one by one, and the ones that would not decode.
#[derive(Default)]
pub(super) struct Decoded {
    undecodable: BTreeMap<&'static str, u64>,
    unknown: Vec<UnknownObject>,
}

impl Decoded {
    /// Decodes each item of a collection on its own. `show_name`: the item's `name` may be
    /// shown (not for people).
    fn items<T: DeserializeOwned>(
        &mut self,
        kind: &'static str,
        items: Vec<Value>,
        show_name: bool,
    ) -> Vec<T> {
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let id = item.get("id").and_then(Value::as_str).map(str::to_string);
            let name = item
                .get("name")
                .or_else(|| item.pointer("/published/name"))
                .and_then(Value::as_str)
                .filter(|_| show_name)
                .map(str::to_string);
            match serde_json::from_value::<T>(item) {
                Ok(decoded) => out.push(decoded),
                Err(error) => {
                    *self.undecodable.entry(kind).or_insert(0) += 1;
                    self.unknown.push(UnknownObject {
                        kind: kind.to_string(),
                        id,
                        name,
                        detail: error.to_string(),
                    });
                }
            }
        }
        out
    }
}

impl Decoded {
    /// Decodes each item of a collection the reader keeps opaque when it does not know it (a
    /// new variant or value): such an item is listed as unknown, but it is not undecodable,
    /// because scoville reads the org with it and refuses only to change it. `replaced`: a
    /// write replaces the object, so fields scoville does not know are listed too (they would
    /// be erased); objects that only take patches have nothing to erase.
    pub(super) fn tolerant_items<T: DeserializeOwned + serde::Serialize>(
        &mut self,
        kind: &'static str,
        items: Vec<Value>,
        replaced: bool,
    ) -> Vec<wire::Tolerant<T>> {
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let id = item.get("id").and_then(Value::as_str).map(str::to_string);
            let name = item
                .get("name")
                .or_else(|| item.pointer("/published/name"))
                .and_then(Value::as_str)
                .map(str::to_string);
            match serde_json::from_value::<wire::Tolerant<T>>(item) {
                Ok(wire::Tolerant::Unknown { raw, reason }) => {
                    self.unknown.push(UnknownObject {
                        kind: kind.to_string(),
                        id,
                        name,
                        detail: reason.clone(),
                    });
                    out.push(wire::Tolerant::Unknown { raw, reason });
                }
                Ok(wire::Tolerant::Extended {
                    value,
                    raw,
                    unknown_fields,
                }) => {
                    // The fields a write would erase, as `live` records them: a distribution's
                    // under `published` (its read-only `state` is not sent back), a rule's all.
                    let under = (kind == "distributions").then_some("published");
                    let fields = wire::sent_back(&unknown_fields, under);
                    if replaced && !fields.is_empty() {
                        self.unknown.push(UnknownObject {
                            kind: kind.to_string(),
                            id,
                            name,
                            detail: fields_detail(&fields),
                        });
                    }
                    out.push(wire::Tolerant::Extended {
                        value,
                        raw,
                        unknown_fields,
                    });
                }
                Ok(known) => out.push(known),
                Err(error) => {
                    *self.undecodable.entry(kind).or_insert(0) += 1;
                    self.unknown.push(UnknownObject {
                        kind: kind.to_string(),
                        id,
                        name,
                        detail: error.to_string(),
                    });
                }
            }
        }
        out
    }
}

/// A one-item call to each read operation no sweep made.
async fn probe_the_rest(
    client: &EdgeClient,
    access: &mut BTreeMap<&'static str, Access>,
    first_user: Option<&wire::User>,
    first_rule: Option<&wire::Rule>,
) {
    let one_page = || {
        vec![
            ("page".to_string(), "0".to_string()),
            ("pageSize".to_string(), "1".to_string()),
        ]
    };
    let mut query = one_page();
    query.push(("query".to_string(), "@".to_string()));
    let found = client
        .send_prepared(ops::USER_FIND, ops::USER_FIND.path, &query, None, "users")
        .await;
    access.insert(ops::USER_FIND.id, access_of(&found));

    let by_ids = match first_user {
        Some(user) => access_of(
            &client
                .send_prepared(
                    ops::USER_FIND_BY_IDS,
                    ops::USER_FIND_BY_IDS.path,
                    &one_page(),
                    Some(&json!([user.id])),
                    "users",
                )
                .await,
        ),
        None => Access::NotProbed {
            reason: "no user to look up".to_string(),
        },
    };
    access.insert(ops::USER_FIND_BY_IDS.id, by_ids);

    let rule_get = match first_rule {
        Some(rule) => {
            let id = &rule.body().id;
            access_of(
                &client
                    .send_prepared(
                        ops::RULE_GET,
                        &ops::RULE_GET.path_with(&[id]),
                        &[],
                        None,
                        &format!("rule `{id}`"),
                    )
                    .await,
            )
        }
        None => Access::NotProbed {
            reason: "no rule to read".to_string(),
        },
    };
    access.insert(ops::RULE_GET.id, rule_get);
}

/// One entry per read operation of the table, in the table's order.
fn read_permissions(mut access: BTreeMap<&'static str, Access>) -> Vec<OperationAccess> {
    ops::ALL
        .iter()
        .filter(|op| op.permission.ends_with(".read"))
        .map(|op| OperationAccess {
            op: op.id.to_string(),
            permission: op.permission.to_string(),
            required: READ_BY_FETCH.contains(op),
            access: access.remove(op.id).unwrap_or_else(|| Access::NotProbed {
                reason: "doctor does not call this operation yet".to_string(),
            }),
        })
        .collect()
}

/// A 401 says the token was refused only when no call with it succeeded: some servers answer
/// 401 instead of 403 for a missing permission, and then the 401s name what is missing.
fn settle_the_token(report: &mut Report) {
    let any_refused = report
        .read_permissions
        .iter()
        .any(|entry| entry.access == Access::TokenRefused);
    match report.token {
        TokenVerdict::Accepted => {
            for entry in &mut report.read_permissions {
                if entry.access == Access::TokenRefused {
                    entry.access = Access::Missing {
                        permission: entry.permission.clone(),
                    };
                }
            }
        }
        TokenVerdict::Unknown | TokenVerdict::Refused if any_refused => {
            report.token = TokenVerdict::Refused;
        }
        _ => {}
    }
}

/// What an answer says about the token (a 401 is settled at the end, `settle_the_token`).
pub(super) fn note<T>(verdict: &mut TokenVerdict, answer: &Result<T, EdgeError>) {
    match answer {
        Ok(_) => *verdict = TokenVerdict::Accepted,
        Err(error) => match error {
            EdgeError::Unauthorized { status: 401, .. } => {}
            // A 403 means the token was recognised but lacks a permission.
            EdgeError::Unauthorized { .. } => *verdict = TokenVerdict::Accepted,
            // The server got past authentication to refuse the request itself. (A 404 says
            // nothing: a wrong --endpoint answers 404 to every path.)
            EdgeError::BadRequest { .. } if *verdict == TokenVerdict::Unknown => {
                *verdict = TokenVerdict::Accepted;
            }
            _ => {}
        },
    }
}

pub(super) fn access_of<T>(answer: &Result<T, EdgeError>) -> Access {
    match answer {
        Ok(_) => Access::Granted,
        Err(EdgeError::Unauthorized { status: 401, .. }) => Access::TokenRefused,
        Err(EdgeError::Unauthorized { permission, .. }) => Access::Missing {
            permission: permission.clone(),
        },
        Err(error) => Access::Failed {
            message: describe(error),
        },
    }
}

/// The client's words for a failed read, except a 404: every read doctor makes is org-wide or
/// names an object it just read, so a 404 means the base URL is wrong, not that something was
/// deleted.
pub(super) fn describe(error: &EdgeError) -> String {
    match error {
        EdgeError::NotFound { op, .. } => format!(
            "{op}: the Edge API answered 404: check --endpoint (the base URL ends with \
             /api/fire-edge)"
        ),
        other => other.to_string(),
    }
}

/// One non-paginated read, decoded; the inner error is the decoder's words.
async fn read_one<T: DeserializeOwned>(
    client: &EdgeClient,
    op: Op,
    query: &[(String, String)],
    body: Option<&Value>,
) -> Result<Result<T, String>, EdgeError> {
    let bytes = client
        .send_prepared(op, op.path, query, body, &format!("`{}`", op.id))
        .await?;
    Ok(serde_json::from_slice(&bytes).map_err(|error| error.to_string()))
}

/// Every page of one list operation, as JSON items, with what the server did with the page size.
async fn sweep(
    client: &EdgeClient,
    op: Op,
    page_in: PageIn,
) -> Result<(Vec<Value>, Paging), EdgeError> {
    let asked = ops::REQUESTED_PAGE_SIZE;
    let first = page(client, op, page_in, 0, asked).await?;
    let echoed = first.get("pageSize").and_then(Value::as_u64);
    let total = first.get("total").and_then(Value::as_u64);
    let mut items = results(first);
    let page_size = echoed.filter(|size| *size > 0).unwrap_or(asked);
    let n_pages = total
        .map(|total| total.div_ceil(page_size).clamp(1, MAX_PAGES))
        .unwrap_or(1);
    for number in 1..n_pages {
        items.extend(results(page(client, op, page_in, number, page_size).await?));
    }
    let paging = Paging {
        asked,
        echoed,
        total,
        pages: n_pages,
    };
    Ok((items, paging))
}

async fn page(
    client: &EdgeClient,
    op: Op,
    page_in: PageIn,
    number: u64,
    size: u64,
) -> Result<Value, EdgeError> {
    let bytes = match page_in {
        PageIn::Query => {
            let query = [
                ("page".to_string(), number.to_string()),
                ("pageSize".to_string(), size.to_string()),
            ];
            client
                .send_prepared(op, op.path, &query, None, &format!("`{}`", op.id))
                .await?
        }
        PageIn::Body => {
            let body = json!({"page": number, "pageSize": size});
            client
                .send_prepared(op, op.path, &[], Some(&body), &format!("`{}`", op.id))
                .await?
        }
    };
    serde_json::from_slice(&bytes).map_err(|source| EdgeError::Decode { op: op.id, source })
}

/// The `results` of a page (absent when empty, as the API notes say).
fn results(page: Value) -> Vec<Value> {
    match page {
        Value::Object(mut fields) => match fields.remove("results") {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// What `doctor` says about an object read with fields scoville does not know.
fn fields_detail(fields: &[String]) -> String {
    format!(
        "fields scoville does not know: {}; read, but a write that replaces the object is \
         refused (it would erase them)",
        fields.join(", ")
    )
}
