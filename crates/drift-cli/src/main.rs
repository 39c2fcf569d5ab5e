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
use drift_core::store::ProfileFile;
use drift_core::{Engine, Reference, Report};
use drift_render as render;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

fn main() -> ExitCode {
    tune_allocator();
    // a dependency's panic on untrusted bytes is caught by the library and
    // reported as one error line: do not print it as a crash too
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !drift_core::source::guard::panic_guarded() {
            default_hook(info);
        }
    }));
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) if e.use_stderr() => {
            // an argument error: one line, then a hint (help and version
            // output are not errors and print as they are)
            let text = e.to_string();
            // clap's first paragraph is the error (a list of missing
            // arguments continues it on indented lines)
            let first: Vec<&str> = text
                .lines()
                .skip_while(|l| l.trim().is_empty())
                .take_while(|l| !l.trim().is_empty())
                .map(str::trim)
                .collect();
            let first = first.join(" ");
            let first = first.trim_start_matches("error: ");
            eprintln!(
                "drift: error: {}",
                if first.is_empty() {
                    "invalid arguments"
                } else {
                    first
                }
            );
            eprintln!("drift: hint: see 'drift --help' or 'drift <command> --help'");
            return ExitCode::from(2);
        }
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(0);
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

/// One line for stderr: whitespace collapsed, control characters (from
/// file or column names) escaped so they never reach the terminal raw.
fn one_line(s: &str) -> String {
    render::escape_controls(&s.split_whitespace().collect::<Vec<_>>().join(" "))
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
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let threads = match run.threads {
        Some(0) => bail!("--threads must be at least 1"),
        // more threads than cores only cost (5,000 took 47 s on a small
        // file): capped, and said so
        Some(n) if n > cores => {
            if !run.quiet {
                eprintln!("drift: note: --threads {n} capped at {cores}, the cores available");
            }
            cores
        }
        Some(n) => n,
        None => cores,
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

/// The reference as a profile, when it is one (by content; its footer read
/// once).
fn profile(spec: &str) -> Result<Option<ProfileFile>> {
    let p = Path::new(spec);
    if !p.is_file() {
        return Ok(None);
    }
    ProfileFile::open_if_profile(p).map_err(|e| anyhow!("{e}"))
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
            eprintln!("drift: note: {}", one_line(n));
        }
    }
}

fn compare(args: CompareArgs) -> Result<u8> {
    let run = settings::resolve(&args.settings, args.fail_on)?;
    let outputs = [
        (&args.output, "the report"),
        (&args.json, "the JSON report"),
        (&args.html, "the HTML report"),
        (&args.markdown, "the Markdown summary"),
        (&args.junit, "the JUnit report"),
    ];
    let mut seen: Vec<(PathBuf, &str)> = Vec::new();
    for (p, what) in outputs {
        if let Some(p) = p.as_deref().filter(|p| p.as_os_str() != "-") {
            let at = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
            if let Some((_, other)) = seen.iter().find(|(q, _)| *q == at) {
                bail!(
                    "{other} and {what} would both be written to {}",
                    p.display()
                );
            }
            seen.push((at, what));
            output::check_writable(p, what)?;
        }
    }
    // no report may be written over an input
    let guard = |inputs: &[&Path]| -> Result<()> {
        for (p, _) in outputs {
            if let Some(p) = p {
                not_an_input(p, inputs)?;
            }
        }
        Ok(())
    };
    let (engine, pool) = engine(run.config.clone(), &args.run)?;
    let report = pool.install(|| -> Result<Report> {
        match profile(&args.reference)? {
            Some(file) => {
                let current = open(&args.current, "current")?;
                let mut inputs: Vec<&Path> = current.files().collect();
                inputs.push(Path::new(&args.reference));
                guard(&inputs)?;
                // a fitted profile: each column's fitted data is loaded
                // when its turn comes; the reference is neither read nor
                // sorted
                let file = file.with_location(args.reference.clone());
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
                guard(&reference.files().chain(current.files()).collect::<Vec<_>>())?;
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
