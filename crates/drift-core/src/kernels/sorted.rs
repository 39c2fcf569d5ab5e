//! A sorted sample, held either as its sorted values or — when it has few
//! distinct values — as runs of (distinct value, count).
//!
//! Real columns are full of ties: integer counts and delays, prices in
//! cents, measurements to one decimal, zero-inflated amounts. A column of n
//! values with k distinct ones costs 16·k bytes as runs instead of 8·n as
//! values, is built by one hashing pass instead of a sort, and every
//! statistic after it (moments, the ECDF merge, quantiles, bin counts) runs
//! over the k runs. [`Sorted::of`] chooses the representation once per
//! column: one bounded hash pass ([`count_runs`]) that gives up as soon as
//! a part of the input has more distinct values than the limit (on
//! continuous data after about [`RUNS_MAX`] values, a fraction of a
//! millisecond), else the radix sort.
//!
//! Both representations answer the same rank queries through
//! [`SortedSample`], so the statistics are written once: a quantile, a bin
//! count or a KS numerator is the same number whichever way the sample is
//! held (the same comparisons on the same values). Sums over the sample
//! (moments, the Wasserstein integral) are taken over runs in another order
//! than over values: see [`crate::kernels::moments::Moments::of_runs`] and
//! [`crate::kernels::ecdf::ecdf_groups`] for their accuracy.
//!
//! NaN policy: samples are finite (callers extract NaN and ±inf first);
//! runs are distinct by bit pattern, so `-0.0` and `0.0` are separate runs
//! and ordered as `f64::total_cmp` orders them, exactly as in the sorted
//! values; [`SortedSample::groups`] merges values that compare equal (as
//! the tests do: `-0.0 == 0.0`).

use super::buffer::BufferPool;
use super::sort::{count_keys, from_key, sort_f64, sort_f64_in};

/// Most distinct values a column may have to be held as runs.
pub const RUNS_MAX: usize = 1 << 17;
/// Columns shorter than this are always held as sorted values (the sort is
/// cheap there, and small samples stay on one well-tested path).
pub const RUNS_MIN: usize = 1 << 14;

/// A sorted, finite sample queried by rank.
pub trait SortedSample {
    /// Number of values (with multiplicity).
    fn len(&self) -> usize;
    /// Whether the sample is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The value of rank `r` (0-based, `r < len`), as in the sorted values.
    fn at(&self, r: usize) -> f64;
    /// `#{x ≤ v}`.
    fn count_le(&self, v: f64) -> usize;
    /// `#{x < v}`.
    fn count_lt(&self, v: f64) -> usize;
    /// The distinct values (values that compare equal merged, the first one
    /// reported) with their counts, ascending.
    fn groups(&self) -> impl Iterator<Item = (f64, u64)> + '_;
    /// The runs, when the sample is held as runs (merges over two samples
    /// held as runs take a loop over their arrays instead of [`groups`]).
    ///
    /// [`groups`]: SortedSample::groups
    fn as_runs(&self) -> Option<&Runs> {
        None
    }
}

impl SortedSample for [f64] {
    fn len(&self) -> usize {
        <[f64]>::len(self)
    }
    fn at(&self, r: usize) -> f64 {
        self[r]
    }
    fn count_le(&self, v: f64) -> usize {
        self.partition_point(|&x| x <= v)
    }
    fn count_lt(&self, v: f64) -> usize {
        self.partition_point(|&x| x < v)
    }
    fn groups(&self) -> impl Iterator<Item = (f64, u64)> + '_ {
        let mut i = 0;
        std::iter::from_fn(move || {
            let x = *self.get(i)?;
            let start = i;
            i += 1;
            while i < self.len() && self[i] == x {
                i += 1;
            }
            Some((x, (i - start) as u64))
        })
    }
}

/// A sorted sample as runs: distinct values (by bit pattern) ascending in
/// total order, with the cumulative count through each. Built only by
/// [`count_runs`], so it is sorted by construction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Runs {
    values: Vec<f64>,
    ends: Vec<u64>,
}

impl Runs {
    /// The distinct values (by bit pattern), ascending.
    pub fn values(&self) -> &[f64] {
        &self.values
    }
    /// `ends()[i]` = number of sample values ≤ `values()[i]` in total order.
    pub fn ends(&self) -> &[u64] {
        &self.ends
    }
    /// `(value, count)` of each run.
    pub fn runs(&self) -> impl Iterator<Item = (f64, u64)> + '_ {
        let mut prev = 0;
        self.values.iter().zip(&self.ends).map(move |(&x, &e)| {
            let c = e - prev;
            prev = e;
            (x, c)
        })
    }
    fn count_before(&self, k: usize) -> usize {
        if k == 0 {
            0
        } else {
            self.ends[k - 1] as usize
        }
    }
}

