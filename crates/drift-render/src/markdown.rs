//! A compact Markdown summary for pull-request comments and CI job summaries.

use super::*;
use drift_core::report::Report;

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
        .replace(['\n', '\r'], " ")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Renders the summary.
pub fn render(r: &Report) -> String {
    let safe = terminal_safe(r);
    let r = &safe;
    let icon = match r.summary.status {
        RunStatus::DatasetDrift => "🔴",
        RunStatus::ColumnDrift => "🟠",
        RunStatus::NoDrift => "🟢",
        RunStatus::NothingTested => "⚪",
    };
    let mut o = format!("### {icon} drift: {}\n\n", cell(&verdict(r)));
    o.push_str(&format!(
        "Reference `{}` ({} rows) · current `{}` ({} rows)\n\n",
        cell(r.inputs.reference.path.as_deref().unwrap_or("reference")),
        r.inputs.reference.rows,
        cell(r.inputs.current.path.as_deref().unwrap_or("current")),
        r.inputs.current.rows
    ));
    o.push_str(
        "| Column | Kind | Test | Score | Threshold | Status |\n|---|---|---|---:|---|---|\n",
    );
    for c in display_order(&r.columns) {
        let t = headline_test(c);
        let status = match c.status {
            ColumnStatus::Drift => "**drift**".to_string(),
            s => status_word(s).to_string(),
        };
        o.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            cell(&c.name),
            c.kind
                .map(|k| format!("{k:?}").to_lowercase())
                .unwrap_or_else(|| "-".into()),
            t.map(|t| t.test.name()).unwrap_or("-"),
            t.map(|t| opt(score(t))).unwrap_or_else(|| "-".into()),
            t.map(threshold_text).unwrap_or_else(|| "-".into()),
            match &c.reason {
                Some(reason) => format!("{status}: {}", cell(reason)),
                None => status,
            }
        ));
    }
    let sf = &r.schema;
    if !sf.only_in_reference.is_empty()
        || !sf.only_in_current.is_empty()
        || !sf.type_changes.is_empty()
    {
        o.push_str("\n**Schema:** ");
        let mut parts = Vec::new();
        if !sf.only_in_reference.is_empty() {
            parts.push(format!(
                "only in reference: {}",
                cell(&sf.only_in_reference.join(", "))
            ));
        }
        if !sf.only_in_current.is_empty() {
            parts.push(format!(
                "only in current: {}",
                cell(&sf.only_in_current.join(", "))
            ));
        }
        for t in &sf.type_changes {
            parts.push(format!(
                "`{}` {} → {}",
                cell(&t.column),
                cell(&t.reference),
                cell(&t.current)
            ));
        }
        o.push_str(&parts.join("; "));
        o.push('\n');
    }
    o.push_str(&format!(
        "\n<sub>{} · {}</sub>\n",
        cell(&r.summary.column_rule),
        cell(&r.summary.dataset_rule)
    ));
    o
}
