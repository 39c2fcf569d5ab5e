//! The terminal summary: a table of columns, drifted first, and a verdict.

use super::*;
use drift_core::report::Report;

fn paint(s: &str, code: &str, color: bool) -> String {
    if color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

fn width(s: &str) -> usize {
    s.chars().count()
}

/// Renders the summary; `color` adds ANSI colours.
pub fn render(r: &Report, color: bool) -> String {
    let safe = terminal_safe(r);
    let r = &safe;
    let mut rows: Vec<[String; 6]> = vec![[
        "column".into(),
        "kind".into(),
        "test".into(),
        "score".into(),
        "threshold".into(),
        "status".into(),
    ]];
    let mut status: Vec<ColumnStatus> = vec![ColumnStatus::Ok];
    for c in display_order(&r.columns) {
        let t = headline_test(c);
        let kind = c
            .kind
            .map(|k| format!("{k:?}").to_lowercase())
            .unwrap_or_else(|| "-".into());
        let name: String = c.name.chars().filter(|ch| !ch.is_control()).collect();
        let st = match (&c.reason, c.status) {
            (Some(reason), ColumnStatus::Skipped | ColumnStatus::NoData) => {
                format!("{}: {}", status_word(c.status), reason)
            }
            _ => status_word(c.status).to_string(),
        };
        rows.push([
            name,
            kind,
            t.map(|t| t.test.name().to_string())
                .unwrap_or_else(|| "-".into()),
            t.map(|t| opt(score(t))).unwrap_or_else(|| "-".into()),
            t.map(threshold_text).unwrap_or_else(|| "-".into()),
            st,
        ]);
        status.push(c.status);
    }
    let mut w = [0usize; 6];
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            w[i] = w[i].max(width(cell).min(40));
        }
    }
    let mut out = String::new();
    out.push_str(&format!(
        "drift {} → {}\n\n",
        r.inputs.reference.path.as_deref().unwrap_or("reference"),
        r.inputs.current.path.as_deref().unwrap_or("current")
    ));
    for (k, row) in rows.iter().enumerate() {
        let mut line = String::new();
        for i in 0..5 {
            let cell: String = row[i].chars().take(40).collect();
            line.push_str(&cell);
            line.push_str(&" ".repeat(w[i] - width(&cell) + 2));
        }
        let st = match status[k] {
            _ if k == 0 => paint(&row[5], "1", color),
            ColumnStatus::Drift => paint(&row[5], "1;31", color),
            ColumnStatus::Warn => paint(&row[5], "33", color),
            ColumnStatus::Ok => paint(&row[5], "32", color),
            _ => paint(&row[5], "2", color),
        };
        line.push_str(&st);
        out.push_str(if k == 0 { &line } else { line.as_str() });
        out.push('\n');
    }
    let sf = &r.schema;
    if !sf.only_in_reference.is_empty() {
        out.push_str(&format!(
            "\nonly in reference: {}\n",
            sf.only_in_reference.join(", ")
        ));
    }
    if !sf.only_in_current.is_empty() {
        out.push_str(&format!(
            "only in current: {}\n",
            sf.only_in_current.join(", ")
        ));
    }
    for t in &sf.type_changes {
        out.push_str(&format!(
            "type change: {} {} → {}{}\n",
            t.column,
            t.reference,
            t.current,
            if t.compatible { "" } else { " (not compared)" }
        ));
    }
    let v = verdict(r);
    let v = match r.summary.status {
        RunStatus::DatasetDrift | RunStatus::ColumnDrift => paint(&v, "1;31", color),
        RunStatus::NoDrift => paint(&v, "1;32", color),
        RunStatus::NothingTested => paint(&v, "1;33", color),
    };
    out.push('\n');
    out.push_str(&v);
    out.push('\n');
    out
}
