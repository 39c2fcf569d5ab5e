//! The column pipeline: a bounded number of columns in flight, each read
//! once per side (projection), compared, and dropped before the next one is
//! loaded. Peak memory ≈ columns in flight × (reference + current values of
//! one column).

use crate::input::Dataset;
use anyhow::Result;
use drift_core::report::{ColumnReport, Input, Inputs, Report};
use drift_core::{compare_sides, plan_columns, ColumnKind, Config, SideAccumulator};
use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Progress callbacks (a bar on a TTY, nothing otherwise).
pub trait Progress: Sync {
    /// A column finished; `rows` rows (both sides) were read for it.
    fn column_done(&self, name: &str, rows: u64);
}

/// Memory budget for column data in flight when `--max-memory` is not given.
pub const DEFAULT_MAX_MEMORY: u64 = 512 << 20;

/// How many columns to keep in flight: one per thread, fewer when their
/// data would exceed the memory budget (`--max-memory`, else
/// [`DEFAULT_MAX_MEMORY`]). Small columns run one per thread (M benchmark:
/// 0.36 s with two in flight on 2 threads, 0.49 s with one); a large column
/// keeps both threads busy on its own (two sides, parallel sorts), so more
/// in flight only adds memory (L: one column in flight 4.2–4.3 s and 330 MB
/// peak, two 4.1–5.4 s and 486 MB, the extra pages faulted in and zeroed).
pub fn columns_in_flight(
    threads: usize,
    max_memory: Option<u64>,
    largest_column_bytes: u64,
) -> usize {
    let budget = max_memory.unwrap_or(DEFAULT_MAX_MEMORY);
    // values as f64 for both sides, plus sort scratch (about 2×)
    let per = largest_column_bytes.max(1).saturating_mul(2);
    ((budget / per) as usize).clamp(1, threads.max(1))
}

/// Runs the comparison of two datasets.
pub fn run(
    reference: &Dataset,
    current: &Dataset,
    config: &Config,
    in_flight: usize,
    progress: &dyn Progress,
) -> Result<Report> {
    let (plans, findings) = plan_columns(&reference.schema, &current.schema, config)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let next = AtomicUsize::new(0);
    // Each column in flight reads its two sides concurrently; threads beyond
    // that read each side's row groups as parallel parts.
    let workers = in_flight.min(plans.len()).max(1);
    let split = (rayon::current_num_threads() / (2 * workers)).max(1);
    let results: Mutex<Vec<Option<Result<ColumnReport>>>> =
        Mutex::new((0..plans.len()).map(|_| None).collect());
    let worker = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(plan) = plans.get(i) else { break };
        let dict = matches!(plan.kind, Ok(ColumnKind::Categorical));
        let r = (|| -> Result<ColumnReport> {
            // Each side is accumulated batch by batch as Parquet decodes it (the
            // Arrow arrays are dropped at once), then sorted; the two sides run
            // in parallel. Skipped columns stream the same way, counting rows and
            // nulls only.
            let side = |ds: &Dataset| -> Result<drift_core::CurrentSide> {
                // One accumulator per part of the side's row groups (the
                // first sized for the whole side), read in parallel when
                // there are several, merged in part order.
                let mut accs = ds
                    .parts(split)
                    .par_iter()
                    .enumerate()
                    .map(|(k, p)| {
                        let cap = if k == 0 { ds.rows } else { p.rows };
                        let mut acc = SideAccumulator::for_plan(plan, cap as usize);
                        ds.for_each_batch(p, &plan.name, dict, |a| {
                            acc.update(&plan.name, a.as_ref(), config)
                        })?;
                        Ok(acc)
                    })
                    .collect::<Result<Vec<_>>>()?
                    .into_iter();
                let mut acc = accs
                    .next()
                    .unwrap_or_else(|| SideAccumulator::for_plan(plan, 0));
                for a in accs {
                    acc.merge(a);
                }
                Ok(acc.finish())
            };
            let (rs, cs) = rayon::join(|| side(reference), || side(current));
            let report = compare_sides(plan, rs?, cs?, config);
            progress.column_done(&plan.name, reference.rows + current.rows);
            Ok(report)
        })();
        let failed = r.is_err();
        if let Ok(mut g) = results.lock() {
            g[i] = Some(r);
        }
        if failed {
            // stop handing out work: the first error ends the run
            next.store(plans.len(), Ordering::Relaxed);
            break;
        }
    };
    // Workers run as tasks of the current rayon pool (the one sized by
    // --threads), so the joins inside them use that pool too. A finished
    // column's two value buffers are reused by the next one (no fresh pages
    // to fault in and zero): at most two per column in flight are kept.
    drift_core::kernels::buffer::set_pool_limit(2 * workers * split);
    rayon::scope(|s| {
        for _ in 0..workers {
            s.spawn(|_| worker());
        }
    });
    drift_core::kernels::buffer::set_pool_limit(0);
    let mut columns = Vec::with_capacity(plans.len());
    for r in results
        .into_inner()
        .map_err(|_| anyhow::anyhow!("internal error: a worker panicked"))?
    {
        match r {
            Some(Ok(c)) => columns.push(c),
            Some(Err(e)) => return Err(e),
            None => {}
        }
    }
    if columns.len() != plans.len() {
        anyhow::bail!("internal error: not every column was processed");
    }
    let inputs = Inputs {
        reference: Input {
            path: Some(reference.spec.clone()),
            rows: reference.rows,
        },
        current: Input {
            path: Some(current.spec.clone()),
            rows: current.rows,
        },
    };
    Ok(drift_core::decide::finalize(
        columns, findings, inputs, config,
    ))
}
