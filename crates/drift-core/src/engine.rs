//! The engine: sources in, a [`Report`] out, with a bounded number of
//! columns in flight.
//!
//! Each column is read once per side (projection), accumulated batch by
//! batch as the source decodes it, sorted, compared, and dropped before the
//! next one is loaded. The two sides of a column are read in parallel, and
//! threads beyond that read each side's row groups as parallel parts. Peak
//! memory ≈ columns in flight × what one column needs (see
//! [`Engine::with_max_memory`]).
//!
//! ```no_run
//! use drift_core::{Config, Engine, FailOn, source::ParquetSource};
//! let reference = ParquetSource::open("data/reference/")?;
//! let current = ParquetSource::open("data/current/*.parquet")?;
//! let report = Engine::new(Config::default())?.compare(&reference, &current)?;
//! std::process::exit(report.exit_code(FailOn::Dataset).into());
//! # Ok::<(), drift_core::Error>(())
//! ```

use crate::accumulate::{Side, SideAccumulator};
use crate::config::{ColumnKind, Config};
use crate::decide::finalize;
use crate::error::{Error, Result};
use crate::fit::{ColumnProfile, ProfileData};
use crate::kernels::buffer::BufferPool;
use crate::kernels::sorted::Sorted;
use crate::plan::{plan_columns, ColumnPlan};
use crate::reference::Reference;
use crate::report::{ColumnReport, Input, Inputs, Report};
use crate::source::{Batches, ColumnSource, Footprint};
use arrow_array::RecordBatch;
use arrow_schema::ArrowError;
use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Memory budget for column data in flight when none is given: 512 MiB.
pub const DEFAULT_MAX_MEMORY: u64 = 512 << 20;

/// Progress callbacks (e.g. a progress bar).
pub trait Progress: Send + Sync {
    /// A column finished; `rows` rows (both sides) were read for it.
    fn column_done(&self, name: &str, rows: u64);
}

/// The drift engine: a resolved configuration, a memory budget and a
/// thread count. Cheap to build; reusable for any number of runs.
#[derive(Clone)]
pub struct Engine {
    config: Config,
    max_memory: u64,
    threads: Option<usize>,
    progress: Option<Arc<dyn Progress>>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("config", &self.config)
            .field("max_memory", &self.max_memory)
            .field("threads", &self.threads)
            .finish_non_exhaustive()
    }
}

/// What one side of one column will hold while it is compared: its values
/// as `f64` plus the sort's scratch of the same size (numeric), or its
/// category counts (at most `max_categories` labels of the column's mean
/// length plus the map's entries).
fn side_bytes(f: Footprint, kind: &std::result::Result<ColumnKind, String>, max_cat: usize) -> u64 {
    match kind {
        Ok(ColumnKind::Numeric) => f.values.saturating_mul(16),
        Ok(ColumnKind::Categorical) => {
            let mean_len = f.bytes / f.values.max(1);
            f.values.min(max_cat as u64).saturating_mul(mean_len + 48)
        }
        Err(_) => 0,
    }
}

fn human(b: u64) -> String {
    match b {
        b if b >= 1 << 30 => format!("{:.1} GiB", b as f64 / (1u64 << 30) as f64),
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / (1u64 << 20) as f64),
        b => format!("{:.1} KiB", b as f64 / 1024.0),
    }
}

/// Largest buffer pre-sized from a source's metadata (values): the counts
/// in a footer are untrusted (a footer claiming 2^62 rows must not abort
/// the process on allocation); beyond it buffers grow as values arrive.
const PRESIZE_MAX: usize = 1 << 26;

/// How a run reads one side.
struct SideRead<'a> {
    source: &'a dyn ColumnSource,
    schema: arrow_schema::SchemaRef,
    name: &'static str,
    rows: u64,
}

impl Engine {
    /// An engine for `config` (validated here, once).
    pub fn new(config: Config) -> Result<Engine> {
        config.validate()?;
        Ok(Engine {
            config,
            max_memory: DEFAULT_MAX_MEMORY,
            threads: None,
            progress: None,
        })
    }

