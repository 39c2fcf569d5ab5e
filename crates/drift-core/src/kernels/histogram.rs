//! Histogram binning of unsorted values against a small set of sorted edges.
//!
//! Bin `k` of `edges.len() + 1` bins holds values `x` with
//! `edges[k-1] < x <= edges[k]` (first bin `(-inf, e0]`, last `(e_last, +inf)`):
//! the PSI binning of design.md. The fast path counts, for each value, how
//! many edges are strictly below it — a branch-free linear compare that
//! vectorises over the edges — instead of a binary search.
//!
//! NaN policy: NaN compares false against every edge and lands in bin 0;
//! callers pass finite values only.

use super::multiversion;
use super::sorted::SortedSample;

/// Reference implementation: binary search per value.
pub fn bin_counts_reference(values: &[f64], edges: &[f64], counts: &mut [u64]) {
    for &x in values {
        counts[edges.partition_point(|&e| e < x)] += 1;
    }
}

multiversion! {
    /// Linear-compare binning; `counts.len()` must be `edges.len() + 1`.
    pub fn bin_counts_linear(values: &[f64], edges: &[f64], counts: &mut [u64]) {
        for &x in values {
            let mut k = 0usize;
            for &e in edges {
                k += (e < x) as usize;
            }
            counts[k] += 1;
        }
    }
}

/// Adds bin counts of `values` to `counts` (`edges.len() + 1` entries),
/// using the linear kernel for up to 32 edges and binary search above.
///
/// ```
/// let mut c = vec![0u64; 3];
/// drift_core::kernels::histogram::bin_counts(&[0.5, 1.0, 1.5, 3.0], &[1.0, 2.0], &mut c);
/// assert_eq!(c, vec![2, 1, 1]);
/// ```
pub fn bin_counts(values: &[f64], edges: &[f64], counts: &mut [u64]) {
    assert_eq!(
        counts.len(),
        edges.len() + 1,
        "counts must have edges+1 bins"
    );
    if edges.len() <= 32 {
        bin_counts_linear(values, edges, counts);
    } else {
        bin_counts_reference(values, edges, counts);
    }
}

/// Bin counts of a *sorted* sample (values or runs): `edges.len()` binary
/// searches.
pub fn bin_counts_sorted<S: SortedSample + ?Sized>(sorted: &S, edges: &[f64]) -> Vec<u64> {
    let mut out = Vec::with_capacity(edges.len() + 1);
    let mut prev = 0usize;
    for &e in edges {
        let p = sorted.count_le(e);
        out.push((p - prev) as u64);
        prev = p;
    }
    out.push((SortedSample::len(sorted) - prev) as u64);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn linear_equals_reference(values in proptest::collection::vec(-100i32..100, 0..300), mut edges in proptest::collection::vec(-100i32..100, 0..40)) {
            edges.sort();
            edges.dedup();
            let values: Vec<f64> = values.into_iter().map(|x| x as f64 * 0.5).collect();
            let edges: Vec<f64> = edges.into_iter().map(|x| x as f64 * 0.5).collect();
            let mut a = vec![0u64; edges.len() + 1];
            let mut b = vec![0u64; edges.len() + 1];
            bin_counts(&values, &edges, &mut a);
            bin_counts_reference(&values, &edges, &mut b);
            prop_assert_eq!(&a, &b);
            let mut s = values.clone();
            s.sort_by(f64::total_cmp);
            prop_assert_eq!(bin_counts_sorted(&s[..], &edges), b);
        }
    }
}
