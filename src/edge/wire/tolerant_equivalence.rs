//! Property tests: pages of `Tolerant` objects decoded by the fast path, and `unknown_fields`
//! with its cheap check, give exactly what the original code gave (kept here verbatim), over
//! the real wire types read from answers the emulator serves, mangled: extra keys at any depth
//! (null or not, named like real fields or not), keys removed, given twice or escaped, values of
//! the wrong type, odd numbers, serde_json's private key names.

use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::*;

// ----- the original code -----

fn original_unknown_fields<T: Serialize>(raw: &Value, known: &T) -> Vec<String> {
    let Ok(again) = serde_json::to_value(known) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    original_compare(raw, &again, "", &mut out);
    out.sort();
    out
}

fn original_compare(raw: &Value, again: &Value, path: &str, out: &mut Vec<String>) {
    match (raw, again) {
        (Value::Object(raw), Value::Object(again)) => {
            for (key, value) in raw {
                let here = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                match again.get(key) {
                    Some(known) => original_compare(value, known, &here, out),
                    None if value.is_null() => {}
                    None => out.push(here),
                }
            }
        }
        (Value::Array(raw), Value::Array(again)) => {
            for (index, (value, known)) in raw.iter().zip(again).enumerate() {
                original_compare(value, known, &format!("{path}[{index}]"), out);
            }
        }
        _ => {}
    }
}

/// `Tolerant<T>` as it was decoded before.
#[derive(Debug)]
struct Original<T>(Tolerant<T>);

impl<'de, T: DeserializeOwned + Serialize> Deserialize<'de> for Original<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Value::deserialize(deserializer)?;
        Ok(Original(match T::deserialize(&raw) {
            Ok(value) => {
                let unknown_fields = original_unknown_fields(&raw, &value);
                if unknown_fields.is_empty() {
                    Tolerant::Known(value)
                } else {
                    Tolerant::Extended {
                        value,
                        raw,
                        unknown_fields,
                    }
                }
            }
            Err(error) => Tolerant::Unknown {
                reason: error.to_string(),
                raw,
            },
        }))
    }
}

// ----- JSON text that may name a key twice -----