    /// The memory budget for column data in flight, in bytes. It is
    /// computed from what will be held — per side, the valid values × 8
    /// bytes plus the sort's scratch of the same size for a numeric column,
    /// the category counts for a categorical one — from the sources'
    /// metadata before anything is read. Columns run one per thread while
    /// they fit; a column that alone exceeds the budget runs alone, and the
    /// report's `notes` say so. A fitted reference's own data is not part
    /// of the budget (it is what the caller keeps).
    pub fn with_max_memory(mut self, bytes: u64) -> Engine {
        self.max_memory = bytes;
        self
    }

    /// Runs on a pool of `threads` threads (default: the current rayon
    /// pool, all cores unless the caller installed another).
    pub fn with_threads(mut self, threads: usize) -> Engine {
        self.threads = Some(threads.max(1));
        self
    }

    /// Reports each finished column to `progress`.
    pub fn with_progress(mut self, progress: Arc<dyn Progress>) -> Engine {
        self.progress = Some(progress);
        self
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    fn install<T: Send>(&self, f: impl FnOnce() -> Result<T> + Send) -> Result<T> {
        match self.threads {
            Some(n) if n != rayon::current_num_threads() => rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| Error::InvalidConfig(format!("thread pool: {e}")))?
                .install(f),
            _ => f(),
        }
    }

    /// Compares two sources column by column.
    pub fn compare(
        &self,
        reference: &dyn ColumnSource,
        current: &dyn ColumnSource,
    ) -> Result<Report> {
        self.install(|| {
            let (plans, findings) =
                plan_columns(&reference.schema(), &current.schema(), &self.config)?;
            let sides = [
                SideRead::new(reference, "reference")?,
                SideRead::new(current, "current")?,
            ];
            let (columns, notes) = self.run(&plans, &sides, |run| {
                let (r, c) = rayon::join(|| run.read(0), || run.read(1));
                // the group's columns are compared in parallel
                Ok(run
                    .group
                    .par_iter()
                    .zip(r?)
                    .zip(c?)
                    .map(|((plan, r), c)| {
                        let profile = ColumnProfile::fit(plan, r);
                        let report = profile.compare(plan, &c);
                        run.recycle_profile(profile);
                        run.recycle_side(c);
                        report
                    })
                    .collect())
            })?;
            let inputs = Inputs {
                reference: sides[0].input(),
                current: sides[1].input(),
            };
            let mut report = finalize(columns, findings, inputs, &self.config);
            report.notes = notes;
            Ok(report)
        })
    }

    /// Fits a reference from a source: every column of its schema (those
    /// named in the configuration's `include`/`exclude` are kept or left
    /// out), columns in parallel with the same bounded pipeline.
    pub fn fit(&self, reference: &dyn ColumnSource) -> Result<Reference> {
        let (fit, columns) = self.fit_columns(reference, None)?;
        Ok(Reference::new(
            fit.schema,
            columns,
            fit.rows,
            self.config.clone(),
            reference.location(),
        )
        .with_notes(fit.notes))
    }

    /// Fits every column of `reference` (as [`Engine::fit`]); with `emit`,
    /// the fitted columns go to it in schema order as they are ready (see
    /// [`Engine::run_ordered`]) and are not returned. `before` learns the
    /// fitted schema before the first column is emitted.
    pub(crate) fn fit_columns(
        &self,
        reference: &dyn ColumnSource,
        emit: Option<&(dyn Fn(Vec<ColumnProfile>) -> Result<()> + Sync)>,
    ) -> Result<(FitRun, Vec<ColumnProfile>)> {
        self.install(|| {
            let schema = reference.schema();
            let plans = self.reference_plans(&schema)?;
            let sides = [SideRead::new(reference, "reference")?];
            let (columns, notes) = self.run_ordered(
                &plans,
                &sides,
                |run| {
                    Ok(run
                        .group
                        .par_iter()
                        .zip(run.read(0)?)
                        .map(|(plan, side)| ColumnProfile::fit(plan, side))
                        .collect())
                },
                emit,
            )?;
            let fit = FitRun {
                schema: Arc::new(fitted_schema(&schema, &plans)),
                rows: sides[0].rows,
                notes,
            };
            Ok((fit, columns))
        })
    }

    /// The fitted schema of `reference` under this engine's settings.
    pub(crate) fn fitted_schema(
        &self,
        reference: &dyn ColumnSource,
    ) -> Result<arrow_schema::SchemaRef> {
        let schema = reference.schema();
        let plans = self.reference_plans(&schema)?;
        Ok(Arc::new(fitted_schema(&schema, &plans)))
    }

