//! The one error type of drift-core.

use arrow_schema::{ArrowError, DataType};

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An Arrow operation failed.
    #[error("arrow: {0}")]
    Arrow(#[from] ArrowError),
    /// A column's type cannot be tested.
    #[error("column '{column}': unsupported type {data_type}")]
    UnsupportedType {
        /// Column name.
        column: String,
        /// Its Arrow type.
        data_type: DataType,
    },
    /// No rows, or no columns to compare.
    #[error("empty input: {0}")]
    EmptyInput(String),
    /// A configuration value is invalid.
    #[error("invalid configuration: {0}")]
    InvalidConfig(String),
    /// A column named in the configuration does not exist.
    #[error("unknown column '{0}'")]
    UnknownColumn(String),
    /// A source could not be read (the message names the file and cause).
    #[error("{0}")]
    Source(String),
    /// Input data that cannot be used as given.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// A reference profile file that cannot be loaded.
    #[error("{0}")]
    Profile(String),
    /// A bug: an invariant of drift itself does not hold.
    #[error("internal error: {0}")]
    Internal(String),
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
