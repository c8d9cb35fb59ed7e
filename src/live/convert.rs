//! Wire -> `Live`: ids become emails and names, condition trees lose their ids, and every
//! object keeps its id and metadata for the applier and the drift report. Pure: no I/O.

use std::collections::{BTreeMap, BTreeSet};

use foldhash::HashMap;

use crate::edge::wire;
use crate::model::{
    Assignment, Capping, Condition, DistributionSpec, Email, License, Live, LiveDistribution,
    LiveRule, LiveTeam, LiveTenant, LiveUser, LiveWorkspace, MeetingLimits, Meta, OpaqueKind,
    OpaqueObject, RuleKind, RuleSpec, UnknownFields, UnknownFieldsKind,
};

use super::opaque::{team_ids_in, unknown_phrase};
use super::{LiveError, Scope};

/// Everything `fetch` read, before translation.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveParts {
    pub tenant: wire::TenantInfo,
    /// The org-wide user list (`workspace-list-users` without `workspaceId`).
    pub users: Vec<wire::User>,
    pub workspaces: Vec<wire::Workspace>,
    pub teams: Vec<wire::Team>,
    /// Every distribution; those that did not decode become opaque objects of `Live`.
    pub distributions: Vec<wire::Tolerant<wire::Distribution>>,
    /// Every rule; those that did not decode, and assignment-table rules (which scoville does
    /// not manage), become opaque objects of `Live`.
    pub rules: Vec<wire::Tolerant<wire::Rule>>,
    /// Distribution settings by workspace id, for the workspaces the scope asked about.
    pub settings: BTreeMap<String, wire::Tolerant<wire::WorkspaceSettingsRead>>,
    /// Meeting types, reminders and scheduling links, for the workspaces the scope asked
    /// about.
    pub booking: super::BookingParts,
}

