//! The report: the serde model of design.md's JSON contract.
//!
//! Version policy: adding a field keeps [`SCHEMA_VERSION`]; renaming,
//! removing or retyping a field bumps it. Non-finite numbers never appear:
//! they are `null` with a status or reason. Column order is input order;
//! maps are sorted.

use crate::config::PsiBinning;
use crate::config::{ColumnKind, Config, TestKind};
use crate::counts::Counts;
use crate::stats::ks::KsMethod;
use serde::{Deserialize, Serialize};

/// Version of the JSON report schema (`schema/report.schema.json`).
pub const SCHEMA_VERSION: &str = "1.0";

/// A whole drift report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Report {
    /// Report schema version.
    pub schema_version: String,
    /// Producing tool.
    pub tool: Tool,
    /// What was compared.
    pub inputs: Inputs,
    /// Verdict.
    pub summary: Summary,
    /// One entry per compared column, in input order.
    pub columns: Vec<ColumnReport>,
    /// Schema differences between the sides.
    pub schema: SchemaFindings,
    /// Settings used, including the decision rules in words.
    pub settings: Settings,
    /// Things the run wants the reader to know (e.g. a column that needed
    /// more memory than the budget). Absent when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Producing tool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Tool {
    /// "drift".
    pub name: String,
    /// Crate version.
    pub version: String,
}

impl Default for Tool {
    fn default() -> Self {
        Tool {
            name: "drift".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// The two inputs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Inputs {
    /// Reference side.
    pub reference: Input,
    /// Current side.
    pub current: Input,
}

/// One input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Input {
    /// Path(s) as given, when read from files.
    pub path: Option<String>,
    /// Rows.
    pub rows: u64,
}

/// Overall status of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// The dataset-drift rule fired.
    DatasetDrift,
    /// Some columns drifted, below the dataset rule.
    ColumnDrift,
    /// No column drifted.
    NoDrift,
    /// Nothing could be tested.
    NothingTested,
}

/// The verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Summary {
    /// Columns in the report.
    pub columns: u64,
    /// Columns that got a decision.
    pub tested_columns: u64,
    /// Columns that drifted.
    pub drifted_columns: u64,
    /// Columns with a warning and no drift.
    pub warned_columns: u64,
    /// Columns skipped or without data.
    pub untested_columns: u64,
    /// drifted / tested (0 when nothing tested).
    pub share_drifted: f64,
    /// Whether the dataset-drift rule fired.
    pub dataset_drift: bool,
    /// Overall status.
    pub status: RunStatus,
    /// The column decision rule, in words.
    pub column_rule: String,
    /// The dataset rule, in words.
    pub dataset_rule: String,
}

/// A column's outcome.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ColumnStatus {
    /// Drift.
    Drift,
    /// A warning threshold or drift signal fired; no drift.
    Warn,
    /// No drift.
    Ok,
    /// A side has no valid values: no tests.
    NoData,
    /// Not testable (type, schema, too many categories).
    Skipped,
}

/// One column's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ColumnReport {
    /// Column name.
    pub name: String,
    /// How it was treated (null when skipped before a kind was known).
    pub kind: Option<ColumnKind>,
    /// Arrow type (reference side).
    pub dtype: String,
    /// Arrow type of the current side when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_dtype: Option<String>,
    /// Outcome.
    pub status: ColumnStatus,
    /// Whether the column drifted.
    pub drift: bool,
    /// The test that decided, when one did.
    pub decided_by: Option<TestKind>,
    /// Why the column was skipped or has no data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Reference-side statistics.
    pub reference: SideStats,
    /// Current-side statistics.
    pub current: SideStats,
    /// Test results.
    pub tests: Vec<TestResult>,
    /// Drift signals besides the tests (missing share, unseen categories).
    pub signals: Vec<Signal>,
    /// Bounded data for plots (histograms, ECDFs, category bars).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plot: Option<Plot>,
}

/// Per-side statistics of a column.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SideStats {
    /// Rows.
    pub count: u64,
    /// Null rows.
    pub nulls: u64,
    /// NaN values.
    pub nan: u64,
    /// ±inf values.
    pub infinite: u64,
    /// Rows with a usable value.
    pub valid: u64,
    /// (nulls + nan + infinite) / count.
    pub missing_share: f64,
    /// Numeric: minimum.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Numeric: maximum.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Numeric: mean.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
    /// Numeric: population standard deviation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub std: Option<f64>,
    /// Distinct values (categorical: categories).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distinct: Option<u64>,
    /// Categorical: most frequent categories (count desc, then value).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_categories: Option<Vec<CategoryCount>>,
}

impl SideStats {
    pub(crate) fn from_counts(c: &Counts) -> SideStats {
        let missing = c.nulls + c.nan + c.infinite;
        SideStats {
            count: c.count,
            nulls: c.nulls,
            nan: c.nan,
            infinite: c.infinite,
            valid: c.valid(),
            missing_share: if c.count == 0 {
                0.0
            } else {
                missing as f64 / c.count as f64
            },
            ..SideStats::default()
        }
    }
}

/// A category and its count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CategoryCount {
    /// Category value.
    pub value: String,
    /// Rows.
    pub count: u64,
}

