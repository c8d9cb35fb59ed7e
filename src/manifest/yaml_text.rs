//! Writing YAML text by hand for `export`: scalars quoted only when a plain scalar would be
//! read back differently, and JSON values as flow collections.

/// A string as a YAML scalar (plain when that reads back as the same string, else
/// double-quoted), usable as a key or a value, in block or flow context.
pub fn scalar(text: &str) -> String {
    if is_plain_safe(text) {
        text.to_string()
    } else {
        // JSON string escapes are valid YAML double-quoted escapes.
        serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
    }
}

fn is_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if text.trim() != text {
        return false;
    }
    // Anything that could start a number, a date, `.inf` or an indicator is quoted.
    if !(first.is_alphabetic() || first == '_') {
        return false;
    }
    let allowed = |c: char| c.is_alphanumeric() || " _-./@+()".contains(c);
    if !text.chars().all(allowed) {
        return false;
    }
    const RESERVED: [&str; 11] = [
        "true", "false", "null", "yes", "no", "on", "off", "y", "n", "nan", "inf",
    ];
    !RESERVED.iter().any(|word| word.eq_ignore_ascii_case(text))
}

/// A JSON value as a YAML flow collection or scalar: `{type: Daily, every: 1}`.
pub fn flow(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => scalar(s),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(flow).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(key, value)| format!("{}: {}", scalar(key), flow(value)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_that_would_read_back_differently_are_quoted() {
        assert_eq!(scalar("Sales"), "Sales");
        assert_eq!(scalar("Inbound Demo Requests"), "Inbound Demo Requests");
        assert_eq!(
            scalar("ava.thompson@acme.example"),
            "ava.thompson@acme.example"
        );
        assert_eq!(scalar("America/New_York"), "America/New_York");
        assert_eq!(scalar("true"), "\"true\"");
        assert_eq!(scalar("No"), "\"No\"");
        assert_eq!(scalar("2026-01-05"), "\"2026-01-05\"");
        assert_eq!(scalar("00:00"), "\"00:00\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("x #y"), "\"x #y\"");
        assert_eq!(scalar(""), "\"\"");
        assert_eq!(scalar(" padded"), "\" padded\"");
        assert_eq!(scalar("-dash"), "\"-dash\"");
        assert_eq!(scalar("line\nbreak"), "\"line\\nbreak\"");
    }
}
