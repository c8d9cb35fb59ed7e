//! The request journal: what the API was asked and what it answered, for tests to read.
//! It never records headers, so the token never lands in it.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::faults::Fault;

/// How many entries the journal keeps; older ones are dropped so a long `sandbox serve` stays
/// small.
pub const JOURNAL_CAPACITY: usize = 100_000;

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
    entries: VecDeque<JournalEntry>,
    next_seq: u64,
}

impl Journal {
    pub(crate) fn record(&mut self, mut entry: JournalEntry) {
        self.next_seq += 1;
        entry.seq = self.next_seq;
        if self.entries.len() == JOURNAL_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    pub(crate) fn entries(&self) -> Vec<JournalEntry> {
        self.entries.iter().cloned().collect()
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.next_seq = 0;
    }
}

/// A request body as journal JSON.
pub(crate) fn body_value(bytes: &[u8]) -> serde_json::Value {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return serde_json::Value::Null;
    }
    serde_json::from_slice(bytes)
        .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(bytes).into_owned()))
}