/// Translates what was read into `Live`, keeping only the workspaces in `scope`.
///
/// Workspace membership comes from each user's `workspaces` ids in the org-wide user list: that
/// is what lets `fetch` skip one `workspace-list-users` call per workspace.
pub fn to_live(parts: LiveParts, scope: &Scope) -> Result<Live, LiveError> {
    let users = users_by_email(&parts.users)?;
    // Looked up once per membership, weight and member of a link: hashed, not compared along
    // ids that share long prefixes.
    let email_by_id: HashMap<&str, &Email> = users
        .values()
        .map(|user| (user.id.as_str(), &user.email))
        .collect();

    let mut workspaces: BTreeMap<String, LiveWorkspace> = BTreeMap::new();
    let mut name_by_id: HashMap<&str, &str> = HashMap::default();
    for workspace in &parts.workspaces {
        if !scope.includes(&workspace.name) {
            continue;
        }
        if let Some(first) = workspaces.get(&workspace.name) {
            return Err(LiveError::DuplicateWorkspaceName {
                name: workspace.name.clone(),
                first_id: first.id.clone(),
                second_id: workspace.id.clone(),
            });
        }
        name_by_id.insert(&workspace.id, &workspace.name);
        workspaces.insert(
            workspace.name.clone(),
            LiveWorkspace {
                id: workspace.id.clone(),
                name: workspace.name.clone(),
                meta: meta(&workspace.metadata),
                members: BTreeSet::new(),
                teams: Vec::new(),
                distributions: Vec::new(),
                rules: Vec::new(),
                settings: parts
                    .settings
                    .get(&workspace.id)
                    .and_then(wire::Tolerant::known)
                    .map(|settings| settings.clone().into_settings()),
                personal: false,
                meeting_types: None,
                reminders: None,
                links: None,
            },
        );
    }
    let mut opaque = Vec::new();
    for (workspace_id, settings) in &parts.settings {
        if let (wire::Tolerant::Unknown { reason, .. }, Some(name)) =
            (settings, name_by_id.get(workspace_id.as_str()))
        {
            opaque.push(OpaqueObject {
                workspace: name.to_string(),
                kind: OpaqueKind::Settings,
                name: name.to_string(),
                id: workspace_id.clone(),
                unknown: unknown_phrase(reason),
                team_ids: BTreeSet::new(),
            });
        }
    }

    // Gathered per workspace, then each set built at once from its sorted list: cheaper than
    // walking a workspace's tree for each of a large org's 60,000 memberships.
    let mut members_of: HashMap<&str, Vec<Email>> = HashMap::default();
    for user in &parts.users {
        let email = email_by_id[user.id.as_str()];
        for workspace_id in &user.workspaces {
            members_of
                .entry(workspace_id.as_str())
                .or_default()
                .push(email.clone());
        }
    }
    for (workspace_id, members) in members_of {
        if let Some(workspace) = workspace_of(&mut workspaces, &name_by_id, workspace_id) {
            workspace.members = members.into_iter().collect();
        }
    }

    // Team names by id, per workspace, for distributions and ownership rules.
    let mut team_names: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    for team in &parts.teams {
        team_names.insert((&team.workspace_id, &team.id), &team.name);
        let Some(workspace) = workspace_of(&mut workspaces, &name_by_id, &team.workspace_id) else {
            continue;
        };
        let mut members = BTreeSet::new();
        let mut unknown_member_ids = BTreeSet::new();
        for user_id in &team.members {
            match email_by_id.get(user_id.as_str()) {
                Some(email) => {
                    members.insert((*email).clone());
                }
                None => {
                    unknown_member_ids.insert(user_id.clone());
                }
            }
        }
        let added_at = team
            .metadata
            .team_members_metadata
            .iter()
            .flat_map(|metadata| &metadata.added_at)
            .filter_map(|(user_id, when)| {
                email_by_id
                    .get(user_id.as_str())
                    .map(|email| ((*email).clone(), when.clone()))
            })
            .collect();
        workspace.teams.push(LiveTeam {
            id: team.id.clone(),
            name: team.name.clone(),
            members,
            added_at,
            unknown_member_ids,
            meta: meta(&team.metadata.base),
        });
    }
    let team_name = |workspace_id: &str, team_id: &str| -> String {
        team_names
            .get(&(workspace_id, team_id))
            .map_or_else(|| format!("<{team_id}>"), |name| (*name).to_string())
    };

    let mut opaque_of = |raw: &serde_json::Value, kind: OpaqueKind, unknown: String| {
        let (id, workspace_id, name) = match kind {
            OpaqueKind::Distribution => (
                raw["id"]
                    .as_str()
                    .or(raw["published"]["distributionId"].as_str()),
                raw["published"]["workspaceId"].as_str(),
                raw["published"]["name"].as_str(),
            ),
            _ => (
                raw["id"].as_str(),
                raw["workspaceId"].as_str(),
                raw["name"].as_str(),
            ),
        };
        let id = id.unwrap_or_default().to_string();
        let Some(workspace) = workspace_id.and_then(|w| name_by_id.get(w)) else {
            return;
        };
        let mut team_ids = BTreeSet::new();
        team_ids_in(raw, &mut team_ids);
        opaque.push(OpaqueObject {
            workspace: workspace.to_string(),
            kind,
            name: name.map_or_else(|| format!("<{id}>"), str::to_string),
            id,
            unknown,
            team_ids,
        });
    };
    let mut unknown_fields = Vec::new();
    for read in &parts.distributions {
        let distribution = match read {
            wire::Tolerant::Known(distribution)
            | wire::Tolerant::Extended {
                value: distribution,
                ..
            } => distribution,
            wire::Tolerant::Unknown { raw, reason } => {
                opaque_of(raw, OpaqueKind::Distribution, unknown_phrase(reason));
                continue;
            }
        };
        let config = &distribution.published;
        let Some(workspace) = workspace_of(&mut workspaces, &name_by_id, &config.workspace_id)
        else {
            continue;
        };
        // distribution-update-v3 replaces the `published` configuration; what is beside it
        // (and its read-only metadata) is not sent back, so not erased.
        let fields = wire::sent_back(read.unknown_fields(), Some("published"));
        if !fields.is_empty() {
            unknown_fields.push(UnknownFields {
                workspace: workspace.name.clone(),
                kind: UnknownFieldsKind::Distribution,
                name: config
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("<{}>", distribution.id)),
                id: distribution.id.clone(),
                fields,
            });
        }
        let by_email = |user_id: &str| email_by_id.get(user_id).map(|email| (*email).clone());
        let spec = DistributionSpec {
            team: team_name(&config.workspace_id, &config.team_ref.id),
            assignment: assignment(&config.assignment_type_config, &by_email),
            weights: config
                .weights
                .iter()
                .flatten()
                .filter_map(|w| by_email(&w.user_id).map(|email| (email, w.weight)))
                .collect(),
            calibration: config
                .manual_calibration
                .iter()
                .flatten()
                .filter_map(|c| by_email(&c.user_id).map(|email| (email, c.calibration)))
                .collect(),
            capping: config.capping.as_ref().map(|capping| Capping {
                caps: caps_by_email(&capping.user_caps, &by_email),
                reset: capping.reset_periodicity.clone(),
            }),
        };
        workspace.distributions.push(LiveDistribution {
            id: distribution.id.clone(),
            // A nameless distribution is a legacy one the list should not return; keep it
            // visible under its id rather than dropping it.
            name: config
                .name
                .clone()
                .unwrap_or_else(|| format!("<{}>", distribution.id)),
            team_id: config.team_ref.id.clone(),
            team_revision: config.team_ref.revision,
            spec,
            meta: meta(&config.metadata),
        });
    }

    for read in &parts.rules {
        let rule = match read {
            wire::Tolerant::Known(wire::Rule::AssignmentTableRule(body)) => {
                let raw = serde_json::to_value(body).unwrap_or_default();
                let unknown = format!(
                    "the kind `AssignmentTableRule` (assignment table `{}`), which scoville does \
                     not manage",
                    body.assignment_table_id.as_deref().unwrap_or_default()
                );
                opaque_of(&raw, OpaqueKind::Rule, unknown);
                continue;
            }
            wire::Tolerant::Known(known) | wire::Tolerant::Extended { value: known, .. } => known,
            wire::Tolerant::Unknown { raw, reason } => {
                opaque_of(raw, OpaqueKind::Rule, unknown_phrase(reason));
                continue;
            }
        };
        let body = rule.body();
        let Some(workspace) = workspace_of(&mut workspaces, &name_by_id, &body.workspace_id) else {
            continue;
        };
        // rule-modify replaces the whole dto: every field and condition node it sends back.
        let fields = wire::sent_back(read.unknown_fields(), None);
        if !fields.is_empty() {
            unknown_fields.push(UnknownFields {
                workspace: workspace.name.clone(),
                kind: UnknownFieldsKind::Rule,
                name: body.name.clone(),
                id: body.id.clone(),
                fields,
            });
        }
        let team_of = |team_id: &str| team_name(&body.workspace_id, team_id);
        let kind = if rule.is_ownership() {
            RuleKind::Ownership {
                team: body.team_id.as_deref().map(team_of),
            }
        } else {
            RuleKind::Standard
        };
        workspace.rules.push(LiveRule {
            id: body.id.clone(),
            name: body.name.clone(),
            spec: RuleSpec {
                kind,
                conditions: condition(&body.conditions, &team_of),
            },
            meta: meta(&body.metadata),
        });
    }

    let booking_teams: BTreeMap<(String, String), String> = team_names
        .iter()
        .map(|((w, t), name)| ((w.to_string(), t.to_string()), name.to_string()))
        .collect();
    let booking_distributions = super::booking::distribution_names(&parts.distributions);
    let names = super::booking::Names {
        teams: &booking_teams,
        distributions: &booking_distributions,
        email_by_id: &email_by_id,
    };
    super::booking::convert(
        &parts.booking,
        &parts.users,
        &mut workspaces,
        &names,
        &|name| scope.reads_booking_of(name),
        &mut opaque,
    );

    for workspace in workspaces.values_mut() {
        workspace
            .teams
            .sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
        workspace
            .distributions
            .sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
        workspace
            .rules
            .sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    }

    opaque.sort();
    for user in &parts.users {
        if !user.licenses.unknown_fields.is_empty() {
            unknown_fields.push(UnknownFields {
                workspace: String::new(),
                kind: UnknownFieldsKind::Licenses,
                name: email_by_id[user.id.as_str()].to_string(),
                id: user.id.clone(),
                fields: user.licenses.unknown_fields.clone(),
            });
        }
    }
    unknown_fields.sort();
    let tenant_data = parts.tenant.tenant_data();
    Ok(Live {
        tenant: Some(LiveTenant {
            tenant_id: tenant_data.tenant_id.clone(),
            subdomain: tenant_data.subdomain.clone(),
        }),
        users,
        workspaces,
        opaque,
        unknown_fields,
        booking_unread: parts.booking.unread.clone(),
    })
}

