//! Wasserstein-1 distance between two samples, as
//! `scipy.stats.wasserstein_distance(ref, cur)`, and its normalised form.
//!
//! The integral itself comes from the ECDF kernels
//! ([`crate::kernels::ecdf::ecdf_merge`] or the fitted-reference search).

/// `W1 / σ_ref` where `σ_ref` is the reference's population standard
/// deviation. `None` when `σ_ref` is 0 (or the ratio is not finite): the
/// caller then decides drift by `W1 > 0`.
///
/// Both inputs are already computed without overflow or underflow (see
/// [`crate::kernels::moments`]), so the ratio of a W1 near 1e-300 and a σ
/// near 1e-300 is the ordinary quotient.
///
/// ```
/// use drift_core::stats::wasserstein::normalized;
/// assert_eq!(normalized(0.5, 2.0), Some(0.25));
/// assert_eq!(normalized(0.5, 0.0), None);
/// assert_eq!(normalized(1e-300, 1e-300), Some(1.0));
/// ```
pub fn normalized(w1: f64, ref_std: f64) -> Option<f64> {
    if ref_std > 0.0 {
        let r = w1 / ref_std;
        r.is_finite().then_some(r)
    } else {
        None
    }
}