#[derive(Debug, Clone)]
enum J {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    /// A number as written (`1e400`, `-0`, `1.5`, `18446744073709551616`).
    Number(&'static str),
    Arr(Vec<J>),
    /// Entries, each with whether its key is written with `\u` escapes.
    Obj(Vec<(String, bool, J)>),
}

impl J {
    fn of(value: &Value) -> J {
        match value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => J::Int(i),
                None => J::Str(n.to_string()),
            },
            Value::String(s) => J::Str(s.clone()),
            Value::Array(items) => J::Arr(items.iter().map(J::of).collect()),
            Value::Object(map) => J::Obj(
                map.iter()
                    .map(|(k, v)| (k.clone(), false, J::of(v)))
                    .collect(),
            ),
        }
    }

    fn write(&self, out: &mut String) {
        match self {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Int(i) => out.push_str(&i.to_string()),
            J::Str(s) => out.push_str(&serde_json::to_string(s).unwrap()),
            J::Number(n) => out.push_str(n),
            J::Arr(items) => {
                out.push('[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            J::Obj(entries) => {
                out.push('{');
                for (index, (key, escaped, value)) in entries.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    if *escaped {
                        out.push('"');
                        for unit in key.encode_utf16() {
                            out.push_str(&format!("\\u{unit:04x}"));
                        }
                        out.push('"');
                    } else {
                        out.push_str(&serde_json::to_string(key).unwrap());
                    }
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }

    /// The `n`th object or array (pre-order, wrapping), for a mutation to act on.
    fn nth_container(&mut self, n: usize) -> &mut J {
        let count = self.count_containers();
        let mut target = n % count.max(1);
        self.find_container(&mut target).expect("counted")
    }

    fn count_containers(&self) -> usize {
        match self {
            J::Arr(items) => 1 + items.iter().map(J::count_containers).sum::<usize>(),
            J::Obj(entries) => {
                1 + entries
                    .iter()
                    .map(|e| e.2.count_containers())
                    .sum::<usize>()
            }
            _ => 0,
        }
    }

    fn find_container(&mut self, target: &mut usize) -> Option<&mut J> {
        if !matches!(self, J::Arr(_) | J::Obj(_)) {
            return None;
        }
        if *target == 0 {
            return Some(self);
        }
        *target -= 1;
        match self {
            J::Arr(items) => items
                .iter_mut()
                .find_map(|item| item.find_container(target)),
            J::Obj(entries) => entries
                .iter_mut()
                .find_map(|entry| entry.2.find_container(target)),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Add(usize, String, J),
    Remove(usize, usize),
    Replace(usize, usize, J),
    Duplicate(usize, usize, Option<J>),
    Escape(usize, usize),
    Null(usize, usize),
}

fn apply(root: &mut J, mutation: &Mutation) {
    match mutation {
        Mutation::Add(at, key, value) => match root.nth_container(*at) {
            J::Obj(entries) => entries.push((key.clone(), false, value.clone())),
            J::Arr(items) => items.push(value.clone()),
            _ => {}
        },
        Mutation::Remove(at, which) => match root.nth_container(*at) {
            J::Obj(entries) if !entries.is_empty() => {
                entries.remove(which % entries.len());
            }
            J::Arr(items) if !items.is_empty() => {
                items.remove(which % items.len());
            }
            _ => {}
        },
        Mutation::Replace(at, which, value) => match root.nth_container(*at) {
            J::Obj(entries) if !entries.is_empty() => {
                let len = entries.len();
                entries[which % len].2 = value.clone();
            }
            J::Arr(items) if !items.is_empty() => {
                let len = items.len();
                items[which % len] = value.clone();
            }
            _ => {}
        },
        Mutation::Duplicate(at, which, value) => {
            if let J::Obj(entries) = root.nth_container(*at)
                && !entries.is_empty()
            {
                let mut entry = entries[which % entries.len()].clone();
                if let Some(value) = value {
                    entry.2 = value.clone();
                }
                entries.push(entry);
            }
        }
        Mutation::Escape(at, which) => {
            if let J::Obj(entries) = root.nth_container(*at)
                && !entries.is_empty()
            {
                let len = entries.len();
                entries[which % len].1 = true;
            }
        }
        Mutation::Null(at, which) => {
            if let J::Obj(entries) = root.nth_container(*at)
                && !entries.is_empty()
            {
                let len = entries.len();
                entries[which % len].2 = J::Null;
            }
        }
    }
}

const KEYS: &[&str] = &[
    "id",
    "name",
    "type",
    "weights",
    "userId",
    "weight",
    "state",
    "lastReset",
    "userStates",
    "queue",
    "metadata",
    "revision",
    "licenses",
    "tier",
    "chat",
    "handoff",
    "members",
    "teamMembersMetadata",
    "addedAt",
    "conditions",
    "value",
    "host",
    "others",
    "default",
    "assignments",
    "limits",
    "capping",
    "handling",
    "published",
    "prioritization",
    "total",
    "$serde_json::private::RawValue",
    "$serde_json::private::Number",
    "routingHint",
    "x",
    "é",
];

const WORDS: &[&str] = &[
    "Strict",
    "Record",
    "Meeting",
    "Daily",
    "Pro",
    "Email",
    "Workspace",
    "ConditionGroup",
    "MeetingLimitSet",
    "NonOwnershipRule",
    "x",
    "",
];

const NUMBERS: &[&str] = &[
    "1e400",
    "-0",
    "1.5",
    "18446744073709551616",
    "-9223372036854775809",
    "0.0",
    "3",
];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(KEYS).prop_map(str::to_string),
        1 => "[a-zA-Z]{1,5}",
    ]
}

fn value() -> impl Strategy<Value = J> {
    let leaf = prop_oneof![
        3 => Just(J::Null),
        1 => any::<bool>().prop_map(J::Bool),
        1 => (-3i64..300).prop_map(J::Int),
        2 => proptest::sample::select(WORDS).prop_map(|w| J::Str(w.to_string())),
        1 => proptest::sample::select(NUMBERS).prop_map(J::Number),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(J::Arr),
            prop::collection::vec((key(), any::<bool>(), inner), 0..3).prop_map(J::Obj),
        ]
    })
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = 0usize..64;
    let which = 0usize..16;
    prop_oneof![
        4 => (at.clone(), key(), value()).prop_map(|(a, k, v)| Mutation::Add(a, k, v)),
        1 => (at.clone(), which.clone()).prop_map(|(a, w)| Mutation::Remove(a, w)),
        2 => (at.clone(), which.clone(), value()).prop_map(|(a, w, v)| Mutation::Replace(a, w, v)),
        1 => (at.clone(), which.clone(), proptest::option::of(value()))
            .prop_map(|(a, w, v)| Mutation::Duplicate(a, w, v)),
        1 => (at.clone(), which.clone()).prop_map(|(a, w)| Mutation::Escape(a, w)),
        1 => (at, which).prop_map(|(a, w)| Mutation::Null(a, w)),
    ]
}

