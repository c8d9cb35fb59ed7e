//! Fingerprints of live objects, for stale-plan detection: the plan records the state of every
//! live object it read or touches, and `apply` of a saved plan re-reads them and refuses when
//! any changed (`stale_objects`). Absence is recorded too, so a team someone created by hand
//! since the plan stops a `team-create` that would make a duplicate.

use std::{fmt, io};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::types::{Address, Fingerprint, Plan};
use crate::model::{Live, Meta};

/// The fingerprint of the object at `address` in `live`.
pub fn fingerprint(live: &Live, address: &Address) -> Fingerprint {
    let absent = || Fingerprint {
        address: address.to_string(),
        exists: false,
        id: None,
        revision: None,
        updated_at: None,
        updated_by: None,
        digest: None,
    };
    let present = |id: &str, meta: Option<&Meta>, content: &dyn ContentDigest| Fingerprint {
        address: address.to_string(),
        exists: true,
        id: Some(id.to_string()),
        revision: meta.map(|meta| meta.revision),
        updated_at: meta.map(|meta| meta.updated_at.clone()),
        updated_by: meta.map(|meta| meta.updated_by.clone()),
        digest: Some(content.digest()),
    };
    let workspace = address
        .workspace()
        .and_then(|name| live.workspaces.get(name));
    match address {
        Address::User(email) => match live.users.get(email) {
            Some(user) => present(&user.id, None, &Json(user)),
            None => absent(),
        },
        Address::Workspace(_) => match workspace {
            Some(workspace) => present(
                &workspace.id,
                Some(&workspace.meta),
                &Json(&(&workspace.id, &workspace.name)),
            ),
            None => absent(),
        },
        Address::Members(_) => match workspace {
            Some(workspace) => present(
                &workspace.id,
                Some(&workspace.meta),
                &Json(&workspace.members),
            ),
            None => absent(),
        },
        Address::Settings(_) => match workspace {
            Some(workspace) => present(&workspace.id, None, &Json(&workspace.settings)),
            None => absent(),
        },
        // Names may repeat in the API, so the digest covers every object of that name: a
        // duplicate appearing since the plan makes it stale too.
        Address::Team(_, name) => {
            let teams: Vec<_> = workspace
                .into_iter()
                .flat_map(|workspace| &workspace.teams)
                .filter(|team| &team.name == name)
                .collect();
            match teams.first() {
                Some(first) => present(&first.id, Some(&first.meta), &Json(&teams)),
                None => absent(),
            }
        }
        Address::Distribution(_, name) => {
            let distributions: Vec<_> = workspace
                .into_iter()
                .flat_map(|workspace| &workspace.distributions)
                .filter(|distribution| &distribution.name == name)
                .collect();
            match distributions.first() {
                Some(first) => present(&first.id, Some(&first.meta), &Json(&distributions)),
                None => absent(),
            }
        }
        Address::Rule(_, name) => {
            let rules: Vec<_> = workspace
                .into_iter()
                .flat_map(|workspace| &workspace.rules)
                .filter(|rule| &rule.name == name)
                .collect();
            match rules.first() {
                Some(first) => present(&first.id, Some(&first.meta), &Json(&rules)),
                None => absent(),
            }
        }
        // Meeting types, reminders and links carry no metadata: the digest covers every
        // object of that name (or slug), so a change, a duplicate or a disappearance is
        // noticed. A kind the plan did not read (`None`) fingerprints as absent.
        Address::MeetingType(_, name) => {
            let found: Vec<_> = workspace
                .and_then(|workspace| workspace.meeting_types.as_ref())
                .into_iter()
                .flatten()
                .filter(|meeting_type| &meeting_type.name == name)
                .collect();
            match found.first() {
                Some(first) => present(&first.id, None, &Json(&found)),
                None => absent(),
            }
        }
        Address::Reminder(_, name) => {
            let found: Vec<_> = workspace
                .and_then(|workspace| workspace.reminders.as_ref())
                .into_iter()
                .flatten()
                .filter(|reminder| &reminder.name == name)
                .collect();
            match found.first() {
                Some(first) => present(&first.id, None, &Json(&found)),
                None => absent(),
            }
        }
        Address::Link(_, slug) => {
            let found: Vec<_> = workspace
                .and_then(|workspace| workspace.links.as_ref())
                .into_iter()
                .flatten()
                .filter(|link| &link.slug == slug)
                .collect();
            match found.first() {
                Some(first) => present(&first.id, None, &Json(&found)),
                None => absent(),
            }
        }
        Address::Licenses(_) => absent(),
    }
}

