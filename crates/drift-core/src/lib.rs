//! # drift-core
//!
//! Exact, fast statistical drift detection over Arrow data: has the
//! distribution of each column of the current data moved away from the
//! reference?
//!
//! * Statistics (definitions in design.md, values pinned to scipy/numpy):
//!   two-sample Kolmogorov–Smirnov ([`stats::ks`]), Wasserstein-1
//!   ([`stats::wasserstein`]), population stability index ([`stats::psi`])
//!   and chi-square homogeneity ([`stats::chi2`]).
//! * Missing values: nulls and NaN are excluded from every test and counted;
//!   ±inf are excluded and counted separately.
//! * Fit once, compare many: [`Reference::fit`] then [`Reference::compare`];
//!   [`compare`] does both for one pair.
//! * Output: a [`report::Report`], serialisable to the versioned JSON
//!   contract; no NaN or infinity is ever serialised.
//!
//! ```
//! use std::sync::Arc;
//! use arrow_array::{Float64Array, RecordBatch, ArrayRef};
//! let batch = |shift: f64| RecordBatch::try_from_iter([
//!     ("x", Arc::new(Float64Array::from_iter_values((0..500).map(|i| (i as f64 * 0.37).sin() + shift)))
//!         as ArrayRef),
//! ]).unwrap();
//! let report = drift_core::compare(&[batch(0.0)], &[batch(0.5)], &drift_core::Config::default()).unwrap();
//! assert!(report.summary.dataset_drift);
//! let json = serde_json::to_string(&report).unwrap();
//! assert!(json.contains("\"schema_version\":\"1.0\""));
//! ```
#![warn(missing_docs)]

pub mod column;
pub mod config;
pub mod decide;
pub mod error;
pub mod kernels;
pub mod profile;
pub mod render;
pub mod report;
pub mod stats;

pub use config::{ColumnKind, Config, Correction, Decision, TestKind, TestSettings};
pub use error::{Error, Result};
pub use profile::{
    compare, compare_column, compare_sides, plan_columns, ColumnPlan, ColumnProfile, CurrentSide,
    Reference, SideAccumulator, SortedValues,
};
pub use report::Report;