fn samples(kind: &str) -> Vec<Value> {
    let all: Value = serde_json::from_str(include_str!("samples.json")).unwrap();
    match kind {
        "licenses" => {
            let mut licenses: Vec<Value> = all["users"]
                .as_array()
                .unwrap()
                .iter()
                .map(|user| user["licenses"].clone())
                .collect();
            let mut tiered = licenses[0].clone();
            tiered["tier"] = Value::from("Experiences");
            licenses.push(tiered.clone());
            tiered["tier"] = Value::from("SomethingNew");
            licenses.push(tiered);
            licenses
        }
        "workspaces" => vec![serde_json::json!({
            "id": "w1", "name": "Sales", "emoji": "x", "metadata": all["teams"][0]["metadata"]
        })],
        kind => all[kind].as_array().unwrap().clone(),
    }
}

/// Items: (sample index, mutations) each; `mangle` whether to touch the page itself.
type Items = Vec<(usize, Vec<Mutation>)>;

fn items() -> impl Strategy<Value = Items> {
    prop::collection::vec((0usize..16, prop::collection::vec(mutation(), 0..4)), 1..4)
}

fn page_text(kind: &str, items: &Items, page_mutations: &[Mutation]) -> String {
    let samples = samples(kind);
    let results: Vec<J> = items
        .iter()
        .map(|(index, mutations)| {
            let mut item = J::of(&samples[index % samples.len()]);
            for mutation in mutations {
                apply(&mut item, mutation);
            }
            item
        })
        .collect();
    let mut page = J::Obj(vec![
        ("results".to_string(), false, J::Arr(results)),
        ("total".to_string(), false, J::Int(items.len() as i64)),
        ("page".to_string(), false, J::Int(0)),
        ("pageSize".to_string(), false, J::Int(100)),
    ]);
    // Only the page's own entries (container 0) are touched by these.
    for mutation in page_mutations {
        let mutation = match mutation.clone() {
            Mutation::Add(_, k, v) => Mutation::Add(0, k, v),
            Mutation::Remove(_, w) => Mutation::Remove(0, w),
            Mutation::Replace(_, w, v) => Mutation::Replace(0, w, v),
            Mutation::Duplicate(_, w, v) => Mutation::Duplicate(0, w, v),
            Mutation::Escape(_, w) => Mutation::Escape(0, w),
            Mutation::Null(_, w) => Mutation::Null(0, w),
        };
        apply(&mut page, &mutation);
    }
    let mut text = String::new();
    page.write(&mut text);
    text
}

/// The fast page decode, and the generic one, equal the original decode (errors by message).
fn check_page<T>(text: &str) -> Result<(), TestCaseError>
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    let original = serde_json::from_slice::<Page<Original<T>>>(text.as_bytes())
        .map(|page| Page {
            results: page.results.into_iter().map(|item| item.0).collect(),
            total: page.total,
            page: page.page,
            page_size: page.page_size,
        })
        .map_err(|error| error.to_string());
    let fast = Tolerant::<T>::decode_page(text.as_bytes()).map_err(|error| error.to_string());
    prop_assert_eq!(&fast, &original, "fast page of {}", text);
    let generic = serde_json::from_slice::<Page<Tolerant<T>>>(text.as_bytes())
        .map_err(|error| error.to_string());
    prop_assert_eq!(&generic, &original, "generic page of {}", text);
    Ok(())
}

/// `unknown_fields` equals the original on every item that decodes.
fn check_unknown_fields<T>(text: &str) -> Result<(), TestCaseError>
where
    T: DeserializeOwned + Serialize,
{
    let Ok(page) = serde_json::from_str::<Value>(text) else {
        return Ok(());
    };
    for raw in page["results"].as_array().into_iter().flatten() {
        if let Ok(known) = T::deserialize(raw) {
            prop_assert_eq!(
                unknown_fields(raw, &known),
                original_unknown_fields(raw, &known),
                "{}",
                raw
            );
        }
    }
    Ok(())
}

