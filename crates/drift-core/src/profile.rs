//! The fitted reference and the comparison of current data against it.
//!
//! `Reference::fit` does everything that depends only on the reference —
//! extraction, sort (or counting into runs of (value, count) when there are
//! few distinct values, see [`crate::kernels::sorted`]), moments, PSI edges
//! and bin counts, category counts — once. `Reference::compare` then
//! touches only the current data plus O(m log n) binary searches into the
//! fitted reference for a window of m rows (O(m log k) for a reference of k
//! runs; no pass over the reference), so a monitoring service can check
//! thousands of windows against one fit.

use crate::column::{extract_numeric, natural_kind, supports, CategoryCounts};
use crate::config::{ColumnKind, Config, TestKind};
use crate::decide::finalize;
use crate::error::{Error, Result};
use crate::kernels::buffer;
use crate::kernels::ecdf::{
    ecdf_groups, ecdf_merge, ecdf_search, ecdf_search_runs, EcdfStats, PrefixIndex, RunsIndex,
};
use crate::kernels::extract::Counts;
use crate::kernels::histogram::bin_counts_sorted;
use crate::kernels::moments::Moments;
use crate::kernels::sorted::{Sorted, SortedSample};
use crate::report::*;
use crate::stats::chi2::chi2_homogeneity;
use crate::stats::ks::ks_from_numerator;
use crate::stats::psi::{
    distinct_union_counts, histogram_sorted, psi_from_counts, quantile_edges, sturges_edges,
    PsiBinning, ZeroFill,
};
use crate::stats::wasserstein::normalized;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Schema};
use rayon::prelude::*;
use std::sync::OnceLock;

/// Fitted numeric reference: the sorted finite values (or their runs) and
/// what derives from them.
#[derive(Debug)]
pub struct NumericProfile {
    sorted: Sorted,
    moments: Moments,
    distinct: u64,
    psi_edges: Vec<f64>,
    psi_counts: Vec<u64>,
    index: OnceLock<SearchIndex>,
}

/// The fitted reference's window-search index, built on first use.
#[derive(Debug)]
enum SearchIndex {
    Values(PrefixIndex),
    Runs(RunsIndex),
}

/// Fitted categorical reference: sorted category counts.
#[derive(Debug)]
pub struct CategoricalProfile {
    counts: Vec<(String, u64)>,
}

/// What a fitted column holds.
#[derive(Debug)]
pub enum ProfileData {
    /// Numeric column.
    Numeric(NumericProfile),
    /// Categorical column.
    Categorical(CategoricalProfile),
    /// Not testable, with the reason.
    Skipped(String),
}

/// One fitted reference column.
#[derive(Debug)]
pub struct ColumnProfile {
    /// Column name.
    pub name: String,
    /// Reference Arrow type.
    pub dtype: DataType,
    /// Kind it is tested as.
    pub kind: Option<ColumnKind>,
    /// Missing-value counts of the reference.
    pub counts: Counts,
    /// Fitted data.
    pub data: ProfileData,
}

/// Sorted finite values — as values, or as runs of (value, count) when
/// there are few distinct ones (see [`crate::kernels::sorted`]) — with the
/// summaries derived from them, computed in [`SideAccumulator::finish`] so
/// that both sides of a column get them in parallel.
#[derive(Debug, Default)]
pub struct SortedValues {
    /// Ascending, finite.
    pub sorted: Sorted,
    /// Moments of the values.
    pub moments: Moments,
    /// Distinct values.
    pub distinct: u64,
}

impl SortedValues {
    /// Sorts `values` (or counts them into runs, see [`Sorted::of`]) and
    /// summarises them.
    pub fn new(values: Vec<f64>) -> SortedValues {
        let mut sorted = Sorted::of(values);
        let (moments, distinct) = match &mut sorted {
            Sorted::Values(v) => {
                if v.capacity() - v.len() > v.len() / 4 {
                    v.shrink_to_fit();
                }
                Moments::of_sorted(v)
            }
            Sorted::Runs(r) => Moments::of_runs(r),
        };
        SortedValues {
            sorted,
            moments,
            distinct,
        }
    }
}

