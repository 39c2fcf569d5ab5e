//! Population stability index.
//!
//! `psi = Σ (p_cur − p_ref) · ln(p_cur / p_ref)` over bins, with zero shares
//! replaced before the sum (see [`ZeroFill`]).
//!
//! * Quantile binning (default): edges are the reference quantiles at
//!   `k/B`, `k = 1..B−1` (numpy linear interpolation), de-duplicated; bins
//!   `(−inf, e1], (e1, e2], …, (e_last, +inf)`; zero shares become 1e-4.
//! * Evidently binning: reproduces Evidently 0.7 — equal-width Sturges edges
//!   over the concatenated samples when the reference has more than 20
//!   distinct values (numpy histogram bins `[e_k, e_k+1)`, last closed), else
//!   one bin per distinct value of the union; zero shares become 1e-4, or
//!   (smallest non-zero share)/1e6 when that share is ≤ 1e-4, per side.

use super::quantile::quantile_sorted;
use crate::kernels::sorted::SortedSample;

/// How zero shares are replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZeroFill {
    /// Every zero share becomes 1e-4.
    Fixed,
    /// Evidently's rule (per side).
    Evidently,
}

/// Shares of each bin, with zeros replaced per `fill`.
pub fn shares(counts: &[u64], fill: ZeroFill) -> Vec<f64> {
    let total: u64 = counts.iter().sum();
    let t = total.max(1) as f64;
    let mut p: Vec<f64> = counts.iter().map(|&c| c as f64 / t).collect();
    let eps = match fill {
        ZeroFill::Fixed => 1e-4,
        ZeroFill::Evidently => {
            let min_nz = p
                .iter()
                .copied()
                .filter(|&x| x != 0.0)
                .fold(f64::INFINITY, f64::min);
            if min_nz <= 1e-4 {
                min_nz / 1e6
            } else {
                1e-4
            }
        }
    };
    for x in p.iter_mut() {
        if *x == 0.0 {
            *x = eps;
        }
    }
    p
}

/// PSI of two count vectors over the same bins.
///
/// ```
/// use drift_core::stats::psi::{psi_from_counts, ZeroFill};
/// let psi = psi_from_counts(&[50, 50], &[25, 75], ZeroFill::Fixed);
/// assert!((psi - 0.25 * (3f64).ln()).abs() < 1e-15);
/// ```
pub fn psi_from_counts(reference: &[u64], current: &[u64], fill: ZeroFill) -> f64 {
    let pr = shares(reference, fill);
    let pc = shares(current, fill);
    pr.iter()
        .zip(&pc)
        .map(|(&r, &c)| (c - r) * (c / r).ln())
        .sum()
}

/// Quantile edges of the sorted reference at `k/bins`, de-duplicated.
pub fn quantile_edges<S: SortedSample + ?Sized>(sorted_ref: &S, bins: usize) -> Vec<f64> {
    let mut e: Vec<f64> = (1..bins)
        .map(|k| quantile_sorted(sorted_ref, k as f64 / bins as f64))
        .collect();
    e.dedup();
    e
}

/// Equal-width Sturges edges over `[min, max]` of the concatenation of
/// samples with `n` values in total, as `numpy.histogram_bin_edges(x, "sturges")`.
pub fn sturges_edges(min: f64, max: f64, n: u64) -> Vec<f64> {
    let (mut first, mut last) = (min, max);
    if first == last {
        first -= 0.5;
        last += 0.5;
    }
    let ptp = max - min;
    let width = ptp / ((n as f64).log2() + 1.0);
    let bins = if width > 0.0 {
        ((last - first) / width).ceil() as usize
    } else {
        1
    };
    let bins = bins.max(1);
    let step = (last - first) / bins as f64;
    let mut e: Vec<f64> = (0..=bins).map(|k| k as f64 * step + first).collect();
    e[bins] = last;
    e
}

/// numpy-histogram counts of sorted data over `edges` (bins `[e_k, e_k+1)`,
/// last bin closed). Values outside `[e_0, e_last]` are not counted.
pub fn histogram_sorted<S: SortedSample + ?Sized>(sorted: &S, edges: &[f64]) -> Vec<u64> {
    let k = edges.len() - 1;
    let below: Vec<usize> = edges.iter().map(|&e| sorted.count_lt(e)).collect();
    let mut out = Vec::with_capacity(k);
    for b in 0..k {
        let hi = if b + 1 == k {
            sorted.count_le(edges[k])
        } else {
            below[b + 1]
        };
        out.push((hi - below[b]) as u64);
    }
    out
}

/// Distinct values of the union of two sorted samples (values or runs)
/// with their counts in each: `(values, ref_counts, cur_counts)`.
pub fn distinct_union_counts<A, B>(a: &A, b: &B) -> (Vec<f64>, Vec<u64>, Vec<u64>)
where
    A: SortedSample + ?Sized,
    B: SortedSample + ?Sized,
{
    let (mut ga, mut gb) = (a.groups().peekable(), b.groups().peekable());
    let (mut v, mut ca, mut cb) = (Vec::new(), Vec::new(), Vec::new());
    loop {
        let (xa, xb) = (ga.peek().map(|g| g.0), gb.peek().map(|g| g.0));
        let x = match (xa, xb) {
            (None, None) => break,
            (Some(p), Some(q)) if q < p => q,
            (Some(p), _) => p,
            (None, Some(q)) => q,
        };
        v.push(x);
        ca.push(if xa == Some(x) {
            ga.next().map_or(0, |g| g.1)
        } else {
            0
        });
        cb.push(if xb == Some(x) {
            gb.next().map_or(0, |g| g.1)
        } else {
            0
        });
    }
    (v, ca, cb)
}