macro_rules! equivalence {
    ($name:ident, $kind:literal, $type:ty) => {
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(300))]
            #[test]
            fn $name(items in items(), page in prop::collection::vec(mutation(), 0..2)) {
                // The page itself is mangled in one case of four.
                let page = if items.len() == 3 { page } else { Vec::new() };
                let text = page_text($kind, &items, &page);
                check_page::<$type>(&text)?;
                check_unknown_fields::<$type>(&text)?;
            }
        }
    };
}

equivalence!(users_decode_as_before, "users", User);
equivalence!(licenses_decode_as_before, "licenses", UserLicenses);
equivalence!(teams_decode_as_before, "teams", Team);
equivalence!(workspaces_decode_as_before, "workspaces", Workspace);
equivalence!(
    distributions_decode_as_before,
    "distributions",
    Distribution
);
equivalence!(rules_decode_as_before, "rules", Rule);
equivalence!(meeting_types_decode_as_before, "meeting_types", MeetingType);
equivalence!(reminders_decode_as_before, "reminders", Reminder);
equivalence!(
    round_robin_links_decode_as_before,
    "round_robin",
    RoundRobinLink
);
equivalence!(plain_links_decode_as_before, "plain", PlainLink);
equivalence!(ownership_links_decode_as_before, "ownership", OwnershipLink);
equivalence!(settings_decode_as_before, "settings", WorkspaceSettingsRead);

#[test]
fn the_samples_decode_known_on_the_fast_path() {
    let text = page_text(
        "distributions",
        &vec![(0, vec![]), (1, vec![]), (2, vec![])],
        &[],
    );
    let page = Tolerant::<Distribution>::decode_page(text.as_bytes()).unwrap();
    assert!(
        page.results
            .iter()
            .all(|item| matches!(item, Tolerant::Known(_)))
    );
}

// ----- a user's licenses, read without a `Value` -----

fn original_licenses<'de, D: Deserializer<'de>>(deserializer: D) -> Result<UserLicenses, D::Error> {
    let raw = Value::deserialize(deserializer)?;
    let mut licenses = UserLicenses::deserialize(&raw).map_err(serde::de::Error::custom)?;
    licenses.unknown_fields = original_unknown_fields(&raw, &licenses)
        .into_iter()
        .map(|path| format!("licenses.{path}"))
        .collect();
    Ok(licenses)
}

#[derive(Debug, PartialEq, Deserialize)]
struct NewLicenses {
    #[serde(deserialize_with = "super::licenses_noting_unknown")]
    licenses: UserLicenses,
    after: Option<u32>,
}

#[derive(Debug, PartialEq, Deserialize)]
struct OldLicenses {
    #[serde(deserialize_with = "original_licenses")]
    licenses: UserLicenses,
    after: Option<u32>,
}

fn same<A: std::fmt::Debug, B: std::fmt::Debug>(
    new: Result<(UserLicenses, A), serde_json::Error>,
    old: Result<(UserLicenses, B), serde_json::Error>,
    text: &str,
) -> Result<(), TestCaseError> {
    match (new, old) {
        (Ok(new), Ok(old)) => prop_assert_eq!(new.0, old.0, "{}", text),
        (Err(new), Err(old)) => prop_assert_eq!(new.to_string(), old.to_string(), "{}", text),
        (new, old) => prop_assert!(false, "{}: {:?} vs {:?}", text, new, old),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]
    #[test]
    fn licenses_read_as_before(index in 0usize..4, mutations in prop::collection::vec(mutation(), 0..5)) {
        let samples = samples("licenses");
        let mut item = J::of(&samples[index % samples.len()]);
        for mutation in &mutations {
            apply(&mut item, mutation);
        }
        let mut text = String::from(r#"{"licenses":"#);
        item.write(&mut text);
        text.push_str(r#","after":1}"#);
        same(
            serde_json::from_str::<NewLicenses>(&text).map(|n| (n.licenses, n.after)),
            serde_json::from_str::<OldLicenses>(&text).map(|o| (o.licenses, o.after)),
            &text,
        )?;
        if let Ok(value) = serde_json::from_str::<Value>(&text) {
            same(
                serde_json::from_value::<NewLicenses>(value.clone()).map(|n| (n.licenses, n.after)),
                serde_json::from_value::<OldLicenses>(value).map(|o| (o.licenses, o.after)),
                &text,
            )?;
        }
    }
}
