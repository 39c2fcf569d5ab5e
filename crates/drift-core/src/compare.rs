//! Compare: the statistics of one column — a prepared current side against
//! a fitted reference column — as its plan asks. No threshold is applied
//! here (see [`crate::decide`]).

use crate::accumulate::Side;
use crate::config::{PsiBinning, TestKind};
use crate::fit::{psi_bins_of, ColumnProfile, NumericProfile, ProfileData, SearchIndex};
use crate::kernels::ecdf::{
    ecdf_groups, ecdf_merge, ecdf_search, ecdf_search_runs, EcdfStats, PrefixIndex, RunsIndex,
};
use crate::kernels::histogram::bin_counts_sorted;
use crate::kernels::moments::Moments;
use crate::kernels::sorted::{Sorted, SortedSample};
use crate::plan::ColumnPlan;
use crate::plot::{categorical_plot, numeric_plot};
use crate::report::*;
use crate::stats::chi2::chi2_homogeneity;
use crate::stats::ks::ks_from_numerator;
use crate::stats::psi::{
    distinct_union_counts, histogram_sorted, psi_from_counts, sturges_edges, ZeroFill,
};
use crate::stats::wasserstein::normalized;
use std::borrow::Cow;

impl ColumnProfile {
    /// Compares a prepared current side against this fitted column, as the
    /// column's plan says. Test outcomes (drift flags) are filled in by the
    /// decision stage ([`crate::decide`]).
    pub fn compare(&self, plan: &ColumnPlan, current: &Side) -> ColumnReport {
        let current_dtype = &plan.current_type;
        let config = &plan.resolved;
        let mut r = ColumnReport {
            name: self.name.clone(),
            kind: self.kind,
            dtype: self.dtype.to_string(),
            current_dtype: (current_dtype != &self.dtype).then(|| current_dtype.to_string()),
            status: ColumnStatus::Ok,
            drift: false,
            decided_by: None,
            reason: None,
            reference: SideStats::from_counts(&self.counts),
            current: SideStats::from_counts(&current.counts()),
            tests: Vec::new(),
            signals: Vec::new(),
            plot: None,
        };
        let missing_signal = Signal {
            signal: "missing_share".into(),
            reference: r.reference.missing_share,
            current: r.current.missing_share,
            threshold: config.missing_share_threshold,
            alert: false,
        };
        if let ProfileData::Skipped(reason) = &self.data {
            return skip(r, reason.clone());
        }
        let kind = match self.kind {
            Some(k) => k,
            None => return skip(r, format!("type {} is not supported", self.dtype)),
        };
        let _ = kind;
        let resolved = config;
        match (&self.data, current) {
            (ProfileData::Skipped(reason), _) => return skip(r, reason.clone()),
            (_, Side::Failed(reason, _)) => return skip(r, reason.clone()),
            (ProfileData::Numeric(p), Side::Numeric(cs, _)) => {
                let cur = &cs.sorted;
                let rv = &p.values;
                fill_numeric_stats(&mut r.reference, rv.len(), &rv.moments, rv.distinct);
                fill_numeric_stats(&mut r.current, cur.len(), &cs.moments, cs.distinct);
                r.signals.push(missing_signal);
                if p.values.sorted.is_empty() || cur.is_empty() {
                    return no_data(r);
                }
                let (n, m) = (p.values.sorted.len() as u64, cur.len() as u64);
                let needs_ecdf = resolved
                    .tests
                    .iter()
                    .any(|t| matches!(t, TestKind::Ks | TestKind::Wasserstein));
                let e = needs_ecdf.then(|| ecdf(p, cur));
                for &t in &resolved.tests {
                    let s = resolved.settings(t);
                    let mut tr = TestResult::new(t, s.threshold);
                    tr.warn_threshold = s.warn;
                    tr.min_effect = s.min_effect;
                    let Some(e) = e.as_ref() else { continue };
                    match t {
                        TestKind::Ks => {
                            let k = ks_from_numerator(e.ks_numerator, n, m);
                            tr.statistic = finite(k.statistic);
                            tr.p_value = finite(k.p_value);
                            tr.effect = finite(k.statistic);
                            tr.method = Some(k.method);
                            tr.location = finite(e.ks_location);
                        }
                        TestKind::Wasserstein => {
                            let w = e.w1(n, m);
                            tr.statistic = finite(w);
                            tr.normalized = normalized(w, p.values.moments.std);
                            if tr.statistic.is_none() {
                                tr.note = Some("W1 overflows f64".into());
                            } else if tr.normalized.is_none() {
                                tr.note = Some("reference std is 0: drift iff W1 > 0".into());
                            }
                        }
                        TestKind::Psi => {
                            let (psi, info) =
                                numeric_psi(p, cur, config.psi_binning, config.psi_bins);
                            tr.statistic = finite(psi);
                            tr.binning = Some(info);
                        }
                        TestKind::Chi2 => continue,
                    }
                    r.tests.push(tr);
                }
                r.plot = Some(numeric_plot(&p.values.sorted, cur, config.plot_bins));
            }
            (ProfileData::Categorical(p), Side::Categorical(cur, _)) => {
                r.signals.push(missing_signal);
                let (cats, rc, cc) = union_counts(p, cur);
                if cats.len() > config.max_categories {
                    return skip(
                        r,
                        format!(
                            "{} categories in the union exceed max_categories = {}",
                            cats.len(),
                            config.max_categories
                        ),
                    );
                }
                r.reference.distinct = Some(p.len() as u64);
                r.current.distinct = Some(cur.len() as u64);
                r.reference.top_categories = Some(top(p, config.top_categories));
                r.current.top_categories = Some(top(cur, config.top_categories));
                let rt: u64 = rc.iter().sum();
                let ct: u64 = cc.iter().sum();
                if rt == 0 || ct == 0 {
                    return no_data(r);
                }
                let unseen: u64 = rc
                    .iter()
                    .zip(&cc)
                    .filter(|(r, _)| **r == 0)
                    .map(|(_, c)| *c)
                    .sum();
                r.signals.push(Signal {
                    signal: "unseen_categories_share".into(),
                    reference: 0.0,
                    current: unseen as f64 / ct as f64,
                    threshold: config.unseen_share_threshold,
                    alert: false,
                });
                for &t in &resolved.tests {
                    let s = resolved.settings(t);
                    let mut tr = TestResult::new(t, s.threshold);
                    tr.warn_threshold = s.warn;
                    tr.min_effect = s.min_effect;
                    match t {
                        TestKind::Chi2 => {
                            let c = chi2_homogeneity(&rc, &cc);
                            tr.statistic = finite(c.statistic);
                            tr.p_value = finite(c.p_value);
                            tr.dof = Some(c.dof);
                            tr.effect = finite(c.cramers_v);
                        }
                        TestKind::Psi => {
                            let fill = match config.psi_binning {
                                PsiBinning::Quantile => ZeroFill::Fixed,
                                PsiBinning::Evidently => ZeroFill::Evidently,
                            };
                            tr.statistic = finite(psi_from_counts(&rc, &cc, fill));
                            tr.binning = Some(PsiBinningInfo {
                                mode: config.psi_binning,
                                bins_by: "values".into(),
                                bins: cats.len() as u64,
                                edges: None,
                            });
                            // sampling noise alone gives PSI ≈ (k − 1)·(1/n + 1/m)
                            // over k categories: say so when it is a sizeable
                            // share of the threshold
                            let bias = (cats.len() as f64 - 1.0).max(0.0)
                                * (1.0 / rt as f64 + 1.0 / ct as f64);
                            if bias >= 0.25 * s.threshold {
                                tr.note = Some(format!(
                                    "PSI over {} categories of {rt} and {ct} rows is biased upward by about (k-1)(1/n+1/m) = {bias:.3} from sampling noise alone (threshold {}): prefer chi2 here",
                                    cats.len(),
                                    s.threshold
                                ));
                            }
                        }
                        _ => continue,
                    }
                    r.tests.push(tr);
                }
                r.plot = Some(categorical_plot(&cats, &rc, &cc, config.top_categories));
            }
            _ => return skip(r, "reference and current sides have different kinds".into()),
        }
        r
    }
}

