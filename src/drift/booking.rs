//! Drift of what prospects book: meeting types (`meetingType:W/name`), reminders
//! (`reminder:W/name`) and scheduling links (`link:W/slug`).
//!
//! `build` asks here for the provenance of these objects (whether one is missing from the org,
//! under its name or a former one); `text` asks whether a difference has two sides to diff;
//! `words` has their lengths of time written as the manifests write them.
//!
//! The official shapes of these kinds carry no metadata (no `updatedBy`, no `updatedAt`), so
//! the report says that the API does not tell who changed them or when.

use serde_json::Value;

#[cfg(test)]
use super::build;
use super::types::{Difference, Provenance};
use crate::model::{Live, Span};
use crate::plan::{Address, Detail};

/// A kind of booking object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BookingKind {
    MeetingType,
    Reminder,
    Link,
}

impl BookingKind {
    /// The kind in words.
    fn noun(self) -> &'static str {
        match self {
            BookingKind::MeetingType => "meeting type",
            BookingKind::Reminder => "reminder",
            BookingKind::Link => "scheduling link",
        }
    }
}

/// A booking object's address: its kind, workspace and name (a link's slug).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct BookingAddress {
    pub kind: BookingKind,
    pub workspace: String,
    /// The name (meeting types, reminders) or the slug (links).
    pub name: String,
}

/// `meetingType:W/name`, `reminder:W/name` or `link:W/slug` (as `plan::Address` reads them);
/// `None` for any other address.
pub(super) fn parse(address: &str) -> Option<BookingAddress> {
    let (kind, workspace, name) = match Address::parse(address)? {
        Address::MeetingType(workspace, name) => (BookingKind::MeetingType, workspace, name),
        Address::Reminder(workspace, name) => (BookingKind::Reminder, workspace, name),
        Address::Link(workspace, slug) => (BookingKind::Link, workspace, slug),
        _ => return None,
    };
    Some(BookingAddress {
        kind,
        workspace,
        name,
    })
}

/// Whether the object exists in the org under one of `names`, when the workspace's objects of
/// its kind were read.
fn exists(address: &BookingAddress, names: &[&str], live: &Live) -> Option<bool> {
    let workspace = live.workspaces.get(&address.workspace)?;
    let named = |name: &str| names.contains(&name);
    match address.kind {
        BookingKind::MeetingType => workspace
            .meeting_types
            .as_ref()
            .map(|all| all.iter().any(|m| named(&m.name))),
        BookingKind::Reminder => workspace
            .reminders
            .as_ref()
            .map(|all| all.iter().any(|r| named(&r.name))),
        BookingKind::Link => workspace
            .links
            .as_ref()
            .map(|all| all.iter().any(|l| named(&l.slug))),
    }
}

/// No metadata to give: the object is missing from the org (the API keeps no record of
/// deletions either), or the API does not tell who changed it or when. An object the plan
/// renames is looked for under its former name too (`previously` of a step's detail).
pub(super) fn provenance(
    address: &BookingAddress,
    differences: &[Difference],
    live: &Live,
    existed_after_last_apply: bool,
) -> Provenance {
    let former: Vec<String> = differences
        .iter()
        .filter_map(|difference| {
            let json = serde_json::to_value(&difference.detail).ok()?;
            json.get("previously")?.as_str().map(str::to_string)
        })
        .collect();
    let mut names = vec![address.name.as_str()];
    names.extend(former.iter().map(String::as_str));
    match exists(address, &names, live) {
        Some(false) => Provenance::Absent {
            existed_after_last_apply,
        },
        _ => Provenance::NoMetadata {
            of: address.kind.noun().to_string(),
        },
    }
}

/// Whether the detail carries a `before` (the org) and an `after` (the manifests): a changed
/// object, for which the report shows a line diff.
pub(super) fn has_both_sides(detail: &Detail) -> bool {
    let json = serde_json::to_value(detail).unwrap_or(Value::Null);
    let given = |key: &str| json.get(key).is_some_and(|value| !value.is_null());
    given("before") && given("after")
}

/// Where a meeting type's or reminder's content (in domain form, as `to_json` gives it) holds a
/// length of time: `duration`, `buffers.before`, `buffers.after` and `trigger.offset`.
const SPAN_PATHS: [&[&str]; 4] = [
    &["duration"],
    &["buffers", "before"],
    &["buffers", "after"],
    &["trigger", "offset"],
];

