//! # drift-core
//!
//! Exact, fast statistical drift detection over Arrow data: has the
//! distribution of each column of the current data moved away from the
//! reference?
//!
//! * Sources ([`source`]): record batches in memory, streams of batches,
//!   and Parquet datasets (file, directory, glob; feature `parquet`).
//! * The [`Engine`] compares two sources column by column with a bounded
//!   number of columns in flight and a memory budget; [`Engine::fit`]
//!   makes a [`Reference`] that compares any number of windows without
//!   re-reading or re-sorting the reference, and that can be saved as a
//!   profile file and loaded again.
//! * Statistics (definitions in the README, values pinned to scipy/numpy):
//!   two-sample Kolmogorov–Smirnov ([`stats::ks`]), Wasserstein-1
//!   ([`stats::wasserstein`]), population stability index ([`stats::psi`])
//!   and chi-square homogeneity ([`stats::chi2`]).
//! * Missing values: nulls and NaN are excluded from every test and counted;
//!   ±inf are excluded and counted separately.
//! * Output: a [`Report`], serialisable to the versioned JSON contract (no
//!   NaN or infinity is ever serialised), with the exit-code rule
//!   ([`Report::exit_code`], [`FailOn`]) every front end shares.
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

// Stages, lowest first: counts, kernels, config, stats → report model →
// plan → accumulate → fit → compare (+ plot) → decide → reference →
// engine (sources) → profile store.
mod accumulate;
/// Column extraction and category counting (internal; public for the
/// benches and property tests only, not part of the API).
#[doc(hidden)]
pub mod column;
mod compare;
pub mod config;
mod counts;
pub mod decide;
mod engine;
pub mod error;
mod fit;
/// The hot kernels (internal; public for the criterion benches and the
/// property tests only, not part of the API).
#[doc(hidden)]
pub mod kernels;
mod plan;
mod plot;
mod reference;
pub mod report;
pub mod source;
pub mod stats;
#[cfg(feature = "parquet")]
pub mod store;

pub use accumulate::Side;
#[doc(hidden)]
pub use accumulate::{SideAccumulator, SortedValues};
pub use config::{ColumnKind, Config, Correction, Decision, PsiBinning, TestKind, TestSettings};
pub use counts::Counts;
pub use decide::FailOn;
pub use engine::{compare, Engine, Progress, DEFAULT_MAX_MEMORY};
pub use error::{Error, Result};
pub use fit::ColumnProfile;
#[doc(hidden)]
pub use plan::{plan_columns, ColumnPlan};
pub use reference::Reference;
pub use report::Report;
#[cfg(feature = "parquet")]
pub use store::PROFILE_VERSION;
