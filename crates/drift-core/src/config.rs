//! Run configuration: which tests run, thresholds, binning, decision rules.
//! Deserialisable from TOML/JSON (`deny_unknown_fields`), with defaults from
//! design.md.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Binning mode.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum PsiBinning {
    /// Reference-quantile bins.
    #[default]
    Quantile,
    /// Evidently 0.7's own binning and zero fill.
    Evidently,
}

/// A statistical test.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum TestKind {
    /// Two-sample Kolmogorov–Smirnov (numeric).
    Ks,
    /// Wasserstein-1, normalised by the reference std (numeric).
    Wasserstein,
    /// Population stability index (numeric and categorical).
    Psi,
    /// Chi-square homogeneity (categorical).
    Chi2,
}

impl TestKind {
    /// Name as in the report.
    pub fn name(self) -> &'static str {
        match self {
            TestKind::Ks => "ks",
            TestKind::Wasserstein => "wasserstein",
            TestKind::Psi => "psi",
            TestKind::Chi2 => "chi2",
        }
    }
    /// Whether the test's threshold is on a p-value (drift when p < α).
    pub fn is_p_value_test(self) -> bool {
        matches!(self, TestKind::Ks | TestKind::Chi2)
    }
    /// Parses `ks|wasserstein|psi|chi2`.
    pub fn parse(s: &str) -> Result<TestKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ks" => Ok(TestKind::Ks),
            "wasserstein" | "w1" => Ok(TestKind::Wasserstein),
            "psi" => Ok(TestKind::Psi),
            "chi2" | "chisquare" => Ok(TestKind::Chi2),
            o => Err(Error::InvalidConfig(format!(
                "unknown test '{o}' (expected ks, wasserstein, psi or chi2)"
            ))),
        }
    }
    /// Whether the test applies to a column kind.
    pub fn applies_to(self, kind: ColumnKind) -> bool {
        match kind {
            ColumnKind::Numeric => {
                matches!(self, TestKind::Ks | TestKind::Wasserstein | TestKind::Psi)
            }
            ColumnKind::Categorical => matches!(self, TestKind::Chi2 | TestKind::Psi),
        }
    }
}

/// How a column's values are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    /// Ordered values widened to f64.
    Numeric,
    /// Unordered categories.
    Categorical,
}

/// Multiple-testing correction over the p-value tests of a run.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Correction {
    /// None (default).
    #[default]
    None,
    /// Bonferroni: p·k.
    Bonferroni,
    /// Benjamini–Hochberg false discovery rate.
    #[serde(alias = "bh", alias = "fdr")]
    BenjaminiHochberg,
}

/// Which test decides whether a column drifted.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// Evidently's rule: with ≤ `auto_max_pvalue_rows` valid reference values
    /// the p-value test decides (ks for numeric, chi2 for categorical);
    /// above it the distance (wasserstein for numeric, psi for categorical),
    /// so the decision stays meaningful at millions of rows.
    #[default]
    Auto,
    /// Drift if any test that ran drifted.
    Any,
    /// Drift if every test that ran drifted.
    All,
    /// KS decides.
    Ks,
    /// Wasserstein decides.
    Wasserstein,
    /// PSI decides.
    Psi,
    /// Chi-square decides.
    Chi2,
}

/// Settings of one test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TestSettings {
    /// Drift threshold: p < threshold for ks/chi2; statistic ≥ threshold for
    /// psi; normalised W1 ≥ threshold for wasserstein.
    pub threshold: f64,
    /// Warning threshold (psi: ≥ 0.1 warns by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warn: Option<f64>,
    /// Effect-size gate for p-value tests: drift also needs the effect
    /// (KS D, chi2 Cramér's V) ≥ this floor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_effect: Option<f64>,
}

impl TestSettings {
    fn new(threshold: f64, warn: Option<f64>) -> Self {
        TestSettings {
            threshold,
            warn,
            min_effect: None,
        }
    }
}