    /// Compares a source against a fitted reference: only the current side
    /// is read; the reference is neither re-read nor re-sorted.
    pub fn compare_to(&self, reference: &Reference, current: &dyn ColumnSource) -> Result<Report> {
        let input = Input {
            path: reference.location().map(str::to_string),
            rows: reference.rows(),
        };
        self.compare_fitted(reference.schema(), input, current, &|plan| {
            reference
                .fitted_for(plan, &self.config)
                .map(Fitted::Borrowed)
        })
    }

    /// Compares a source against fitted columns that `fitted` hands out
    /// per plan — borrowed from a [`Reference`] in memory, or loaded from a
    /// profile file as each column's turn comes (so a profile compares
    /// with the same bounded memory as raw data). A fitted column whose
    /// settings need a refit ends the run with that error.
    pub(crate) fn compare_fitted<'f>(
        &self,
        schema: &arrow_schema::SchemaRef,
        reference: Input,
        current: &dyn ColumnSource,
        fitted: &(dyn Fn(&ColumnPlan) -> Result<Fitted<'f>> + Sync),
    ) -> Result<Report> {
        self.install(|| {
            let (plans, findings) = plan_columns(schema, &current.schema(), &self.config)?;
            let sides = [SideRead::new(current, "current")?];
            let (columns, notes) = self.run(&plans, &sides, |run| {
                // the group's fitted columns load while its current side is read
                let (f, c) = rayon::join(
                    || {
                        run.group
                            .par_iter()
                            .map(|p| fitted(p))
                            .collect::<Result<Vec<_>>>()
                    },
                    || run.read(0),
                );
                Ok(run
                    .group
                    .par_iter()
                    .zip(f?)
                    .zip(c?)
                    .map(|((plan, f), c)| {
                        let report = f.compare(plan, &c);
                        run.recycle_side(c);
                        report
                    })
                    .collect())
            })?;
            let inputs = Inputs {
                reference,
                current: sides[0].input(),
            };
            let mut report = finalize(columns, findings, inputs, &self.config);
            report.notes = notes;
            Ok(report)
        })
    }

    /// Fits a reference from a stream of batches read once (e.g. an Arrow
    /// `RecordBatchReader`), without collecting it: every column is
    /// accumulated batch by batch (so memory is that of all columns'
    /// values, not of the batches).
    pub fn fit_stream<I>(&self, schema: arrow_schema::SchemaRef, stream: I) -> Result<Reference>
    where
        I: IntoIterator<Item = std::result::Result<RecordBatch, ArrowError>> + Send,
    {
        self.install(|| {
            let plans = self.reference_plans(&schema)?;
            let (sides, rows) = accumulate_stream(&schema, &plans, stream)?;
            let columns = plans
                .par_iter()
                .zip(sides)
                .map(|(p, a)| ColumnProfile::fit(p, a.finish()))
                .collect();
            let fitted = fitted_schema(&schema, &plans);
            Ok(Reference::new(
                Arc::new(fitted),
                columns,
                rows,
                self.config.clone(),
                None,
            ))
        })
    }

    /// Compares a stream of batches read once against a fitted reference,
    /// accumulating all columns batch by batch.
    pub fn compare_stream<I>(
        &self,
        reference: &Reference,
        schema: arrow_schema::SchemaRef,
        stream: I,
    ) -> Result<Report>
    where
        I: IntoIterator<Item = std::result::Result<RecordBatch, ArrowError>> + Send,
    {
        self.install(|| {
            let (plans, findings) = plan_columns(reference.schema(), &schema, &self.config)?;
            let fitted = plans
                .iter()
                .map(|p| reference.fitted_for(p, &self.config))
                .collect::<Result<Vec<&ColumnProfile>>>()?;
            let (sides, rows) = accumulate_stream(&schema, &plans, stream)?;
            let columns: Vec<ColumnReport> = plans
                .par_iter()
                .zip(sides)
                .zip(fitted)
                .map(|((p, a), f)| f.compare(p, &a.finish()))
                .collect();
            let inputs = Inputs {
                reference: Input {
                    path: reference.location().map(str::to_string),
                    rows: reference.rows(),
                },
                current: Input { path: None, rows },
            };
            Ok(finalize(columns, findings, inputs, &self.config))
        })
    }

