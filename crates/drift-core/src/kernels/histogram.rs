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

use super::sorted::SortedSample;

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

    /// Binary search per value: the definition.
    fn bin_counts_reference(values: &[f64], edges: &[f64], counts: &mut [u64]) {
        for &x in values {
            counts[edges.partition_point(|&e| e < x)] += 1;
        }
    }

    proptest! {
        #[test]
        fn sorted_equals_reference(values in proptest::collection::vec(-100i32..100, 0..300), mut edges in proptest::collection::vec(-100i32..100, 0..40)) {
            edges.sort();
            edges.dedup();
            let values: Vec<f64> = values.into_iter().map(|x| x as f64 * 0.5).collect();
            let edges: Vec<f64> = edges.into_iter().map(|x| x as f64 * 0.5).collect();
            let mut b = vec![0u64; edges.len() + 1];
            bin_counts_reference(&values, &edges, &mut b);
            let mut s = values.clone();
            s.sort_by(f64::total_cmp);
            prop_assert_eq!(bin_counts_sorted(&s[..], &edges), b);
        }
    }
}
