//! A self-contained HTML report: no external scripts, fonts or styles, so it
//! works offline. Charts are inline SVG built from the report's bounded plot
//! data, so the page size does not grow with the number of rows. Every
//! user-supplied string (column names, categories, paths) is escaped.

use super::*;
use drift_core::report::{Plot, Report};
use std::fmt::Write;

const CSS: &str = r#"
:root{--ref:#3b6fd4;--cur:#e0792b;--bad:#c62828;--warn:#b7791f;--ok:#2e7d32;--mut:#666;--bg:#fafafa}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;background:var(--bg)}
main{max-width:1100px;margin:0 auto;padding:16px}
header{background:#fff;border:1px solid #ddd;border-radius:8px;padding:16px;margin-bottom:16px}
h1{font-size:20px;margin:0 0 6px}h2{font-size:16px;margin:24px 0 8px}
.verdict{font-size:18px;font-weight:600}.verdict.bad{color:var(--bad)}.verdict.ok{color:var(--ok)}.verdict.warn{color:var(--warn)}
.meta{color:var(--mut);font-size:13px;word-break:break-all}
.bar{height:10px;background:#e6e6e6;border-radius:5px;overflow:hidden;margin:8px 0;max-width:420px}.bar>div{height:100%;background:var(--bad)}
.tablewrap{overflow-x:auto;background:#fff;border:1px solid #ddd;border-radius:8px}
table{border-collapse:collapse;width:100%}th,td{padding:6px 10px;border-bottom:1px solid #eee;text-align:left;white-space:nowrap}
th{background:#f3f3f3;position:sticky;top:0}table.sortable th{cursor:pointer;user-select:none}table.sortable th:after{content:" ⇅";color:#aaa;font-size:11px}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.st{font-weight:600}.st.drift{color:var(--bad)}.st.warn{color:var(--warn)}.st.ok{color:var(--ok)}.st.skipped,.st.no_data{color:var(--mut)}
details.col{background:#fff;border:1px solid #ddd;border-radius:8px;margin:10px 0;padding:0 12px}
details.col>summary{cursor:pointer;padding:10px 0;font-weight:600;overflow-wrap:anywhere}
.charts{display:flex;flex-wrap:wrap;gap:12px}.chart{flex:1 1 320px;max-width:460px}.chart svg{width:100%;height:auto;display:block}
.legend{font-size:12px;color:var(--mut)}.legend i{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px;vertical-align:middle}
.small{font-size:12px;color:var(--mut)}code{overflow-wrap:anywhere}
@media (max-width:600px){main{padding:8px}th,td{padding:4px 6px}.hide-sm{display:none}}
"#;

const JS: &str = r#"
document.querySelectorAll('table.sortable').forEach(function(t){
  t.querySelectorAll('th').forEach(function(th,i){
    th.addEventListener('click',function(){
      var tb=t.tBodies[0],rows=Array.prototype.slice.call(tb.rows),asc=th.dataset.asc!=='1';
      t.querySelectorAll('th').forEach(function(h){delete h.dataset.asc});th.dataset.asc=asc?'1':'0';
      rows.sort(function(a,b){
        var x=a.cells[i].dataset.v!==undefined?a.cells[i].dataset.v:a.cells[i].textContent,
            y=b.cells[i].dataset.v!==undefined?b.cells[i].dataset.v:b.cells[i].textContent;
        var nx=parseFloat(x),ny=parseFloat(y),r;
        if(!isNaN(nx)&&!isNaN(ny)){r=nx-ny}else{r=x.localeCompare(y)}
        return asc?r:-r});
      rows.forEach(function(r){tb.appendChild(r)});
    });
  });
});
"#;

fn f(x: f64) -> String {
    format!("{x:.2}")
}

fn axis_label(x: f64) -> String {
    escape(&num(x))
}

fn histogram_svg(edges: &[f64], r: &[f64], c: &[f64]) -> String {
    let (w, h, l, b) = (420.0, 200.0, 36.0, 22.0);
    let pw = w - l - 6.0;
    let ph = h - b - 8.0;
    let maxv = r.iter().chain(c).cloned().fold(0.0f64, f64::max).max(1e-12);
    let n = r.len().max(1) as f64;
    let bw = pw / n;
    let mut s = format!("<svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"histogram\">");
    for (k, (&rv, &cv)) in r.iter().zip(c).enumerate() {
        let x = l + k as f64 * bw;
        for (v, col, dx, ww) in [
            (rv, "var(--ref)", 0.0, bw * 0.5),
            (cv, "var(--cur)", bw * 0.5, bw * 0.5),
        ] {
            let hh = v / maxv * ph;
            let _ = write!(s, "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{col}\" opacity=\"0.8\"><title>{}</title></rect>", f(x + dx), f(8.0 + ph - hh), f((ww - 0.5).max(0.5)), f(hh), escape(&format!("[{}, {}): {:.2}%", num(edges[k]), num(edges[k + 1]), v * 100.0)));
        }
    }
    let _ = write!(
        s,
        "<line x1=\"{l}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#999\"/>",
        f(8.0 + ph),
        f(w - 6.0),
        f(8.0 + ph)
    );
    let _ = write!(
        s,
        "<text x=\"{l}\" y=\"{}\" font-size=\"11\" fill=\"#666\">{}</text>",
        f(h - 6.0),
        axis_label(edges[0])
    );
    let _ = write!(
        s,
        "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#666\" text-anchor=\"end\">{}</text>",
        f(w - 6.0),
        f(h - 6.0),
        axis_label(edges[edges.len() - 1])
    );
    let _ = write!(
        s,
        "<text x=\"2\" y=\"16\" font-size=\"11\" fill=\"#666\">{:.0}%</text>",
        maxv * 100.0
    );
    s.push_str("</svg>");
    s
}

fn ecdf_svg(xs: &[f64], r: &[f64], c: &[f64], ks: Option<(f64, f64)>) -> String {
    let (w, h, l, b) = (420.0, 200.0, 36.0, 22.0);
    let pw = w - l - 6.0;
    let ph = h - b - 8.0;
    let (lo, hi) = (xs[0], xs[xs.len() - 1]);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let px = |x: f64| l + (x - lo) / span * pw;
    let py = |y: f64| 8.0 + ph - y * ph;
    let path = |ys: &[f64]| -> String {
        let mut d = String::new();
        for (k, (&x, &y)) in xs.iter().zip(ys).enumerate() {
            if k == 0 {
                let _ = write!(d, "M{} {}", f(px(x)), f(py(y)));
            } else {
                let _ = write!(d, " H{} V{}", f(px(x)), f(py(y)));
            }
        }
        d
    };
    let mut s = format!("<svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"ECDF\">");
    let _ = write!(
        s,
        "<rect x=\"{l}\" y=\"8\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#ddd\"/>",
        f(pw),
        f(ph)
    );
    let _ = write!(
        s,
        "<path d=\"{}\" fill=\"none\" stroke=\"var(--ref)\" stroke-width=\"1.8\"/>",
        path(r)
    );
    let _ = write!(
        s,
        "<path d=\"{}\" fill=\"none\" stroke=\"var(--cur)\" stroke-width=\"1.8\"/>",
        path(c)
    );
    if let Some((loc, d)) = ks {
        if loc >= lo && loc <= hi {
            let k = xs.partition_point(|&x| x <= loc).saturating_sub(1);
            let (y1, y2) = (r[k], c[k]);
            let _ = write!(s, "<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"var(--bad)\" stroke-width=\"2\" stroke-dasharray=\"3 2\"><title>KS D = {3}</title></line>", f(px(loc)), f(py(y1)), f(py(y2)), escape(&num(d)));
            let _ = write!(
                s,
                "<text x=\"{}\" y=\"20\" font-size=\"11\" fill=\"var(--bad)\">D = {}</text>",
                f((px(loc) + 4.0).min(w - 70.0)),
                escape(&num(d))
            );
        }
    }
    let _ = write!(
        s,
        "<text x=\"{l}\" y=\"{}\" font-size=\"11\" fill=\"#666\">{}</text>",
        f(h - 6.0),
        axis_label(lo)
    );
    let _ = write!(
        s,
        "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#666\" text-anchor=\"end\">{}</text>",
        f(w - 6.0),
        f(h - 6.0),
        axis_label(hi)
    );
    let _ = write!(s, "<text x=\"2\" y=\"16\" font-size=\"11\" fill=\"#666\">1</text><text x=\"2\" y=\"{}\" font-size=\"11\" fill=\"#666\">0</text>", f(8.0 + ph));
    s.push_str("</svg>");
    s
}

fn category_svg(cats: &[String], r: &[f64], c: &[f64], other: (f64, f64)) -> String {
    let mut labels: Vec<String> = cats
        .iter()
        .map(|s| s.chars().take(18).collect::<String>())
        .collect();
    let (mut rr, mut cc) = (r.to_vec(), c.to_vec());
    if other.0 > 1e-12 || other.1 > 1e-12 {
        labels.push("(other)".into());
        rr.push(other.0);
        cc.push(other.1);
    }
    let row = 22.0;
    let (w, l) = (420.0, 130.0);
    let h = 10.0 + row * labels.len() as f64;
    let maxv = rr
        .iter()
        .chain(&cc)
        .cloned()
        .fold(0.0f64, f64::max)
        .max(1e-12);
    let pw = w - l - 96.0;
    let mut s =
        format!("<svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"category shares\">");
    for (k, lab) in labels.iter().enumerate() {
        let y = 5.0 + k as f64 * row;
        let shown = if lab.is_empty() {
            "(empty)".to_string()
        } else {
            lab.clone()
        };
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\" fill=\"#333\">{}</text>",
            f(l - 6.0),
            f(y + 14.0),
            escape(&shown)
        );
        for (v, col, dy) in [(rr[k], "var(--ref)", 2.0), (cc[k], "var(--cur)", 11.0)] {
            let ww = v / maxv * pw;
            let _ = write!(s, "<rect x=\"{l}\" y=\"{}\" width=\"{}\" height=\"8\" fill=\"{col}\"><title>{:.2}%</title></rect>", f(y + dy), f(ww.max(0.5)), v * 100.0);
        }
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#666\">{:.1}% / {:.1}%</text>",
            f(l + pw + 4.0),
            f(y + 14.0),
            rr[k] * 100.0,
            cc[k] * 100.0
        );
    }
    s.push_str("</svg>");
    s
}

fn legend() -> &'static str {
    "<div class=\"legend\"><i style=\"background:var(--ref)\"></i>reference<i style=\"background:var(--cur)\"></i>current</div>"
}

/// Renders the whole page.
pub fn render(r: &Report) -> String {
    let s = &r.summary;
    let cls = match s.status {
        RunStatus::DatasetDrift | RunStatus::ColumnDrift => "bad",
        RunStatus::NoDrift => "ok",
        RunStatus::NothingTested => "warn",
    };
    let mut o = String::with_capacity(64 * 1024);
    o.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
    let _ = write!(
        o,
        "<title>drift report: {}</title><style>{CSS}</style></head><body><main>",
        escape(&verdict(r))
    );
    let _ = write!(
        o,
        "<header><h1>drift report</h1><div class=\"verdict {cls}\">{}</div>",
        escape(&verdict(r))
    );
    let _ = write!(o, "<div class=\"bar\" title=\"share of drifted columns\"><div style=\"width:{:.1}%\"></div></div>", s.share_drifted * 100.0);
    let _ = write!(
        o,
        "<div class=\"meta\">reference <code>{}</code> · {} rows<br>current <code>{}</code> · {} rows<br>{} {} · schema {}</div></header>",
        escape(r.inputs.reference.path.as_deref().unwrap_or("(in memory)")),
        r.inputs.reference.rows,
        escape(r.inputs.current.path.as_deref().unwrap_or("(in memory)")),
        r.inputs.current.rows,
        escape(&r.tool.name),
        escape(&r.tool.version),
        escape(&r.schema_version)
    );
    o.push_str("<h2>Columns</h2><div class=\"tablewrap\"><table class=\"sortable\"><thead><tr><th>column</th><th>kind</th><th>status</th><th>test</th><th>score</th><th>threshold</th><th class=\"hide-sm\">missing ref / cur</th></tr></thead><tbody>");
    for (i, c) in display_order(&r.columns).into_iter().enumerate() {
        let t = headline_test(c);
        let st = serde_json::to_value(c.status)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        let _ = write!(
            o,
            "<tr><td><a href=\"#col-{i}\">{}</a></td><td>{}</td><td class=\"st {st}\" data-v=\"{}\">{}</td><td>{}</td><td class=\"num\" data-v=\"{}\">{}</td><td>{}</td><td class=\"num hide-sm\">{:.1}% / {:.1}%</td></tr>",
            escape(&c.name),
            c.kind.map(|k| format!("{k:?}").to_lowercase()).unwrap_or_else(|| "-".into()),
            c.status as u8,
            status_word(c.status),
            t.map(|t| t.test.name()).unwrap_or("-"),
            t.and_then(score).map(|x| x.to_string()).unwrap_or_default(),
            escape(&t.map(|t| opt(score(t))).unwrap_or_else(|| "-".into())),
            escape(&t.map(threshold_text).unwrap_or_else(|| "-".into())),
            c.reference.missing_share * 100.0,
            c.current.missing_share * 100.0
        );
    }
    o.push_str("</tbody></table></div>");
    o.push_str("<h2>Details</h2>");
    for (i, c) in display_order(&r.columns).into_iter().enumerate() {
        let open = if c.drift { " open" } else { "" };
        let _ = write!(o, "<details class=\"col\" id=\"col-{i}\"{open}><summary>{} <span class=\"st {}\">{}</span></summary>", escape(&c.name), serde_json::to_value(c.status).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default(), status_word(c.status));
        if let Some(reason) = &c.reason {
            let _ = write!(o, "<p class=\"small\">{}</p>", escape(reason));
        }
        let _ = write!(
            o,
            "<p class=\"small\">type {}{}</p>",
            escape(&c.dtype),
            c.current_dtype
                .as_ref()
                .map(|d| format!(" → {}", escape(d)))
                .unwrap_or_default()
        );
        match &c.plot {
            Some(Plot::Numeric {
                edges,
                reference,
                current,
                ecdf_x,
                ecdf_reference,
                ecdf_current,
            }) => {
                let ks = c
                    .tests
                    .iter()
                    .find(|t| t.test == drift_core::TestKind::Ks)
                    .and_then(|t| Some((t.location?, t.statistic?)));
                let _ = write!(o, "<div class=\"charts\"><div class=\"chart\"><div class=\"small\">histogram (share per bin)</div>{}{}</div><div class=\"chart\"><div class=\"small\">ECDF{}</div>{}{}</div></div>", histogram_svg(edges, reference, current), legend(), if ks.is_some() { " with the KS distance" } else { "" }, ecdf_svg(ecdf_x, ecdf_reference, ecdf_current, ks), legend());
            }
            Some(Plot::Categorical {
                categories,
                reference,
                current,
                other,
            }) => {
                let _ = write!(o, "<div class=\"charts\"><div class=\"chart\"><div class=\"small\">category shares (top categories)</div>{}{}</div></div>", category_svg(categories, reference, current, *other), legend());
            }
            None => {}
        }
        if !c.tests.is_empty() {
            o.push_str("<div class=\"tablewrap\"><table><thead><tr><th>test</th><th>statistic</th><th>p-value</th><th>threshold</th><th>outcome</th><th class=\"hide-sm\">details</th></tr></thead><tbody>");
            for t in &c.tests {
                let mut det = Vec::new();
                if let Some(m) = t.method {
                    det.push(format!("method {}", format!("{m:?}").to_lowercase()));
                }
                if let Some(nv) = t.normalized {
                    det.push(format!("normalized {}", num(nv)));
                }
                if let Some(e) = t.effect {
                    det.push(format!("effect {}", num(e)));
                }
                if let Some(pa) = t.p_value_adjusted {
                    det.push(format!("adjusted p {}", num(pa)));
                }
                if let Some(b) = &t.binning {
                    det.push(
                        format!("{} bins ({:?}, by {})", b.bins, b.mode, b.bins_by).to_lowercase(),
                    );
                }
                if let Some(d) = t.dof {
                    det.push(format!("dof {d}"));
                }
                if let Some(n) = &t.note {
                    det.push(n.clone());
                }
                let outcome = if t.drift {
                    "<span class=\"st drift\">drift</span>"
                } else if t.warn {
                    "<span class=\"st warn\">warn</span>"
                } else {
                    "<span class=\"st ok\">ok</span>"
                };
                let _ = write!(o, "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{outcome}</td><td class=\"hide-sm\">{}</td></tr>", t.test.name(), escape(&opt(t.statistic)), escape(&opt(t.p_value)), escape(&threshold_text(t)), escape(&det.join(", ")));
            }
            o.push_str("</tbody></table></div>");
        }
        let side = |x: &drift_core::report::SideStats| {
            format!(
                "{} rows · {} null · {} NaN · {} inf · missing {:.2}%{}",
                x.count,
                x.nulls,
                x.nan,
                x.infinite,
                x.missing_share * 100.0,
                match (x.mean, x.std, x.min, x.max) {
                    (Some(m), Some(sd), Some(lo), Some(hi)) => format!(
                        " · mean {} · std {} · min {} · max {}",
                        num(m),
                        num(sd),
                        num(lo),
                        num(hi)
                    ),
                    _ => x
                        .distinct
                        .map(|d| format!(" · {d} categories"))
                        .unwrap_or_default(),
                }
            )
        };
        let _ = write!(
            o,
            "<p class=\"small\">reference: {}<br>current: {}</p>",
            escape(&side(&c.reference)),
            escape(&side(&c.current))
        );
        for sg in c.signals.iter().filter(|s| s.alert) {
            let _ = write!(o, "<p class=\"small st warn\">signal {}: reference {:.2}%, current {:.2}% (threshold {})</p>", escape(&sg.signal), sg.reference * 100.0, sg.current * 100.0, num(sg.threshold));
        }
        o.push_str("</details>");
    }
    let sf = &r.schema;
    o.push_str("<h2>Schema</h2>");
    if sf.only_in_reference.is_empty()
        && sf.only_in_current.is_empty()
        && sf.type_changes.is_empty()
    {
        o.push_str("<p class=\"small\">Both sides have the same columns and types.</p>");
    } else {
        o.push_str("<ul class=\"small\">");
        for (label, cols) in [
            ("only in reference", &sf.only_in_reference),
            ("only in current", &sf.only_in_current),
        ] {
            if !cols.is_empty() {
                let _ = write!(
                    o,
                    "<li>{label}: {}</li>",
                    cols.iter()
                        .map(|c| format!("<code>{}</code>", escape(c)))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
        }
        for t in &sf.type_changes {
            let _ = write!(
                o,
                "<li>type change <code>{}</code>: {} → {}{}</li>",
                escape(&t.column),
                escape(&t.reference),
                escape(&t.current),
                if t.compatible { "" } else { " (not compared)" }
            );
        }
        o.push_str("</ul>");
    }
    o.push_str("<h2>Settings</h2>");
    let _ = write!(
        o,
        "<p class=\"small\">{}<br>{}</p>",
        escape(&s.column_rule),
        escape(&s.dataset_rule)
    );
    let settings = serde_json::to_string_pretty(&r.settings).unwrap_or_default();
    let _ = write!(o, "<details class=\"col\"><summary>all settings (JSON)</summary><pre class=\"small\">{}</pre></details>", escape(&settings));
    let _ = writeln!(o, "</main><script>{JS}</script></body></html>");
    o
}
