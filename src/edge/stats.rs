//! Request accounting: per-operation request, retry and byte counts, and the `--stats` table.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;

use serde::Serialize;

/// Counters of one operation. `requests` counts every HTTP request sent, retries included.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpStats {
    pub requests: u64,
    /// Requests that repeated an earlier attempt.
    pub retries: u64,
    /// Requests that ended in an error (a status other than 2xx, or no answer).
    pub failures: u64,
    /// Request body bytes.
    pub bytes_sent: u64,
    /// Response body bytes.
    pub bytes_received: u64,
}

impl OpStats {
    fn add(&mut self, other: &OpStats) {
        self.requests += other.requests;
        self.retries += other.retries;
        self.failures += other.failures;
        self.bytes_sent += other.bytes_sent;
        self.bytes_received += other.bytes_received;
    }
}

/// A snapshot of a client's counters, by operation id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    pub per_op: BTreeMap<&'static str, OpStats>,
}

impl Stats {
    /// The sum over every operation.
    pub fn total(&self) -> OpStats {
        let mut total = OpStats::default();
        for counters in self.per_op.values() {
            total.add(counters);
        }
        total
    }

    /// Requests sent for one operation (0 when none).
    pub fn requests(&self, op_id: &str) -> u64 {
        self.per_op
            .get(op_id)
            .map_or(0, |counters| counters.requests)
    }

    /// The counters accumulated since `earlier` was taken.
    pub fn since(&self, earlier: &Stats) -> Stats {
        let mut per_op = BTreeMap::new();
        for (op_id, now) in &self.per_op {
            let before = earlier.per_op.get(op_id).copied().unwrap_or_default();
            let delta = OpStats {
                requests: now.requests - before.requests,
                retries: now.retries - before.retries,
                failures: now.failures - before.failures,
                bytes_sent: now.bytes_sent - before.bytes_sent,
                bytes_received: now.bytes_received - before.bytes_received,
            };
            if delta != OpStats::default() {
                per_op.insert(*op_id, delta);
            }
        }
        Stats { per_op }
    }

    /// The `--stats` table: one line per operation used, then the total.
    pub fn render(&self) -> String {
        let headers = [
            "operation",
            "requests",
            "retries",
            "failed",
            "sent",
            "received",
        ];
        let mut rows: Vec<[String; 6]> = self
            .per_op
            .iter()
            .map(|(op_id, counters)| row(op_id, counters))
            .collect();
        rows.push(row("total", &self.total()));
        let mut widths = headers.map(str::len);
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.len());
            }
        }
        let mut out = String::new();
        let mut line = |cells: &[&str]| {
            let mut text = format!("{:<width$}", cells[0], width = widths[0]);
            for (cell, width) in cells[1..].iter().zip(&widths[1..]) {
                let _ = write!(text, "  {cell:>width$}");
            }
            out.push_str(text.trim_end());
            out.push('\n');
        };
        line(&headers);
        for row in &rows {
            line(&row.each_ref().map(String::as_str));
        }
        out
    }
}

fn row(op_id: &str, counters: &OpStats) -> [String; 6] {
    [
        op_id.to_string(),
        counters.requests.to_string(),
        counters.retries.to_string(),
        counters.failures.to_string(),
        human_bytes(counters.bytes_sent),
        human_bytes(counters.bytes_received),
    ]
}

/// `512 B`, `12.3 KiB`, `4.0 MiB`.
fn human_bytes(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let value = bytes as f64;
    if value < KIB {
        format!("{bytes} B")
    } else if value < KIB * KIB {
        format!("{:.1} KiB", value / KIB)
    } else {
        format!("{:.1} MiB", value / (KIB * KIB))
    }
}

/// The live counters a client updates; cheap to lock because every critical section is a few
/// additions.
#[derive(Debug, Default)]
pub(crate) struct StatsRecorder {
    per_op: Mutex<BTreeMap<&'static str, OpStats>>,
}

/// What one HTTP attempt contributed.
pub(crate) struct Attempt {
    pub is_retry: bool,
    pub failed: bool,
    pub bytes_sent: u64,
    pub bytes_received: u64,
}

impl StatsRecorder {
    pub fn record(&self, op_id: &'static str, attempt: Attempt) {
        let mut per_op = self.per_op.lock().unwrap_or_else(|p| p.into_inner());
        let counters = per_op.entry(op_id).or_default();
        counters.requests += 1;
        counters.retries += u64::from(attempt.is_retry);
        counters.failures += u64::from(attempt.failed);
        counters.bytes_sent += attempt.bytes_sent;
        counters.bytes_received += attempt.bytes_received;
    }

    pub fn snapshot(&self) -> Stats {
        let per_op = self.per_op.lock().unwrap_or_else(|p| p.into_inner());
        Stats {
            per_op: per_op.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_lists_each_operation_and_the_total() {
        let recorder = StatsRecorder::default();
        for is_retry in [false, true] {
            recorder.record(
                "team-list-put",
                Attempt {
                    is_retry,
                    failed: !is_retry,
                    bytes_sent: 40,
                    bytes_received: 2048,
                },
            );
        }
        recorder.record(
            "tenant-get",
            Attempt {
                is_retry: false,
                failed: false,
                bytes_sent: 0,
                bytes_received: 100,
            },
        );
        let stats = recorder.snapshot();
        assert_eq!(stats.requests("team-list-put"), 2);
        assert_eq!(stats.total().requests, 3);
        assert_eq!(
            stats.render(),
            "operation      requests  retries  failed  sent  received\n\
             team-list-put         2        1       1  80 B   4.0 KiB\n\
             tenant-get            1        0       0   0 B     100 B\n\
             total                 3        1       1  80 B   4.1 KiB\n"
        );
    }

    #[test]
    fn since_keeps_only_what_changed() {
        let recorder = StatsRecorder::default();
        let attempt = || Attempt {
            is_retry: false,
            failed: false,
            bytes_sent: 1,
            bytes_received: 2,
        };
        recorder.record("tenant-get", attempt());
        let before = recorder.snapshot();
        recorder.record("team-list-put", attempt());
        let delta = recorder.snapshot().since(&before);
        assert_eq!(
            delta.per_op.keys().copied().collect::<Vec<_>>(),
            ["team-list-put"]
        );
    }
}