/// The current side of one column, extracted and ready to compare.
#[derive(Debug)]
pub enum CurrentSide {
    /// Sorted finite values.
    Numeric(SortedValues, Counts),
    /// Category counts.
    Categorical(Vec<(String, u64)>, Counts),
    /// Could not be extracted.
    Failed(String, Counts),
}

/// Mergeable state of one side of one column while its batches stream in:
/// `update` per Arrow array, `merge` across partitions, `finish` to sort.
/// Memory: the finite values (numeric, pre-sized with `capacity` to avoid
/// growth copies) or the category counts — never the Arrow arrays.
#[derive(Debug)]
pub enum SideAccumulator {
    /// Finite values so far.
    Numeric(Vec<f64>, Counts),
    /// Category counts so far.
    Categorical(CategoryCounts),
    /// Extraction failed (e.g. too many categories); the reason.
    Failed(String, Counts),
}

impl SideAccumulator {
    /// An empty accumulator for a column of kind `kind`; `capacity` is the
    /// expected row count (a size hint).
    pub fn new(kind: ColumnKind, capacity: usize) -> SideAccumulator {
        match kind {
            ColumnKind::Numeric => {
                SideAccumulator::Numeric(buffer::take_f64(capacity), Counts::default())
            }
            ColumnKind::Categorical => SideAccumulator::Categorical(CategoryCounts::default()),
        }
    }

    /// The accumulator for a planned column: a skipped column (`Err` kind)
    /// starts as `Failed`, which only counts rows and nulls.
    pub fn for_plan(plan: &ColumnPlan, capacity: usize) -> SideAccumulator {
        match &plan.kind {
            Ok(kind) => SideAccumulator::new(*kind, capacity),
            Err(reason) => SideAccumulator::Failed(reason.clone(), Counts::default()),
        }
    }

    /// Adds one array of the column.
    pub fn update(&mut self, name: &str, array: &dyn Array, config: &Config) {
        let failed = match self {
            SideAccumulator::Numeric(v, c) => match extract_numeric(name, array, v) {
                Ok(k) => {
                    c.merge(&k);
                    None
                }
                Err(e) => Some((e.to_string(), *c)),
            },
            SideAccumulator::Categorical(cc) => cc
                .update(name, array, config.max_categories)
                .err()
                .map(|e| (e.to_string(), cc.missing)),
            SideAccumulator::Failed(_, c) => {
                c.merge(&Counts {
                    count: array.len() as u64,
                    nulls: array.logical_null_count() as u64,
                    ..Counts::default()
                });
                None
            }
        };
        if let Some((reason, counts)) = failed {
            *self = SideAccumulator::Failed(reason, counts);
        }
    }

    /// Merges another partition of the same side (row and missing counts
    /// add up whatever the states; a failed partition fails the side).
    pub fn merge(&mut self, other: SideAccumulator) {
        match (&mut *self, other) {
            (SideAccumulator::Numeric(v, c), SideAccumulator::Numeric(w, d)) => {
                v.extend_from_slice(&w);
                buffer::recycle_f64(w);
                c.merge(&d);
            }
            (SideAccumulator::Categorical(a), SideAccumulator::Categorical(b)) => a.merge(b),
            (SideAccumulator::Failed(_, c), o) => c.merge(&o.counts()),
            (s, SideAccumulator::Failed(r, mut d)) => {
                d.merge(&s.counts());
                *self = SideAccumulator::Failed(r, d);
            }
            (s, o) => {
                let mut c = s.counts();
                c.merge(&o.counts());
                *self = SideAccumulator::Failed("partitions of different kinds".into(), c);
            }
        }
    }

    /// Row and missing-value counts so far.
    pub fn counts(&self) -> Counts {
        match self {
            SideAccumulator::Numeric(_, c) | SideAccumulator::Failed(_, c) => *c,
            SideAccumulator::Categorical(cc) => cc.missing,
        }
    }

    /// Sorts (numeric) or orders (categorical) what was accumulated.
    pub fn finish(self) -> CurrentSide {
        match self {
            SideAccumulator::Numeric(v, c) => CurrentSide::Numeric(SortedValues::new(v), c),
            SideAccumulator::Categorical(cc) => {
                let m = cc.missing;
                CurrentSide::Categorical(cc.into_sorted(), m)
            }
            SideAccumulator::Failed(r, c) => CurrentSide::Failed(r, c),
        }
    }
}