    fn reference_plans(&self, schema: &arrow_schema::Schema) -> Result<Vec<ColumnPlan>> {
        crate::plan::unique_names(schema, "reference")?;
        for n in self.config.include.iter().chain(&self.config.exclude) {
            if schema.field_with_name(n).is_err() {
                return Err(Error::UnknownColumn(n.clone()));
            }
        }
        let plans: Vec<ColumnPlan> = schema
            .fields()
            .iter()
            .filter(|f| {
                (self.config.include.is_empty() || self.config.include.contains(f.name()))
                    && !self.config.exclude.contains(f.name())
            })
            .map(|f| ColumnPlan::for_reference(f.name(), f.data_type(), &self.config))
            .collect();
        if plans.is_empty() {
            return Err(Error::EmptyInput("no columns to fit".into()));
        }
        Ok(plans)
    }

    /// Runs `column` for every group of plans with a bounded amount of
    /// data in flight; results in plan order; the first error ends the run.
    fn run<T, F>(
        &self,
        plans: &[ColumnPlan],
        sides: &[SideRead<'_>],
        column: F,
    ) -> Result<(Vec<T>, Vec<String>)>
    where
        T: Send,
        F: Fn(&Run<'_>) -> Result<Vec<T>> + Sync,
    {
        self.run_ordered(plans, sides, column, None)
    }

    /// [`Engine::run`], handing each group's results to `emit` in plan
    /// order as soon as every earlier group's were (by whichever worker
    /// finds them ready), instead of collecting them: a sink such as a
    /// profile writer then works while later columns are read, and holds
    /// only the groups that finished out of order.
    fn run_ordered<T, F>(
        &self,
        plans: &[ColumnPlan],
        sides: &[SideRead<'_>],
        column: F,
        emit: Option<&(dyn Fn(Vec<T>) -> Result<()> + Sync)>,
    ) -> Result<(Vec<T>, Vec<String>)>
    where
        T: Send,
        F: Fn(&Run<'_>) -> Result<Vec<T>> + Sync,
    {
        // memory per column from the sources' metadata, before any read
        let positions: Vec<std::collections::HashMap<&str, usize>> = sides
            .iter()
            .map(|s| {
                let mut m = std::collections::HashMap::new();
                for (i, f) in s.schema.fields().iter().enumerate() {
                    m.entry(f.name().as_str()).or_insert(i);
                }
                m
            })
            .collect();
        let need: Vec<u64> = plans
            .iter()
            .map(|p| {
                sides
                    .iter()
                    .zip(&positions)
                    .filter_map(|(s, pos)| {
                        let i = *pos.get(p.name.as_str())?;
                        Some(side_bytes(
                            s.source.footprint(i),
                            &p.kind,
                            p.resolved.max_categories,
                        ))
                    })
                    // untrusted footer counts: saturate, never overflow
                    .fold(0u64, u64::saturating_add)
            })
            .collect();
        let mut notes = Vec::new();
        for (p, &b) in plans.iter().zip(&need) {
            if b > self.max_memory {
                notes.push(format!(
                    "column '{}' needs about {} in memory, more than the memory budget of {}: it ran alone, over the budget",
                    p.name,
                    human(b),
                    human(self.max_memory)
                ));
            }
        }
        let largest = need.iter().copied().max().unwrap_or(0).max(1);
        let threads = rayon::current_num_threads();
        let workers = ((self.max_memory / largest) as usize)
            .clamp(1, threads.max(1))
            .min(plans.len().max(1));
        let split = (threads / (sides.len() * workers)).max(1);
        // Small columns are read in groups, one projection per group: a
        // Parquet reader's set-up costs time in the number of the file's
        // columns, so one per column would make wide tables quadratic.
        let per_worker = self.max_memory / workers as u64;
        let mut groups: Vec<(usize, Vec<&ColumnPlan>)> = Vec::new();
        let mut group_need = 0u64;
        for (i, (p, &b)) in plans.iter().zip(&need).enumerate() {
            let full = groups.last().is_none_or(|(_, g)| {
                g.len() >= GROUP_MAX_COLUMNS
                    || group_need.saturating_add(b) > per_worker.min(GROUP_MAX_BYTES)
            });
            if full {
                groups.push((i, Vec::new()));
                group_need = 0;
            }
            if let Some((_, g)) = groups.last_mut() {
                g.push(p);
            }
            group_need = group_need.saturating_add(b);
        }
        let pool = BufferPool::new(sides.len() * workers * split);
        let next = AtomicUsize::new(0);
        let results: Mutex<Vec<Option<Result<Vec<T>>>>> =
            Mutex::new((0..groups.len()).map(|_| None).collect());
        // the next group to emit; held while emitting
        let emitted = Mutex::new(0usize);
        let emit_error: Mutex<Option<Error>> = Mutex::new(None);
        let drain = |emit: &(dyn Fn(Vec<T>) -> Result<()> + Sync)| loop {
            let Ok(mut at) = emitted.try_lock() else {
                return;
            };
            let ready = |at: usize| {
                results.lock().ok().and_then(|mut g| match g.get_mut(at) {
                    Some(slot @ Some(Ok(_))) => slot.take(),
                    _ => None,
                })
            };
            while let Some(Ok(v)) = ready(*at) {
                *at += 1;
                if let Err(e) = emit(v) {
                    if let Ok(mut x) = emit_error.lock() {
                        x.get_or_insert(e);
                    }
                    next.store(groups.len(), Ordering::Relaxed);
                    return;
                }
            }
            let waiting = *at;
            drop(at);
            // a group that finished while this worker emitted found the
            // emitter busy: look once more before leaving it
            let more = results
                .lock()
                .is_ok_and(|g| matches!(g.get(waiting), Some(Some(Ok(_)))));
            if !more {
                return;
            }
        };
        let worker = || loop {
            let gi = next.fetch_add(1, Ordering::Relaxed);
            let Some((_, group)) = groups.get(gi) else {
                break;
            };
            let run = Run {
                sides,
                positions: &positions,
                split,
                pool: &pool,
                group,
            };
            let r = column(&run);
            if let Some(p) = &self.progress {
                for plan in group {
                    p.column_done(&plan.name, sides.iter().map(|s| s.rows).sum());
                }
            }
            let failed = r.is_err();
            if let Ok(mut g) = results.lock() {
                g[gi] = Some(r);
            }
            if let (Some(emit), false) = (emit, failed) {
                drain(emit);
            }
            if failed {
                // stop handing out work: the first error ends the run
                next.store(groups.len(), Ordering::Relaxed);
                break;
            }
        };
        // Workers run as tasks of the current rayon pool, so the joins
        // inside them use that pool too.
        rayon::scope(|s| {
            for _ in 0..workers {
                s.spawn(|_| worker());
            }
        });
        if let Some(emit) = emit {
            drain(emit);
            if let Some(e) = emit_error.into_inner().ok().flatten() {
                return Err(e);
            }
        }
        let done = emitted.into_inner().unwrap_or(0);
        let mut columns = Vec::with_capacity(plans.len());
        for r in results
            .into_inner()
            .map_err(|_| Error::Internal("a worker panicked".into()))?
            .into_iter()
            .skip(done)
        {
            match r {
                Some(Ok(c)) => columns.extend(c),
                Some(Err(e)) => return Err(e),
                None => {}
            }
        }
        let emitted_columns: usize = groups[..done].iter().map(|(_, g)| g.len()).sum();
        if emitted_columns + columns.len() != plans.len() {
            return Err(Error::Internal("not every column was processed".into()));
        }
        Ok((columns, notes))
    }
}

/// What a fit run learnt besides its columns.
pub(crate) struct FitRun {
    pub(crate) schema: arrow_schema::SchemaRef,
    pub(crate) rows: u64,
    pub(crate) notes: Vec<String>,
}

/// The fields of the fitted columns, in schema order.
fn fitted_schema(schema: &arrow_schema::Schema, plans: &[ColumnPlan]) -> arrow_schema::Schema {
    let names: std::collections::HashSet<&str> = plans.iter().map(|p| p.name.as_str()).collect();
    let mut seen = std::collections::HashSet::new();
    arrow_schema::Schema::new(
        schema
            .fields()
            .iter()
            .filter(|f| names.contains(f.name().as_str()) && seen.insert(f.name().as_str()))
            .cloned()
            .collect::<Vec<_>>(),
    )
}

/// At most this many columns are read with one projection.
const GROUP_MAX_COLUMNS: usize = 256;
/// Columns are grouped while their data stays under this (larger ones are
/// read alone, and their row groups in parallel parts).
const GROUP_MAX_BYTES: u64 = 64 << 20;

/// A fitted column, borrowed from a reference in memory or loaded for one
/// comparison.
pub(crate) enum Fitted<'a> {
    Borrowed(&'a ColumnProfile),
    Owned(Box<ColumnProfile>),
}

impl std::ops::Deref for Fitted<'_> {
    type Target = ColumnProfile;
    fn deref(&self) -> &ColumnProfile {
        match self {
            Fitted::Borrowed(p) => p,
            Fitted::Owned(p) => p.as_ref(),
        }
    }
}

/// What a column's task can use: the sides' readers and the run's buffer
/// pool.
struct Run<'a> {
    sides: &'a [SideRead<'a>],
    positions: &'a [std::collections::HashMap<&'a str, usize>],
    split: usize,
    pool: &'a BufferPool,
    /// The group's columns.
    group: &'a [&'a ColumnPlan],
}