/// `value` with its lengths of time (whole seconds in domain form) written as the manifests
/// write them (`1h`, not `3600`), so a drift fact quotes what the reader can find in a file.
pub(super) fn readable_spans(mut value: Value) -> Value {
    for path in SPAN_PATHS {
        let mut at = Some(&mut value);
        for key in path {
            at = at.and_then(|node| node.get_mut(*key));
        }
        if let Some(node) = at
            && let Some(seconds) = node.as_u64()
        {
            *node = Value::String(Span(seconds).manifest());
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drift::types::{DRIFT_FORMAT_VERSION, DriftReport, DriftSummary, DriftedObject};
    use crate::model::{
        LinkSpec, LinkTarget, LiveLink, LiveMeetingType, LiveWorkspace, MeetingTypeSpec, RuleKind,
        RuleSpec, Span,
    };
    use crate::plan::{Action, Call, Plan, Step, StepId, Summary, TeamIdParams};

    /// A step on `target` with `detail`. Its call does not matter to drift, which reads the
    /// target, the action, the reason and the detail.
    fn step(target: &str, action: Action, detail: Detail) -> Step {
        Step {
            id: StepId(format!("step {target}")),
            call: Call::TeamDelete {
                params: TeamIdParams {
                    team_id: "t1".to_string(),
                },
            },
            target: target.to_string(),
            workspace: Some("Sales".to_string()),
            action,
            destructive: false,
            reason: "sales.yaml:40".to_string(),
            depends_on: Vec::new(),
            phase: 1,
            detail,
        }
    }

    /// A detail with `before`, `after` and `previously`, as the plan's details of meeting
    /// types, reminders and links carry them.
    fn detail(previously: Option<&str>, before: Option<&str>, after: Option<&str>) -> Detail {
        let spec = |text: &str| RuleSpec {
            kind: RuleKind::Standard,
            conditions: crate::model::Condition::Group {
                operator: crate::model::LogicalOperator::And,
                name: Some(text.to_string()),
                conditions: Vec::new(),
            },
        };
        Detail::Rule {
            name: "x".to_string(),
            previously: previously.map(str::to_string),
            before: before.map(spec),
            after: after.map(spec),
        }
    }

    fn live() -> Live {
        let meeting_type = LiveMeetingType {
            id: "m1".to_string(),
            name: "Demo".to_string(),
            spec: MeetingTypeSpec {
                duration: Span(1800),
                description: None,
                invite_title: None,
                invite_description: None,
                status: None,
                location: None,
                buffers: None,
                meeting_limit: None,
                shared_with: None,
                reminders: None,
            },
            reminder_ids: Vec::new(),
        };
        let link = LiveLink {
            id: "l1".to_string(),
            slug: "old-demo".to_string(),
            booking_url: "https://acme.example/old-demo".to_string(),
            spec: LinkSpec {
                name: "Demo".to_string(),
                meeting_types: vec!["Demo".to_string()],
                target: LinkTarget::AdminOneOnOne,
            },
            resolved_members: Vec::new(),
            fallback_routing: None,
        };
        let sales = LiveWorkspace {
            id: "w1".to_string(),
            name: "Sales".to_string(),
            meta: Default::default(),
            members: Default::default(),
            teams: Vec::new(),
            distributions: Vec::new(),
            rules: Vec::new(),
            settings: None,
            personal: false,
            meeting_types: Some(vec![meeting_type]),
            reminders: Some(Vec::new()),
            links: Some(vec![link]),
        };
        Live {
            workspaces: [("Sales".to_string(), sales)].into_iter().collect(),
            ..Live::default()
        }
    }

    fn plan(steps: Vec<Step>) -> Plan {
        Plan {
            format_version: 1,
            tenant: None,
            content_hash: String::new(),
            summary: Summary::default(),
            errors: Vec::new(),
            warnings: Vec::new(),
            steps,
            phases: Vec::new(),
            unmanaged: Vec::new(),
            fingerprints: Vec::new(),
            inputs: None,
        }
    }

    fn report(objects: Vec<DriftedObject>) -> DriftReport {
        DriftReport {
            format_version: DRIFT_FORMAT_VERSION,
            tenant: None,
            content_hash: String::new(),
            checked_on: "2026-11-30".to_string(),
            last_applied: None,
            summary: DriftSummary {
                drifted: objects.len(),
                cannot_tell: objects.len(),
                ..DriftSummary::default()
            },
            errors: Vec::new(),
            objects,
            accepted: Vec::new(),
            ignore_entries: Vec::new(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn booking_objects_are_listed_in_their_workspace_saying_the_api_keeps_no_metadata() {
        let plan = plan(vec![
            step(
                "link:Sales/demo-sales",
                Action::Rename,
                detail(Some("old-demo"), Some("a"), Some("b")),
            ),
            step(
                "meetingType:Sales/Demo",
                Action::Update,
                detail(None, Some("30m"), Some("45m")),
            ),
            step(
                "reminder:Sales/Day before",
                Action::Create,
                detail(None, None, Some("new")),
            ),
            step(
                "team:Sales/sdr",
                Action::Delete,
                detail(None, Some("a"), None),
            ),
        ]);
        let objects = build::objects_of(&plan, &live());
        let seen: Vec<(&str, &str, Option<&str>)> = objects
            .iter()
            .map(|o| (o.address.as_str(), o.kind.as_str(), o.workspace.as_deref()))
            .collect();
        assert_eq!(
            seen,
            [
                ("team:Sales/sdr", "team", Some("Sales")),
                ("reminder:Sales/Day before", "reminder", Some("Sales")),
                ("meetingType:Sales/Demo", "meetingType", Some("Sales")),
                ("link:Sales/demo-sales", "link", Some("Sales")),
            ],
            "in the workspace, after the routing objects, in dependency order"
        );
        // Read, and missing from the org: absent. Present: the API keeps no metadata.
        assert_eq!(
            objects[1].provenance,
            Provenance::Absent {
                existed_after_last_apply: false
            }
        );
        assert_eq!(
            objects[2].provenance,
            Provenance::NoMetadata {
                of: "meeting type".to_string()
            }
        );
        assert_eq!(
            objects[3].provenance,
            Provenance::NoMetadata {
                of: "scheduling link".to_string()
            }
        );
        assert_eq!(
            objects[1].summary,
            "not in the org; the manifests declare it (sales.yaml:40)"
        );
        assert!(
            objects[2].summary.starts_with("configured differently"),
            "{}",
            objects[2].summary
        );
        assert!(objects[2].differences[0].facts[0].contains("30m"));
        assert!(
            objects[3].summary.starts_with("still named `old-demo`"),
            "{}",
            objects[3].summary
        );

        let report = report(objects);
        let text = crate::drift::text(&report, false);
        assert!(
            text.contains(
                "the API does not tell who changed this scheduling link or when (it keeps no metadata)"
            ),
            "{text}"
        );
        assert!(text.contains("link:Sales/demo-sales"), "{text}");
        let markdown = crate::drift::markdown(&report);
        assert!(markdown.contains("meetingType:Sales/Demo"), "{markdown}");
        assert!(
            markdown.contains("the API does not tell who changed this meeting type or when"),
            "{markdown}"
        );
        let json = crate::drift::json(&report);
        assert!(json.contains("\"kind\": \"noMetadata\""), "{json}");
    }

    /// The fallback for details `words` does not know reads `before`, `after` and
    /// `previously` from the detail's JSON, whatever its variant.
    #[test]
    fn booking_addresses_are_read_from_text() {
        assert_eq!(
            parse("meetingType:Sales/Product Demo"),
            Some(BookingAddress {
                kind: BookingKind::MeetingType,
                workspace: "Sales".to_string(),
                name: "Product Demo".to_string(),
            })
        );
        assert_eq!(
            parse("link:Sales/demo-sales").map(|a| (a.kind, a.name)),
            Some((BookingKind::Link, "demo-sales".to_string()))
        );
        assert_eq!(
            parse("reminder:Sales/Day before").map(|a| a.kind),
            Some(BookingKind::Reminder)
        );
        for other in [
            "team:Sales/sdr",
            "link:Sales",
            "members:Sales",
            "meetingtype:S/x",
        ] {
            assert_eq!(parse(other), None, "{other}");
        }
    }
}