impl CurrentSide {
    /// Extracts the current side of a column of kind `kind`.
    pub fn prepare(
        name: &str,
        arrays: &[ArrayRef],
        kind: ColumnKind,
        config: &Config,
    ) -> CurrentSide {
        let rows = arrays.iter().map(|a| a.len()).sum();
        let mut acc = SideAccumulator::new(kind, rows);
        for a in arrays {
            acc.update(name, a.as_ref(), config);
        }
        acc.finish()
    }
    /// Missing-value counts of the side.
    pub fn counts(&self) -> Counts {
        match self {
            CurrentSide::Numeric(_, c)
            | CurrentSide::Categorical(_, c)
            | CurrentSide::Failed(_, c) => *c,
        }
    }
}

impl ColumnProfile {
    /// Fits one reference column from its arrays (any number, any sizes,
    /// sliced arrays included).
    pub fn fit(
        name: &str,
        dtype: &DataType,
        arrays: &[ArrayRef],
        kind: ColumnKind,
        config: &Config,
    ) -> ColumnProfile {
        if !supports(dtype, kind) {
            let mut p = ColumnProfile::skipped(
                name,
                dtype,
                format!("type {dtype} cannot be tested as {kind:?}").to_lowercase(),
            );
            p.kind = Some(kind);
            return p;
        }
        Self::from_side(
            name,
            dtype,
            kind,
            CurrentSide::prepare(name, arrays, kind, config),
            config,
        )
    }

    /// Fits one reference column from an already extracted side (see
    /// [`SideAccumulator`]); the values are moved, not copied.
    pub fn from_side(
        name: &str,
        dtype: &DataType,
        kind: ColumnKind,
        side: CurrentSide,
        config: &Config,
    ) -> ColumnProfile {
        let resolved = config.resolve(name, kind);
        let mut p = ColumnProfile {
            name: name.to_string(),
            dtype: dtype.clone(),
            kind: Some(kind),
            counts: Counts::default(),
            data: ProfileData::Skipped(String::new()),
        };
        match side {
            CurrentSide::Numeric(
                SortedValues {
                    sorted,
                    moments,
                    distinct,
                },
                c,
            ) => {
                p.counts = c;
                let psi_edges = if sorted.is_empty() {
                    Vec::new()
                } else {
                    quantile_edges(&sorted, resolved.psi_bins)
                };
                let psi_counts = bin_counts_sorted(&sorted, &psi_edges);
                p.data = ProfileData::Numeric(NumericProfile {
                    sorted,
                    moments,
                    distinct,
                    psi_edges,
                    psi_counts,
                    index: OnceLock::new(),
                });
            }
            CurrentSide::Categorical(counts, c) => {
                p.counts = c;
                p.data = ProfileData::Categorical(CategoricalProfile { counts });
            }
            CurrentSide::Failed(reason, c) => {
                p.counts = c;
                p.data = ProfileData::Skipped(reason);
            }
        }
        p
    }

    /// A skipped column with a reason.
    pub fn skipped(name: &str, dtype: &DataType, reason: String) -> ColumnProfile {
        ColumnProfile {
            name: name.into(),
            dtype: dtype.clone(),
            kind: natural_kind(dtype),
            counts: Counts::default(),
            data: ProfileData::Skipped(reason),
        }
    }

