//! The convergence step of every scenario: the scenario's `live.json` becomes an emulator seed,
//! the plan made against that emulator is applied to it, and planning again must find nothing
//! left to do (omicron's `sim_assert_planning_makes_no_changes`, against the real client and
//! emulator).

use std::collections::BTreeMap;
use std::time::Duration;

use scoville::apply::{self, ApplyOptions, SilentProgress};
use scoville::edge::{ApiToken, ClientOptions, EdgeClient, Endpoint, RetryPolicy, wire};
use scoville::emulator::{
    self, DEMO_ADMIN_TOKEN, Options, Seed, SeedAssignment, SeedCapping, SeedDistribution, SeedLink,
    SeedMeetingLimit, SeedMeetingType, SeedReminder, SeedRule, SeedRuleKind, SeedSharedWith,
    SeedTeam, SeedUser, SeedWorkspace, demo_tokens,
};
use scoville::live::{self, Scope};
use scoville::model::{
    Assignment, Desired, License, LinkTarget, Live, LiveLink, LiveMeetingType, LiveReminder,
    Location, RuleKind, SharedWith, Span,
};
use scoville::plan::{Plan, PlanOptions, PlanOutcome, plan};

/// Seats per license type beyond the users who hold one, so invites and upgrades fit.
const SPARE_SEATS: u32 = 20;

/// The emulator seed that describes `live`: the same users with their licenses, workspaces
/// with members, teams, distributions, rules, settings, reminders, meeting types and
/// scheduling links. Ids and metadata are not carried
/// over (the emulator gives its own); nothing a plan depends on is lost, which
/// `assert_apply_converges` checks by comparing the two plans' steps.
pub fn seed_from_live(live: &Live) -> Seed {
    let tenant = live.tenant.as_ref().map_or_else(
        || ("unknown.app1".to_string(), "unknown".to_string()),
        |t| (t.tenant_id.clone(), t.subdomain.clone()),
    );
    let cluster = tenant
        .0
        .rsplit_once('.')
        .map_or("app1", |(_, cluster)| cluster)
        .to_string();
    let users: Vec<SeedUser> = live
        .users
        .values()
        .enumerate()
        .map(|(index, user)| SeedUser {
            name: user.name.clone(),
            email: user.email.as_str().to_string(),
            super_admin: index == 0,
            licenses: user.licenses.iter().copied().collect(),
            personal_workspace: None,
        })
        .collect();
    let n_users = u32::try_from(users.len()).expect("a scenario has few users");
    let workspaces = live
        .workspaces
        .values()
        .map(|workspace| {
            assert!(
                workspace
                    .teams
                    .iter()
                    .all(|t| t.unknown_member_ids.is_empty()),
                "workspace {}: team members that are not users cannot be seeded",
                workspace.name
            );
            SeedWorkspace {
                name: workspace.name.clone(),
                emoji: None,
                members: emails(&workspace.members),
                settings: workspace.settings.clone(),
                teams: workspace
                    .teams
                    .iter()
                    .map(|team| SeedTeam {
                        name: team.name.clone(),
                        members: emails(&team.members),
                    })
                    .collect(),
                distributions: workspace
                    .distributions
                    .iter()
                    .map(|d| SeedDistribution {
                        name: d.name.clone(),
                        team: d.spec.team.clone(),
                        assignment: match &d.spec.assignment {
                            Assignment::Record { handling } => SeedAssignment::Record {
                                handling: handling.clone(),
                            },
                            Assignment::Meeting { handling, limits } => SeedAssignment::Meeting {
                                handling: handling.clone(),
                                limits: match limits {
                                    None => SeedMeetingLimit::MeetingLimitUnset,
                                    Some(limits) => SeedMeetingLimit::MeetingLimitSet {
                                        user_caps: by_email(&limits.caps),
                                        reset_periodicity: limits.reset.clone(),
                                    },
                                },
                            },
                            Assignment::Conversation => SeedAssignment::Conversation,
                        },
                        weights: by_email(&d.spec.weights),
                        calibration: by_email(&d.spec.calibration),
                        capping: d.spec.capping.as_ref().map(|capping| SeedCapping {
                            user_caps: by_email(&capping.caps),
                            reset_periodicity: capping.reset.clone(),
                        }),
                    })
                    .collect(),
                rules: workspace
                    .rules
                    .iter()
                    .map(|rule| {
                        let (kind, team) = match &rule.spec.kind {
                            RuleKind::Standard => (SeedRuleKind::Standard, None),
                            RuleKind::Ownership { team } => (SeedRuleKind::Ownership, team.clone()),
                        };
                        SeedRule {
                            name: rule.name.clone(),
                            kind,
                            team,
                            // A seed names an ownership condition's team by name.
                            conditions: scoville::plan::wire_condition(
                                &rule.spec.conditions,
                                &|team| team.to_string(),
                            ),
                        }
                    })
                    .collect(),
                reminders: workspace
                    .reminders
                    .iter()
                    .flatten()
                    .map(seed_reminder)
                    .collect(),
                meeting_types: workspace
                    .meeting_types
                    .iter()
                    .flatten()
                    .map(seed_meeting_type)
                    .collect(),
                scheduling_links: workspace.links.iter().flatten().map(seed_link).collect(),
            }
        })
        .collect();
    Seed {
        tenant: wire::TenantInfo::Organization {
            tenant_data: wire::TenantData {
                tenant_id: tenant.0,
                cluster,
                subdomain: tenant.1,
            },
            domains: vec![],
        },
        seats: License::ALL
            .iter()
            .map(|license| (*license, n_users + SPARE_SEATS))
            .collect(),
        tokens: demo_tokens(),
        users,
        workspaces,
        overlays: Default::default(),
    }
}

