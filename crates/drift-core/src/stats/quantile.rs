//! Quantiles of sorted data, as `numpy.quantile(method='linear')`.

use crate::kernels::sorted::SortedSample;

/// numpy's `_lerp`: `a + (b−a)·t`, evaluated from the upper end when
/// `t ≥ 0.5` (monotone and exact at both ends).
pub fn lerp(a: f64, b: f64, t: f64) -> f64 {
    let d = b - a;
    if t >= 0.5 {
        b - d * (1.0 - t)
    } else {
        a + d * t
    }
}

/// The `q` quantile of sorted, finite, non-empty data (values or runs)
/// with numpy's default linear interpolation: virtual index `(n−1)·q`.
///
/// ```
/// use drift_core::stats::quantile::quantile_sorted;
/// assert_eq!(quantile_sorted(&[1.0, 2.0, 3.0, 4.0][..], 0.5), 2.5);
/// ```
pub fn quantile_sorted<S: SortedSample + ?Sized>(sorted: &S, q: f64) -> f64 {
    let n = sorted.len();
    let virt = (n - 1) as f64 * q;
    let prev = virt.floor();
    let gamma = virt - prev;
    let lo = (prev as usize).min(n - 1);
    let hi = (lo + 1).min(n - 1);
    lerp(sorted.at(lo), sorted.at(hi), gamma)
}