    /// Compares a prepared current side against this fitted column. Test
    /// outcomes (drift flags) are filled in by the report's decision pass.
    pub fn compare_prepared(
        &self,
        current: &CurrentSide,
        current_dtype: &DataType,
        config: &Config,
    ) -> ColumnReport {
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
        let resolved = config.resolve(&self.name, kind);
        match (&self.data, current) {
            (ProfileData::Skipped(reason), _) => return skip(r, reason.clone()),
            (_, CurrentSide::Failed(reason, _)) => return skip(r, reason.clone()),
            (ProfileData::Numeric(p), CurrentSide::Numeric(cs, _)) => {
                let cur = &cs.sorted;
                fill_numeric_stats(&mut r.reference, p.sorted.len(), &p.moments, p.distinct);
                fill_numeric_stats(&mut r.current, cur.len(), &cs.moments, cs.distinct);
                r.signals.push(missing_signal);
                if p.sorted.is_empty() || cur.is_empty() {
                    return no_data(r);
                }
                let (n, m) = (p.sorted.len() as u64, cur.len() as u64);
                let needs_ecdf = resolved
                    .tests
                    .iter()
                    .any(|t| matches!(t, TestKind::Ks | TestKind::Wasserstein));
                let e = needs_ecdf.then(|| self.ecdf(p, cur));
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
                            tr.normalized = normalized(w, p.moments.std);
                            if tr.statistic.is_none() {
                                tr.note = Some("W1 overflows f64".into());
                            } else if tr.normalized.is_none() {
                                tr.note = Some("reference std is 0: drift iff W1 > 0".into());
                            }
                        }
                        TestKind::Psi => {
                            let (psi, info) = numeric_psi(p, cur, config.psi_binning);
                            tr.statistic = finite(psi);
                            tr.binning = Some(info);
                        }
                        TestKind::Chi2 => continue,
                    }
                    r.tests.push(tr);
                }
                r.plot = Some(numeric_plot(&p.sorted, cur, config.plot_bins));
            }
            (ProfileData::Categorical(p), CurrentSide::Categorical(cur, _)) => {
                r.signals.push(missing_signal);
                let (cats, rc, cc) = union_counts(&p.counts, cur);
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
                r.reference.distinct = Some(p.counts.len() as u64);
                r.current.distinct = Some(cur.len() as u64);
                r.reference.top_categories = Some(top(&p.counts, config.top_categories));
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

    fn ecdf(&self, p: &NumericProfile, cur: &Sorted) -> EcdfStats {
        let (a, b) = match (&p.sorted, cur) {
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
            _ => return ecdf_groups(&p.sorted, cur),
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

fn numeric_psi(p: &NumericProfile, cur: &Sorted, mode: PsiBinning) -> (f64, PsiBinningInfo) {
    match mode {
        PsiBinning::Quantile => {
            let cc = bin_counts_sorted(cur, &p.psi_edges);
            let info = PsiBinningInfo {
                mode,
                bins_by: "edges".into(),
                bins: cc.len() as u64,
                edges: Some(p.psi_edges.clone()),
            };
            (psi_from_counts(&p.psi_counts, &cc, ZeroFill::Fixed), info)
        }
        PsiBinning::Evidently => {
            if p.distinct > 20 {
                let lo = p.sorted.at(0).min(cur.at(0));
                let hi = p.sorted.at(p.sorted.len() - 1).max(cur.at(cur.len() - 1));
                let edges = sturges_edges(lo, hi, (p.sorted.len() + cur.len()) as u64);
                let rc = histogram_sorted(&p.sorted, &edges);
                let cc = histogram_sorted(cur, &edges);
                let info = PsiBinningInfo {
                    mode,
                    bins_by: "edges".into(),
                    bins: rc.len() as u64,
                    edges: Some(edges),
                };
                (psi_from_counts(&rc, &cc, ZeroFill::Evidently), info)
            } else {
                let (v, rc, cc) = distinct_union_counts(&p.sorted, cur);
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
            value: s.clone(),
            count: *c,
        })
        .collect()
}

fn numeric_plot(a: &Sorted, b: &Sorted, bins: usize) -> Plot {
    let lo = a.at(0).min(b.at(0));
    let hi = a.at(a.len() - 1).max(b.at(b.len() - 1));
    let edges: Vec<f64> = if lo == hi {
        vec![lo - 0.5, hi + 0.5]
    } else {
        let mut e: Vec<f64> = (0..=bins)
            .map(|k| lo + (hi - lo) * (k as f64 / bins as f64))
            .collect();
        e[bins] = hi;
        e
    };
    let share = |s: &Sorted| -> Vec<f64> {
        histogram_sorted(s, &edges)
            .into_iter()
            .map(|c| c as f64 / s.len() as f64)
            .collect()
    };
    let pts = 128usize;
    let xs: Vec<f64> = if lo == hi {
        vec![lo]
    } else {
        (0..=pts)
            .map(|k| lo + (hi - lo) * (k as f64 / pts as f64))
            .collect()
    };
    let ecdf = |s: &Sorted| -> Vec<f64> {
        xs.iter()
            .map(|&x| s.count_le(x) as f64 / s.len() as f64)
            .collect()
    };
    Plot::Numeric {
        reference: share(a),
        current: share(b),
        ecdf_reference: ecdf(a),
        ecdf_current: ecdf(b),
        ecdf_x: xs,
        edges,
    }
}

fn categorical_plot(cats: &[String], rc: &[u64], cc: &[u64], k: usize) -> Plot {
    let rt = rc.iter().sum::<u64>().max(1) as f64;
    let ct = cc.iter().sum::<u64>().max(1) as f64;
    let mut idx: Vec<usize> = (0..cats.len()).collect();
    let weight = |i: usize| rc[i] as f64 / rt + cc[i] as f64 / ct;
    idx.sort_by(|&x, &y| {
        weight(y)
            .total_cmp(&weight(x))
            .then_with(|| cats[x].cmp(&cats[y]))
    });
    let keep = &idx[..idx.len().min(k)];
    let r: Vec<f64> = keep.iter().map(|&i| rc[i] as f64 / rt).collect();
    let c: Vec<f64> = keep.iter().map(|&i| cc[i] as f64 / ct).collect();
    let other = (
        (1.0 - r.iter().sum::<f64>()).max(0.0),
        (1.0 - c.iter().sum::<f64>()).max(0.0),
    );
    Plot::Categorical {
        categories: keep.iter().map(|&i| cats[i].clone()).collect(),
        reference: r,
        current: c,
        other,
    }
}

/// How each column is to be compared, after aligning the two schemas.
#[derive(Debug, Clone)]
pub struct ColumnPlan {
    /// Column name.
    pub name: String,
    /// Reference type.
    pub reference_type: DataType,
    /// Current type.
    pub current_type: DataType,
    /// Kind to test as; `Err(reason)` when the column is skipped.
    pub kind: std::result::Result<ColumnKind, String>,
}

/// Aligns two schemas by column name: columns compared (reference order),
/// and the schema findings. Unknown names in `include`, `exclude` or the
/// per-column settings are an error, as is having no column in common.
pub fn plan_columns(
    reference: &Schema,
    current: &Schema,
    config: &Config,
) -> Result<(Vec<ColumnPlan>, SchemaFindings)> {
    config.validate()?;
    let known =
        |n: &str| reference.field_with_name(n).is_ok() || current.field_with_name(n).is_ok();
    for n in config
        .include
        .iter()
        .chain(&config.exclude)
        .chain(config.columns.keys())
    {
        if !known(n) {
            return Err(Error::UnknownColumn(n.clone()));
        }
    }
    let mut findings = SchemaFindings::default();
    let mut plans = Vec::new();
    for f in reference.fields() {
        let name = f.name();
        let Ok(cf) = current.field_with_name(name) else {
            findings.only_in_reference.push(name.clone());
            continue;
        };
        if (!config.include.is_empty() && !config.include.contains(name))
            || config.exclude.contains(name)
        {
            continue;
        }
        let (rt, ct) = (f.data_type().clone(), cf.data_type().clone());
        let kind = match config.kind_override(name).or_else(|| natural_kind(&rt)) {
            None => Err(format!(
                "type {rt} is not supported (nested, binary and null types cannot be tested)"
            )),
            Some(k) if !supports(&rt, k) => {
                Err(format!("type {rt} cannot be tested as {k:?}").to_lowercase())
            }
            Some(k) if !supports(&ct, k) => Err(format!("type changed from {rt} to {ct}")),
            Some(k) => Ok(k),
        };
        if rt != ct {
            findings.type_changes.push(TypeChange {
                column: name.clone(),
                reference: rt.to_string(),
                current: ct.to_string(),
                compatible: kind.is_ok(),
            });
        }
        plans.push(ColumnPlan {
            name: name.clone(),
            reference_type: rt,
            current_type: ct,
            kind,
        });
    }
    for f in current.fields() {
        if reference.field_with_name(f.name()).is_err() {
            findings.only_in_current.push(f.name().clone());
        }
    }
    if plans.is_empty() {
        return Err(Error::EmptyInput(
            if findings.only_in_reference.is_empty() && findings.only_in_current.is_empty() {
                "no columns to compare".into()
            } else {
                "the two inputs have no columns in common (after --columns/--exclude)".into()
            },
        ));
    }
    Ok((plans, findings))
}

fn column_arrays(batches: &[RecordBatch], name: &str) -> Vec<ArrayRef> {
    batches
        .iter()
        .filter_map(|b| b.column_by_name(name).cloned())
        .collect()
}

fn total_rows(batches: &[RecordBatch]) -> u64 {
    batches.iter().map(|b| b.num_rows() as u64).sum()
}

/// A fitted reference: fit once, compare many windows.
#[derive(Debug)]
pub struct Reference {
    schema: arrow_schema::SchemaRef,
    columns: Vec<ColumnProfile>,
    rows: u64,
    config: Config,
    path: Option<String>,
}

impl Reference {
    /// Fits the reference from record batches (any number and sizes).
    /// Columns are fitted in parallel.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arrow_array::{Float64Array, RecordBatch, ArrayRef};
    /// use drift_core::{Config, Reference};
    /// let batch = |v: Vec<f64>| RecordBatch::try_from_iter([("x", Arc::new(Float64Array::from(v)) as ArrayRef)]).unwrap();
    /// let reference = Reference::fit(&[batch((0..100).map(|i| i as f64).collect())], &Config::default()).unwrap();
    /// let report = reference.compare(&[batch((0..100).map(|i| i as f64 + 50.0).collect())]).unwrap();
    /// assert!(report.columns[0].drift);
    /// ```
    pub fn fit(batches: &[RecordBatch], config: &Config) -> Result<Reference> {
        config.validate()?;
        let schema = batches
            .first()
            .map(|b| b.schema())
            .ok_or_else(|| Error::EmptyInput("no reference batches".into()))?;
        let columns = schema
            .fields()
            .par_iter()
            .map(|f| {
                let kind = config.kind_override(f.name()).or_else(|| natural_kind(f.data_type()));
                match kind {
                    Some(k) => ColumnProfile::fit(f.name(), f.data_type(), &column_arrays(batches, f.name()), k, config),
                    None => ColumnProfile::skipped(f.name(), f.data_type(), format!("type {} is not supported (nested, binary and null types cannot be tested)", f.data_type())),
                }
            })
            .collect();
        Ok(Reference {
            schema,
            columns,
            rows: total_rows(batches),
            config: config.clone(),
            path: None,
        })
    }

    /// Records where the reference came from (shown in reports).
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// The fitted columns.
    pub fn columns(&self) -> &[ColumnProfile] {
        &self.columns
    }

    /// Compares current batches against the fitted reference. Never
    /// re-reads or re-sorts the reference.
    pub fn compare(&self, current: &[RecordBatch]) -> Result<Report> {
        let cur_schema = current
            .first()
            .map(|b| b.schema())
            .ok_or_else(|| Error::EmptyInput("no current batches".into()))?;
        let (plans, findings) = plan_columns(&self.schema, &cur_schema, &self.config)?;
        let columns: Vec<ColumnReport> = plans
            .par_iter()
            .map(|plan| {
                let Some(profile) = self.columns.iter().find(|c| c.name == plan.name) else {
                    return ColumnProfile::skipped(
                        &plan.name,
                        &plan.reference_type,
                        "not fitted".into(),
                    )
                    .compare_prepared(
                        &CurrentSide::Failed("not fitted".into(), Counts::default()),
                        &plan.current_type,
                        &self.config,
                    );
                };
                match &plan.kind {
                    Ok(k) => {
                        let cur = CurrentSide::prepare(
                            &plan.name,
                            &column_arrays(current, &plan.name),
                            *k,
                            &self.config,
                        );
                        profile.compare_prepared(&cur, &plan.current_type, &self.config)
                    }
                    Err(reason) => {
                        ColumnProfile::skipped(&plan.name, &plan.reference_type, reason.clone())
                            .compare_prepared(
                                &CurrentSide::Failed(reason.clone(), Counts::default()),
                                &plan.current_type,
                                &self.config,
                            )
                    }
                }
            })
            .collect();
        let inputs = Inputs {
            reference: Input {
                path: self.path.clone(),
                rows: self.rows,
            },
            current: Input {
                path: None,
                rows: total_rows(current),
            },
        };
        Ok(finalize(columns, findings, inputs, &self.config))
    }
}

/// One-shot comparison: fit the reference and compare the current batches,
/// with the two sides of each column extracted and sorted in parallel.
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{StringArray, RecordBatch, ArrayRef};
/// use drift_core::{compare, Config};
/// let b = |v: Vec<&str>| RecordBatch::try_from_iter([("c", Arc::new(StringArray::from(v)) as ArrayRef)]).unwrap();
/// let r = compare(&[b(vec!["a", "b", "a", "b"])], &[b(vec!["a", "b", "b", "a"])], &Config::default()).unwrap();
/// assert!(!r.summary.dataset_drift);
/// assert_eq!(r.columns[0].tests.iter().find(|t| t.test == drift_core::TestKind::Chi2).unwrap().p_value, Some(1.0));
/// ```
pub fn compare(
    reference: &[RecordBatch],
    current: &[RecordBatch],
    config: &Config,
) -> Result<Report> {
    let rs = reference
        .first()
        .map(|b| b.schema())
        .ok_or_else(|| Error::EmptyInput("no reference batches".into()))?;
    let cs = current
        .first()
        .map(|b| b.schema())
        .ok_or_else(|| Error::EmptyInput("no current batches".into()))?;
    let (plans, findings) = plan_columns(&rs, &cs, config)?;
    let columns: Vec<ColumnReport> = plans
        .par_iter()
        .map(|plan| {
            compare_column(
                plan,
                &column_arrays(reference, &plan.name),
                &column_arrays(current, &plan.name),
                config,
            )
        })
        .collect();
    let inputs = Inputs {
        reference: Input {
            path: None,
            rows: total_rows(reference),
        },
        current: Input {
            path: None,
            rows: total_rows(current),
        },
    };
    Ok(finalize(columns, findings, inputs, config))
}

/// Compares one planned column given both sides already accumulated (see
/// [`SideAccumulator`]): the building block of streaming pipelines.
pub fn compare_sides(
    plan: &ColumnPlan,
    reference: CurrentSide,
    current: CurrentSide,
    config: &Config,
) -> ColumnReport {
    match &plan.kind {
        Ok(k) => {
            let p =
                ColumnProfile::from_side(&plan.name, &plan.reference_type, *k, reference, config);
            let r = p.compare_prepared(&current, &plan.current_type, config);
            // the value buffers go back to the pool (if enabled) for the next column
            if let ProfileData::Numeric(NumericProfile {
                sorted: Sorted::Values(v),
                ..
            }) = p.data
            {
                buffer::recycle_f64(v);
            }
            if let CurrentSide::Numeric(
                SortedValues {
                    sorted: Sorted::Values(v),
                    ..
                },
                _,
            ) = current
            {
                buffer::recycle_f64(v);
            }
            r
        }
        Err(reason) => {
            let mut p = ColumnProfile::skipped(&plan.name, &plan.reference_type, reason.clone());
            p.counts = reference.counts();
            p.compare_prepared(
                &CurrentSide::Failed(reason.clone(), current.counts()),
                &plan.current_type,
                config,
            )
        }
    }
}

/// Compares one planned column given both sides' arrays.
pub fn compare_column(
    plan: &ColumnPlan,
    reference: &[ArrayRef],
    current: &[ArrayRef],
    config: &Config,
) -> ColumnReport {
    let side = |arrays: &[ArrayRef]| {
        let rows = arrays.iter().map(|a| a.len()).sum();
        let mut acc = SideAccumulator::for_plan(plan, rows);
        for a in arrays {
            acc.update(&plan.name, a.as_ref(), config);
        }
        acc.finish()
    };
    let (r, c) = rayon::join(|| side(reference), || side(current));
    compare_sides(plan, r, c, config)
}
