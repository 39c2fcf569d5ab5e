//! `drift`: compare Parquet datasets for distribution drift.
//!
//! Glue only: parse arguments, resolve settings, read, run drift-core,
//! render, and map the outcome to an exit status (0 no alert, 1 alert,
//! 2 error). Errors print one line: `drift: error: …`.

mod cli;
mod input;
mod output;
mod pipeline;
mod settings;

use anyhow::{bail, Result};
use clap::Parser;
use cli::{Cli, ColorChoice, Command, CompareArgs, FailOn, Format};
use drift_core::render;
use drift_core::report::{ColumnStatus, Report};
use std::io::IsTerminal;
use std::process::ExitCode;

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
    }
}

struct Bar(Option<indicatif::ProgressBar>, std::sync::atomic::AtomicU64);

impl pipeline::Progress for Bar {
    fn column_done(&self, name: &str, rows: u64) {
        if let Some(b) = &self.0 {
            let total = self.1.fetch_add(rows, std::sync::atomic::Ordering::Relaxed) + rows;
            b.inc(1);
            b.set_message(format!("{name} · {total} rows read"));
        }
    }
}

fn compare(args: CompareArgs) -> Result<u8> {
    let run = settings::resolve(&args)?;
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
    let threads = match args.threads {
        Some(0) => bail!("--threads must be at least 1"),
        Some(n) => n,
        None => std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
    };
    let max_memory = args
        .max_memory
        .as_deref()
        .map(settings::parse_size)
        .transpose()?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;

    let (reference, current) = pool.install(|| {
        rayon::join(
            || input::Dataset::open(&args.reference, "reference"),
            || input::Dataset::open(&args.current, "current"),
        )
    });
    let (reference, current) = (reference?, current?);
    for d in [&reference, &current] {
        if d.rows == 0 {
            bail!("{} {}: zero rows, nothing to compare", d.side, d.spec);
        }
    }
    let largest = reference
        .schema
        .fields()
        .iter()
        .map(|f| reference.column_size(f.name()) + current.column_size(f.name()))
        .max()
        .unwrap_or(0);
    let in_flight = pipeline::columns_in_flight(threads, max_memory, largest);

    let show_bar = !args.quiet && !args.no_progress && std::io::stderr().is_terminal();
    let bar = Bar(
        show_bar.then(|| {
            let b = indicatif::ProgressBar::new(reference.schema.fields().len() as u64);
            b.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} columns {pos}/{len} [{bar:30}] {msg} ({elapsed})",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            b
        }),
        Default::default(),
    );
    let report =
        pool.install(|| pipeline::run(&reference, &current, &run.config, in_flight, &bar))?;
    if let Some(b) = &bar.0 {
        b.finish_and_clear();
    }

    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            args.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let render_as = |f: Format| -> Result<String> {
        Ok(match f {
            Format::Text => render::text::render(&report, color),
            Format::Json => {
                let mut s = serde_json::to_string_pretty(&report)?;
                s.push('\n');
                s
            }
            Format::Html => render::html::render(&report),
            Format::Markdown => render::markdown::render(&report),
            Format::Junit => render::junit::render(&report),
        })
    };
    for (p, f, what) in [
        (&args.json, Format::Json, "the JSON report"),
        (&args.html, Format::Html, "the HTML report"),
        (&args.markdown, Format::Markdown, "the Markdown summary"),
        (&args.junit, Format::Junit, "the JUnit report"),
    ] {
        if let Some(p) = p {
            if !(args.quiet && p.as_os_str() == "-") {
                output::write(Some(p), &render_as(f)?, what)?;
            }
        }
    }
    if !args.quiet || args.output.is_some() {
        output::write(
            args.output.as_deref(),
            &render_as(args.format)?,
            "the report",
        )?;
    }
    Ok(exit_code(&report, run.fail_on))
}

fn exit_code(report: &Report, fail_on: FailOn) -> u8 {
    let alert = match fail_on {
        FailOn::Dataset => report.summary.dataset_drift,
        FailOn::Column => report.summary.drifted_columns > 0,
        FailOn::Warn => report
            .columns
            .iter()
            .any(|c| matches!(c.status, ColumnStatus::Drift | ColumnStatus::Warn)),
        FailOn::Never => false,
    };
    u8::from(alert)
}
