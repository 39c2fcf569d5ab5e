//! Decisions: multiple-testing correction, each test's outcome, each
//! column's drift and status, and the dataset verdict.

use crate::config::{ColumnKind, Config, Correction, Decision, TestKind};
use crate::report::*;

/// Adjusted p-values (same order) for a family of p-values.
///
/// ```
/// use drift_core::config::Correction;
/// use drift_core::decide::adjust;
/// assert_eq!(adjust(&[0.01, 0.04], Correction::Bonferroni), vec![0.02, 0.08]);
/// assert_eq!(adjust(&[0.01, 0.04, 0.03], Correction::BenjaminiHochberg), vec![0.03, 0.04, 0.04]);
/// ```
pub fn adjust(p: &[f64], method: Correction) -> Vec<f64> {
    let k = p.len() as f64;
    match method {
        Correction::None => p.to_vec(),
        Correction::Bonferroni => p.iter().map(|&x| (x * k).min(1.0)).collect(),
        Correction::BenjaminiHochberg => {
            let mut idx: Vec<usize> = (0..p.len()).collect();
            idx.sort_by(|&a, &b| p[a].total_cmp(&p[b]).then(a.cmp(&b)));
            let mut out = vec![0.0; p.len()];
            let mut running = 1.0f64;
            for (rank, &i) in idx.iter().enumerate().rev() {
                let v = (p[i] * k / (rank + 1) as f64).min(1.0);
                running = running.min(v);
                out[i] = running;
            }
            out
        }
    }
}

fn test_outcome(t: &mut TestResult) {
    let (drift, warn) = match t.test {
        TestKind::Ks | TestKind::Chi2 => {
            let p = t.p_value_adjusted.or(t.p_value);
            let effect_ok = match (t.min_effect, t.effect) {
                (Some(floor), Some(e)) => e >= floor,
                (Some(_), None) => false,
                (None, _) => true,
            };
            (p.is_some_and(|p| p < t.threshold) && effect_ok, false)
        }
        TestKind::Wasserstein => match (t.normalized, t.statistic) {
            (Some(nw), _) => (nw >= t.threshold, t.warn_threshold.is_some_and(|w| nw >= w)),
            (None, Some(w)) => (w > 0.0, false),
            (None, None) => (true, false), // W1 overflowed: the supports are astronomically apart
        },
        TestKind::Psi => match t.statistic {
            Some(s) => (s >= t.threshold, t.warn_threshold.is_some_and(|w| s >= w)),
            None => (false, false),
        },
    };
    t.drift = drift;
    t.warn = warn && !drift;
}

fn decide_column(c: &mut ColumnReport, config: &Config) {
    for s in &mut c.signals {
        s.alert = match s.signal.as_str() {
            "missing_share" => (s.current - s.reference).abs() > s.threshold,
            _ => s.current > s.threshold,
        };
    }
    if matches!(c.status, ColumnStatus::Skipped | ColumnStatus::NoData) {
        return;
    }
    let kind = c.kind.unwrap_or(ColumnKind::Numeric);
    if c.tests.is_empty() {
        // no selected test applies to this kind: the column is untested,
        // not "ok" (it must not count as tested in the dataset share)
        c.status = ColumnStatus::Skipped;
        c.reason = Some(format!(
            "no test selected for {} columns",
            match kind {
                ColumnKind::Numeric => "numeric",
                ColumnKind::Categorical => "categorical",
            }
        ));
        return;
    }
    let rule = config
        .columns
        .get(&c.name)
        .and_then(|o| o.decision)
        .unwrap_or(config.decision);
    let specific = match rule {
        Decision::Auto => Some(
            match (kind, c.reference.valid <= config.auto_max_pvalue_rows) {
                (ColumnKind::Numeric, true) => TestKind::Ks,
                (ColumnKind::Numeric, false) => TestKind::Wasserstein,
                (ColumnKind::Categorical, true) => TestKind::Chi2,
                (ColumnKind::Categorical, false) => TestKind::Psi,
            },
        ),
        Decision::Ks => Some(TestKind::Ks),
        Decision::Wasserstein => Some(TestKind::Wasserstein),
        Decision::Psi => Some(TestKind::Psi),
        Decision::Chi2 => Some(TestKind::Chi2),
        Decision::Any | Decision::All => None,
    };
    let deciding = specific.and_then(|t| c.tests.iter().find(|r| r.test == t));
    let (drift, by) = match (deciding, rule) {
        (Some(t), _) => (t.drift, Some(t.test)),
        (None, Decision::All) => {
            let all = !c.tests.is_empty() && c.tests.iter().all(|t| t.drift);
            (all, None)
        }
        _ => {
            let first = c.tests.iter().find(|t| t.drift).map(|t| t.test);
            (first.is_some(), first)
        }
    };
    c.drift = drift;
    c.decided_by = by;
    // Warnings come from the deciding test's warning band (all tests' under
    // any/all) and from drift signals. Non-deciding tests are reported but do
    // not change the status: at millions of rows every p-value test fires on
    // trivial shifts, and that must not turn every column into a warning.
    let test_warn = match deciding {
        Some(t) => t.warn,
        None => c.tests.iter().any(|t| t.warn),
    };
    let warn = test_warn || c.signals.iter().any(|s| s.alert);
    c.status = if drift {
        ColumnStatus::Drift
    } else if warn {
        ColumnStatus::Warn
    } else {
        ColumnStatus::Ok
    };
}

