//! The request journal: what the API was asked and what it answered, for tests to read.
//! It never records headers, so the token never lands in it.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::faults::Fault;

/// How many entries the journal keeps; older ones are dropped so a long `sandbox serve` stays
/// small.
pub const JOURNAL_CAPACITY: usize = 100_000;

/// How many bytes of entries (bodies, paths, queries, as counted by `entry_bytes`) the journal
/// keeps at most; the oldest entries go first.
pub const JOURNAL_MAX_BYTES: usize = 64 * 1024 * 1024;

/// The largest request body kept in an entry; a larger one is recorded as its size alone.
pub const JOURNAL_MAX_BODY_BYTES: usize = 256 * 1024;

/// One API request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntry {
    /// 1-based position among all API requests since the start or the last reset.
    pub seq: u64,
    pub method: String,
    pub path: String,
    /// The raw query string, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// The operation id, when the path is one of the table's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// The status the client received; `None` when the connection was dropped.
    pub status: Option<u16>,
    /// The status the operation itself produced, when it ran (differs from `status` for
    /// ambiguous writes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_status: Option<u16>,
    /// The injected fault, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<Fault>,
    /// The request body: its JSON, or the raw text when it is not JSON, or null when empty.
    pub body: serde_json::Value,
}

/// The journal itself.
#[derive(Debug, Default)]
pub(crate) struct Journal {
    /// Each entry with its size as counted by `entry_bytes`.
    entries: VecDeque<(JournalEntry, usize)>,
    n_bytes: usize,
    next_seq: u64,
}

impl Journal {
    pub(crate) fn record(&mut self, mut entry: JournalEntry) {
        self.next_seq += 1;
        entry.seq = self.next_seq;
        let size = entry_bytes(&entry);
        while !self.entries.is_empty()
            && (self.entries.len() >= JOURNAL_CAPACITY || self.n_bytes + size > JOURNAL_MAX_BYTES)
        {
            if let Some((_, dropped)) = self.entries.pop_front() {
                self.n_bytes -= dropped;
            }
        }
        self.n_bytes += size;
        self.entries.push_back((entry, size));
    }

    pub(crate) fn entries(&self) -> Vec<JournalEntry> {
        self.entries
            .iter()
            .map(|(entry, _)| entry.clone())
            .collect()
    }

    /// The bytes the entries kept count for.
    #[cfg(test)]
    pub(crate) fn n_bytes(&self) -> usize {
        self.n_bytes
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.n_bytes = 0;
        self.next_seq = 0;
    }
}

/// What one entry counts for: its texts and body, plus a fixed overhead.
fn entry_bytes(entry: &JournalEntry) -> usize {
    fn value_bytes(value: &serde_json::Value) -> usize {
        match value {
            serde_json::Value::String(text) => text.len() + 8,
            serde_json::Value::Array(items) => 8 + items.iter().map(value_bytes).sum::<usize>(),
            serde_json::Value::Object(fields) => {
                8 + fields
                    .iter()
                    .map(|(key, value)| key.len() + value_bytes(value))
                    .sum::<usize>()
            }
            _ => 8,
        }
    }
    128 + entry.method.len()
        + entry.path.len()
        + entry.query.as_ref().map_or(0, String::len)
        + entry.operation.as_ref().map_or(0, String::len)
        + value_bytes(&entry.body)
}

/// A request body as journal JSON; one over [`JOURNAL_MAX_BODY_BYTES`] is kept as its size.
pub(crate) fn body_value(bytes: &[u8]) -> serde_json::Value {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return serde_json::Value::Null;
    }
    if bytes.len() > JOURNAL_MAX_BODY_BYTES {
        return serde_json::Value::String(format!(
            "[a body of {} bytes, larger than the journal keeps]",
            bytes.len()
        ));
    }
    serde_json::from_slice(bytes)
        .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(bytes).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(body: &[u8]) -> JournalEntry {
        JournalEntry {
            seq: 0,
            method: "POST".into(),
            path: "/p".into(),
            query: None,
            operation: None,
            status: Some(200),
            operation_status: None,
            fault: None,
            body: body_value(body),
        }
    }

    #[test]
    fn the_journal_is_bounded_in_bytes_at_and_past_the_limits() {
        let kept = vec![b'x'; JOURNAL_MAX_BODY_BYTES];
        let kept_json = serde_json::to_vec(&String::from_utf8(kept).unwrap()).unwrap();
        assert!(entry(&kept_json[..JOURNAL_MAX_BODY_BYTES]).body.is_string());
        let big = vec![b'x'; JOURNAL_MAX_BODY_BYTES + 1];
        let body = entry(&big).body;
        assert!(
            body.as_str()
                .unwrap()
                .contains("larger than the journal keeps")
        );

        let mut journal = Journal::default();
        let half = serde_json::to_vec(&"y".repeat(JOURNAL_MAX_BODY_BYTES - 16)).unwrap();
        let n = 2 * JOURNAL_MAX_BYTES / JOURNAL_MAX_BODY_BYTES;
        for _ in 0..n {
            journal.record(entry(&half));
            assert!(journal.n_bytes() <= JOURNAL_MAX_BYTES);
        }
        let entries = journal.entries();
        assert!(entries.len() < n, "old entries were dropped");
        assert_eq!(
            entries.last().unwrap().seq,
            n as u64,
            "sequence numbers go on"
        );
    }
}
