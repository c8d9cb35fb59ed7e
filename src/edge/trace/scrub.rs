//! Replaces personal data in traced HTTP exchanges with stable placeholders: emails, people's
//! names and the token, in JSON bodies, plain-text bodies, paths and query strings.
//!
//! What counts as personal, in the API's own terms (the official Edge API extracts, edgeVersion
//! 1.494.0): the `email` of any object (`User`, `SalesforceUser`, `HubspotUser`, the personal
//! `TenantInfo`, the invitation body), the `name` of an object that has an `email` (a person),
//! anything under `personalDetails`, name-like keys (`firstName`, `lastName`, `fullName`,
//! `displayName`), and the free-text `query` of `user-find` (an email or a name). Every other
//! string is scanned for email addresses and for the names already seen, so a person's name
//! that a server repeats in an error message is replaced too. Keys, ids, numbers, booleans and
//! the names of workspaces, teams, distributions and rules are kept: they are the shapes a bug
//! report needs. The same email (compared case-insensitively) or name always gets the same
//! placeholder within one trace.

use std::collections::HashMap;

use serde_json::Value;

use crate::edge::secret::ApiToken;

/// What every occurrence of the token becomes (the client's own redaction, `ApiToken::redact`).
pub const TOKEN_PLACEHOLDER: &str = "[redacted]";

/// Keys whose string value is a person's name wherever they appear.
const NAME_KEYS: &[&str] = &["firstName", "lastName", "fullName", "displayName"];

/// Keys whose string value is an email address wherever they appear.
const EMAIL_KEYS: &[&str] = &["email", "emails"];

/// Query parameters that carry free text about a person (`user-find?query=`).
const PERSONAL_QUERY_PARAMETERS: &[&str] = &["query"];

/// Shortest name replaced inside free text: shorter ones would also hit ordinary words and ids.
const MIN_NAME_IN_TEXT: usize = 3;

/// The placeholders given so far, so each email and name keeps its own for the whole trace.
#[derive(Debug, Default)]
pub struct Scrubber {
    /// Lowercased email -> `email-N@scrubbed.example` (a valid address, so schemas still pass).
    emails: HashMap<String, String>,
    /// Name as sent -> `Name N`.
    names: HashMap<String, String>,
    /// Names in the order they were learned, longest first when scanning text.
    names_by_length: Vec<String>,
}

impl Scrubber {
    /// Learns the emails and names in `value` (without changing it), so that text scrubbed
    /// afterwards in the same exchange also loses them.
    pub fn learn(&mut self, value: &Value) {
        match value {
            Value::Object(fields) => {
                let is_person = fields.get("email").is_some_and(Value::is_string);
                for (key, field) in fields {
                    match field {
                        Value::String(text) if is_name_key(key, is_person) => {
                            self.name_placeholder(text);
                        }
                        Value::String(text) if EMAIL_KEYS.contains(&key.as_str()) => {
                            self.email_placeholder(text);
                        }
                        _ if key == "personalDetails" => self.learn_all_as_names(field),
                        _ => self.learn(field),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| self.learn(item)),
            _ => {}
        }
    }

    /// `value` with every personal field replaced by its placeholder and every string scanned
    /// for emails, known names and the token.
    pub fn scrub_json(&mut self, value: &Value, token: &ApiToken) -> Value {
        match value {
            Value::Object(fields) => {
                let is_person = fields.get("email").is_some_and(Value::is_string);
                let scrubbed = fields
                    .iter()
                    .map(|(key, field)| {
                        let field = match field {
                            Value::String(text) if is_name_key(key, is_person) => {
                                Value::String(self.name_placeholder(text))
                            }
                            Value::String(text) if EMAIL_KEYS.contains(&key.as_str()) => {
                                Value::String(self.email_placeholder(text))
                            }
                            _ if key == "personalDetails" => self.scrub_all_as_names(field, token),
                            _ => self.scrub_json(field, token),
                        };
                        // A key is server text too: a hostile answer can put the token in one.
                        (self.scrub_text(key, token), field)
                    })
                    .collect();
                Value::Object(scrubbed)
            }
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|item| self.scrub_json(item, token))
                    .collect(),
            ),
            Value::String(text) => Value::String(self.scrub_text(text, token)),
            other => other.clone(),
        }
    }

