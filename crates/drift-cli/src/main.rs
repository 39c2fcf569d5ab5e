//! `drift`: compare Parquet datasets for distribution drift.
//!
//! Glue only: parse arguments, resolve settings, read, run drift-core,
//! render, and map the outcome to an exit status (0 no alert, 1 alert,
//! 2 error). Errors print one line: `drift: error: …`.

mod cli;
mod output;
mod settings;

use anyhow::{anyhow, bail, Context, Result};
use clap::Parser;
use cli::{Cli, ColorChoice, Command, CompareArgs, FitArgs, Format, RunArgs};
use drift_core::source::{ColumnSource, ParquetSource};
use drift_core::store::{is_profile, ProfileFile};
use drift_core::{Engine, Reference, Report};
use drift_render as render;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

fn main() -> ExitCode {
    tune_allocator();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // --help and --version are not errors
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("drift: error: {}", one_line(&format!("{e:#}")));
            ExitCode::from(2)
        }
    }
}

/// glibc's malloc returns freed memory to the kernel eagerly (heap trimming,
/// and a dynamic mmap threshold for buffers of a few MB), so the Parquet
/// decoder's per-page buffers are faulted in and zeroed again for every
/// column. On the L benchmark that was 33,000–36,000 page faults and up to
/// 2.3 s of system time; with trimming off and a fixed 32 MiB mmap threshold
/// it is 6,500 faults and 0.5 s, with the same peak RSS (memory is reused,
/// not grown). Other platforms and allocators are left as they are.
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only adjusts allocator parameters; it is called once,
    // before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, i32::MAX);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::InitConfig { path } => {
            match path {
                Some(p) if p.exists() => bail!("{} exists; not overwriting", p.display()),
                Some(p) => output::write(
                    Some(&p),
                    settings::EXAMPLE_CONFIG,
                    "the example configuration",
                )?,
                None => output::write(None, settings::EXAMPLE_CONFIG, "the example configuration")?,
            }
            Ok(0)
        }
        Command::Compare(args) => compare(*args),
        Command::Fit(args) => fit(*args),
        Command::Merge { inputs, output } => merge(&inputs, &output),
    }
}

/// A progress bar on a terminal, nothing otherwise.
struct Bar(Option<indicatif::ProgressBar>, std::sync::atomic::AtomicU64);

impl drift_core::Progress for Bar {
    fn column_done(&self, name: &str, rows: u64) {
        if let Some(b) = &self.0 {
            let total = self.1.fetch_add(rows, std::sync::atomic::Ordering::Relaxed) + rows;
            b.inc(1);
            b.set_message(format!("{name} · {total} rows read"));
        }
    }
}

