//! The text form of a doctor report: one section per question, the verdict last. Pure.

use std::fmt::Write;

use super::{Access, ModelCheck, Report, TokenVerdict};

/// The report for a person on a terminal.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    let mut line = |text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    line(format!("scoville doctor: {}", report.endpoint));
    line(String::new());
    line(format!(
        "token        {}",
        match report.token {
            TokenVerdict::Accepted => "accepted",
            TokenVerdict::Refused => "refused (401)",
            TokenVerdict::Unknown => "unknown (no answer said either way)",
        }
    ));
    line(match &report.tenant {
        Some(tenant) => format!(
            "tenant       {} ({}, subdomain {}, cluster {})",
            tenant.tenant_id, tenant.kind, tenant.subdomain, tenant.cluster
        ),
        None => "tenant       not read".to_string(),
    });
    line(match report.round_trip_ms {
        Some(ms) => format!("round trip   {ms:.1} ms (median of the health pings)"),
        None => "round trip   no health ping answered".to_string(),
    });

    line(String::new());
    line(
        "read permissions (* = needed by plan, drift and export; the meeting-type and \
         scheduling-link reads where the manifests manage those kinds)"
            .to_string(),
    );
    // Columns at least 20 wide, wider when a name needs it (`scheduling-links.read`).
    let permission_width = report
        .read_permissions
        .iter()
        .map(|entry| entry.permission.len())
        .max()
        .unwrap_or(0)
        .max(20);
    for entry in &report.read_permissions {
        let (status, detail) = match &entry.access {
            Access::Granted => ("ok", String::new()),
            Access::Missing { permission } => ("MISSING", format!("  lacks `{permission}`")),
            Access::TokenRefused => ("refused", String::new()),
            Access::Failed { message } => ("FAILED", format!("  {message}")),
            Access::NotProbed { reason } => ("-", format!("  not checked: {reason}")),
        };
        let needed = if entry.required { "*" } else { " " };
        line(format!(
            "  {status:<8} {:<permission_width$} {needed} {}{detail}",
            entry.permission, entry.op
        ));
    }

    if !report.collections.is_empty() {
        line(String::new());
        line("collections".to_string());
    }
    let kind_width = report
        .collections
        .iter()
        .map(|collection| collection.kind.len())
        .max()
        .unwrap_or(0)
        .max(20);
    for collection in &report.collections {
        let mut text = format!("  {:<kind_width$} ", collection.kind);
        match &collection.error {
            Some(error) => {
                let _ = write!(text, "not fetched: {error}");
            }
            None => {
                let _ = write!(text, "{:>6}", collection.count);
                if collection.undecodable > 0 {
                    let _ = write!(text, " ({} undecodable)", collection.undecodable);
                }
                if let Some(paging) = &collection.paging {
                    let echoed = paging
                        .echoed
                        .map_or("no pageSize".to_string(), |size| format!("pageSize {size}"));
                    let _ = write!(
                        text,
                        "   asked {}, server echoed {echoed}, {} page{}",
                        paging.asked,
                        paging.pages,
                        if paging.pages == 1 { "" } else { "s" }
                    );
                }
            }
        }
        line(text);
    }

    if !report.unknown_objects.is_empty() {
        line(String::new());
        line("unknown objects".to_string());
        for unknown in &report.unknown_objects {
            let mut place = unknown.kind.clone();
            if let Some(id) = &unknown.id {
                let _ = write!(place, " `{id}`");
            }
            if let Some(name) = &unknown.name {
                let _ = write!(place, " ({name})");
            }
            line(format!("  {place}: {}", unknown.detail));
        }
    }

    if let ModelCheck::Failed { reason } = &report.model_check {
        line(String::new());
        line(format!("model check  {reason}"));
    }

    if let Some(needs) = &report.write_needs {
        line(String::new());
        if !needs.plan_refused.is_empty() {
            line("write permissions for apply: the plan of these manifests is refused".to_string());
            for problem in &needs.plan_refused {
                line(format!("  {problem}"));
            }
        } else if needs.permissions.is_empty() {
            line("write permissions for apply: none (the manifests match the org)".to_string());
        } else {
            line(
                "write permissions apply would need for these manifests (not checked: doctor \
                 never writes)"
                    .to_string(),
            );
            for need in &needs.permissions {
                let operations: Vec<String> = need
                    .operations
                    .iter()
                    .map(|(op, steps)| format!("{op} x{steps}"))
                    .collect();
                line(format!(
                    "  {:<22} {}",
                    need.permission,
                    operations.join(", ")
                ));
            }
        }
    }

    line(String::new());
    let blockers = report.blockers();
    if blockers.is_empty() {
        line("ok: scoville can read this org".to_string());
    } else {
        line("not ok: scoville cannot work with this org read-only yet".to_string());
        for blocker in blockers {
            line(format!("  - {blocker}"));
        }
    }
    out
}
