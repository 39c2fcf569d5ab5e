//! Two-sample Kolmogorov–Smirnov test, as `scipy.stats.ks_2samp(ref, cur)`
//! with `method='auto'` and `alternative='two-sided'`.

use super::kolmogorov::{gcd, ks2_exact_sf, kstwo_sf};

/// scipy's cut-off: exact when `max(n, m) ≤ 10000`.
pub const MAX_EXACT_N: u64 = 10_000;

/// Which null distribution produced the p-value.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum KsMethod {
    /// Exact lattice-path distribution.
    Exact,
    /// `kstwo.sf(D, round(n·m/(n+m)))`.
    Asymp,
}

/// Statistic and p-value of the two-sample KS test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KsResult {
    /// sup |F_ref − F_cur|.
    pub statistic: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Distribution used.
    pub method: KsMethod,
}

/// KS result from the exact integer numerator `K = max |I·m − J·n|` of the
/// statistic (see [`crate::kernels::ecdf`]) and the sample sizes.
///
/// Exact when `max(n, m) ≤ 10000`: `h = K / gcd(n, m)` is the lattice
/// distance (scipy's `round(D·lcm)`), and the p-value is the exact null
/// probability; if that computation is unusable scipy falls back to the
/// asymptotic distribution and so does this. Otherwise `kstwo.sf(D, N)` with
/// `N = round_half_even(n·m/(n+m))`.
///
/// ```
/// use drift_core::stats::ks::{ks_from_numerator, KsMethod};
/// // ks_2samp([1,2,3], [4,5,6]): D = 1, p = 0.1
/// let r = ks_from_numerator(9, 3, 3);
/// assert_eq!(r.statistic, 1.0);
/// assert!((r.p_value - 0.1).abs() < 1e-15);
/// assert_eq!(r.method, KsMethod::Exact);
/// ```
pub fn ks_from_numerator(k: u128, n: u64, m: u64) -> KsResult {
    let d = k as f64 / (n as f64 * m as f64);
    if n.max(m) <= MAX_EXACT_N {
        let g = gcd(n, m) as u128;
        let h = (k / g) as u64;
        if let Some(p) = ks2_exact_sf(n, m, h) {
            return KsResult {
                statistic: d,
                p_value: p,
                method: KsMethod::Exact,
            };
        }
    }
    KsResult {
        statistic: d,
        p_value: ks_asymp_p(d, n, m),
        method: KsMethod::Asymp,
    }
}

/// The asymptotic two-sided p-value: `kstwo.sf(d, round(n·m/(n+m)))`,
/// rounding half to even as numpy does.
pub fn ks_asymp_p(d: f64, n: u64, m: u64) -> f64 {
    let (big, small) = if n >= m {
        (n as f64, m as f64)
    } else {
        (m as f64, n as f64)
    };
    let en = big * small / (big + small);
    let n_eff = en.round_ties_even().max(1.0) as u64;
    kstwo_sf(d, n_eff).clamp(0.0, 1.0)
}
