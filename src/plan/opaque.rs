//! Objects scoville could not read (`Live::opaque`): listed as unmanaged, never changed, and a
//! refusal when the manifests ask to change one. Their teams count as in use. Objects read with
//! fields it does not know (`Live::unknown_fields`) are listed as warnings.

use std::collections::BTreeSet;

use super::builder::Planner;
use super::problems::PlanProblem;
use super::types::Address;
use super::workspace::WorkspacePlan;
use crate::model::{OpaqueKind, OpaqueObject, Source, UnknownFieldsKind};

impl Planner<'_> {
    /// Lists the workspace's opaque objects, refuses the declarations that would change one,
    /// and returns the names (by kind) that the other diffs must leave alone.
    pub(super) fn plan_opaque(&mut self, ws: &mut WorkspacePlan) -> BTreeSet<(OpaqueKind, String)> {
        let mut untouchable = BTreeSet::new();
        let live = self.live;
        for object in live
            .unknown_fields
            .iter()
            .filter(|o| o.workspace == ws.name)
        {
            let address = match object.kind {
                UnknownFieldsKind::Distribution => {
                    Address::Distribution(ws.name.to_string(), object.name.clone())
                }
                UnknownFieldsKind::Rule => Address::Rule(ws.name.to_string(), object.name.clone()),
                UnknownFieldsKind::Licenses => continue,
            };
            self.warn_unknown_fields(&address, &object.fields);
        }
        for object in live.opaque.iter().filter(|o| o.workspace == ws.name) {
            let declared = self.declaration_of(ws, object);
            let address = match object.kind {
                OpaqueKind::Rule => Address::Rule(ws.name.to_string(), object.name.clone()),
                OpaqueKind::Distribution => {
                    Address::Distribution(ws.name.to_string(), object.name.clone())
                }
                OpaqueKind::Settings => Address::Settings(ws.name.to_string()),
                OpaqueKind::MeetingType => {
                    Address::MeetingType(ws.name.to_string(), object.name.clone())
                }
                OpaqueKind::Reminder => Address::Reminder(ws.name.to_string(), object.name.clone()),
                OpaqueKind::SchedulingLink => {
                    Address::Link(ws.name.to_string(), object.name.clone())
                }
            };
            match declared {
                Some((declared_name, at)) => {
                    self.problem(PlanProblem::UnknownToScoville {
                        workspace: ws.name.to_string(),
                        kind: object.kind.as_str().to_string(),
                        name: object.name.clone(),
                        unknown: object.unknown.clone(),
                        at,
                    });
                    untouchable.insert((object.kind, declared_name));
                }
                None => self.list_unmanaged(
                    &address,
                    object.kind.as_str(),
                    format!("opaque: has {}", object.unknown),
                ),
            }
            untouchable.insert((object.kind, object.name.clone()));
            for team_id in &object.team_ids {
                ws.unmanaged_uses.push((
                    team_id.clone(),
                    format!("{} `{}`", object.kind.as_str(), object.name),
                    BTreeSet::new(),
                ));
            }
        }
        untouchable
    }

    /// Lists, as a warning, an object read with fields scoville does not know: it is managed
    /// as usual, but a write that would replace it is refused (`refuse_erasing`).
    pub(super) fn warn_unknown_fields(&mut self, address: &Address, fields: &[String]) {
        self.warn(
            Some(address),
            format!(
                "{address} has fields scoville does not know ({}): a change that replaces it \
                 would erase them, so such a change is refused",
                fields.join(", ")
            ),
        );
    }

    /// The declaration (its name and place) that names an opaque object, under its own name
    /// or as a former name.
    fn declaration_of(
        &self,
        ws: &WorkspacePlan,
        object: &OpaqueObject,
    ) -> Option<(String, Source)> {
        let desired = ws.desired;
        match object.kind {
            OpaqueKind::Settings => desired
                .settings
                .as_ref()
                .map(|(_, at)| (object.name.clone(), at.clone())),
            OpaqueKind::Rule => desired
                .rules
                .iter()
                .find(|(name, rule)| {
                    **name == object.name || rule.previously.contains(&object.name)
                })
                .map(|(name, rule)| (name.clone(), rule.source.clone())),
            OpaqueKind::Distribution => desired
                .distributions
                .iter()
                .find(|(name, d)| **name == object.name || d.previously.contains(&object.name))
                .map(|(name, d)| (name.clone(), d.source.clone())),
            OpaqueKind::MeetingType => desired
                .meeting_types
                .iter()
                .find(|(name, m)| **name == object.name || m.previously.contains(&object.name))
                .map(|(name, m)| (name.clone(), m.source.clone())),
            OpaqueKind::Reminder => desired
                .reminders
                .iter()
                .find(|(name, r)| **name == object.name || r.previously.contains(&object.name))
                .map(|(name, r)| (name.clone(), r.source.clone())),
            OpaqueKind::SchedulingLink => desired
                .links
                .iter()
                .find(|(slug, l)| **slug == object.name || l.previously.contains(&object.name))
                .map(|(slug, l)| (slug.clone(), l.source.clone())),
        }
    }
}
