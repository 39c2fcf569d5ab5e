//! A monitoring service's loop, timed: fit a reference from Parquet, save
//! it as a profile, then (as a fresh process would) load the profile and
//! check windows of current data against it in-process.
//!
//! ```sh
//! cargo run --release -p drift-core --example windows -- \
//!     benches/data/L/reference.parquet benches/data/L/current.parquet [WINDOW_ROWS] [WINDOWS]
//! ```
//!
//! Prints the time to fit from Parquet, to load the profile and check the
//! first window, and each further window's check (the window's batch is in
//! memory, as a service receives it).
use drift_core::source::{Batches, ParquetSource};
use drift_core::{Config, Engine, Reference};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (reference, current) = (&args[1], &args[2]);
    let rows: usize = args.get(3).map_or(Ok(10_000), |s| s.parse())?;
    let windows: usize = args.get(4).map_or(Ok(20), |s| s.parse())?;
    let profile = std::env::temp_dir().join(format!("drift-windows-{}.drift", std::process::id()));

    let engine = Engine::new(Config::default())?;
    let t = Instant::now();
    let fitted = engine.fit(&ParquetSource::open(reference)?)?;
    let fit = t.elapsed().as_secs_f64();
    fitted.save(&profile)?;
    drop(fitted);

    // the windows, decoded up front (a service has them in memory)
    let file = std::fs::File::open(current)?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)?
        .with_batch_size(rows)
        .build()?;
    let batches: Vec<_> = reader.take(windows + 1).collect::<Result<_, _>>()?;

    let t = Instant::now();
    let loaded = Reference::load(&profile)?;
    let load = t.elapsed().as_secs_f64();
    let first = engine.compare_to(&loaded, &Batches::new([batches[0].clone()])?)?;
    let load_and_first = t.elapsed().as_secs_f64();
    let mut each = Vec::new();
    for b in &batches[1..] {
        let t = Instant::now();
        let r = engine.compare_to(&loaded, &Batches::new([b.clone()])?)?;
        each.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(r.columns.len(), first.columns.len());
    }
    each.sort_by(f64::total_cmp);
    println!(
        "fit from Parquet {fit:.3} s; load profile + first {rows}-row window of {} columns {load_and_first:.3} s ({:.2}x the fit; load {load:.3} s); \
         further windows: median {:.1} ms, max {:.1} ms over {}",
        first.columns.len(),
        load_and_first / fit,
        each[each.len() / 2],
        each[each.len() - 1],
        each.len()
    );
    std::fs::remove_file(&profile)?;
    Ok(())
}