fn fill_numeric_stats(s: &mut SideStats, len: usize, m: &Moments, distinct: u64) {
    if len == 0 {
        return;
    }
    s.min = finite(m.min);
    s.max = finite(m.max);
    s.mean = finite(m.mean);
    s.std = finite(m.std);
    s.distinct = Some(distinct);
}

fn skip(mut r: ColumnReport, reason: String) -> ColumnReport {
    r.status = ColumnStatus::Skipped;
    r.reason = Some(reason);
    r
}

fn no_data(mut r: ColumnReport) -> ColumnReport {
    r.status = ColumnStatus::NoData;
    let side = match (r.reference.valid, r.current.valid) {
        (0, 0) => "both sides have",
        (0, _) => "the reference has",
        _ => "the current data has",
    };
    r.reason = Some(format!(
        "{side} no valid values (all null, NaN or infinite)"
    ));
    r
}

fn numeric_psi(
    p: &NumericProfile,
    cur: &Sorted,
    mode: PsiBinning,
    bins: usize,
) -> (f64, PsiBinningInfo) {
    match mode {
        PsiBinning::Quantile => {
            // the edges fitted with the profile, or recomputed from its
            // values for another bin count
            let (edges, counts) = if p.psi_bins == bins {
                (Cow::Borrowed(&p.psi_edges), Cow::Borrowed(&p.psi_counts))
            } else {
                let (e, c) = psi_bins_of(&p.values, bins);
                (Cow::Owned(e), Cow::Owned(c))
            };
            let cc = bin_counts_sorted(cur, &edges);
            let info = PsiBinningInfo {
                mode,
                bins_by: "edges".into(),
                bins: cc.len() as u64,
                edges: Some(edges.to_vec()),
            };
            (psi_from_counts(&counts, &cc, ZeroFill::Fixed), info)
        }
        PsiBinning::Evidently => {
            if p.values.distinct > 20 {
                let lo = p.values.sorted.at(0).min(cur.at(0));
                let hi = p
                    .values
                    .sorted
                    .at(p.values.sorted.len() - 1)
                    .max(cur.at(cur.len() - 1));
                let edges = sturges_edges(lo, hi, (p.values.sorted.len() + cur.len()) as u64);
                let rc = histogram_sorted(&p.values.sorted, &edges);
                let cc = histogram_sorted(cur, &edges);
                let info = PsiBinningInfo {
                    mode,
                    bins_by: "edges".into(),
                    bins: rc.len() as u64,
                    edges: Some(edges),
                };
                (psi_from_counts(&rc, &cc, ZeroFill::Evidently), info)
            } else {
                let (v, rc, cc) = distinct_union_counts(&p.values.sorted, cur);
                let info = PsiBinningInfo {
                    mode,
                    bins_by: "values".into(),
                    bins: v.len() as u64,
                    edges: None,
                };
                (psi_from_counts(&rc, &cc, ZeroFill::Evidently), info)
            }
        }
    }
}