trait ContentDigest {
    fn digest(&self) -> String;
}

struct Json<'a, T: Serialize>(&'a T);

impl<T: Serialize> ContentDigest for Json<'_, T> {
    fn digest(&self) -> String {
        // Live types hold only BTreeMaps/BTreeSets and Vecs in a fixed order, so the JSON
        // is canonical. The JSON goes straight into the hash, with no buffer in between.
        let mut hasher = HashWriter(Sha256::new());
        let hash = match serde_json::to_writer(&mut hasher, self.0) {
            Ok(()) => hasher.0.finalize(),
            // Serialization of these plain types cannot fail; if it did, the digest is that
            // of no bytes, as it always was.
            Err(_) => Sha256::digest([]),
        };
        hex_prefix(&hash)
    }
}

/// An `io::Write` that feeds what is written to a SHA-256 hasher.
struct HashWriter(Sha256);

impl io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.update(buf);
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The first 8 bytes of a hash in lowercase hexadecimal (16 characters).
fn hex_prefix(hash: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(16);
    for byte in hash.iter().take(8) {
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    out
}

/// A live object that is not as the plan saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleObject {
    pub planned: Fingerprint,
    pub now: Fingerprint,
}

impl fmt::Display for StaleObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(&|reference: &str| reference.to_string()))
    }
}

impl StaleObject {
    /// What changed, who changed it and when, with `who` turning the API's `updatedBy`
    /// reference (`user/<id>`, `apikey/<id>`) into words (an email, for a person).
    pub fn describe(&self, who: &dyn Fn(&str) -> String) -> String {
        let what = describe(&self.planned.address);
        let by =
            |fingerprint: &Fingerprint| match (&fingerprint.updated_at, &fingerprint.updated_by) {
                (Some(at), Some(by)) if !at.is_empty() => format!(" at {at} by {}", who(by)),
                _ => String::new(),
            };
        match (self.planned.exists, self.now.exists) {
            (false, true) => format!("{what} was created since the plan{}", by(&self.now)),
            (true, false) => format!("{what} was deleted since the plan"),
            _ if self.planned.updated_at != self.now.updated_at
                || self.planned.revision != self.now.revision =>
            {
                format!("{what} changed{}", by(&self.now))
            }
            _ => format!("{what} changed since the plan"),
        }
    }
}

/// How an address reads in a sentence: "team `inbound-sdr`", "the members of workspace `Sales`".
pub fn describe_address(address: &str) -> String {
    describe(address)
}

fn describe(address: &str) -> String {
    match Address::parse(address) {
        Some(Address::Team(_, name)) => format!("team `{name}`"),
        Some(Address::Distribution(_, name)) => format!("distribution `{name}`"),
        Some(Address::Rule(_, name)) => format!("rule `{name}`"),
        Some(Address::MeetingType(_, name)) => format!("meeting type `{name}`"),
        Some(Address::Reminder(_, name)) => format!("reminder `{name}`"),
        Some(Address::Link(_, slug)) => format!("scheduling link `{slug}`"),
        Some(Address::Members(workspace)) => format!("the members of workspace `{workspace}`"),
        Some(Address::Settings(workspace)) => {
            format!("the distribution settings of workspace `{workspace}`")
        }
        Some(Address::Workspace(workspace)) => format!("workspace `{workspace}`"),
        Some(Address::User(email)) => format!("user `{email}`"),
        Some(Address::Licenses(_)) | None => format!("`{address}`"),
    }
}