fn workspace_of<'a>(
    workspaces: &'a mut BTreeMap<String, LiveWorkspace>,
    name_by_id: &HashMap<&str, &str>,
    workspace_id: &str,
) -> Option<&'a mut LiveWorkspace> {
    let name = name_by_id.get(workspace_id)?;
    workspaces.get_mut(*name)
}

fn users_by_email(users: &[wire::User]) -> Result<BTreeMap<Email, LiveUser>, LiveError> {
    // The first problem in the order the API lists the users is the one reported: an email
    // scoville cannot use stops the reading there, and of the duplicates before it, the one
    // whose second user comes first.
    let mut listed = Vec::with_capacity(users.len());
    let mut invalid = None;
    for (position, user) in users.iter().enumerate() {
        let email = match Email::parse(&user.email) {
            Ok(email) => email,
            Err(source) => {
                invalid = Some(LiveError::InvalidEmail {
                    user_id: user.id.clone(),
                    source,
                });
                break;
            }
        };
        listed.push((
            position,
            LiveUser {
                id: user.id.clone(),
                email,
                name: user.name.clone(),
                licenses: licenses(&user.licenses),
                tier: user.licenses.tier.clone(),
            },
        ));
    }
    // Sorted once and the map built from the sorted list in one pass, rather than 50,000
    // lookups and inserts. The sort is stable, so users with one email stay in list order.
    listed.sort_by(|(_, a), (_, b)| a.email.cmp(&b.email));
    let duplicate = listed
        .windows(2)
        .filter(|pair| pair[0].1.email == pair[1].1.email)
        .min_by_key(|pair| pair[1].0);
    if let Some(pair) = duplicate {
        // The first of a run of equal emails is the earliest listed; `pair[0]` may be a later
        // one of the same run, so the first is looked up.
        let second = &pair[1].1;
        let first = listed
            .iter()
            .find(|(_, user)| user.email == second.email)
            .map_or(&pair[0].1, |(_, user)| user);
        return Err(LiveError::DuplicateEmail {
            email: second.email.clone(),
            first_id: first.id.clone(),
            second_id: second.id.clone(),
        });
    }
    if let Some(invalid) = invalid {
        return Err(invalid);
    }
    Ok(listed
        .into_iter()
        .map(|(_, user)| (user.email.clone(), user))
        .collect())
}