fn seed_reminder(reminder: &LiveReminder) -> SeedReminder {
    let spec = &reminder.spec;
    SeedReminder {
        name: reminder.name.clone(),
        channel: spec.channel,
        trigger: wire::ReminderTrigger {
            kind: spec.trigger.kind,
            offset: spec.trigger.offset.map(Span::wire),
        },
        title: spec.title.clone(),
        body: spec.body.clone(),
        send_to: spec.send_to,
        send_from: spec.send_from,
        sms_send_from: spec.sms_send_from,
    }
}

fn seed_location(location: &Location, index: i32) -> wire::MeetingLocation {
    wire::MeetingLocation {
        kind: location.kind,
        index,
        host: location.host,
        value: location.value.clone(),
    }
}

fn seed_meeting_type(meeting_type: &LiveMeetingType) -> SeedMeetingType {
    let spec = &meeting_type.spec;
    SeedMeetingType {
        name: meeting_type.name.clone(),
        duration: spec.duration.wire(),
        description: spec.description.clone(),
        invite_title: spec.invite_title.clone(),
        invite_description: spec.invite_description.clone(),
        status: spec.status,
        location: spec.location.as_ref().map(|l| wire::MeetingLocations {
            default: seed_location(&l.default, 0),
            others: Some(
                (1..)
                    .zip(&l.others)
                    .map(|(index, other)| seed_location(other, index))
                    .collect(),
            ),
        }),
        buffers: spec.buffers.map(|b| wire::MeetingBuffers {
            before: b.before.map(Span::wire),
            after: b.after.map(Span::wire),
        }),
        meeting_limit: spec.meeting_limit.map(|limit| wire::MeetingBookingLimit {
            limit_by: limit.limit_by,
            timeframe: limit.timeframe,
            count: i32::try_from(limit.count).expect("a scenario's limit fits"),
        }),
        shared_with: spec.shared_with.as_ref().map(|shared| match shared {
            SharedWith::Workspace => SeedSharedWith::Workspace,
            SharedWith::Teams(teams) => SeedSharedWith::Teams {
                teams: teams.iter().cloned().collect(),
            },
        }),
        reminders: spec.reminders.iter().flatten().cloned().collect(),
    }
}

