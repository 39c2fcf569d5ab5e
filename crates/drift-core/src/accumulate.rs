//! Accumulate: one side of one column while its batches stream in —
//! finite values or category counts, with missing values counted — as a
//! mergeable state (update / merge / finish), then sorted into a [`Side`].

use crate::column::{extract_numeric, CategoryCounts};
use crate::config::ColumnKind;
use crate::counts::Counts;
use crate::kernels::buffer::BufferPool;
use crate::kernels::moments::Moments;
use crate::kernels::sorted::{Sorted, SortedSample};
use arrow_array::Array;

/// Sorted finite values — as values, or as runs of (value, count) when
/// there are few distinct ones (see [`crate::kernels::sorted`]) — with the
/// summaries derived from them, computed in [`SideAccumulator::finish`] so
/// that both sides of a column get them in parallel.
#[derive(Debug, Default)]
pub struct SortedValues {
    pub(crate) sorted: Sorted,
    pub(crate) moments: Moments,
    pub(crate) distinct: u64,
}

impl SortedValues {
    /// Sorts `values` (or counts them into runs, see [`Sorted::of`]) and
    /// summarises them.
    pub fn new(values: Vec<f64>) -> SortedValues {
        Self::of_sorted(Sorted::of(values))
    }

    pub(crate) fn new_in(values: Vec<f64>, pool: &BufferPool) -> SortedValues {
        Self::of_sorted(Sorted::of_in(values, pool))
    }

    /// Summarises values already sorted (a loaded or merged profile):
    /// the same moments, bit for bit, as [`SortedValues::new`] gives for
    /// the same values.
    pub(crate) fn of_sorted(mut sorted: Sorted) -> SortedValues {
        let (moments, distinct) = match &mut sorted {
            Sorted::Values(v) => {
                if v.capacity() - v.len() > v.len() / 4 {
                    v.shrink_to_fit();
                }
                Moments::of_sorted(v)
            }
            Sorted::Runs(r) => Moments::of_runs(r),
        };
        SortedValues {
            sorted,
            moments,
            distinct,
        }
    }

    /// Values with their summaries as computed before (a loaded profile).
    pub(crate) fn from_parts(sorted: Sorted, moments: Moments, distinct: u64) -> SortedValues {
        SortedValues {
            sorted,
            moments,
            distinct,
        }
    }

    /// Number of finite values.
    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }
}

/// One side of one column, accumulated and ready to fit or compare.
#[derive(Debug)]
pub enum Side {
    /// Sorted finite values.
    Numeric(SortedValues, Counts),
    /// Category counts, sorted by category.
    Categorical(Vec<(String, u64)>, Counts),
    /// Could not be extracted (or the column is skipped): the reason.
    Failed(String, Counts),
}

impl Side {
    /// Row and missing-value counts of the side.
    pub fn counts(&self) -> Counts {
        match self {
            Side::Numeric(_, c) | Side::Categorical(_, c) | Side::Failed(_, c) => *c,
        }
    }
}

/// Mergeable state of one side of one column while its batches stream in:
/// `update` per Arrow array, `merge` across partitions, `finish` to sort.
/// The column's name and settings are fixed at construction. Memory: the
/// finite values (numeric) or the category counts — never the Arrow arrays.
#[derive(Debug)]
pub struct SideAccumulator {
    name: String,
    max_categories: usize,
    state: State,
}

#[derive(Debug)]
enum State {
    Numeric(Vec<f64>, Counts),
    Categorical(CategoryCounts),
    Failed(String, Counts),
}