fn licenses(wire: &wire::UserLicenses) -> BTreeSet<License> {
    [
        (wire.distro, License::Distro),
        (wire.chili_cal_org, License::ChiliCalOrg),
        (wire.concierge, License::Concierge),
        (wire.concierge_live, License::ConciergeLive),
        (wire.chat, License::Chat),
        (wire.handoff, License::Handoff),
    ]
    .into_iter()
    .filter_map(|(has, license)| has.then_some(license))
    .collect()
}

fn meta(wire: &wire::Metadata) -> Meta {
    Meta {
        created_at: wire.created_at.clone(),
        created_by: wire.created_by.clone(),
        updated_at: wire.updated_at.clone(),
        updated_by: wire.updated_by.clone(),
        revision: wire.revision,
    }
}

/// Caps by email; caps of ids that match no user are dropped (there is no one to cap).
fn caps_by_email(
    caps: &[wire::UserLimit],
    by_email: &impl Fn(&str) -> Option<Email>,
) -> BTreeMap<Email, u32> {
    caps.iter()
        .filter_map(|cap| by_email(&cap.user_id).map(|email| (email, cap.limit)))
        .collect()
}

fn assignment(
    wire: &wire::AssignmentTypeConfig,
    by_email: &impl Fn(&str) -> Option<Email>,
) -> Assignment {
    match wire {
        wire::AssignmentTypeConfig::Record { handling } => Assignment::Record {
            handling: handling.clone(),
        },
        wire::AssignmentTypeConfig::Meeting { handling, limits } => Assignment::Meeting {
            handling: handling.clone(),
            limits: match limits {
                wire::MeetingLimit::MeetingLimitUnset => None,
                wire::MeetingLimit::MeetingLimitSet {
                    user_caps,
                    reset_periodicity,
                } => Some(MeetingLimits {
                    caps: caps_by_email(user_caps, by_email),
                    reset: reset_periodicity.clone(),
                }),
            },
        },
        wire::AssignmentTypeConfig::Conversation => Assignment::Conversation,
    }
}