impl Bar {
    fn new(run: &RunArgs, columns: usize) -> Arc<Bar> {
        let show = !run.quiet && !run.no_progress && std::io::stderr().is_terminal();
        Arc::new(Bar(
            show.then(|| {
                let b = indicatif::ProgressBar::new(columns as u64);
                b.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{spinner} columns {pos}/{len} [{bar:30}] {msg} ({elapsed})",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                b
            }),
            Default::default(),
        ))
    }
    fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

/// The engine for a run: settings, threads, memory budget.
fn engine(config: drift_core::Config, run: &RunArgs) -> Result<(Engine, rayon::ThreadPool)> {
    let threads = match run.threads {
        Some(0) => bail!("--threads must be at least 1"),
        Some(n) => n,
        None => std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
    };
    let mut engine = Engine::new(config).map_err(|e| anyhow!("{e}"))?;
    if let Some(m) = &run.max_memory {
        engine = engine.with_max_memory(settings::parse_size(m)?);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    Ok((engine, pool))
}

/// Opens one side's Parquet dataset; errors name the side.
fn open(spec: &str, side: &str) -> Result<ParquetSource> {
    let s = ParquetSource::open(spec).map_err(|e| anyhow!("reading {side} {e}"))?;
    if s.num_rows() == 0 {
        bail!("{side} {spec}: zero rows, nothing to compare");
    }
    Ok(s)
}

/// Whether REF names a profile written by `drift fit` (by content).
fn profile_path(spec: &str) -> Option<PathBuf> {
    let p = Path::new(spec);
    (p.is_file() && is_profile(p)).then(|| p.to_path_buf())
}

/// Refuses to write over one of the command's inputs.
fn not_an_input(out: &Path, inputs: &[&Path]) -> Result<()> {
    let canon = |p: &Path| std::fs::canonicalize(p).ok();
    if let Some(o) = canon(out) {
        for i in inputs {
            if canon(i).as_ref() == Some(&o) {
                bail!(
                    "{} is an input of this command; not writing over it",
                    out.display()
                );
            }
        }
    }
    Ok(())
}

fn notes(report_notes: &[String], quiet: bool) {
    if !quiet {
        for n in report_notes {
            eprintln!("drift: note: {n}");
        }
    }
}

fn compare(args: CompareArgs) -> Result<u8> {
    let run = settings::resolve(&args.settings, args.fail_on)?;
    for (p, what) in [
        (&args.output, "the report"),
        (&args.json, "the JSON report"),
        (&args.html, "the HTML report"),
        (&args.markdown, "the Markdown summary"),
        (&args.junit, "the JUnit report"),
    ] {
        if let Some(p) = p {
            output::check_writable(p, what)?;
        }
    }
    let (engine, pool) = engine(run.config.clone(), &args.run)?;
    let report = pool.install(|| -> Result<Report> {
        match profile_path(&args.reference) {
            Some(p) => {
                let current = open(&args.current, "current")?;
                // a fitted profile: each column's fitted data is loaded
                // when its turn comes; the reference is neither read nor
                // sorted
                let file = ProfileFile::open(&p)
                    .map_err(|e| anyhow!("{e}"))?
                    .with_location(args.reference.clone());
                let bar = Bar::new(&args.run, file.schema().fields().len());
                let r = file.compare(&engine.clone().with_progress(bar.clone()), &current);
                bar.finish();
                r.map_err(|e| anyhow!("{e}"))
            }
            None => {
                let (reference, current) = rayon::join(
                    || open(&args.reference, "reference"),
                    || open(&args.current, "current"),
                );
                let (reference, current) = (reference?, current?);
                let bar = Bar::new(&args.run, reference.schema().fields().len());
                let r = engine
                    .clone()
                    .with_progress(bar.clone())
                    .compare(&reference, &current);
                bar.finish();
                r.map_err(|e| anyhow!("{e}"))
            }
        }
    })?;
    notes(&report.notes, args.run.quiet);

    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            args.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let render_as = |f: Format| -> String {
        match f {
            Format::Text => render::text::render(&report, color),
            Format::Json => render::json::render(&report),
            Format::Html => render::html::render(&report),
            Format::Markdown => render::markdown::render(&report),
            Format::Junit => render::junit::render(&report),
        }
    };
    for (p, f, what) in [
        (&args.json, Format::Json, "the JSON report"),
        (&args.html, Format::Html, "the HTML report"),
        (&args.markdown, Format::Markdown, "the Markdown summary"),
        (&args.junit, Format::Junit, "the JUnit report"),
    ] {
        if let Some(p) = p {
            if !(args.run.quiet && p.as_os_str() == "-") {
                output::write(Some(p), &render_as(f), what)?;
            }
        }
    }
    if !args.run.quiet || args.output.is_some() {
        output::write(
            args.output.as_deref(),
            &render_as(args.format),
            "the report",
        )?;
    }
    Ok(report.exit_code(run.fail_on))
}

fn fit(args: FitArgs) -> Result<u8> {
    let run = settings::resolve(&args.settings, None)?;
    let inputs: Vec<PathBuf> = {
        let s = open(&args.reference, "reference")?;
        let v = s.files().map(Path::to_path_buf).collect();
        v
    };
    not_an_input(
        &args.output,
        &inputs.iter().map(PathBuf::as_path).collect::<Vec<_>>(),
    )?;
    output::check_writable(&args.output, "the profile")?;
    let (engine, pool) = engine(run.config, &args.run)?;
    let fit_notes = pool.install(|| -> Result<Vec<String>> {
        let source = open(&args.reference, "reference")?;
        let bar = Bar::new(&args.run, source.schema().fields().len());
        // streamed: each column written as it is fitted
        let r = engine
            .with_progress(bar.clone())
            .fit_to_file(&source, &args.output);
        bar.finish();
        r.map_err(|e| anyhow!("{e}"))
    })?;
    notes(&fit_notes, args.run.quiet);
    Ok(0)
}

fn merge(inputs: &[PathBuf], out: &Path) -> Result<u8> {
    not_an_input(
        out,
        &inputs.iter().map(PathBuf::as_path).collect::<Vec<_>>(),
    )?;
    output::check_writable(out, "the merged profile")?;
    let mut merged: Option<Reference> = None;
    for p in inputs {
        let r = Reference::load(p).map_err(|e| anyhow!("{e}"))?;
        merged = Some(match merged {
            None => r,
            Some(m) => m
                .merge(&r)
                .with_context(|| format!("merging {}", p.display()))?,
        });
    }
    let merged = merged.ok_or_else(|| anyhow!("nothing to merge"))?;
    merged.save(out).map_err(|e| anyhow!("{e}"))?;
    Ok(0)
}
