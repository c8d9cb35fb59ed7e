//! What `convert` says about the objects it keeps opaque: the phrase for what is unknown, and
//! the team ids such an object names (so those teams are not deleted under it).

use std::collections::BTreeSet;

/// Says what an object that did not decode has that scoville does not know, from serde's
/// reason: "an unknown variant `Hourly`", "an unknown field shape (missing field `x`)".
pub(super) fn unknown_phrase(reason: &str) -> String {
    // serde_json appends " at line L column C" to some messages; it means nothing to a reader.
    let reason = reason.split(" at line ").next().unwrap_or(reason).trim();
    if let Some(rest) = reason.strip_prefix("unknown variant ") {
        let variant = rest.split(',').next().unwrap_or(rest);
        format!("the value {variant}")
    } else {
        format!("a shape scoville cannot read ({reason})")
    }
}

/// Every `teamId` (and `teamRef.id`) anywhere in an object's JSON.
pub(super) fn team_ids_in(raw: &serde_json::Value, out: &mut BTreeSet<String>) {
    match raw {
        serde_json::Value::Object(fields) => {
            for (key, value) in fields {
                match (key.as_str(), value) {
                    ("teamId", serde_json::Value::String(id)) => {
                        out.insert(id.clone());
                    }
                    ("teamRef", value) => {
                        if let Some(id) = value["id"].as_str() {
                            out.insert(id.to_string());
                        }
                    }
                    _ => team_ids_in(value, out),
                }
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                team_ids_in(item, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unknown_is_said_in_words_without_serde_positions() {
        assert_eq!(
            unknown_phrase(
                "unknown variant `Hourly`, expected one of `Daily`, `Weekly` at line 1 column 9"
            ),
            "the value `Hourly`"
        );
        assert_eq!(
            unknown_phrase("missing field `teamRef`"),
            "a shape scoville cannot read (missing field `teamRef`)"
        );
    }

    #[test]
    fn team_ids_are_found_anywhere_in_the_object() {
        let raw = serde_json::json!({"teamId": "t-1", "published": {"teamRef": {"id": "t-2"}},
            "conditions": [{"teamId": "t-3"}]});
        let mut ids = BTreeSet::new();
        team_ids_in(&raw, &mut ids);
        assert_eq!(
            ids,
            BTreeSet::from(["t-1".into(), "t-2".into(), "t-3".into()])
        );
    }
}
