//! Flags + config file → the run configuration. The file is read first,
//! flags override it.

use crate::cli::SettingsArgs;
use anyhow::{anyhow, bail, Context, Result};
use drift_core::config::{ColumnConfig, TestSettings};
use drift_core::FailOn;
use drift_core::{ColumnKind, Config, Correction, Decision, TestKind};
use serde::Deserialize;
use std::path::Path;

/// Everything a run needs.
pub struct RunSettings {
    pub config: Config,
    pub fail_on: FailOn,
}

fn read_file(path: &Path) -> Result<(Config, Option<FailOn>)> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading config file {}", path.display()))?;
    // Syntax first (errors carry line and column), then the CLI-only key,
    // then drift-core's Config from the same text with that key blanked out
    // (line numbers preserved).
    let table: toml::Table = toml::from_str(&text).map_err(|e| {
        anyhow!(
            "config file {}: {}",
            path.display(),
            one_line(&e.to_string())
        )
    })?;
    let fail_on = match table.get("fail_on") {
        Some(v) => Some(
            FailOn::deserialize(v.clone()).map_err(|_: toml::de::Error| {
                anyhow!(
                    "config file {}: fail_on must be one of dataset, column, warn, never (got {v})",
                    path.display()
                )
            })?,
        ),
        None => None,
    };
    let config: Config = toml::from_str(&strip_cli_keys(&text)).map_err(|e| {
        anyhow!(
            "config file {}: {}",
            path.display(),
            one_line(&e.to_string())
        )
    })?;
    Ok((config, fail_on))
}

/// Blanks the top-level `fail_on = …` line (the one CLI-only key) and
/// nothing else: a key that only starts with `fail_on`, or `fail_on` inside
/// a table, stays for drift-core's Config to reject as unknown.
fn strip_cli_keys(text: &str) -> String {
    let mut top = true;
    text.lines()
        .map(|l| {
            let t = l.trim_start();
            if t.starts_with('[') {
                top = false;
            }
            let is_key = t
                .strip_prefix("fail_on")
                .is_some_and(|rest| rest.trim_start().starts_with('='));
            if top && is_key {
                ""
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// TOML errors span several lines (a caret diagram); keep one line.
fn one_line(s: &str) -> String {
    let parts: Vec<&str> = s
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty()
                && !l.starts_with('|')
                && !l.chars().all(|c| c == '^' || c == ' ' || c == '|')
        })
        .collect();
    parts.join(": ").replace(": :", ":")
}

fn parse_assignment(s: &str) -> Result<(Option<String>, TestKind, f64)> {
    let (lhs, value) = s
        .split_once('=')
        .ok_or_else(|| anyhow!("'{s}' should look like TEST=VALUE or COLUMN:TEST=VALUE"))?;
    let (column, test) = match lhs.rsplit_once(':') {
        Some((c, t)) => (Some(c.to_string()), t),
        None => (None, lhs),
    };
    let test = TestKind::parse(test).map_err(|e| anyhow!("{e}"))?;
    let value: f64 = value
        .trim()
        .parse()
        .map_err(|_| anyhow!("'{s}': '{value}' is not a number"))?;
    if !value.is_finite() {
        bail!("'{s}': the value must be finite");
    }
    Ok((column, test, value))
}

fn settings_mut<'a>(
    cfg: &'a mut Config,
    column: Option<&str>,
    test: TestKind,
) -> &'a mut TestSettings {
    match column {
        None => match test {
            TestKind::Ks => &mut cfg.ks,
            TestKind::Wasserstein => &mut cfg.wasserstein,
            TestKind::Psi => &mut cfg.psi,
            TestKind::Chi2 => &mut cfg.chi2,
        },
        Some(c) => {
            let global = match test {
                TestKind::Ks => cfg.ks,
                TestKind::Wasserstein => cfg.wasserstein,
                TestKind::Psi => cfg.psi,
                TestKind::Chi2 => cfg.chi2,
            };
            let cc = cfg.columns.entry(c.to_string()).or_default();
            let slot = match test {
                TestKind::Ks => &mut cc.ks,
                TestKind::Wasserstein => &mut cc.wasserstein,
                TestKind::Psi => &mut cc.psi,
                TestKind::Chi2 => &mut cc.chi2,
            };
            slot.get_or_insert(global)
        }
    }
}

