//! Plan: the two schemas aligned and the configuration resolved, once, into
//! one plan per column. Every later stage reads the plan, never the
//! [`Config`] again.

use crate::accumulate::SideAccumulator;
use crate::column::{natural_kind, supports};
use crate::config::{ColumnKind, Config, ResolvedColumn};
use crate::error::{Error, Result};
use crate::report::{SchemaFindings, TypeChange};
use arrow_schema::{DataType, Schema};
use std::collections::HashMap;

/// How each column is to be compared, after aligning the two schemas.
#[derive(Debug, Clone)]
pub struct ColumnPlan {
    /// Column name.
    pub name: String,
    /// Reference type.
    pub reference_type: DataType,
    /// Current type.
    pub current_type: DataType,
    /// Kind to test as; `Err(reason)` when the column is skipped.
    pub kind: std::result::Result<ColumnKind, String>,
    /// The column's settings (for a skipped column, those of its natural
    /// kind, or numeric).
    pub resolved: ResolvedColumn,
}

impl ColumnPlan {
    /// An accumulator for one side of this column; `capacity` is the
    /// expected number of values (a size hint). A skipped column only
    /// counts rows and nulls.
    pub fn accumulator(&self, capacity: usize) -> SideAccumulator {
        self.accumulator_with(Vec::with_capacity(capacity))
    }

    /// As [`ColumnPlan::accumulator`], numeric values going into `buffer`.
    pub(crate) fn accumulator_with(&self, buffer: Vec<f64>) -> SideAccumulator {
        SideAccumulator::with_buffer(
            &self.name,
            self.kind.as_ref().copied().map_err(String::as_str),
            self.resolved.max_categories,
            buffer,
        )
    }
}

impl ColumnPlan {
    /// The plan of one column of a reference alone (fitting): its kind from
    /// the configuration's override or its type.
    pub fn for_reference(name: &str, dtype: &DataType, config: &Config) -> ColumnPlan {
        let kind = match config.kind_override(name).or_else(|| natural_kind(dtype)) {
            None => Err(unsupported(dtype)),
            Some(k) if !supports(dtype, k) => Err(cannot_test(dtype, k)),
            Some(k) => Ok(k),
        };
        ColumnPlan::new(name, dtype.clone(), dtype.clone(), kind, config)
    }

    fn new(
        name: &str,
        reference_type: DataType,
        current_type: DataType,
        kind: std::result::Result<ColumnKind, String>,
        config: &Config,
    ) -> ColumnPlan {
        let k = kind
            .clone()
            .ok()
            .or_else(|| natural_kind(&reference_type))
            .unwrap_or(ColumnKind::Numeric);
        ColumnPlan {
            name: name.to_string(),
            resolved: config.resolve(name, k),
            reference_type,
            current_type,
            kind,
        }
    }
}

fn unsupported(dt: &DataType) -> String {
    format!("type {dt} is not supported (nested, binary and null types cannot be tested)")
}

fn cannot_test(dt: &DataType, k: ColumnKind) -> String {
    format!("type {dt} cannot be tested as {k:?}").to_lowercase()
}

/// Columns are matched by name: a side with two columns of one name is an
/// error (the second would never be compared).
pub(crate) fn unique_names(schema: &Schema, side: &str) -> Result<()> {
    let mut seen = std::collections::HashSet::with_capacity(schema.fields().len());
    for f in schema.fields() {
        if !seen.insert(f.name().as_str()) {
            return Err(Error::InvalidInput(format!(
                "the {side} has two columns named '{}'; columns are matched by name, so rename one",
                f.name()
            )));
        }
    }
    Ok(())
}

/// Aligns two schemas by column name: columns compared (reference order),
/// and the schema findings. Unknown names in `include`, `exclude` or the
/// per-column settings are an error, as is having no column in common
/// or two columns of one name on a side.
pub fn plan_columns(
    reference: &Schema,
    current: &Schema,
    config: &Config,
) -> Result<(Vec<ColumnPlan>, SchemaFindings)> {
    config.validate()?;
    unique_names(reference, "reference")?;
    unique_names(current, "current")?;
    // by name, so that planning stays linear in the number of columns
    // (the first of duplicate names, as `Schema::field_with_name` finds)
    let by_name = |s: &Schema| -> HashMap<String, DataType> {
        let mut m = HashMap::with_capacity(s.fields().len());
        for f in s.fields() {
            m.entry(f.name().clone())
                .or_insert_with(|| f.data_type().clone());
        }
        m
    };
    let (in_ref, in_cur) = (by_name(reference), by_name(current));
    let known = |n: &str| in_ref.contains_key(n) || in_cur.contains_key(n);
    for n in config
        .include
        .iter()
        .chain(&config.exclude)
        .chain(config.columns.keys())
    {
        if !known(n) {
            return Err(Error::UnknownColumn(n.clone()));
        }
    }
    let mut findings = SchemaFindings::default();
    let mut plans = Vec::new();
    for f in reference.fields() {
        let name = f.name();
        let Some(ct) = in_cur.get(name) else {
            findings.only_in_reference.push(name.clone());
            continue;
        };
        if (!config.include.is_empty() && !config.include.contains(name))
            || config.exclude.contains(name)
        {
            continue;
        }
        let (rt, ct) = (f.data_type().clone(), ct.clone());
        let kind = match config.kind_override(name).or_else(|| natural_kind(&rt)) {
            None => Err(unsupported(&rt)),
            Some(k) if !supports(&rt, k) => Err(cannot_test(&rt, k)),
            Some(k) if !supports(&ct, k) => Err(format!("type changed from {rt} to {ct}")),
            Some(k) => Ok(k),
        };
        if rt != ct {
            findings.type_changes.push(TypeChange {
                column: name.clone(),
                reference: rt.to_string(),
                current: ct.to_string(),
                compatible: kind.is_ok(),
            });
        }
        plans.push(ColumnPlan::new(name, rt, ct, kind, config));
    }
    for f in current.fields() {
        if !in_ref.contains_key(f.name()) {
            findings.only_in_current.push(f.name().clone());
        }
    }
    if plans.is_empty() {
        return Err(Error::EmptyInput(
            if findings.only_in_reference.is_empty() && findings.only_in_current.is_empty() {
                "no columns to compare".into()
            } else {
                "the two inputs have no columns in common (after --columns/--exclude)".into()
            },
        ));
    }
    Ok((plans, findings))
}
