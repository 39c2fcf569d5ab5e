//! JUnit XML: one test case per column; drift is a failure, untested
//! columns are skipped.

use super::*;
use drift_core::report::Report;

/// Renders JUnit XML.
pub fn render(r: &Report) -> String {
    let failures = r.columns.iter().filter(|c| c.drift).count();
    let skipped = r
        .columns
        .iter()
        .filter(|c| matches!(c.status, ColumnStatus::Skipped | ColumnStatus::NoData))
        .count();
    let mut o = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    o.push_str(&format!(
        "<testsuites name=\"drift\" tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\">\n",
        r.columns.len()
    ));
    o.push_str(&format!(
        "  <testsuite name=\"drift {} vs {}\" tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\" errors=\"0\">\n",
        escape(r.inputs.reference.path.as_deref().unwrap_or("reference")),
        escape(r.inputs.current.path.as_deref().unwrap_or("current")),
        r.columns.len()
    ));
    for c in &r.columns {
        o.push_str(&format!(
            "    <testcase classname=\"drift.columns\" name=\"{}\">\n",
            escape(&c.name)
        ));
        let details: Vec<String> = c
            .tests
            .iter()
            .map(|t| {
                format!(
                    "{}: statistic={} p={} threshold={} drift={}",
                    t.test.name(),
                    opt(t.statistic),
                    opt(t.p_value),
                    num(t.threshold),
                    t.drift
                )
            })
            .collect();
        match c.status {
            ColumnStatus::Drift => {
                let t = headline_test(c);
                let msg = t
                    .map(|t| {
                        format!(
                            "{} {} (threshold {})",
                            t.test.name(),
                            opt(score(t)),
                            threshold_text(t)
                        )
                    })
                    .unwrap_or_else(|| "drift".into());
                o.push_str(&format!(
                    "      <failure message=\"drift: {}\" type=\"drift\">{}</failure>\n",
                    escape(&msg),
                    escape(&details.join("\n"))
                ));
            }
            ColumnStatus::Skipped | ColumnStatus::NoData => {
                o.push_str(&format!(
                    "      <skipped message=\"{}\"/>\n",
                    escape(c.reason.as_deref().unwrap_or("not tested"))
                ));
            }
            _ => {
                if !details.is_empty() {
                    o.push_str(&format!(
                        "      <system-out>{}</system-out>\n",
                        escape(&details.join("\n"))
                    ));
                }
            }
        }
        o.push_str("    </testcase>\n");
    }
    o.push_str("  </testsuite>\n</testsuites>\n");
    o
}
