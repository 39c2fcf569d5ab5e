//! Chi-square test of homogeneity on a 2×k contingency table, as
//! `scipy.stats.chi2_contingency(table, correction=False)`.

use statrs::distribution::{ChiSquared, ContinuousCDF};

/// Result of [`chi2_homogeneity`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chi2Result {
    /// Pearson's statistic Σ (O − E)² / E.
    pub statistic: f64,
    /// Upper-tail p-value; below 1e-300 it is reported as 0.
    pub p_value: f64,
    /// Degrees of freedom, `k − 1`.
    pub dof: u64,
    /// Cramér's V, `sqrt(statistic / N)` for a 2-row table: the effect size.
    pub cramers_v: f64,
}

/// Tests whether two rows of category counts come from one distribution.
/// Columns with a zero total must not be passed (categories present in
/// either row only). One category gives statistic 0 and p 1, as scipy.
///
/// The survival function is the regularised upper incomplete gamma
/// function (statrs), accurate far into the tail: no `1 − cdf`.
///
/// ```
/// use drift_core::stats::chi2::chi2_homogeneity;
/// let r = chi2_homogeneity(&[10, 20, 30], &[15, 15, 30]);
/// assert!((r.statistic - 1.7142857142857144).abs() < 1e-12);
/// assert_eq!(r.dof, 2);
/// ```
pub fn chi2_homogeneity(reference: &[u64], current: &[u64]) -> Chi2Result {
    let k = reference.len();
    let r_tot: f64 = reference.iter().map(|&c| c as f64).sum();
    let c_tot: f64 = current.iter().map(|&c| c as f64).sum();
    let total = r_tot + c_tot;
    if k <= 1 || r_tot == 0.0 || c_tot == 0.0 {
        return Chi2Result {
            statistic: 0.0,
            p_value: 1.0,
            dof: k.saturating_sub(1) as u64,
            cramers_v: 0.0,
        };
    }
    let mut stat = 0.0f64;
    for (&o1, &o2) in reference.iter().zip(current) {
        let col = (o1 + o2) as f64;
        let e1 = r_tot * col / total;
        let e2 = c_tot * col / total;
        let d1 = o1 as f64 - e1;
        let d2 = o2 as f64 - e2;
        stat += d1 * d1 / e1 + d2 * d2 / e2;
    }
    let dof = (k - 1) as u64;
    let p = match ChiSquared::new(dof as f64) {
        Ok(d) => d.sf(stat),
        Err(_) => f64::NAN,
    };
    let p = if p < 1e-300 { 0.0 } else { p.clamp(0.0, 1.0) };
    Chi2Result {
        statistic: stat,
        p_value: p,
        dof,
        cramers_v: (stat / total).sqrt(),
    }
}
