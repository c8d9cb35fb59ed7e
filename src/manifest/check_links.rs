//! The checks of a workspace's `schedulingLinks` and their translation into `LinkSpec`: the
//! keys each kind of link takes, its meeting types and distributions by name, and a group
//! link's host and members. Slugs, names and the other booking kinds are `check_booking`'s.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::booking::Names;
use super::format::booking as fmt;
use super::{Checker, problem, source};
use crate::manifest::node::Pos;
use crate::manifest::wrappers::At;
use crate::model::{Email, LinkKind, LinkSpec, LinkTarget};

impl Checker<'_> {
    pub(super) fn link(
        &mut self,
        file: &Arc<str>,
        names: &Names<'_>,
        slug: &At<String>,
        link: &fmt::SchedulingLink,
    ) -> Option<LinkSpec> {
        let what = format!("scheduling link `{}`", slug.value);
        let kind = link.kind.value;
        let mut ok = true;
        if link.name.value.trim().is_empty() {
            self.push(
                problem(file, link.name.pos, format!("{what} has an empty name"))
                    .with_hint("give the name people see on the booking page"),
            );
            ok = false;
        }
        let offered: Vec<&At<String>> = link.meeting_types.value.iter().collect();
        if offered.is_empty() {
            self.push(
                problem(
                    file,
                    link.meeting_types.pos,
                    format!("{what} offers no meeting type"),
                )
                .with_hint("list at least one meeting type of the workspace"),
            );
            ok = false;
        }
        ok &= self.listed_once(file, &format!("the meeting types of {what}"), &offered);
        for meeting_type in &offered {
            ok &= self.named(
                file,
                &what,
                ("meeting type", "meetingTypes"),
                &names.meeting_types,
                names.workspace,
                meeting_type,
            );
        }

        // The keys each kind takes.
        let group = kind == LinkKind::Group;
        for (given, key) in [
            (link.host.as_ref().map(|h| h.pos), "host"),
            (link.members.as_ref().map(|m| m.pos), "members"),
        ] {
            if let Some(pos) = given
                && !group
            {
                self.push(
                    problem(file, pos, format!("`{key}` is for group links"))
                        .with_hint(format!("remove it, or make {what} `kind: group`")),
                );
                ok = false;
            }
        }
        let takes_distributions = matches!(kind, LinkKind::RoundRobin | LinkKind::Ownership);
        if let Some(distributions) = &link.distributions
            && !takes_distributions
        {
            self.push(
                problem(
                    file,
                    distributions.pos,
                    "`distributions` is for round-robin and ownership links",
                )
                .with_hint("remove it"),
            );
            ok = false;
        }
        if takes_distributions && link.distributions.is_none() {
            let hint = match kind {
                LinkKind::RoundRobin => {
                    "add `distributions:` with the distributions bookings are spread across (the first is the round-robin host)"
                }
                _ => {
                    "add `distributions:` with the fallback distributions as `{name, required}` (`[]` for none)"
                }
            };
            self.push(
                problem(
                    file,
                    link.kind.pos,
                    format!("{what} (`kind: {}`) has no `distributions`", kind.as_str()),
                )
                .with_hint(hint),
            );
            ok = false;
        }

        let target = match kind {
            LinkKind::RoundRobin => {
                let list = link.distributions.as_ref();
                let names_given = self.round_robin(file, &what, names, list);
                ok &= names_given.is_some();
                names_given.map(|distributions| LinkTarget::RoundRobin { distributions })
            }
            LinkKind::Ownership => {
                let list = link.distributions.as_ref();
                let fallback = self.fallback(file, &what, names, list);
                ok &= fallback.is_some();
                fallback.map(|distributions| LinkTarget::Ownership { distributions })
            }
            LinkKind::Group => {
                let target = self.group(file, &what, link);
                ok &= target.is_some();
                target
            }
            LinkKind::AdminOneOnOne => Some(LinkTarget::AdminOneOnOne),
        };
        if !ok {
            return None;
        }
        Some(LinkSpec {
            name: link.name.value.clone(),
            meeting_types: offered.iter().map(|m| m.value.clone()).collect(),
            target: target?,
        })
    }

    /// A round-robin link's distributions: names, at least one, each declared.
    fn round_robin(
        &mut self,
        file: &Arc<str>,
        what: &str,
        names: &Names<'_>,
        list: Option<&At<Vec<At<fmt::LinkDistribution>>>>,
    ) -> Option<Vec<String>> {
        let list = list?;
        if list.value.is_empty() {
            self.push(
                problem(
                    file,
                    list.pos,
                    format!("{what} spreads bookings across no distribution"),
                )
                .with_hint("list at least one distribution of the workspace"),
            );
            return None;
        }
        let mut ok = true;
        let mut given = Vec::new();
        for item in &list.value {
            match &item.value {
                fmt::LinkDistribution::Name(name) => given.push(At::new(name.clone(), item.pos)),
                fmt::LinkDistribution::Fallback(fallback) => {
                    self.push(
                        problem(
                            file,
                            fallback.required.pos,
                            "`required` is for the fallback distributions of ownership links",
                        )
                        .with_hint(format!(
                            "write the distribution's name alone: `- {}`",
                            fallback.name.value
                        )),
                    );
                    ok = false;
                }
            }
        }
        ok &= self.distributions_named(file, what, names, &given);
        ok.then(|| given.into_iter().map(|at| at.value).collect())
    }

    /// An ownership link's fallback distributions: `{name, required}`, each declared.
    fn fallback(
        &mut self,
        file: &Arc<str>,
        what: &str,
        names: &Names<'_>,
        list: Option<&At<Vec<At<fmt::LinkDistribution>>>>,
    ) -> Option<Vec<(String, bool)>> {
        let list = list?;
        let mut ok = true;
        let mut given = Vec::new();
        let mut required = Vec::new();
        for item in &list.value {
            match &item.value {
                fmt::LinkDistribution::Fallback(fallback) => {
                    given.push(fallback.name.clone());
                    required.push(fallback.required.value);
                }
                fmt::LinkDistribution::Name(name) => {
                    self.push(
                        problem(
                            file,
                            item.pos,
                            "an ownership link's fallback distribution needs `required`",
                        )
                        .with_hint(format!(
                            "write `{{name: {name}, required: false}}` (or `true` when its assignee must attend)"
                        )),
                    );
                    ok = false;
                }
            }
        }
        if list.value.is_empty() {
            // The API's fallback (`DistributionInvitationInput.assignments`) has at least one.
            self.push(
                problem(
                    file,
                    list.pos,
                    format!("{what} needs at least one fallback distribution"),
                )
                .with_hint(
                    "the API's fallback routing has at least one distribution: list one as \
                     `{name: ..., required: false}`",
                ),
            );
            ok = false;
        }
        ok &= self.distributions_named(file, what, names, &given);
        ok.then(|| given.into_iter().map(|at| at.value).zip(required).collect())
    }

    fn distributions_named(
        &mut self,
        file: &Arc<str>,
        what: &str,
        names: &Names<'_>,
        given: &[At<String>],
    ) -> bool {
        let refs: Vec<&At<String>> = given.iter().collect();
        let mut ok = self.listed_once(file, &format!("the distributions of {what}"), &refs);
        for distribution in given {
            ok &= self.named(
                file,
                what,
                ("distribution", "distributions"),
                &names.distributions,
                names.workspace,
                distribution,
            );
        }
        ok
    }

    /// A group link's host and members: emails (declared users or not: the plan checks that
    /// they exist), each once.
    ///
    /// The API returns neither on reads, so they are sent together: `host` omitted leaves both
    /// as they are live, and `members` without `host` is refused.
    fn group(
        &mut self,
        file: &Arc<str>,
        what: &str,
        link: &fmt::SchedulingLink,
    ) -> Option<LinkTarget> {
        let mut ok = true;
        if let Some(members) = &link.members
            && link.host.is_none()
        {
            self.push(
                problem(file, members.pos, format!("{what} has `members` but no `host`"))
                    .with_hint(
                        "the API does not return a group link's host and members, so scoville sends them together: add `host:` with the host's email",
                    ),
            );
            ok = false;
        }
        let host = link.host.as_ref().and_then(|host| {
            let email = self.link_person(file, host);
            ok &= email.is_some();
            email
        });
        let mut required = BTreeSet::new();
        let mut optional = BTreeSet::new();
        if let Some(members) = &link.members {
            let mut seen: BTreeMap<Email, Pos> = BTreeMap::new();
            for (list, into) in [
                (&members.value.required, &mut required),
                (&members.value.optional, &mut optional),
            ] {
                for member in list {
                    let Some(email) = self.link_person(file, member) else {
                        ok = false;
                        continue;
                    };
                    if let Some(first) = seen.get(&email) {
                        let mut diagnostic = problem(
                            file,
                            member.pos,
                            format!("`{email}` is listed twice in the members of {what}"),
                        )
                        .with_hint("keep one: a member is either required or optional");
                        diagnostic
                            .related
                            .push((source(file, *first), "first listed here".to_string()));
                        self.push(diagnostic);
                        ok = false;
                        continue;
                    }
                    seen.insert(email.clone(), member.pos);
                    into.insert(email);
                }
            }
        }
        ok.then_some(LinkTarget::Group {
            host,
            required,
            optional,
        })
    }

    /// An email of a group link: valid, and not one that looks like another person's.
    fn link_person(&mut self, file: &Arc<str>, at: &At<String>) -> Option<Email> {
        let email = match Email::parse(&at.value) {
            Ok(email) => email,
            Err(error) => {
                self.push(
                    problem(file, at.pos, format!("invalid email: {error}"))
                        .with_hint("a group link's host and members are given by email"),
                );
                return None;
            }
        };
        if let Some(why) = crate::model::names::email_look_alike_problem(&at.value) {
            self.push(
                problem(file, at.pos, format!("suspicious email: {why}"))
                    .with_hint("retype the address by hand: it would name someone other than the person it looks like"),
            );
            return None;
        }
        Some(email)
    }
}
