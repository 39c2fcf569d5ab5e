//! Fit: what a reference column holds once fitted — sorted values or runs
//! with their moments, the PSI bins, category counts — built once from an
//! accumulated [`Side`].

use crate::accumulate::{Side, SortedValues};
use crate::config::ColumnKind;
use crate::counts::Counts;
use crate::kernels::ecdf::{PrefixIndex, RunsIndex};
use crate::kernels::histogram::bin_counts_sorted;
use crate::kernels::sorted::SortedSample;
use crate::plan::ColumnPlan;
use crate::stats::psi::quantile_edges;
use arrow_schema::DataType;
use std::sync::OnceLock;

/// Fitted numeric reference: the sorted finite values (or their runs) and
/// what derives from them.
#[derive(Debug)]
pub(crate) struct NumericProfile {
    pub(crate) values: SortedValues,
    /// PSI bin count the edges below were computed for.
    pub(crate) psi_bins: usize,
    pub(crate) psi_edges: Vec<f64>,
    pub(crate) psi_counts: Vec<u64>,
    pub(crate) index: OnceLock<SearchIndex>,
}

/// The fitted reference's window-search index, built on first use.
#[derive(Debug)]
pub(crate) enum SearchIndex {
    Values(PrefixIndex),
    Runs(RunsIndex),
}

impl NumericProfile {
    pub(crate) fn new(values: SortedValues, psi_bins: usize) -> NumericProfile {
        let (psi_edges, psi_counts) = psi_bins_of(&values, psi_bins);
        NumericProfile {
            values,
            psi_bins,
            psi_edges,
            psi_counts,
            index: OnceLock::new(),
        }
    }
}

/// Quantile PSI edges of a fitted side and its counts per bin.
pub(crate) fn psi_bins_of(values: &SortedValues, bins: usize) -> (Vec<f64>, Vec<u64>) {
    let edges = if values.sorted.is_empty() {
        Vec::new()
    } else {
        quantile_edges(&values.sorted, bins)
    };
    let counts = bin_counts_sorted(&values.sorted, &edges);
    (edges, counts)
}

/// What a fitted column holds.
#[derive(Debug)]
pub(crate) enum ProfileData {
    /// Numeric column.
    Numeric(NumericProfile),
    /// Categorical column: (category, count) sorted by category.
    Categorical(Vec<(String, u64)>),
    /// Not testable, with the reason.
    Skipped(String),
}

/// One fitted reference column.
#[derive(Debug)]
pub struct ColumnProfile {
    pub(crate) name: String,
    pub(crate) dtype: DataType,
    pub(crate) kind: Option<ColumnKind>,
    pub(crate) counts: Counts,
    pub(crate) data: ProfileData,
}

impl ColumnProfile {
    /// Fits one reference column of a plan from its accumulated side; the
    /// values are moved, not copied.
    pub fn fit(plan: &ColumnPlan, side: Side) -> ColumnProfile {
        let mut p = ColumnProfile {
            name: plan.name.clone(),
            dtype: plan.reference_type.clone(),
            kind: plan.kind.as_ref().ok().copied(),
            counts: side.counts(),
            data: ProfileData::Skipped(String::new()),
        };
        p.data = match (&plan.kind, side) {
            (Err(reason), _) => {
                p.kind = crate::column::natural_kind(&plan.reference_type);
                ProfileData::Skipped(reason.clone())
            }
            (Ok(_), Side::Numeric(values, _)) => {
                ProfileData::Numeric(NumericProfile::new(values, plan.resolved.psi_bins))
            }
            (Ok(_), Side::Categorical(counts, _)) => ProfileData::Categorical(counts),
            (Ok(_), Side::Failed(reason, _)) => ProfileData::Skipped(reason),
        };
        p
    }

    /// Column name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The reference's Arrow type.
    pub fn dtype(&self) -> &DataType {
        &self.dtype
    }
    /// The kind it was fitted as (`None`: an untestable type).
    pub fn kind(&self) -> Option<ColumnKind> {
        self.kind
    }
    /// Row and missing-value counts of the reference.
    pub fn counts(&self) -> Counts {
        self.counts
    }
    /// Why the column was not fitted, if it was not.
    pub fn skipped_reason(&self) -> Option<&str> {
        match &self.data {
            ProfileData::Skipped(r) => Some(r),
            _ => None,
        }
    }
    /// Bytes of fitted data held (values or runs, category labels).
    pub fn size(&self) -> usize {
        match &self.data {
            ProfileData::Numeric(p) => p.values.sorted.size(),
            ProfileData::Categorical(c) => c.iter().map(|(s, _)| s.len() + 32).sum(),
            ProfileData::Skipped(r) => r.len(),
        }
    }
}
