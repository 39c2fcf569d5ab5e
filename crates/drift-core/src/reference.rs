//! The fitted reference: fit once, compare many windows.
//!
//! Fitting does everything that depends only on the reference —
//! extraction, sort (or counting into runs of (value, count) when there are
//! few distinct values, see [`crate::kernels::sorted`]), moments, PSI edges
//! and bin counts, category counts — once. Comparing then touches only the
//! current data plus O(m log n) binary searches into the fitted reference
//! for a window of m rows (O(m log k) for a reference of k runs; no pass
//! over the reference), so a monitoring service can check thousands of
//! windows against one fit. A reference can be saved as a profile file and
//! loaded again (see `Reference::save`, feature `parquet`).

use crate::accumulate::{Side, SortedValues};
use crate::config::{ColumnKind, Config};
use crate::error::{Error, Result};
use crate::fit::{ColumnProfile, ProfileData};
use crate::kernels::sorted::Sorted;
use crate::plan::ColumnPlan;
use arrow_schema::SchemaRef;

/// A fitted reference.
#[derive(Debug)]
pub struct Reference {
    schema: SchemaRef,
    columns: Vec<ColumnProfile>,
    rows: u64,
    config: Config,
    location: Option<String>,
    notes: Vec<String>,
}

impl Reference {
    pub(crate) fn new(
        schema: SchemaRef,
        columns: Vec<ColumnProfile>,
        rows: u64,
        config: Config,
        location: Option<String>,
    ) -> Reference {
        Reference {
            schema,
            columns,
            rows,
            config,
            location,
            notes: Vec::new(),
        }
    }

    pub(crate) fn with_notes(mut self, notes: Vec<String>) -> Reference {
        self.notes = notes;
        self
    }

    /// Records where the reference came from (shown in reports).
    pub fn with_location(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }

    /// The fitted columns, in schema order.
    pub fn columns(&self) -> &[ColumnProfile] {
        &self.columns
    }

    /// The schema of the fitted columns.
    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// Rows of the reference.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The configuration the reference was fitted with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Where the reference came from.
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }

    /// Notes of the fit (e.g. a column over the memory budget).
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Bytes of fitted data held.
    pub fn size(&self) -> usize {
        self.columns.iter().map(ColumnProfile::size).sum()
    }

    /// The fitted column a plan compares against, checked to have been
    /// fitted the way `config` would fit it; a setting that needs a refit
    /// is an error that says so.
    pub(crate) fn fitted_for(&self, plan: &ColumnPlan, config: &Config) -> Result<&ColumnProfile> {
        let p = self
            .columns
            .iter()
            .find(|c| c.name == plan.name)
            .ok_or_else(|| Error::UnknownColumn(plan.name.clone()))?;
        check_fitted(p, plan, &self.config, config)?;
        Ok(p)
    }
}

/// Checks that a fitted column was fitted (with `fitted`) the way
/// `config` would fit it for `plan`; a setting that needs a refit is an
/// error that says so.
pub(crate) fn check_fitted(
    p: &ColumnProfile,
    plan: &ColumnPlan,
    fitted: &Config,
    config: &Config,
) -> Result<()> {
    {
        let refit = |what: String| {
            Err(Error::InvalidConfig(format!(
                "column '{}': {what}; refit the reference with these settings (drift fit)",
                plan.name
            )))
        };
        let fitted_kind = match &p.data {
            ProfileData::Numeric(_) => Some(ColumnKind::Numeric),
            ProfileData::Categorical(_) => Some(ColumnKind::Categorical),
            ProfileData::Skipped(_) => None,
        };
        let fitted_plan = ColumnPlan::for_reference(&p.name, &p.dtype, fitted);
        match (&plan.kind, fitted_kind) {
            (Err(_), _) => {}
            (Ok(k), Some(f)) if *k != f => {
                return refit(
                    format!("it was fitted as {f:?} and is now asked for as {k:?}").to_lowercase(),
                )
            }
            (Ok(k), None) if fitted_plan.kind.as_ref().ok() != Some(k) => {
                return refit(format!("it was not fitted as {k:?}").to_lowercase())
            }
            _ => {}
        }
        // a categorical fit depends on the category limit: it stops at it
        let cat_limit_matters = match &p.data {
            ProfileData::Categorical(c) => c.len() > config.max_categories,
            ProfileData::Skipped(_) => fitted_kind.is_none() && fitted_plan.kind.is_ok(),
            ProfileData::Numeric(_) => false,
        };
        if plan.kind == Ok(ColumnKind::Categorical)
            && cat_limit_matters
            && config.max_categories != fitted.max_categories
        {
            return refit(format!(
                "it was fitted with max_categories = {}, now {}",
                fitted.max_categories, config.max_categories
            ));
        }
        Ok(())
    }
}