fn seed_link(link: &LiveLink) -> SeedLink {
    let (distributions, host, required, optional) = match &link.spec.target {
        LinkTarget::RoundRobin { distributions } => {
            (distributions.clone(), None, Vec::new(), Vec::new())
        }
        LinkTarget::Ownership { distributions } => (
            distributions.iter().map(|(d, _)| d.clone()).collect(),
            None,
            Vec::new(),
            Vec::new(),
        ),
        LinkTarget::Group {
            host,
            required,
            optional,
        } => (
            Vec::new(),
            host.as_ref().map(|h| h.as_str().to_string()),
            emails(required),
            emails(optional),
        ),
        LinkTarget::AdminOneOnOne => (Vec::new(), None, Vec::new(), Vec::new()),
    };
    SeedLink {
        kind: link.spec.target.kind(),
        name: link.spec.name.clone(),
        slug: link.slug.clone(),
        meeting_types: link.spec.meeting_types.clone(),
        distributions,
        host,
        required,
        optional,
        ownership: None,
        distribution_host: None,
        booker_invitation: None,
        page_config: None,
        shared_with: None,
    }
}

fn emails<'a>(set: impl IntoIterator<Item = &'a scoville::model::Email>) -> Vec<String> {
    set.into_iter().map(|e| e.as_str().to_string()).collect()
}

fn by_email<V: Copy>(map: &BTreeMap<scoville::model::Email, V>) -> BTreeMap<String, V> {
    map.iter()
        .map(|(email, value)| (email.as_str().to_string(), *value))
        .collect()
}

fn step_ids(plan: &Plan) -> Vec<String> {
    plan.steps
        .iter()
        .map(|s| s.id.as_str().to_string())
        .collect()
}

/// Seeds an emulator with `live`, plans `desired` against what the real client reads from it
/// (which must be the plan `planned` made from `live.json`: same outcome, same steps), applies
/// that plan, reads again and plans again: nothing may be left to do.
pub fn assert_apply_converges(name: &str, desired: &Desired, live: &Live, planned: &Plan) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let running = emulator::start(Options::new(seed_from_live(live)))
            .await
            .unwrap_or_else(|e| {
                panic!("scenario {name}: live.json does not seed the emulator: {e}")
            });
        let client = EdgeClient::new(
            Endpoint::parse(&running.base_url()).unwrap(),
            ApiToken::from_literal(DEMO_ADMIN_TOKEN).unwrap(),
            ClientOptions {
                retry: RetryPolicy {
                    max_attempts: 1,
                    min_delay: Duration::from_millis(1),
                    max_delay: Duration::from_millis(1),
                    max_retry_after: Duration::from_millis(1),
                    jitter_seed: Some(1),
                },
                ..ClientOptions::default()
            },
        )
        .unwrap();
        let options = PlanOptions::new(desired, false);
        let scope = Scope::for_desired(desired);
        let emulated = live::fetch(&client, &scope)
            .await
            .unwrap_or_else(|e| panic!("scenario {name}: reading the emulator failed: {e}"));
        let first = plan(desired, &emulated, &options);
        assert_eq!(
            (first.outcome(), step_ids(&first)),
            (planned.outcome(), step_ids(planned)),
            "scenario {name}: the emulator seeded from live.json plans differently"
        );
        if first.outcome() != PlanOutcome::Changes {
            return;
        }
        let report = apply::run(
            &client,
            &first,
            &ApplyOptions::default(),
            std::sync::Arc::new(SilentProgress),
        )
        .await;
        assert!(
            report.succeeded(),
            "scenario {name}: apply failed:\n{}",
            report.render_text()
        );
        let after = live::fetch(&client, &scope).await.unwrap();
        let again = plan(desired, &after, &options);
        assert!(
            again.outcome() == PlanOutcome::NoChanges && again.steps.is_empty(),
            "scenario {name}: planning after apply still finds work:\n{}",
            scoville::render::text(&again, false)
        );
    });
}