fn union_counts(a: &[(String, u64)], b: &[(String, u64)]) -> (Vec<String>, Vec<u64>, Vec<u64>) {
    let (mut i, mut j) = (0, 0);
    let (mut cats, mut ca, mut cb) = (Vec::new(), Vec::new(), Vec::new());
    while i < a.len() || j < b.len() {
        let take_a = j >= b.len() || (i < a.len() && a[i].0 <= b[j].0);
        let take_b = i >= a.len() || (j < b.len() && b[j].0 <= a[i].0);
        let key = if take_a { &a[i].0 } else { &b[j].0 };
        cats.push(key.clone());
        ca.push(if take_a { a[i].1 } else { 0 });
        cb.push(if take_b { b[j].1 } else { 0 });
        if take_a {
            i += 1;
        }
        if take_b {
            j += 1;
        }
    }
    (cats, ca, cb)
}

fn top(counts: &[(String, u64)], k: usize) -> Vec<CategoryCount> {
    let mut v: Vec<&(String, u64)> = counts.iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.into_iter()
        .take(k)
        .map(|(s, c)| CategoryCount {
            value: crate::report::report_label(s),
            count: *c,
        })
        .collect()
}

fn ecdf(p: &NumericProfile, cur: &Sorted) -> EcdfStats {
    let (a, b) = match (&p.values.sorted, cur) {
        (Sorted::Values(a), Sorted::Values(b)) => (a, b),
        (Sorted::Runs(r), _) => {
            // a window small against the reference's k runs: binary
            // searches, O(m log k); else one merge, O(k + m)
            let (k, m) = (r.values().len() as f64, cur.len() as f64);
            if m * (k.log2() + 1.0) * 4.0 < k {
                let idx = p.index.get_or_init(|| SearchIndex::Runs(RunsIndex::new(r)));
                if let SearchIndex::Runs(idx) = idx {
                    return ecdf_search_runs(r, idx, cur);
                }
            }
            return ecdf_groups(r, cur);
        }
        // current side held as runs: one merge over the distinct values
        _ => return ecdf_groups(&p.values.sorted, cur),
    };
    let (n, m) = (a.len() as f64, b.len() as f64);
    // Binary-search path when the window is small against the reference.
    if m * (n.log2() + 1.0) * 6.0 < n {
        let idx = p
            .index
            .get_or_init(|| SearchIndex::Values(PrefixIndex::new(a)));
        if let SearchIndex::Values(idx) = idx {
            return ecdf_search(a, idx, b);
        }
    }
    ecdf_merge(a, b)
}