/// Per-column overrides.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ColumnConfig {
    /// Treat the column as this kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<ColumnKind>,
    /// Tests to run on this column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tests: Option<Vec<TestKind>>,
    /// Decision rule for this column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    /// Per-test settings for this column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ks: Option<TestSettings>,
    /// Wasserstein settings for this column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wasserstein: Option<TestSettings>,
    /// PSI settings for this column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub psi: Option<TestSettings>,
    /// Chi-square settings for this column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chi2: Option<TestSettings>,
    /// PSI bin count for this column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub psi_bins: Option<usize>,
}

/// The whole run configuration. `Config::default()` is design.md's defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Tests run on numeric columns.
    pub numeric_tests: Vec<TestKind>,
    /// Tests run on categorical columns.
    pub categorical_tests: Vec<TestKind>,
    /// KS settings (default: drift at p < 0.05).
    pub ks: TestSettings,
    /// Wasserstein settings (default: drift at normalised W1 ≥ 0.1).
    pub wasserstein: TestSettings,
    /// PSI settings (default: drift ≥ 0.2, warn ≥ 0.1).
    pub psi: TestSettings,
    /// Chi-square settings (default: drift at p < 0.05).
    pub chi2: TestSettings,
    /// PSI bins for numeric columns (quantile mode).
    pub psi_bins: usize,
    /// PSI binning mode.
    pub psi_binning: PsiBinning,
    /// Which test decides a column's drift.
    pub decision: Decision,
    /// `auto` decision: p-value tests up to this many valid reference values.
    pub auto_max_pvalue_rows: u64,
    /// Dataset drift when the share of drifted columns is ≥ this.
    pub drift_share: f64,
    /// Multiple-testing correction over ks/chi2 p-values.
    pub correction: Correction,
    /// Warn when the missing share (null+NaN+inf) changes by more than this
    /// (absolute difference of shares).
    pub missing_share_threshold: f64,
    /// Warn when more than this share of current rows fall in categories
    /// unseen in the reference.
    pub unseen_share_threshold: f64,
    /// Columns to compare (empty: all common columns).
    pub include: Vec<String>,
    /// Columns to leave out.
    pub exclude: Vec<String>,
    /// Categorical columns with more distinct values than this are skipped.
    pub max_categories: usize,
    /// Categories listed per side in the report.
    pub top_categories: usize,
    /// Bins of the report's numeric histograms (plots, not tests).
    pub plot_bins: usize,
    /// Per-column overrides, by column name.
    pub columns: BTreeMap<String, ColumnConfig>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            numeric_tests: vec![TestKind::Ks, TestKind::Wasserstein, TestKind::Psi],
            categorical_tests: vec![TestKind::Chi2, TestKind::Psi],
            ks: TestSettings::new(0.05, None),
            wasserstein: TestSettings::new(0.1, None),
            psi: TestSettings::new(0.2, Some(0.1)),
            chi2: TestSettings::new(0.05, None),
            psi_bins: 10,
            psi_binning: PsiBinning::Quantile,
            decision: Decision::Auto,
            auto_max_pvalue_rows: 1000,
            drift_share: 0.5,
            correction: Correction::None,
            missing_share_threshold: 0.1,
            unseen_share_threshold: 0.1,
            include: Vec::new(),
            exclude: Vec::new(),
            max_categories: 100_000,
            top_categories: 20,
            plot_bins: 30,
            columns: BTreeMap::new(),
        }
    }
}