impl SortedSample for Runs {
    fn as_runs(&self) -> Option<&Runs> {
        Some(self)
    }
    fn len(&self) -> usize {
        self.ends.last().map_or(0, |&e| e as usize)
    }
    fn at(&self, r: usize) -> f64 {
        self.values[self.ends.partition_point(|&e| e as usize <= r)]
    }
    fn count_le(&self, v: f64) -> usize {
        self.count_before(self.values.partition_point(|&x| x <= v))
    }
    fn count_lt(&self, v: f64) -> usize {
        self.count_before(self.values.partition_point(|&x| x < v))
    }
    fn groups(&self) -> impl Iterator<Item = (f64, u64)> + '_ {
        let mut runs = self.runs().peekable();
        std::iter::from_fn(move || {
            let (x, mut c) = runs.next()?;
            // only -0.0 and 0.0 are distinct runs that compare equal
            while let Some(&(y, d)) = runs.peek() {
                if y != x {
                    break;
                }
                c += d;
                runs.next();
            }
            Some((x, c))
        })
    }
}

/// A sorted sample: the sorted values, or runs when there are few distinct
/// values (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub enum Sorted {
    /// Ascending values (total order).
    Values(Vec<f64>),
    /// Distinct values with cumulative counts.
    Runs(Runs),
}

impl Default for Sorted {
    fn default() -> Self {
        Sorted::Values(Vec::new())
    }
}

impl Sorted {
    /// Sorts finite `values`, choosing the representation: runs when the
    /// sample has at least [`RUNS_MIN`] values and at most
    /// `min(RUNS_MAX, len / 4)` distinct ones (found by one bounded hash
    /// pass; the value buffer is then freed), else the values
    /// radix-sorted in place. The choice depends only on the values, never
    /// on the thread count.
    ///
    /// ```
    /// use drift_core::kernels::sorted::{Sorted, SortedSample};
    /// let s = Sorted::of((0..100_000).map(|i| (i % 7) as f64).collect());
    /// assert!(matches!(s, Sorted::Runs(_)));
    /// assert_eq!((s.len(), s.count_le(2.0), s.at(99_999)), (100_000, 42_858, 6.0));
    /// ```
    pub fn of(values: Vec<f64>) -> Sorted {
        Self::of_in(values, &BufferPool::new(0))
    }

    /// As [`Sorted::of`], within a run: the sort's scratch comes from
    /// `pool`, and the value buffer goes back to it when runs replace it.
    pub(crate) fn of_in(mut values: Vec<f64>, pool: &BufferPool) -> Sorted {
        if values.len() >= RUNS_MIN {
            if let Some(r) = count_runs(&values, RUNS_MAX.min(values.len() / 4)) {
                pool.recycle(values);
                return Sorted::Runs(r);
            }
        }
        sort_f64_in(&mut values, pool);
        Sorted::Values(values)
    }

    /// Runs from an untrusted store: `values` finite and strictly ascending
    /// in total order, `counts` positive, their sum within `u64`.
    pub(crate) fn runs_checked(values: Vec<f64>, counts: &[u64]) -> Result<Sorted, String> {
        if values.len() != counts.len() {
            return Err("stored runs have as many counts as values".into());
        }
        if let Some(x) = values.iter().find(|x| !x.is_finite()) {
            return Err(format!("a stored value is not finite ({x})"));
        }
        if values.windows(2).any(|w| !w[0].total_cmp(&w[1]).is_lt()) {
            return Err("the stored runs are not strictly ascending".into());
        }
        let mut ends = Vec::with_capacity(counts.len());
        let mut total = 0u64;
        for &c in counts {
            if c == 0 {
                return Err("a stored run has count 0".into());
            }
            total = total
                .checked_add(c)
                .filter(|&t| t <= usize::MAX as u64)
                .ok_or("the stored run counts overflow")?;
            ends.push(total);
        }
        Ok(Sorted::Runs(Runs { values, ends }))
    }

    /// Bytes held.
    pub fn size(&self) -> usize {
        match self {
            Sorted::Values(v) => v.capacity() * 8,
            Sorted::Runs(r) => (r.values.capacity() + r.ends.capacity()) * 8,
        }
    }

    /// Always the sorted values (tests and benches: the other path).
    #[doc(hidden)]
    pub fn values_of(mut values: Vec<f64>) -> Sorted {
        sort_f64(&mut values);
        Sorted::Values(values)
    }
}

impl SortedSample for Sorted {
    fn as_runs(&self) -> Option<&Runs> {
        match self {
            Sorted::Values(_) => None,
            Sorted::Runs(r) => Some(r),
        }
    }
    fn len(&self) -> usize {
        match self {
            Sorted::Values(v) => v.len(),
            Sorted::Runs(r) => r.len(),
        }
    }
    fn at(&self, i: usize) -> f64 {
        match self {
            Sorted::Values(v) => v[i],
            Sorted::Runs(r) => r.at(i),
        }
    }
    fn count_le(&self, x: f64) -> usize {
        match self {
            Sorted::Values(v) => v[..].count_le(x),
            Sorted::Runs(r) => r.count_le(x),
        }
    }
    fn count_lt(&self, x: f64) -> usize {
        match self {
            Sorted::Values(v) => v[..].count_lt(x),
            Sorted::Runs(r) => r.count_lt(x),
        }
    }
    fn groups(&self) -> impl Iterator<Item = (f64, u64)> + '_ {
        let (a, b) = match self {
            Sorted::Values(v) => (Some(v[..].groups()), None),
            Sorted::Runs(r) => (None, Some(r.groups())),
        };
        a.into_iter().flatten().chain(b.into_iter().flatten())
    }
}

