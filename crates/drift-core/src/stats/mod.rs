//! The statistics: KS, Wasserstein-1, PSI and chi-square, and the
//! distributions behind their p-values. Definitions follow design.md and are
//! pinned to scipy/numpy by golden tests.

pub mod chi2;
pub mod kolmogorov;
pub mod ks;
pub mod psi;
pub mod quantile;
pub mod wasserstein;