impl Run<'_> {
    /// Side `k` of every column of the group.
    fn read(&self, k: usize) -> Result<Vec<Side>> {
        let columns = self
            .group
            .iter()
            .map(|p| {
                self.positions[k]
                    .get(p.name.as_str())
                    .copied()
                    .ok_or_else(|| Error::UnknownColumn(p.name.clone()))
            })
            .collect::<Result<Vec<usize>>>()?;
        self.sides[k].read_group(self.group, &columns, self.split, self.pool)
    }
    fn recycle_side(&self, side: Side) {
        if let Side::Numeric(v, _) = side {
            if let Sorted::Values(v) = v.sorted {
                self.pool.recycle(v);
            }
        }
    }
    fn recycle_profile(&self, p: ColumnProfile) {
        if let ProfileData::Numeric(n) = p.data {
            if let Sorted::Values(v) = n.values.sorted {
                self.pool.recycle(v);
            }
        }
    }
}

impl<'a> SideRead<'a> {
    fn new(source: &'a dyn ColumnSource, name: &'static str) -> Result<SideRead<'a>> {
        // zero rows is not an error here: every column gets `no_data`
        let rows = source.num_rows();
        Ok(SideRead {
            source,
            schema: source.schema(),
            name,
            rows,
        })
    }

    fn input(&self) -> Input {
        Input {
            path: self.source.location(),
            rows: self.rows,
        }
    }

    /// Reads, accumulates and sorts columns of the side (one projection
    /// for the whole group): one accumulator per column and part of the
    /// side's read units (the first part's sized for the whole side), the
    /// parts read in parallel when there are several and merged in part
    /// order. Every row the source announced must be read.
    fn read_group(
        &self,
        plans: &[&ColumnPlan],
        columns: &[usize],
        split: usize,
        pool: &BufferPool,
    ) -> Result<Vec<Side>> {
        let dictionary = plans
            .iter()
            .any(|p| matches!(p.kind, Ok(ColumnKind::Categorical)));
        let numeric: Vec<bool> = plans
            .iter()
            .map(|p| matches!(p.kind, Ok(ColumnKind::Numeric)))
            .collect();
        let expected: Vec<usize> = columns
            .iter()
            .zip(&numeric)
            .map(|(&c, &n)| {
                if n {
                    self.source.footprint(c).values as usize
                } else {
                    0
                }
            })
            .collect();
        let context = |e: Error| match e {
            Error::Source(m) => Error::Source(format!("reading {} {m}", self.name)),
            e => e,
        };
        let parts = self.source.parts(split);
        let mut per_part = parts
            .par_iter()
            .enumerate()
            .map(|(k, part)| {
                let mut accs: Vec<SideAccumulator> = plans
                    .iter()
                    .enumerate()
                    .map(|(j, plan)| {
                        let cap = match (k, numeric[j]) {
                            (0, _) => expected[j],
                            (_, true) => part.rows as usize,
                            _ => 0,
                        }
                        .min(PRESIZE_MAX);
                        plan.accumulator_with(pool.take(cap))
                    })
                    .collect();
                self.source
                    .scan_columns(columns, part, dictionary, &mut |j, a| {
                        accs[j].update(a);
                        Ok(())
                    })
                    .map_err(context)?;
                Ok(accs)
            })
            .collect::<Result<Vec<_>>>()?
            .into_iter();
        let mut accs = per_part.next().unwrap_or_else(|| {
            plans
                .iter()
                .map(|p| p.accumulator_with(Vec::new()))
                .collect()
        });
        for part in per_part {
            for (acc, a) in accs.iter_mut().zip(part) {
                acc.merge_in(a, pool);
            }
        }
        accs.into_iter()
            .zip(plans)
            .map(|(acc, plan)| {
                let read = acc.counts().count;
                if read != self.rows {
                    return Err(Error::Source(format!(
                        "reading {} column '{}': {read} rows read, {} announced by the source's metadata",
                        self.name, plan.name, self.rows
                    )));
                }
                Ok(acc.finish_in(pool))
            })
            .collect()
    }
}

