//! Command-line definition (the single source of `--help`).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
EXIT STATUS:
    0  the run completed and no drift alert fired (see --fail-on)
    1  the run completed and a drift alert fired
    2  error: unreadable or invalid input, bad arguments or configuration,
       nothing comparable, an output that cannot be written.
       An error wins over an alert.

EXAMPLES:
    drift compare ref.parquet cur.parquet
    drift compare data/ref/ 'data/cur/*.parquet' --json report.json --html report.html
    drift compare ref.parquet cur.parquet --threshold psi=0.25 --fail-on column
    drift fit ref.parquet -o ref.drift
    drift compare ref.drift cur.parquet
    drift merge jan.drift feb.drift -o q1.drift
    drift init-config > drift.toml";

/// drift: has the distribution of your data moved? Column-by-column
/// Kolmogorov–Smirnov, Wasserstein-1, PSI and chi-square over Parquet data,
/// with the same numbers as scipy.
#[derive(Debug, Parser)]
#[command(name = "drift", version, about, long_about = None, after_help = AFTER_HELP)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare current data against reference data.
    #[command(after_help = AFTER_HELP)]
    Compare(Box<CompareArgs>),
    /// Fit a reference once and write it as a profile file (REF.drift), which
    /// `drift compare` takes in place of the reference data.
    #[command(after_help = AFTER_HELP)]
    Fit(Box<FitArgs>),
    /// Merge profiles of datasets with the same schema and settings into the
    /// profile of their union.
    Merge {
        /// Profiles to merge (two or more).
        #[arg(value_name = "PROFILE", num_args = 2.., required = true)]
        inputs: Vec<PathBuf>,
        /// Where to write the merged profile.
        #[arg(long, short = 'o', value_name = "PATH")]
        output: PathBuf,
    },
    /// Print a commented example configuration file (TOML).
    InitConfig {
        /// Write it here instead of standard output (refuses to overwrite).
        path: Option<PathBuf>,
    },
}

/// Parses `--fail-on` into the library's policy.
fn fail_on(s: &str) -> Result<drift_core::FailOn, String> {
    s.parse().map_err(|e: drift_core::Error| e.to_string())
}

/// Format of what goes to standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Terminal summary table.
    Text,
    /// The versioned JSON report.
    Json,
    /// A self-contained HTML page.
    Html,
    /// A compact Markdown summary (pull-request comments, CI job summaries).
    Markdown,
    /// JUnit XML: one test case per column.
    Junit,
}

/// When to colour terminal output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// `drift compare` arguments. Flags override the config file.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Reference data: a Parquet file, a directory of Parquet files, a glob,
    /// or a profile written by `drift fit` (recognised by its content).
    #[arg(value_name = "REF")]
    pub reference: String,
    /// Current data: a Parquet file, a directory of Parquet files, or a glob.
    #[arg(value_name = "CUR")]
    pub current: String,

    #[command(flatten)]
    pub settings: SettingsArgs,

    /// What makes the exit status 1: dataset, column, warn (any column drifts
    /// or warns) or never [default: dataset, or the config file's `fail_on`].
    #[arg(long, value_parser = fail_on, value_name = "POLICY")]
    pub fail_on: Option<drift_core::FailOn>,

    /// What goes to standard output.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the --format output to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Also write the JSON report here (`-` for standard output).
    #[arg(long, value_name = "PATH")]
    pub json: Option<PathBuf>,
    /// Also write the HTML report here (`-` for standard output).
    #[arg(long, value_name = "PATH")]
    pub html: Option<PathBuf>,
    /// Also write the Markdown summary here (`-` for standard output).
    #[arg(long, value_name = "PATH")]
    pub markdown: Option<PathBuf>,
    /// Also write JUnit XML here (`-` for standard output).
    #[arg(long, value_name = "PATH")]
    pub junit: Option<PathBuf>,
    /// Colour in the terminal summary.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(flatten)]
    pub run: RunArgs,
}

/// `drift fit` arguments.
#[derive(Debug, Args)]
pub struct FitArgs {
    /// Reference data: a Parquet file, a directory of Parquet files, or a glob.
    #[arg(value_name = "REF")]
    pub reference: String,
    /// Where to write the profile (conventionally `*.drift`).
    #[arg(long, short = 'o', value_name = "PATH")]
    pub output: PathBuf,

    #[command(flatten)]
    pub settings: SettingsArgs,

    #[command(flatten)]
    pub run: RunArgs,
}

/// The settings of a comparison (config file and flags).
#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// Configuration file (TOML); see `drift init-config`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Compare only these columns (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "COL,...")]
    pub columns: Vec<String>,
    /// Leave these columns out (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "COL,...")]
    pub exclude: Vec<String>,
    /// Treat these columns as categorical.
    #[arg(long, value_delimiter = ',', value_name = "COL,...")]
    pub categorical: Vec<String>,
    /// Treat these columns as numeric.
    #[arg(long, value_delimiter = ',', value_name = "COL,...")]
    pub numeric: Vec<String>,
    /// Tests to run, for both kinds where they apply (ks, wasserstein, psi, chi2).
    #[arg(long, value_delimiter = ',', value_name = "TEST,...")]
    pub tests: Vec<String>,
    /// Drift threshold per test, e.g. `psi=0.25`, `ks=0.01`; repeatable or
    /// comma-separated. Per column: `COLUMN:psi=0.3`.
    #[arg(long, value_delimiter = ',', value_name = "[COL:]TEST=VALUE")]
    pub threshold: Vec<String>,
    /// Effect-size floor for p-value tests, e.g. `ks=0.1` (KS D), `chi2=0.1`
    /// (Cramér's V): drift needs p < α and effect ≥ floor.
    #[arg(long, value_delimiter = ',', value_name = "[COL:]TEST=VALUE")]
    pub min_effect: Vec<String>,
    /// PSI bins for numeric columns (quantile binning).
    #[arg(long, value_name = "N")]
    pub psi_bins: Option<usize>,
    /// PSI binning: reference quantiles, or Evidently 0.7's own binning.
    #[arg(long, value_name = "MODE", value_parser = ["quantile", "evidently"])]
    pub psi_binning: Option<String>,
    /// Which test decides a column's drift: auto, any, all, ks, wasserstein, psi, chi2.
    #[arg(long, value_name = "RULE")]
    pub decision: Option<String>,
    /// Dataset drift when this share of tested columns drifts.
    #[arg(long, value_name = "SHARE")]
    pub drift_share: Option<f64>,
    /// Multiple-testing correction over ks/chi2 p-values: none, bonferroni, bh.
    #[arg(long, value_name = "METHOD")]
    pub correction: Option<String>,
}

/// How a run uses the machine.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Print nothing but errors (files named by flags are still written).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Worker threads [default: all cores].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Memory budget for column data in flight, e.g. `2G`, `512M`: columns run
    /// one per thread while they fit; one that alone needs more runs alone,
    /// with a note [default: 512M].
    #[arg(long, value_name = "SIZE")]
    pub max_memory: Option<String>,
    /// Never show a progress bar.
    #[arg(long)]
    pub no_progress: bool,
}