/// Settings resolved for one column: everything the statistics and the
/// decision of that column need, so that neither reads the [`Config`]
/// again.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedColumn {
    /// Tests to run (sorted, each once, only those that apply to the kind).
    pub tests: Vec<TestKind>,
    /// Decision rule.
    pub decision: Decision,
    /// PSI bins (numeric, quantile mode).
    pub psi_bins: usize,
    /// PSI binning mode.
    pub psi_binning: PsiBinning,
    /// Bins of the report's numeric histograms.
    pub plot_bins: usize,
    /// Categories listed per side in the report.
    pub top_categories: usize,
    /// Categorical columns with more distinct values are skipped.
    pub max_categories: usize,
    /// Missing-share signal threshold.
    pub missing_share_threshold: f64,
    /// Unseen-categories signal threshold.
    pub unseen_share_threshold: f64,
    /// `auto` decision: p-value tests up to this many valid reference values.
    pub auto_max_pvalue_rows: u64,
    settings: [TestSettings; 4],
}

impl ResolvedColumn {
    /// Settings of `test` for this column.
    pub fn settings(&self, test: TestKind) -> TestSettings {
        self.settings[test as usize]
    }
}

impl Config {
    /// Checks values and ranges; names the offending key.
    pub fn validate(&self) -> Result<()> {
        let p_ok = |name: &str, s: &TestSettings| -> Result<()> {
            if !(s.threshold > 0.0 && s.threshold <= 1.0) {
                return Err(Error::InvalidConfig(format!(
                    "{name}.threshold must be a p-value in (0, 1], got {}",
                    s.threshold
                )));
            }
            Ok(())
        };
        let d_ok = |name: &str, s: &TestSettings| -> Result<()> {
            if !(s.threshold.is_finite() && s.threshold >= 0.0) {
                return Err(Error::InvalidConfig(format!(
                    "{name}.threshold must be a finite number ≥ 0, got {}",
                    s.threshold
                )));
            }
            Ok(())
        };
        let check_all = |prefix: &str,
                         ks: Option<&TestSettings>,
                         w: Option<&TestSettings>,
                         psi: Option<&TestSettings>,
                         chi2: Option<&TestSettings>|
         -> Result<()> {
            if let Some(s) = ks {
                p_ok(&format!("{prefix}ks"), s)?;
            }
            if let Some(s) = chi2 {
                p_ok(&format!("{prefix}chi2"), s)?;
            }
            if let Some(s) = w {
                d_ok(&format!("{prefix}wasserstein"), s)?;
            }
            if let Some(s) = psi {
                d_ok(&format!("{prefix}psi"), s)?;
            }
            for (n, s) in [("ks", ks), ("wasserstein", w), ("psi", psi), ("chi2", chi2)] {
                if let Some(s) = s {
                    for (what, v) in [("warn", s.warn), ("min_effect", s.min_effect)] {
                        if let Some(v) = v {
                            if !(v.is_finite() && v >= 0.0) {
                                return Err(Error::InvalidConfig(format!(
                                    "{prefix}{n}.{what} must be a finite number ≥ 0, got {v}"
                                )));
                            }
                        }
                    }
                }
            }
            Ok(())
        };
        check_all(
            "",
            Some(&self.ks),
            Some(&self.wasserstein),
            Some(&self.psi),
            Some(&self.chi2),
        )?;
        if self.psi_bins < 2 || self.psi_bins > 1000 {
            return Err(Error::InvalidConfig(format!(
                "psi_bins must be in 2..=1000, got {}",
                self.psi_bins
            )));
        }
        if !(self.drift_share > 0.0 && self.drift_share <= 1.0) {
            return Err(Error::InvalidConfig(format!(
                "drift_share must be in (0, 1], got {}",
                self.drift_share
            )));
        }
        for (k, v) in [
            ("missing_share_threshold", self.missing_share_threshold),
            ("unseen_share_threshold", self.unseen_share_threshold),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(Error::InvalidConfig(format!(
                    "{k} must be in [0, 1], got {v}"
                )));
            }
        }
        if self.max_categories == 0
            || self.plot_bins == 0
            || self.plot_bins > 1000
            || self.top_categories > 10_000
        {
            return Err(Error::InvalidConfig(
                "max_categories must be > 0, plot_bins in 1..=1000, top_categories ≤ 10000".into(),
            ));
        }
        for (kind, tests) in [
            (ColumnKind::Numeric, &self.numeric_tests),
            (ColumnKind::Categorical, &self.categorical_tests),
        ] {
            for t in tests {
                if !t.applies_to(kind) {
                    return Err(Error::InvalidConfig(
                        format!("test '{}' does not apply to {:?} columns", t.name(), kind)
                            .to_lowercase(),
                    ));
                }
            }
        }
        for (name, c) in &self.columns {
            check_all(
                &format!("columns.{name}."),
                c.ks.as_ref(),
                c.wasserstein.as_ref(),
                c.psi.as_ref(),
                c.chi2.as_ref(),
            )?;
            if let Some(b) = c.psi_bins {
                if !(2..=1000).contains(&b) {
                    return Err(Error::InvalidConfig(format!(
                        "columns.{name}.psi_bins must be in 2..=1000, got {b}"
                    )));
                }
            }
        }
        Ok(())
    }

    /// The kind override for a column, if any.
    pub fn kind_override(&self, column: &str) -> Option<ColumnKind> {
        self.columns.get(column).and_then(|c| c.kind)
    }

    /// Resolves the settings of one column of a given kind.
    pub fn resolve(&self, column: &str, kind: ColumnKind) -> ResolvedColumn {
        let c = self.columns.get(column);
        let default_tests = match kind {
            ColumnKind::Numeric => &self.numeric_tests,
            ColumnKind::Categorical => &self.categorical_tests,
        };
        let mut tests: Vec<TestKind> = c
            .and_then(|c| c.tests.clone())
            .unwrap_or_else(|| default_tests.clone())
            .into_iter()
            .filter(|t| t.applies_to(kind))
            .collect();
        tests.sort();
        tests.dedup();
        let pick = |g: TestSettings, o: Option<TestSettings>| o.unwrap_or(g);
        ResolvedColumn {
            tests,
            decision: c.and_then(|c| c.decision).unwrap_or(self.decision),
            psi_bins: c.and_then(|c| c.psi_bins).unwrap_or(self.psi_bins),
            psi_binning: self.psi_binning,
            plot_bins: self.plot_bins,
            top_categories: self.top_categories,
            max_categories: self.max_categories,
            missing_share_threshold: self.missing_share_threshold,
            unseen_share_threshold: self.unseen_share_threshold,
            auto_max_pvalue_rows: self.auto_max_pvalue_rows,
            settings: [
                pick(self.ks, c.and_then(|c| c.ks)),
                pick(self.wasserstein, c.and_then(|c| c.wasserstein)),
                pick(self.psi, c.and_then(|c| c.psi)),
                pick(self.chi2, c.and_then(|c| c.chi2)),
            ],
        }
    }

    /// A human-readable statement of the column decision rule, written into
    /// every report.
    pub fn decision_description(&self) -> String {
        match self.decision {
            Decision::Auto => format!(
                "auto: numeric columns drift by ks (p < {}) when the reference has at most {} valid values, otherwise by wasserstein (normalized >= {}); categorical columns by chi2 (p < {}) up to {} valid reference values, otherwise by psi (>= {}). If the deciding test is disabled, any enabled test decides.",
                self.ks.threshold, self.auto_max_pvalue_rows, self.wasserstein.threshold, self.chi2.threshold, self.auto_max_pvalue_rows, self.psi.threshold
            ),
            Decision::Any => "any: a column drifts when any of its tests drifts".into(),
            Decision::All => "all: a column drifts when all of its tests drift".into(),
            d => format!("{}: that test decides each column where it runs; elsewhere any test decides", format!("{d:?}").to_lowercase()),
        }
    }

    /// A statement of the dataset rule.
    pub fn dataset_rule_description(&self) -> String {
        format!(
            "dataset drift when the share of drifted columns among tested columns is >= {}",
            self.drift_share
        )
    }
}
