//! # drift-render
//!
//! Renderers of a drift [`Report`]: pure functions from the report model to
//! text — the terminal summary ([`text`]), Markdown ([`markdown`]), a
//! self-contained HTML page ([`html`]), JUnit XML ([`junit`]) and the JSON
//! contract ([`json`]). They depend on the report model only: no engine,
//! no I/O.
#![warn(missing_docs)]

pub mod html;
pub mod junit;
pub mod markdown;
pub mod text;

/// The JSON contract: the report serialised, pretty-printed, one trailing
/// newline (no NaN or infinity can appear: the model holds none).
pub mod json {
    use drift_core::report::Report;

    /// Renders the report as JSON.
    pub fn render(report: &Report) -> String {
        let mut s = serde_json::to_string_pretty(report)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        s.push('\n');
        s
    }
}

use drift_core::report::{ColumnReport, ColumnStatus, RunStatus, TestResult};

/// Escapes text for HTML and XML (content and attribute values).
///
/// ```
/// assert_eq!(drift_render::escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
/// ```
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' && c != '\r' => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
    o
}

/// Columns ordered for display: drifted first, then warnings, then the
/// rest; input order within each group.
pub fn display_order(columns: &[ColumnReport]) -> Vec<&ColumnReport> {
    let mut v: Vec<&ColumnReport> = columns.iter().collect();
    v.sort_by_key(|c| c.status);
    v
}

/// The test whose outcome is shown as the column's score.
pub fn headline_test(c: &ColumnReport) -> Option<&TestResult> {
    c.decided_by
        .and_then(|t| c.tests.iter().find(|r| r.test == t))
        .or_else(|| c.tests.iter().find(|t| t.drift))
        .or_else(|| c.tests.first())
}

/// The number a test is judged on (p-value, normalised W1, PSI).
pub fn score(t: &TestResult) -> Option<f64> {
    match t.test {
        drift_core::TestKind::Ks | drift_core::TestKind::Chi2 => t.p_value_adjusted.or(t.p_value),
        drift_core::TestKind::Wasserstein => t.normalized.or(t.statistic),
        drift_core::TestKind::Psi => t.statistic,
    }
}

/// How a test's threshold reads ("p < 0.05", "≥ 0.1").
pub fn threshold_text(t: &TestResult) -> String {
    match t.test {
        drift_core::TestKind::Ks | drift_core::TestKind::Chi2 => {
            format!("p < {}", num(t.threshold))
        }
        drift_core::TestKind::Wasserstein if t.normalized.is_none() => "W1 > 0".into(),
        _ => format!(">= {}", num(t.threshold)),
    }
}

/// Compact number formatting for tables.
pub fn num(x: f64) -> String {
    if x == 0.0 {
        "0".into()
    } else if x.abs() >= 1e-3 && x.abs() < 1e6 {
        let s = format!("{x:.4}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_string()
    } else {
        format!("{x:.3e}")
    }
}

/// Optional number, "-" when absent.
pub fn opt(x: Option<f64>) -> String {
    x.map(num).unwrap_or_else(|| "-".into())
}

/// Lower-case status word.
pub fn status_word(s: ColumnStatus) -> &'static str {
    match s {
        ColumnStatus::Drift => "drift",
        ColumnStatus::Warn => "warn",
        ColumnStatus::Ok => "ok",
        ColumnStatus::NoData => "no data",
        ColumnStatus::Skipped => "skipped",
    }
}

/// One-line verdict.
pub fn verdict(r: &drift_core::report::Report) -> String {
    let s = &r.summary;
    let head = match s.status {
        RunStatus::DatasetDrift => "DATASET DRIFT",
        RunStatus::ColumnDrift => "column drift (below the dataset rule)",
        RunStatus::NoDrift => "no drift",
        RunStatus::NothingTested => "nothing could be tested",
    };
    format!(
        "{head}: {} of {} tested columns drifted ({:.1}%, dataset rule >= {:.0}%){}",
        s.drifted_columns,
        s.tested_columns,
        s.share_drifted * 100.0,
        r.settings.config.drift_share * 100.0,
        if s.untested_columns > 0 {
            format!(", {} not tested", s.untested_columns)
        } else {
            String::new()
        }
    )
}

/// The report with every control character of every string (column and
/// file names, categories, reasons, notes) written as a visible escape
/// (`\u{1b}`): text and Markdown go to terminals, where a name holding
/// `ESC[2J` would otherwise clear the screen or retitle the window.
pub fn terminal_safe(r: &drift_core::report::Report) -> drift_core::report::Report {
    fn walk(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) if s.chars().any(char::is_control) => {
                *s = escape_controls(s);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(walk),
            serde_json::Value::Object(o) => o.values_mut().for_each(walk),
            _ => {}
        }
    }
    let Ok(mut v) = serde_json::to_value(r) else {
        return r.clone();
    };
    walk(&mut v);
    serde_json::from_value(v).unwrap_or_else(|_| r.clone())
}

/// `s` with its control characters escaped (`\u{1b}`).
pub fn escape_controls(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}