/// A condition tree without its ids, ownership teams by name.
fn condition(wire: &wire::Condition, team_of: &impl Fn(&str) -> String) -> Condition {
    match wire {
        wire::Condition::ConditionGroup {
            id: _,
            name,
            operator,
            conditions,
        } => Condition::Group {
            operator: *operator,
            name: name.clone(),
            conditions: conditions
                .iter()
                .map(|nested| condition(nested, team_of))
                .collect(),
        },
        wire::Condition::StaticValueCondition {
            condition_id: _,
            data_reference,
            operator,
            value,
        } => Condition::Static {
            reference: data_reference.clone(),
            operator: *operator,
            value: value.clone(),
        },
        wire::Condition::SingleParameterCondition {
            condition_id: _,
            data_reference,
            operator,
        } => Condition::Single {
            reference: data_reference.clone(),
            operator: *operator,
        },
        wire::Condition::ValueCondition {
            condition_id: _,
            lhs_reference,
            operator,
            rhs_reference,
        } => Condition::Value {
            lhs: lhs_reference.clone(),
            operator: *operator,
            rhs: rhs_reference.clone(),
        },
        wire::Condition::ObjectExistsCondition {
            condition_id: _,
            reference,
            exists,
        } => Condition::ObjectExists {
            source: reference.source,
            object: reference.object.clone(),
            exists: *exists,
        },
        wire::Condition::EvaluableCondition {
            condition_id: _,
            data_reference,
            operator,
            evaluable,
        } => Condition::Evaluable {
            reference: data_reference.clone(),
            operator: *operator,
            evaluable: evaluable.clone(),
        },
        wire::Condition::OwnershipCondition {
            condition_id: _,
            ownership,
            team_id,
            search_ownership_by,
        } => Condition::Ownership {
            ownership: ownership.clone(),
            team: team_id.as_deref().map(team_of),
            search_by: *search_ownership_by,
        },
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::{
        DataReference, DataSource, LogicalOperator, MeetingHandling, Operator, ReassignmentType,
        SearchOwnershipBy,
    };

    fn metadata(revision: i64) -> serde_json::Value {
        json!({
            "createdAt": "2026-01-01T00:00:00Z", "createdBy": "user/u-ava",
            "updatedAt": "2026-02-01T00:00:00Z", "updatedBy": "apikey/api_b830c0b6__",
            "revision": revision
        })
    }

    fn user(id: &str, email: &str, workspaces: &[&str]) -> serde_json::Value {
        json!({
            "id": id, "name": id, "email": email, "isSuperAdmin": false,
            "licenses": {"distro": true, "chiliCalOrg": true, "handoff": false},
            "workspaces": workspaces, "managedWorkspaces": [], "managedTeams": []
        })
    }

    fn parse<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
        serde_json::from_value(value).unwrap()
    }

    fn parts() -> LiveParts {
        LiveParts {
            tenant: parse(json!({
                "type": "Organization",
                "tenantData": {"tenantId": "acme-corp.app3", "cluster": "app3", "subdomain": "acme-corp"},
                "domains": ["acme.example"]
            })),
            users: parse(json!([
                user("u-liam", "Liam.Patel@ACME.example", &["w-sales"]),
                user(
                    "u-sofia",
                    "sofia.rossi@acme.example",
                    &["w-sales", "w-gone"]
                ),
                user("u-james", "james.oconnor@acme.example", &["w-cs"]),
            ])),
            workspaces: parse(json!([
                {"id": "w-sales", "name": "Sales", "metadata": metadata(4)},
                {"id": "w-cs", "name": "Customer Success", "metadata": metadata(1)},
            ])),
            teams: parse(json!([
                {"id": "t-2", "workspaceId": "w-sales", "name": "inbound-sdr",
                 "members": ["u-sofia", "u-liam", "u-deleted"],
                 "metadata": {
                     "createdAt": "c", "createdBy": "user/u-ava", "updatedAt": "u",
                     "updatedBy": "apikey/demo-admin", "revision": 3,
                     "teamMembersMetadata": {"addedAt": {"u-liam": "2026-01-02T00:00:00Z", "u-deleted": "x"}}
                 }},
                {"id": "t-1", "workspaceId": "w-sales", "name": "enterprise-ae", "members": [],
                 "metadata": metadata(1)},
                {"id": "t-9", "workspaceId": "w-cs", "name": "csm-na", "members": ["u-james"],
                 "metadata": metadata(1)},
            ])),
            distributions: parse(json!([{
                "id": "d-1",
                "published": {
                    "distributionId": "d-1", "workspaceId": "w-sales", "name": "Inbound Demo Requests",
                    "teamRef": {"id": "t-2", "revision": 3},
                    "assignmentTypeConfig": {
                        "type": "Meeting",
                        "handling": {"type": "Flexible", "reassignmentType": "AnyTeamMember", "allowPickingAssignee": false},
                        "limits": {"type": "MeetingLimitSet", "userCaps": [{"userId": "u-liam", "limit": 8}],
                                   "resetPeriodicity": {"type": "Daily", "every": 1, "startsOn": "2026-01-05",
                                                        "resetLocalTime": "00:00", "timezone": "America/New_York"}}
                    },
                    "weights": [{"userId": "u-liam", "weight": 100}, {"userId": "u-sofia", "weight": 50},
                                {"userId": "u-deleted", "weight": 7}],
                    "metadata": metadata(2)
                },
                "state": {"userStates": []},
                "prioritization": {"queue": [], "onVacation": [], "reachedCap": []}
            }, {
                "id": "d-2",
                "published": {
                    "distributionId": "d-2", "workspaceId": "w-sales", "name": "Orphan",
                    "teamRef": {"id": "t-missing", "revision": 1},
                    "assignmentTypeConfig": {"type": "Conversation"},
                    "metadata": metadata(1)
                },
                "state": {}, "prioritization": {}
            }])),
            rules: parse(json!([{
                "type": "OwnershipRule", "id": "r-1", "workspaceId": "w-sales", "teamId": "t-1",
                "name": "Account owner", "ruleBuilderVersion": "ExplicitV1", "metadata": metadata(5),
                "conditions": {"type": "ConditionGroup", "id": "g-1", "operator": "and", "conditions": [
                    {"type": "OwnershipCondition", "conditionId": "c-1",
                     "ownership": {"source": "SF", "object": "Account", "field": "OwnerId"},
                     "teamId": "t-1", "searchOwnershipBy": "CrmIdOrEmail"},
                    {"type": "StaticValueCondition", "conditionId": "c-2",
                     "dataReference": {"source": "SF", "object": "Lead", "field": "Country"},
                     "operator": "isAnyOf", "value": ["US", "CA"]}
                ]}
            }])),
            settings: BTreeMap::new(),
            booking: Default::default(),
        }
    }

    fn email(text: &str) -> Email {
        Email::parse(text).unwrap()
    }

    #[test]
    fn users_are_keyed_by_lowercase_email_with_licenses() {
        let live = to_live(parts(), &Scope::everything()).unwrap();
        let liam = &live.users[&email("liam.patel@acme.example")];
        assert_eq!(liam.id, "u-liam");
        assert_eq!(
            liam.licenses,
            BTreeSet::from([License::Distro, License::ChiliCalOrg])
        );
        assert_eq!(
            live.tenant,
            Some(LiveTenant {
                tenant_id: "acme-corp.app3".into(),
                subdomain: "acme-corp".into()
            })
        );
    }

    #[test]
    fn membership_comes_from_each_users_workspace_ids() {
        let live = to_live(parts(), &Scope::everything()).unwrap();
        assert_eq!(
            live.workspaces["Sales"].members,
            BTreeSet::from([
                email("liam.patel@acme.example"),
                email("sofia.rossi@acme.example")
            ])
        );
        assert_eq!(
            live.workspaces["Customer Success"].members,
            BTreeSet::from([email("james.oconnor@acme.example")])
        );
    }

    #[test]
    fn teams_keep_unknown_member_ids_visible_and_sort_by_name() {
        let live = to_live(parts(), &Scope::everything()).unwrap();
        let sales = &live.workspaces["Sales"];
        let names: Vec<_> = sales.teams.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["enterprise-ae", "inbound-sdr"]);
        let sdr = &sales.teams[1];
        assert_eq!(
            sdr.unknown_member_ids,
            BTreeSet::from(["u-deleted".to_string()])
        );
        assert_eq!(sdr.members.len(), 2);
        assert_eq!(
            sdr.added_at,
            BTreeMap::from([(
                email("liam.patel@acme.example"),
                "2026-01-02T00:00:00Z".to_string()
            )])
        );
        assert_eq!(sdr.meta.updated_by, "apikey/demo-admin");
        assert_eq!(sdr.meta.revision, 3);
    }

    #[test]
    fn fields_a_replacing_write_would_erase_are_recorded_and_read_only_ones_are_not() {
        let mut parts = parts();
        let mut raw = serde_json::to_value(&parts.distributions[0]).unwrap();
        raw["published"]["capping"] = json!({"userCaps": [], "carryOver": true,
            "resetPeriodicity": {"type": "HourlyRolling"}});
        raw["published"]["metadata"]["etag"] = json!("e-1");
        raw["state"]["lastReset"] = json!("2026-01-05T00:00:00Z");
        parts.distributions[0] = parse(raw);
        let live = to_live(parts, &Scope::everything()).unwrap();
        assert_eq!(
            live.unknown_fields,
            [UnknownFields {
                workspace: "Sales".into(),
                kind: UnknownFieldsKind::Distribution,
                name: "Inbound Demo Requests".into(),
                id: "d-1".into(),
                fields: vec!["published.capping.carryOver".into()],
            }]
        );
        assert_eq!(
            live.workspaces["Sales"].distributions[0].name,
            "Inbound Demo Requests"
        );
    }

    #[test]
    fn distributions_name_their_team_and_weigh_by_email() {
        let live = to_live(parts(), &Scope::everything()).unwrap();
        let sales = &live.workspaces["Sales"];
        let inbound = &sales.distributions[0];
        assert_eq!(inbound.name, "Inbound Demo Requests");
        assert_eq!(inbound.spec.team, "inbound-sdr");
        assert_eq!(
            (inbound.team_id.as_str(), inbound.team_revision),
            ("t-2", 3)
        );
        assert_eq!(
            inbound.spec.weights,
            BTreeMap::from([
                (email("liam.patel@acme.example"), 100),
                (email("sofia.rossi@acme.example"), 50)
            ])
        );
        let Assignment::Meeting { handling, limits } = &inbound.spec.assignment else {
            panic!("a Meeting distribution: {:?}", inbound.spec.assignment);
        };
        assert_eq!(
            handling,
            &MeetingHandling::Flexible {
                reassignment_type: ReassignmentType::AnyTeamMember,
                allow_picking_assignee: false
            }
        );
        assert_eq!(
            limits.as_ref().unwrap().caps,
            BTreeMap::from([(email("liam.patel@acme.example"), 8)])
        );
        assert_eq!(sales.distributions[1].spec.team, "<t-missing>");
        assert_eq!(
            sales.distributions[1].spec.assignment,
            Assignment::Conversation
        );
    }

    #[test]
    fn rules_drop_condition_ids_and_name_ownership_teams() {
        let live = to_live(parts(), &Scope::everything()).unwrap();
        let rule = &live.workspaces["Sales"].rules[0];
        assert_eq!(rule.meta.revision, 5);
        assert_eq!(
            rule.spec.kind,
            RuleKind::Ownership {
                team: Some("enterprise-ae".into())
            }
        );
        let reference = |object: &str, field: &str| DataReference {
            source: DataSource::SF,
            object: object.into(),
            field: field.into(),
        };
        assert_eq!(
            rule.spec.conditions,
            Condition::Group {
                operator: LogicalOperator::And,
                name: None,
                conditions: vec![
                    Condition::Ownership {
                        ownership: Some(reference("Account", "OwnerId")),
                        team: Some("enterprise-ae".into()),
                        search_by: Some(SearchOwnershipBy::CrmIdOrEmail),
                    },
                    Condition::Static {
                        reference: reference("Lead", "Country"),
                        operator: Operator::IsAnyOf,
                        value: json!(["US", "CA"]),
                    },
                ],
            }
        );
    }

    #[test]
    fn the_scope_limits_workspaces_and_carries_their_settings() {
        let mut parts = parts();
        let settings: wire::WorkspaceSettingsRead = serde_json::from_value(json!({
            "calibrateVacation": true, "creditBackCancelled": true, "creditBackNoShow": false,
            "orderIfEqualState": "AsConfigured",
            "resetPeriodicity": {"type": "Monthly", "timeZone": "America/New_York"},
            "vacationBuffer": {"daysBeforeStart": 1, "daysBeforeEnd": 0,
                               "recognitionEnabled": true, "freshness": "Cached"}
        }))
        .unwrap();
        parts
            .settings
            .insert("w-sales".into(), wire::Tolerant::Known(settings.clone()));
        let scope = Scope {
            workspaces: Some(BTreeSet::from(["Sales".to_string()])),
            settings: super::super::SettingsScope::Listed(BTreeSet::from(["Sales".to_string()])),
            ..Scope::default()
        };
        let live = to_live(parts, &scope).unwrap();
        assert_eq!(live.workspaces.keys().collect::<Vec<_>>(), ["Sales"]);
        assert_eq!(
            live.workspaces["Sales"].settings,
            Some(settings.into_settings())
        );
        assert_eq!(live.users.len(), 3, "users are org-wide whatever the scope");
    }

    #[test]
    fn two_users_with_one_email_are_an_error() {
        let mut parts = parts();
        parts.users[1].email = "LIAM.PATEL@acme.example".into();
        let error = to_live(parts, &Scope::everything()).unwrap_err();
        assert!(
            error.to_string().contains("`u-liam` and `u-sofia`"),
            "{error}"
        );
    }

    /// Users are checked in the order the API lists them, as before they were sorted: a
    /// duplicate email listed before an invalid one is the error reported.
    #[test]
    fn a_duplicate_listed_before_an_invalid_email_is_the_error() {
        let mut listed = parts();
        // u-liam and u-sofia share an email; u-james, listed after them, has none usable.
        listed.users[1].email = "LIAM.PATEL@acme.example".into();
        listed.users[2].email = "not an email".into();
        let error = to_live(listed, &Scope::everything()).unwrap_err();
        assert!(matches!(error, LiveError::DuplicateEmail { .. }), "{error}");
    }

    /// Of two duplicated emails, the one whose second user is listed first is reported (as
    /// before the users were sorted), not the one that sorts first.
    #[test]
    fn the_first_duplicate_listed_is_the_one_reported() {
        let mut listed = parts();
        listed.users = parse(json!([
            user("u-1", "zed@acme.example", &[]),
            user("u-2", "amy@acme.example", &[]),
            user("u-3", "ZED@acme.example", &[]),
            user("u-4", "AMY@acme.example", &[]),
        ]));
        let error = to_live(listed, &Scope::everything()).unwrap_err();
        assert!(error.to_string().contains("`u-1` and `u-3`"), "{error}");
        // Three with one email: the first two listed.
        let mut listed = parts();
        listed.users = parse(json!([
            user("u-1", "amy@acme.example", &[]),
            user("u-2", "Amy@acme.example", &[]),
            user("u-3", "AMY@acme.example", &[]),
        ]));
        let error = to_live(listed, &Scope::everything()).unwrap_err();
        assert!(error.to_string().contains("`u-1` and `u-2`"), "{error}");
    }

    #[test]
    fn two_workspaces_with_one_name_are_an_error() {
        let mut parts = parts();
        parts.workspaces[1].name = "Sales".into();
        let error = to_live(parts, &Scope::everything()).unwrap_err();
        assert!(
            matches!(error, LiveError::DuplicateWorkspaceName { .. }),
            "{error}"
        );
    }
}