impl Reference {
    /// Merges the reference of another dataset with the same schema and
    /// fitted settings: the result is the reference of the union of the two
    /// datasets (its values, counts and moments are those a fit of the
    /// union gives).
    pub fn merge(&self, other: &Reference) -> Result<Reference> {
        if self.schema.fields().len() != other.schema.fields().len()
            || self
                .schema
                .fields()
                .iter()
                .zip(other.schema.fields())
                .any(|(a, b)| a.name() != b.name() || a.data_type() != b.data_type())
        {
            return Err(Error::InvalidInput(
                "the two references have different schemas".into(),
            ));
        }
        if self.config != other.config {
            return Err(Error::InvalidInput(
                "the two references were fitted with different settings".into(),
            ));
        }
        let columns = self
            .columns
            .iter()
            .zip(&other.columns)
            .map(|(a, b)| merge_column(a, b, &self.config))
            .collect::<Result<Vec<_>>>()?;
        let rows = self
            .rows
            .checked_add(other.rows)
            .ok_or_else(|| Error::InvalidInput("row count overflow".into()))?;
        Ok(Reference::new(
            self.schema.clone(),
            columns,
            rows,
            self.config.clone(),
            None,
        ))
    }
}

fn merge_column(a: &ColumnProfile, b: &ColumnProfile, config: &Config) -> Result<ColumnProfile> {
    let mut counts = a.counts;
    counts.merge(&b.counts);
    let plan = ColumnPlan::for_reference(&a.name, &a.dtype, config);
    let side = match (&a.data, &b.data) {
        (ProfileData::Numeric(x), ProfileData::Numeric(y)) => {
            // the union's sorted values, re-summarised: the same
            // representation and moments as a fit of the union
            let mut v = Vec::with_capacity(x.values.len() + y.values.len());
            for s in [&x.values.sorted, &y.values.sorted] {
                match s {
                    Sorted::Values(x) => v.extend_from_slice(x),
                    Sorted::Runs(r) => {
                        for (value, c) in r.runs() {
                            v.extend(std::iter::repeat_n(value, c as usize));
                        }
                    }
                }
            }
            Side::Numeric(SortedValues::new(v), counts)
        }
        (ProfileData::Categorical(x), ProfileData::Categorical(y)) => {
            let mut m: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
            for (k, c) in x.iter().chain(y) {
                let e = m.entry(k.as_str()).or_insert(0);
                *e = e.saturating_add(*c);
            }
            if m.len() > config.max_categories {
                return Err(Error::InvalidInput(format!(
                    "column '{}': the merged reference has {} categories, more than max_categories = {}; refit the union",
                    a.name,
                    m.len(),
                    config.max_categories
                )));
            }
            Side::Categorical(
                m.into_iter().map(|(k, c)| (k.to_string(), c)).collect(),
                counts,
            )
        }
        (ProfileData::Skipped(r), _) | (_, ProfileData::Skipped(r)) => {
            if plan.kind.is_ok()
                && !matches!(
                    (&a.data, &b.data),
                    (ProfileData::Skipped(_), ProfileData::Skipped(_))
                )
            {
                return Err(Error::InvalidInput(format!(
                    "column '{}' could not be fitted in one of the references ({r}); refit the union",
                    a.name
                )));
            }
            Side::Failed(r.clone(), counts)
        }
        _ => {
            return Err(Error::InvalidInput(format!(
                "column '{}' was fitted as different kinds",
                a.name
            )))
        }
    };
    Ok(ColumnProfile::fit(&plan, side))
}