/// Builds the run configuration from the config file (if any) and flags;
/// `fail_on` is the flag's policy, if given.
pub fn resolve(args: &SettingsArgs, fail_on: Option<FailOn>) -> Result<RunSettings> {
    let (mut cfg, file_fail_on) = match &args.config {
        Some(p) => read_file(p)?,
        None => (Config::default(), None),
    };
    if !args.columns.is_empty() {
        cfg.include = args.columns.clone();
    }
    cfg.exclude.extend(args.exclude.iter().cloned());
    for (cols, kind) in [
        (&args.categorical, ColumnKind::Categorical),
        (&args.numeric, ColumnKind::Numeric),
    ] {
        for c in cols {
            cfg.columns
                .entry(c.clone())
                .or_insert_with(ColumnConfig::default)
                .kind = Some(kind);
        }
    }
    if !args.tests.is_empty() {
        let tests: Vec<TestKind> = args
            .tests
            .iter()
            .map(|t| TestKind::parse(t))
            .collect::<Result<_, _>>()
            .map_err(|e| anyhow!("--tests: {e}"))?;
        cfg.numeric_tests = tests
            .iter()
            .copied()
            .filter(|t| t.applies_to(ColumnKind::Numeric))
            .collect();
        cfg.categorical_tests = tests
            .iter()
            .copied()
            .filter(|t| t.applies_to(ColumnKind::Categorical))
            .collect();
    }
    for s in &args.threshold {
        let (col, test, v) = parse_assignment(s).context("--threshold")?;
        settings_mut(&mut cfg, col.as_deref(), test).threshold = v;
    }
    for s in &args.min_effect {
        let (col, test, v) = parse_assignment(s).context("--min-effect")?;
        if !test.is_p_value_test() {
            bail!(
                "--min-effect: only ks and chi2 take an effect-size floor (got {})",
                test.name()
            );
        }
        settings_mut(&mut cfg, col.as_deref(), test).min_effect = Some(v);
    }
    if let Some(b) = args.psi_bins {
        cfg.psi_bins = b;
    }
    if let Some(m) = &args.psi_binning {
        cfg.psi_binning = if m == "evidently" {
            drift_core::PsiBinning::Evidently
        } else {
            drift_core::PsiBinning::Quantile
        };
    }
    if let Some(d) = &args.decision {
        cfg.decision =
            serde_json::from_value::<Decision>(serde_json::Value::String(d.to_ascii_lowercase()))
                .map_err(|_| {
                anyhow!(
                    "--decision: '{d}' is not one of auto, any, all, ks, wasserstein, psi, chi2"
                )
            })?;
    }
    if let Some(s) = args.drift_share {
        cfg.drift_share = s;
    }
    if let Some(c) = &args.correction {
        cfg.correction =
            serde_json::from_value::<Correction>(serde_json::Value::String(c.to_ascii_lowercase()))
                .map_err(|_| anyhow!("--correction: '{c}' is not one of none, bonferroni, bh"))?;
    }
    cfg.validate().map_err(|e| anyhow!("{e}"))?;
    Ok(RunSettings {
        config: cfg,
        fail_on: fail_on.or(file_fail_on).unwrap_or(FailOn::Dataset),
    })
}

/// Parses sizes like `512M`, `2G`, `1500000`.
pub fn parse_size(s: &str) -> Result<u64> {
    let t = s.trim().to_ascii_uppercase();
    let (num, mult) = match t.trim_end_matches('B').chars().last() {
        Some('K') => (&t[..t.trim_end_matches('B').len() - 1], 1u64 << 10),
        Some('M') => (&t[..t.trim_end_matches('B').len() - 1], 1 << 20),
        Some('G') => (&t[..t.trim_end_matches('B').len() - 1], 1 << 30),
        Some('T') => (&t[..t.trim_end_matches('B').len() - 1], 1 << 40),
        _ => (t.trim_end_matches('B'), 1),
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| anyhow!("--max-memory: '{s}' is not a size like 512M or 2G"))?;
    if !(v.is_finite() && v > 0.0) {
        bail!("--max-memory: '{s}' must be positive");
    }
    Ok((v * mult as f64) as u64)
}

/// The commented example written by `drift init-config`.
pub const EXAMPLE_CONFIG: &str = r#"# drift configuration (TOML). Every key is optional; flags override this file.

# What makes `drift compare` exit with status 1: dataset | column | warn | never
fail_on = "dataset"

# Tests per column kind (ks, wasserstein, psi for numeric; chi2, psi for categorical)
numeric_tests = ["ks", "wasserstein", "psi"]
categorical_tests = ["chi2", "psi"]

# Which test decides a column's drift:
#   auto  = ks / chi2 (p-value) while the reference has <= auto_max_pvalue_rows
#           valid values, wasserstein / psi (distance) above that
#   any | all | ks | wasserstein | psi | chi2
decision = "auto"
auto_max_pvalue_rows = 1000

# Dataset drift when this share of tested columns drifts
drift_share = 0.5

# Multiple-testing correction over ks/chi2 p-values: none | bonferroni | benjamini_hochberg
correction = "none"

# PSI: bins of reference quantiles, or Evidently 0.7's own binning
psi_bins = 10
psi_binning = "quantile"   # or "evidently"

# Drift signals besides the tests (they make a column "warn")
missing_share_threshold = 0.1   # |missing share current - reference|
unseen_share_threshold = 0.1    # share of current rows in categories unseen in the reference

# Columns: all common columns unless `include` is set
include = []
exclude = []
max_categories = 100000   # categorical columns with more categories are skipped

[ks]
threshold = 0.05          # drift when p < threshold
# min_effect = 0.1        # and KS D >= min_effect (effect-size gate)

[wasserstein]
threshold = 0.1           # drift when W1 / std(reference) >= threshold

[psi]
threshold = 0.2           # drift when PSI >= threshold
warn = 0.1                # warn when PSI >= warn

[chi2]
threshold = 0.05          # drift when p < threshold
# min_effect = 0.1        # and Cramér's V >= min_effect

# Per-column settings
# [columns.customer_tier]
# kind = "categorical"
# tests = ["chi2", "psi"]
#
# [columns.amount.psi]
# threshold = 0.3
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_config_parses_to_defaults() {
        let dir = std::env::temp_dir().join(format!("drift-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("drift.toml");
        std::fs::write(&p, EXAMPLE_CONFIG).unwrap();
        let (cfg, fail) = read_file(&p).unwrap();
        assert_eq!(cfg, Config::default());
        assert_eq!(fail, Some(FailOn::Dataset));
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("2G").unwrap(), 2 << 30);
        assert_eq!(parse_size("512mb").unwrap(), 512 << 20);
        assert!(parse_size("lots").is_err());
    }
}