/// Accumulates every planned column of a stream, batch by batch.
fn accumulate_stream<I>(
    schema: &arrow_schema::Schema,
    plans: &[ColumnPlan],
    stream: I,
) -> Result<(Vec<SideAccumulator>, u64)>
where
    I: IntoIterator<Item = std::result::Result<RecordBatch, ArrowError>>,
{
    let mut index = std::collections::HashMap::new();
    for (i, f) in schema.fields().iter().enumerate() {
        index.entry(f.name().as_str()).or_insert(i);
    }
    let columns = plans
        .iter()
        .map(|p| {
            index
                .get(p.name.as_str())
                .copied()
                .ok_or_else(|| Error::UnknownColumn(p.name.clone()))
        })
        .collect::<Result<Vec<usize>>>()?;
    let mut accs: Vec<SideAccumulator> = plans.iter().map(|p| p.accumulator(0)).collect();
    let mut rows = 0u64;
    for batch in stream {
        let batch = batch?;
        if batch.num_columns() != schema.fields().len() {
            return Err(Error::InvalidInput(
                "a batch of the stream does not have the stream's schema".into(),
            ));
        }
        rows += batch.num_rows() as u64;
        accs.par_iter_mut()
            .zip(&columns)
            .for_each(|(acc, &i)| acc.update(batch.column(i).as_ref()));
    }
    Ok((accs, rows))
}