    /// Free text with the token, every email address and every known name replaced.
    pub fn scrub_text(&mut self, text: &str, token: &ApiToken) -> String {
        let text = token.redact(text);
        let text = self.replace_emails(&text);
        self.replace_known_names(&text)
    }

    /// The value of query parameter `name`, scrubbed: free-text person searches are replaced
    /// whole (an email placeholder when it looks like one, else a name placeholder).
    pub fn scrub_query_value(&mut self, name: &str, value: &str, token: &ApiToken) -> String {
        if PERSONAL_QUERY_PARAMETERS.contains(&name) && !value.is_empty() {
            let value = token.redact(value);
            return if find_emails(&value).is_empty() {
                self.name_placeholder(&value)
            } else {
                self.replace_emails(&value)
            };
        }
        self.scrub_text(value, token)
    }

    fn learn_all_as_names(&mut self, value: &Value) {
        match value {
            Value::String(text) if !find_emails(text).is_empty() => {
                self.email_placeholder(text);
            }
            Value::String(text) => {
                self.name_placeholder(text);
            }
            Value::Array(items) => items.iter().for_each(|item| self.learn_all_as_names(item)),
            Value::Object(fields) => fields
                .values()
                .for_each(|field| self.learn_all_as_names(field)),
            _ => {}
        }
    }