/// The objects of `plan.fingerprints` that differ in `live` (a fresh read), in plan order.
/// Empty means the plan is still current. The applier refuses a stale plan with these
/// messages ("team `inbound-sdr` changed at ... by ..., re-run plan").
pub fn stale_objects(plan: &Plan, live: &Live) -> Vec<StaleObject> {
    plan.fingerprints
        .iter()
        .filter_map(|planned| {
            let now = match Address::parse(&planned.address) {
                Some(address) => fingerprint(live, &address),
                // An address this version cannot parse cannot be checked: call it changed.
                None => Fingerprint {
                    exists: !planned.exists,
                    ..planned.clone()
                },
            };
            (&now != planned).then(|| StaleObject {
                planned: planned.clone(),
                now,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Email, LiveTeam, LiveWorkspace};
    use std::collections::{BTreeMap, BTreeSet};

    fn live_with_team(members: &[&str]) -> Live {
        let team = LiveTeam {
            id: "t-1".into(),
            name: "inbound-sdr".into(),
            members: members.iter().map(|m| Email::parse(m).unwrap()).collect(),
            added_at: BTreeMap::new(),
            unknown_member_ids: BTreeSet::new(),
            meta: Meta {
                updated_at: "2026-01-01T00:00:00Z".into(),
                updated_by: "user/u-1".into(),
                revision: 3,
                ..Meta::default()
            },
        };
        let workspace = LiveWorkspace {
            id: "w-1".into(),
            name: "Sales".into(),
            meta: Meta::default(),
            members: BTreeSet::new(),
            teams: vec![team],
            distributions: vec![],
            rules: vec![],
            settings: None,
            personal: false,
            meeting_types: None,
            reminders: None,
            links: None,
        };
        Live {
            tenant: None,
            users: BTreeMap::new(),
            workspaces: [("Sales".to_string(), workspace)].into(),
            opaque: Vec::new(),
            unknown_fields: Vec::new(),
            booking_unread: None,
        }
    }

    /// The digest as it was first written: the whole JSON in a buffer, then the hash, then
    /// eight bytes formatted one at a time.
    fn buffered_digest<T: Serialize>(value: &T) -> String {
        let bytes = serde_json::to_vec(value).unwrap_or_default();
        let hash = Sha256::digest(&bytes);
        hash.iter()
            .take(8)
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }

    #[test]
    fn the_streamed_digest_is_the_buffered_one() {
        let live = live_with_team(&["a@x.example", "b@x.example"]);
        let workspace = &live.workspaces["Sales"];
        assert_eq!(Json(workspace).digest(), buffered_digest(workspace));
        assert_eq!(
            Json(&workspace.teams).digest(),
            buffered_digest(&workspace.teams)
        );
        assert_eq!(Json(&live).digest(), buffered_digest(&live));
        let long: Vec<String> = (0..500).map(|n| format!("name-{n}-\u{e9}\"q\"")).collect();
        assert_eq!(Json(&long).digest(), buffered_digest(&long));
        assert_eq!(Json(&"").digest(), buffered_digest(&""));
        // A map with keys JSON cannot have fails to serialize: the digest of no bytes.
        let bad: BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into();
        assert_eq!(Json(&bad).digest(), buffered_digest(&bad));
    }

    #[test]
    fn hex_prefix_is_the_formatted_one() {
        for seed in 0u8..=255 {
            let hash: Vec<u8> = (0u8..32)
                .map(|i| seed.wrapping_mul(31).wrapping_add(i.wrapping_mul(17)))
                .collect();
            let formatted: String = hash.iter().take(8).map(|b| format!("{b:02x}")).collect();
            assert_eq!(hex_prefix(&hash), formatted);
        }
    }

    #[test]
    fn a_changed_member_list_makes_the_team_stale_even_without_new_metadata() {
        let before = live_with_team(&["a@x.example"]);
        let after = live_with_team(&["a@x.example", "b@x.example"]);
        let address = Address::Team("Sales".into(), "inbound-sdr".into());
        let planned = fingerprint(&before, &address);
        assert!(planned.exists);
        assert_eq!(planned.revision, Some(3));
        let now = fingerprint(&after, &address);
        assert_ne!(planned.digest, now.digest);
        let stale = StaleObject { planned, now };
        assert_eq!(
            stale.to_string(),
            "team `inbound-sdr` changed since the plan"
        );
    }

    #[test]
    fn an_object_created_since_the_plan_is_reported() {
        let before = live_with_team(&[]);
        let address = Address::Team("Sales".into(), "mid-market-ae".into());
        let planned = fingerprint(&before, &address);
        assert!(!planned.exists);
        let mut after = before.clone();
        let workspace = after.workspaces.get_mut("Sales").unwrap();
        let mut team = workspace.teams[0].clone();
        team.id = "t-2".into();
        team.name = "mid-market-ae".into();
        workspace.teams.push(team);
        let stale = StaleObject {
            now: fingerprint(&after, &address),
            planned,
        };
        assert_eq!(
            stale.to_string(),
            "team `mid-market-ae` was created since the plan at 2026-01-01T00:00:00Z by user/u-1"
        );
    }
}