impl Reference {
    /// Fits the reference from record batches (any number and sizes).
    /// Columns are fitted in parallel.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arrow_array::{Float64Array, RecordBatch, ArrayRef};
    /// use drift_core::{Config, Reference};
    /// let batch = |v: Vec<f64>| RecordBatch::try_from_iter([("x", Arc::new(Float64Array::from(v)) as ArrayRef)]).unwrap();
    /// let reference = Reference::fit(&[batch((0..100).map(|i| i as f64).collect())], &Config::default()).unwrap();
    /// let report = reference.compare(&[batch((0..100).map(|i| i as f64 + 50.0).collect())]).unwrap();
    /// assert!(report.columns[0].drift);
    /// ```
    pub fn fit(batches: &[RecordBatch], config: &Config) -> Result<Reference> {
        Engine::new(config.clone())?.fit(&Batches::new(batches.iter().cloned())?)
    }

    /// Compares current batches against the fitted reference with the
    /// configuration it was fitted with. Never re-reads or re-sorts the
    /// reference. (Any other source or configuration:
    /// [`Engine::compare_to`].)
    pub fn compare(&self, current: &[RecordBatch]) -> Result<Report> {
        Engine::new(self.config().clone())?
            .compare_to(self, &Batches::new(current.iter().cloned())?)
    }
}

/// One-shot comparison of batches in memory: fit the reference and compare
/// the current batches, the two sides of each column extracted and sorted
/// in parallel.
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{StringArray, RecordBatch, ArrayRef};
/// use drift_core::{compare, Config};
/// let b = |v: Vec<&str>| RecordBatch::try_from_iter([("c", Arc::new(StringArray::from(v)) as ArrayRef)]).unwrap();
/// let r = compare(&[b(vec!["a", "b", "a", "b"])], &[b(vec!["a", "b", "b", "a"])], &Config::default()).unwrap();
/// assert!(!r.summary.dataset_drift);
/// assert_eq!(r.columns[0].tests.iter().find(|t| t.test == drift_core::TestKind::Chi2).unwrap().p_value, Some(1.0));
/// ```
pub fn compare(
    reference: &[RecordBatch],
    current: &[RecordBatch],
    config: &Config,
) -> Result<Report> {
    Engine::new(config.clone())?.compare(
        &Batches::new(reference.iter().cloned())?,
        &Batches::new(current.iter().cloned())?,
    )
}