/// PSI binning recorded in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PsiBinningInfo {
    /// quantile | evidently.
    pub mode: PsiBinning,
    /// "edges" (numeric bins) or "values" (one bin per value/category).
    pub bins_by: String,
    /// Number of bins.
    pub bins: u64,
    /// Numeric bin edges (quantile: inner edges; evidently: outer and inner).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edges: Option<Vec<f64>>,
}

/// One test's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TestResult {
    /// Which test.
    pub test: TestKind,
    /// The statistic (KS D, W1, PSI, chi-square).
    pub statistic: Option<f64>,
    /// p-value (ks, chi2), else null.
    pub p_value: Option<f64>,
    /// p-value after multiple-testing correction, when one is configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_value_adjusted: Option<f64>,
    /// Threshold applied.
    pub threshold: f64,
    /// Warning threshold, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warn_threshold: Option<f64>,
    /// Effect size (ks: D; chi2: Cramér's V).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effect: Option<f64>,
    /// Effect-size floor applied, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_effect: Option<f64>,
    /// Whether this test says drift.
    pub drift: bool,
    /// Whether the warning threshold is reached.
    pub warn: bool,
    /// ks: exact | asymp.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<KsMethod>,
    /// ks: where the ECDF distance is largest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<f64>,
    /// wasserstein: W1 / reference std (null when the std is 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub normalized: Option<f64>,
    /// psi: binning.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binning: Option<PsiBinningInfo>,
    /// chi2: degrees of freedom.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dof: Option<u64>,
    /// A note (e.g. why the statistic is null).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl TestResult {
    pub(crate) fn new(test: TestKind, threshold: f64) -> TestResult {
        TestResult {
            test,
            statistic: None,
            p_value: None,
            p_value_adjusted: None,
            threshold,
            warn_threshold: None,
            effect: None,
            min_effect: None,
            drift: false,
            warn: false,
            method: None,
            location: None,
            normalized: None,
            binning: None,
            dof: None,
            note: None,
        }
    }
}

/// A drift signal that is not a distribution test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Signal {
    /// "missing_share" or "unseen_categories_share".
    pub signal: String,
    /// Reference value.
    pub reference: f64,
    /// Current value.
    pub current: f64,
    /// Threshold (on |current − reference| for missing share, on current
    /// for unseen categories).
    pub threshold: f64,
    /// Whether it fired (makes the column at least `warn`).
    pub alert: bool,
}

/// Bounded plot data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Plot {
    /// Numeric: shared-edge histograms (shares) and ECDFs at common points.
    Numeric {
        /// Histogram edges (bins + 1).
        edges: Vec<f64>,
        /// Reference share per bin.
        reference: Vec<f64>,
        /// Current share per bin.
        current: Vec<f64>,
        /// ECDF x points.
        ecdf_x: Vec<f64>,
        /// Reference ECDF at those points.
        ecdf_reference: Vec<f64>,
        /// Current ECDF at those points.
        ecdf_current: Vec<f64>,
    },
    /// Categorical: shares of the top categories of the union plus "other".
    Categorical {
        /// Category labels.
        categories: Vec<String>,
        /// Reference shares.
        reference: Vec<f64>,
        /// Current shares.
        current: Vec<f64>,
        /// Shares of all other categories (reference, current).
        other: (f64, f64),
    },
}

/// Schema differences.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SchemaFindings {
    /// Columns only in the reference.
    pub only_in_reference: Vec<String>,
    /// Columns only in the current data.
    pub only_in_current: Vec<String>,
    /// Columns whose type differs between the sides.
    pub type_changes: Vec<TypeChange>,
}

/// A type difference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TypeChange {
    /// Column.
    pub column: String,
    /// Reference type.
    pub reference: String,
    /// Current type.
    pub current: String,
    /// Whether the column could still be compared.
    pub compatible: bool,
}

/// Settings recorded in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Settings {
    /// The configuration used.
    pub config: Config,
}

/// Replaces a non-finite number by `None`.
pub(crate) fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// The JSON Schema of [`Report`] (draft 2020-12), as published in
/// `schema/report.schema.json`.
pub fn json_schema() -> serde_json::Value {
    let mut s = serde_json::to_value(schemars::schema_for!(Report)).unwrap_or_default();
    if let Some(o) = s.as_object_mut() {
        o.insert(
            "$id".into(),
            "https://drift.invalid/schema/report.schema.json".into(),
        );
        o.insert("description".into(), format!("drift report, schema_version {SCHEMA_VERSION}. Adding a field keeps the version; renaming, removing or retyping a field bumps it.").into());
    }
    s
}

/// Longest category label a report carries whole, in bytes.
pub const LABEL_MAX: usize = 256;

/// A category label as reports show it: whole up to [`LABEL_MAX`] bytes;
/// longer, its first [`LABEL_MAX`] bytes (cut at a character boundary),
/// its length and an FNV-1a hash of the whole label, so that labels that
/// share a prefix stay distinct (a 1 MB label is not copied into every
/// report).
pub fn report_label(s: &str) -> String {
    if s.len() <= LABEL_MAX {
        return s.to_string();
    }
    let mut end = LABEL_MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{}… ({} bytes, fnv1a {h:016x})", &s[..end], s.len())
}