/// The runs of finite `v` when it has at most `limit` distinct values (by
/// bit pattern), else `None`: the bounded hash pass of the sort's counting
/// path ([`count_keys`]: parts in parallel, each giving up as soon as it
/// has seen more than `limit` distinct values, so a column that has too
/// many costs about `limit` insertions per part, not a pass). The runs are
/// the same whatever the thread count.
///
/// Complexity: O(n) expected plus O(k log k) to order the k distinct keys;
/// memory: 32 bytes per distinct key per part (at most half-full tables).
pub fn count_runs(v: &[f64], limit: usize) -> Option<Runs> {
    let pairs = count_keys(v, limit)?;
    let mut runs = Runs {
        values: Vec::with_capacity(pairs.len()),
        ends: Vec::with_capacity(pairs.len()),
    };
    let mut total = 0u64;
    for (k, c) in pairs {
        total += c;
        runs.values.push(f64::from_bits(from_key(k)));
        runs.ends.push(total);
    }
    Some(runs)
}

#[cfg(test)]
mod tests {
    use super::super::sort::PARALLEL_SORT_MIN;
    use super::*;
    use proptest::prelude::*;

    fn sorted(v: &[f64]) -> Vec<f64> {
        let mut s = v.to_vec();
        s.sort_by(f64::total_cmp);
        s
    }

    /// Every rank query of the runs equals the sorted values'.
    fn check_same(v: &[f64]) {
        let s = sorted(v);
        let r = count_runs(v, usize::MAX).expect("no limit");
        assert_eq!(r.len(), s.len());
        for (i, x) in s.iter().enumerate() {
            assert_eq!(r.at(i).to_bits(), x.to_bits(), "rank {i}");
        }
        let mut probes: Vec<f64> = s.clone();
        probes.extend([f64::NEG_INFINITY, f64::INFINITY, 0.0, -0.0, 0.5, -1e300]);
        for &p in &probes {
            assert_eq!(r.count_le(p), s[..].count_le(p), "le {p}");
            assert_eq!(r.count_lt(p), s[..].count_lt(p), "lt {p}");
        }
        let g1: Vec<(u64, u64)> = r.groups().map(|(x, c)| (x.to_bits(), c)).collect();
        let g2: Vec<(u64, u64)> = s[..].groups().map(|(x, c)| (x.to_bits(), c)).collect();
        assert_eq!(g1, g2);
    }

    #[test]
    fn runs_answer_like_sorted_values() {
        check_same(&[]);
        check_same(&[1.0]);
        check_same(&[0.0, -0.0, 0.0, -0.0, 1.0, -1.0, 5e-324, -5e-324]);
        check_same(
            &(0..10_000)
                .map(|i| ((i * 7919) % 97) as f64 * 0.01)
                .collect::<Vec<_>>(),
        );
        // across table growth: more keys than the first table holds
        check_same(
            &(0..50_000)
                .map(|i| ((i * 7919) % 4099) as f64 - 2000.0)
                .collect::<Vec<_>>(),
        );
    }

    #[test]
    fn limit_and_thread_count() {
        let v: Vec<f64> = (0..PARALLEL_SORT_MIN + 77)
            .map(|i| (i % 1000) as f64)
            .collect();
        assert!(count_runs(&v, 999).is_none());
        let want = count_runs(&v, 1000).unwrap();
        assert_eq!(want.values().len(), 1000);
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            assert_eq!(pool.install(|| count_runs(&v, 1000)), Some(want.clone()));
        }
        // continuous data: gives up
        let c: Vec<f64> = (0..2 * RUNS_MAX).map(|i| (i as f64).sqrt()).collect();
        assert!(count_runs(&c, RUNS_MAX).is_none());
    }

    #[test]
    fn representation_choice() {
        let few: Vec<f64> = (0..RUNS_MIN).map(|i| (i % 10) as f64).collect();
        assert!(matches!(Sorted::of(few.clone()), Sorted::Runs(_)));
        assert!(matches!(
            Sorted::of(few[..RUNS_MIN - 1].to_vec()),
            Sorted::Values(_)
        ));
        let many: Vec<f64> = (0..RUNS_MIN)
            .map(|i| (i % (RUNS_MIN / 4 + 1)) as f64)
            .collect();
        assert!(matches!(Sorted::of(many), Sorted::Values(_)));
    }

    proptest! {
        #[test]
        fn prop_runs_equal_values(v in proptest::collection::vec(-40i32..40, 0..3000), scale in prop::sample::select(vec![1.0, 0.01, 1e-300, 1e300, -0.5])) {
            let v: Vec<f64> = v.into_iter().map(|x| x as f64 * scale).collect();
            check_same(&v);
        }
    }
}