/// Builds the final report: applies the correction over all ks/chi2
/// p-values, each test's threshold, each column's decision rule, and the
/// dataset rule.
pub fn finalize(
    mut columns: Vec<ColumnReport>,
    schema: SchemaFindings,
    inputs: Inputs,
    config: &Config,
) -> Report {
    if config.correction != Correction::None {
        let mut slots = Vec::new();
        let mut ps = Vec::new();
        for (ci, c) in columns.iter().enumerate() {
            for (ti, t) in c.tests.iter().enumerate() {
                if let (true, Some(p)) = (t.test.is_p_value_test(), t.p_value) {
                    slots.push((ci, ti));
                    ps.push(p);
                }
            }
        }
        for ((ci, ti), a) in slots.into_iter().zip(adjust(&ps, config.correction)) {
            columns[ci].tests[ti].p_value_adjusted = Some(a);
        }
    }
    for c in &mut columns {
        for t in &mut c.tests {
            test_outcome(t);
        }
        decide_column(c, config);
    }
    let tested = columns
        .iter()
        .filter(|c| {
            matches!(
                c.status,
                ColumnStatus::Drift | ColumnStatus::Warn | ColumnStatus::Ok
            )
        })
        .count() as u64;
    let drifted = columns.iter().filter(|c| c.drift).count() as u64;
    let warned = columns
        .iter()
        .filter(|c| c.status == ColumnStatus::Warn)
        .count() as u64;
    let share = if tested == 0 {
        0.0
    } else {
        drifted as f64 / tested as f64
    };
    let dataset_drift = tested > 0 && share >= config.drift_share;
    let status = if tested == 0 {
        RunStatus::NothingTested
    } else if dataset_drift {
        RunStatus::DatasetDrift
    } else if drifted > 0 {
        RunStatus::ColumnDrift
    } else {
        RunStatus::NoDrift
    };
    Report {
        schema_version: SCHEMA_VERSION.into(),
        tool: Tool::default(),
        inputs,
        summary: Summary {
            columns: columns.len() as u64,
            tested_columns: tested,
            drifted_columns: drifted,
            warned_columns: warned,
            untested_columns: columns.len() as u64 - tested,
            share_drifted: share,
            dataset_drift,
            status,
            column_rule: config.decision_description(),
            dataset_rule: config.dataset_rule_description(),
        },
        columns,
        schema,
        settings: Settings {
            config: config.clone(),
        },
        notes: Vec::new(),
    }
}

/// What makes a run alert (exit status 1): the same rule for every front
/// end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// The dataset drifted (the share of drifted columns reached the
    /// dataset rule). The default.
    #[default]
    Dataset,
    /// Any column drifted.
    Column,
    /// Any column drifted or warned.
    Warn,
    /// Never alert (exit 0 unless there is an error).
    Never,
}

impl std::str::FromStr for FailOn {
    type Err = crate::error::Error;
    fn from_str(s: &str) -> crate::error::Result<FailOn> {
        match s.trim().to_ascii_lowercase().as_str() {
            "dataset" => Ok(FailOn::Dataset),
            "column" => Ok(FailOn::Column),
            "warn" => Ok(FailOn::Warn),
            "never" => Ok(FailOn::Never),
            o => Err(crate::error::Error::InvalidConfig(format!(
                "fail_on must be one of dataset, column, warn, never (got {o})"
            ))),
        }
    }
}

impl Report {
    /// Whether the report alerts under `fail_on`.
    pub fn alert(&self, fail_on: FailOn) -> bool {
        match fail_on {
            FailOn::Dataset => self.summary.dataset_drift,
            FailOn::Column => self.summary.drifted_columns > 0,
            FailOn::Warn => self
                .columns
                .iter()
                .any(|c| matches!(c.status, ColumnStatus::Drift | ColumnStatus::Warn)),
            FailOn::Never => false,
        }
    }

    /// The exit status of a completed run: 1 when it alerts under
    /// `fail_on`, else 0 (an error, reported elsewhere, is 2).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use arrow_array::{Float64Array, RecordBatch, ArrayRef};
    /// use drift_core::{compare, Config, FailOn};
    /// # let b = |s: f64| RecordBatch::try_from_iter([("x", Arc::new(Float64Array::from_iter_values((0..300).map(|i| i as f64 + s))) as ArrayRef)]).unwrap();
    /// let report = compare(&[b(0.0)], &[b(100.0)], &Config::default())?;
    /// assert_eq!((report.exit_code(FailOn::Dataset), report.exit_code(FailOn::Never)), (1, 0));
    /// # Ok::<(), drift_core::Error>(())
    /// ```
    pub fn exit_code(&self, fail_on: FailOn) -> u8 {
        u8::from(self.alert(fail_on))
    }
}