impl SideAccumulator {
    /// An accumulator for column `name` of `kind` (an error: the column is
    /// skipped for that reason and only counts rows and nulls), numeric
    /// values going into `buffer` (cleared; a reused allocation). Made
    /// from a plan by `ColumnPlan::accumulator`.
    pub(crate) fn with_buffer(
        name: &str,
        kind: std::result::Result<ColumnKind, &str>,
        max_categories: usize,
        mut buffer: Vec<f64>,
    ) -> SideAccumulator {
        buffer.clear();
        let state = match kind {
            Ok(ColumnKind::Numeric) => State::Numeric(buffer, Counts::default()),
            Ok(ColumnKind::Categorical) => State::Categorical(CategoryCounts::default()),
            Err(reason) => State::Failed(reason.to_string(), Counts::default()),
        };
        SideAccumulator {
            name: name.to_string(),
            max_categories,
            state,
        }
    }

    /// Adds one array of the column.
    pub fn update(&mut self, array: &dyn Array) {
        let failed = match &mut self.state {
            State::Numeric(v, c) => match extract_numeric(&self.name, array, v) {
                Ok(k) => {
                    c.merge(&k);
                    None
                }
                Err(e) => Some((e.to_string(), *c)),
            },
            State::Categorical(cc) => cc
                .update(&self.name, array, self.max_categories)
                .err()
                .map(|e| (e.to_string(), cc.missing)),
            State::Failed(_, c) => {
                c.merge(&Counts {
                    count: array.len() as u64,
                    nulls: array.logical_null_count() as u64,
                    ..Counts::default()
                });
                None
            }
        };
        if let Some((reason, counts)) = failed {
            if let State::Numeric(v, _) = &mut self.state {
                v.clear();
            }
            self.state = State::Failed(reason, counts);
        }
    }

    /// Merges another partition of the same side (row and missing counts
    /// add up whatever the states; a failed partition fails the side). The
    /// other partition's value buffer is handed to `recycle`.
    pub fn merge(&mut self, other: SideAccumulator) {
        self.merge_in(other, &BufferPool::new(0));
    }

    /// As [`SideAccumulator::merge`], the other value buffer given back to
    /// the run's pool.
    pub(crate) fn merge_in(&mut self, other: SideAccumulator, pool: &BufferPool) {
        match (&mut self.state, other.state) {
            (State::Numeric(v, c), State::Numeric(w, d)) => {
                v.extend_from_slice(&w);
                pool.recycle(w);
                c.merge(&d);
            }
            (State::Categorical(a), State::Categorical(b)) => a.merge(b),
            (State::Failed(_, c), o) => c.merge(&o.counts()),
            (s, State::Failed(r, mut d)) => {
                d.merge(&s.counts());
                self.state = State::Failed(r, d);
            }
            (s, o) => {
                let mut c = s.counts();
                c.merge(&o.counts());
                self.state = State::Failed("partitions of different kinds".into(), c);
            }
        }
    }

    /// Row and missing-value counts so far.
    pub fn counts(&self) -> Counts {
        self.state.counts()
    }

    /// Bytes held (values and category counts), for memory accounting.
    pub fn size(&self) -> usize {
        match &self.state {
            State::Numeric(v, _) => v.capacity() * 8,
            State::Categorical(cc) => cc.size(),
            State::Failed(..) => 0,
        }
    }

    /// Sorts (numeric) or orders (categorical) what was accumulated.
    pub fn finish(self) -> Side {
        self.finish_in(&BufferPool::new(0))
    }

    /// As [`SideAccumulator::finish`], within a run's pool (sort scratch,
    /// value buffers replaced by runs).
    pub(crate) fn finish_in(self, pool: &BufferPool) -> Side {
        match self.state {
            State::Numeric(v, c) => Side::Numeric(SortedValues::new_in(v, pool), c),
            State::Categorical(cc) => {
                let m = cc.missing;
                Side::Categorical(cc.into_sorted(), m)
            }
            State::Failed(r, c) => Side::Failed(r, c),
        }
    }
}

impl State {
    fn counts(&self) -> Counts {
        match self {
            State::Numeric(_, c) | State::Failed(_, c) => *c,
            State::Categorical(cc) => cc.missing,
        }
    }
}
