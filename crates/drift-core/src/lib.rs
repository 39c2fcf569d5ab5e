//! drift-core: exact, fast statistical drift detection over Arrow data.
#![warn(missing_docs)]

pub mod kernels;
pub mod stats;