    /// Every string under `value` becomes a placeholder; numbers and booleans stay; keys lose
    /// the token and emails.
    fn scrub_all_as_names(&mut self, value: &Value, token: &ApiToken) -> Value {
        match value {
            Value::String(text) if !find_emails(text).is_empty() => {
                Value::String(self.replace_emails(text))
            }
            Value::String(text) => Value::String(self.name_placeholder(text)),
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|item| self.scrub_all_as_names(item, token))
                    .collect(),
            ),
            Value::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(key, field)| {
                        let field = self.scrub_all_as_names(field, token);
                        (self.scrub_text(key, token), field)
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    fn email_placeholder(&mut self, email: &str) -> String {
        let key = email.trim().to_lowercase();
        let next = self.emails.len() + 1;
        self.emails
            .entry(key)
            .or_insert_with(|| format!("email-{next}@scrubbed.example"))
            .clone()
    }

    fn name_placeholder(&mut self, name: &str) -> String {
        if name.is_empty() {
            return String::new();
        }
        if let Some(known) = self.names.get(name) {
            return known.clone();
        }
        let placeholder = format!("Name {}", self.names.len() + 1);
        self.names.insert(name.to_string(), placeholder.clone());
        self.names_by_length.push(name.to_string());
        self.names_by_length
            .sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        placeholder
    }

    fn replace_emails(&mut self, text: &str) -> String {
        let found = find_emails(text);
        if found.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (start, end) in found {
            out.push_str(&text[last..start]);
            out.push_str(&self.email_placeholder(&text[start..end]));
            last = end;
        }
        out.push_str(&text[last..]);
        out
    }

    fn replace_known_names(&self, text: &str) -> String {
        let mut text = text.to_string();
        for name in &self.names_by_length {
            if name.chars().count() < MIN_NAME_IN_TEXT || !text.contains(name.as_str()) {
                continue;
            }
            text = replace_whole_words(&text, name, &self.names[name]);
        }
        text
    }
}

fn is_name_key(key: &str, is_person: bool) -> bool {
    NAME_KEYS.contains(&key) || (is_person && key == "name")
}

/// Byte ranges of the email addresses in `text`: a local part of letters, digits and
/// `._%+-`, an `@`, and a domain of letters, digits, `-` and dots that contains a dot.
pub fn find_emails(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let is_local = |b: u8| b.is_ascii_alphanumeric() || b"._%+-".contains(&b);
    let is_domain = |b: u8| b.is_ascii_alphanumeric() || b"-.".contains(&b);
    let mut found = Vec::new();
    let mut searched_to = 0;
    for (at, _) in text.match_indices('@') {
        if at < searched_to {
            continue;
        }
        let mut start = at;
        while start > searched_to && is_local(bytes[start - 1]) {
            start -= 1;
        }
        let mut end = at + 1;
        while end < bytes.len() && is_domain(bytes[end]) {
            end += 1;
        }
        // A sentence's full stop after the address is not part of the domain.
        while end > at + 1 && bytes[end - 1] == b'.' {
            end -= 1;
        }
        let domain = &text[at + 1..end];
        if start < at && domain.contains('.') && !domain.starts_with('.') {
            found.push((start, end));
            searched_to = end;
        }
    }
    found
}

/// `text` with every occurrence of `word` that is not inside a longer word replaced.
fn replace_whole_words(text: &str, word: &str, replacement: &str) -> String {
    let is_word_char = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, _) in text.match_indices(word) {
        let end = start + word.len();
        if start < last
            || is_word_char(text[..start].chars().next_back())
            || is_word_char(text[end..].chars().next())
        {
            continue;
        }
        out.push_str(&text[last..start]);
        out.push_str(replacement);
        last = end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn token() -> ApiToken {
        ApiToken::from_literal("fake-scrub-token-1234").unwrap()
    }

    #[test]
    fn people_lose_emails_and_names_but_keep_their_shape() {
        let mut scrubber = Scrubber::default();
        let user = json!({
            "id": "u-1", "name": "Ava Thompson", "email": "Ava.Thompson@acme.example",
            "isSuperAdmin": false, "licenses": {"chiliCalOrg": true, "handoff": false},
            "personalDetails": {"firstName": "Ava", "phone": "+1 555", "age": 3},
        });
        scrubber.learn(&user);
        let scrubbed = scrubber.scrub_json(&user, &token());
        assert_eq!(
            scrubbed,
            json!({
                "id": "u-1", "name": "Name 1", "email": "email-1@scrubbed.example",
                "isSuperAdmin": false, "licenses": {"chiliCalOrg": true, "handoff": false},
                "personalDetails": {"firstName": "Name 2", "phone": "Name 3", "age": 3},
            })
        );
        // The same email in another case, and the name in free text, get the same placeholders.
        let error = json!({"errorMessage": "ava.thompson@acme.example (Ava Thompson) is gone"});
        assert_eq!(
            scrubber.scrub_json(&error, &token())["errorMessage"],
            "email-1@scrubbed.example (Name 1) is gone"
        );
    }

    #[test]
    fn trace_scrub_misses_token_in_object_keys() {
        let mut scrubber = Scrubber::default();
        let answer = json!({
            "fake-scrub-token-1234": 1,
            "personalDetails": {"fake-scrub-token-1234": "x"},
        });
        scrubber.learn(&answer);
        let text = scrubber.scrub_json(&answer, &token()).to_string();
        assert!(!text.contains("fake-scrub-token-1234"), "{text}");
    }

    #[test]
    fn team_and_workspace_names_stay() {
        let mut scrubber = Scrubber::default();
        let team = json!({"id": "t-1", "name": "inbound-sdr", "workspaceId": "w-1"});
        scrubber.learn(&team);
        assert_eq!(scrubber.scrub_json(&team, &token()), team);
    }

    #[test]
    fn the_token_and_emails_in_free_text_are_replaced() {
        let mut scrubber = Scrubber::default();
        let text = "bad token fake-scrub-token-1234 for x@y.example.";
        assert_eq!(
            scrubber.scrub_text(text, &token()),
            "bad token [redacted] for email-1@scrubbed.example."
        );
    }

    #[test]
    fn a_person_search_is_replaced_whole() {
        let mut scrubber = Scrubber::default();
        assert_eq!(
            scrubber.scrub_query_value("query", "Sofia Rossi", &token()),
            "Name 1"
        );
        assert_eq!(
            scrubber.scrub_query_value("query", "sofia@acme.example", &token()),
            "email-1@scrubbed.example"
        );
        assert_eq!(
            scrubber.scrub_query_value("name", "Round robin", &token()),
            "Round robin"
        );
    }

    #[test]
    fn short_names_are_not_replaced_inside_other_text() {
        let mut scrubber = Scrubber::default();
        scrubber.learn(&json!({"email": "al@acme.example", "name": "Al"}));
        assert_eq!(scrubber.scrub_text("Alpha Al", &token()), "Alpha Al");
        scrubber.learn(&json!({"email": "bo@acme.example", "name": "Bob"}));
        assert_eq!(scrubber.scrub_text("Bobby Bob", &token()), "Bobby Name 2");
    }

    #[test]
    fn finds_addresses_and_not_lookalikes() {
        let spans = |text: &str| {
            find_emails(text)
                .into_iter()
                .map(|(s, e)| text[s..e].to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            spans("a@b.co, c.d+e@f-g.example."),
            ["a@b.co", "c.d+e@f-g.example"]
        );
        assert!(spans("user/@me and @home and x@localhost").is_empty());
    }
}
