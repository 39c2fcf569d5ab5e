//! The one-pass merge of two sorted samples that yields the two-sample
//! Kolmogorov–Smirnov statistic and the Wasserstein-1 integral together.
//!
//! With `I(x) = #{a ≤ x}` and `J(x) = #{b ≤ x}` for samples of sizes `n`
//! and `m`, the KS statistic is `max |I·m − J·n| / (n·m)`, kept as the exact
//! integer numerator (the exact p-value needs it), and Wasserstein-1 is
//! `∫ |I/n − J/m| dx`, summed with compensated (Neumaier) summation.
//! [`ecdf_merge`] computes both in O(n + m) without a serial element-by-element
//! merge of the whole samples; [`ecdf_search`] does it in O(m log n) against a
//! fitted reference; [`ecdf_reference`] is the plain scalar definition.
//!
//! Both inputs must be sorted ascending and finite (no NaN). Ties are handled
//! exactly.

use super::dd::Dd;
use super::sorted::{Runs, SortedSample};
use super::{multiversion, LANES};

/// What the merge finds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EcdfStats {
    /// `max_x |I(x)·m − J(x)·n|`, exact.
    pub ks_numerator: u128,
    /// Sign of the maximising difference: +1 when `F_a > F_b` there (scipy's
    /// `statistic_sign`), −1 otherwise.
    pub ks_sign: i8,
    /// The value of x where the maximum is first reached.
    pub ks_location: f64,
    /// `∫ |I(x)·m − J(x)·n| dx`; divide by `n·m` for Wasserstein-1.
    pub w1_numerator: f64,
}

impl EcdfStats {
    /// KS statistic D for sample sizes `n`, `m`.
    pub fn ks(&self, n: u64, m: u64) -> f64 {
        self.ks_numerator as f64 / (n as f64 * m as f64)
    }
    /// Wasserstein-1 distance for sample sizes `n`, `m`.
    pub fn w1(&self, n: u64, m: u64) -> f64 {
        self.w1_numerator / n as f64 / m as f64
    }
}

/// Neumaier compensated sum.
#[derive(Default, Clone, Copy)]
pub(crate) struct CompSum {
    s: f64,
    c: f64,
}
impl CompSum {
    #[inline(always)]
    pub(crate) fn add(&mut self, x: f64) {
        let t = self.s + x;
        if self.s.abs() >= x.abs() {
            self.c += (self.s - t) + x;
        } else {
            self.c += (x - t) + self.s;
        }
        self.s = t;
    }
    pub(crate) fn value(&self) -> f64 {
        self.s + self.c
    }
}

/// Merges two sorted, finite, non-empty samples. See the module docs.
///
/// The two statistics are computed by two passes that run concurrently:
///
/// * **Wasserstein-1** as the area between the two quantile functions,
///   `∫₀¹ |F⁻¹(u) − G⁻¹(u)| du`, which equals `∫ |F − G| dx` exactly. The
///   breakpoints of `u` are the multiples of `1/n` and `1/m`, whose order
///   depends on `n` and `m` only, never on the data: the pass is a
///   streaming loop with no data-dependent branch, and for `n == m` it is
///   `Σ |a_i − b_i|`, vectorised. Terms are non-negative; they are summed in
///   chunks of 1024 whose totals are added with compensation.
/// * **KS** by pruned merging: the union is cut at every `B`-th value of
///   either sample (`B ≈ ∛(n+m)`, at most 1024), and `I·m − J·n` is
///   evaluated exactly at each cut (a gallop per cut). Within the stretch
///   between two cuts the difference can move only between the corner values
///   `I₀·m − J₁·n` and `I₁·m − J₀·n`, so a stretch whose corners cannot reach
///   the best value seen at a cut is skipped; the others are merged one
///   element at a time ([`merge_range`]). The maximum, its sign and its first
///   location are exactly those of a full merge (ties included). Without
///   drift the difference is a random walk, and about `B` stretches around
///   its maximum stay within reach of it (`B²` elements to merge), so
///   `B ≈ ∛(n+m)` balances the `(n+m)/B` cut searches against them: with
///   `√(n+m)` nearly every stretch of a 1M-row column had to be merged.
///
/// Both passes depend only on the input sizes and values, never on the thread
/// count, so the result is the same bit for bit on any number of threads.
///
/// ```
/// use drift_core::kernels::ecdf::ecdf_merge;
/// let s = ecdf_merge(&[0.0, 1.0, 3.0], &[5.0, 6.0, 8.0]);
/// assert_eq!(s.ks(3, 3), 1.0);
/// assert_eq!(s.w1(3, 3), 5.0); // scipy.stats.wasserstein_distance([0,1,3],[5,6,8])
/// ```
pub fn ecdf_merge(a: &[f64], b: &[f64]) -> EcdfStats {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 || (n as u128) * (m as u128) >= (1u128 << 62) {
        return ecdf_reference(a, b);
    }
    let ((best_abs, best, loc), w) = if n + m >= PARALLEL_MIN {
        rayon::join(|| ks_pruned(a, b), || w1_coupling(a, b))
    } else {
        (ks_pruned(a, b), w1_coupling(a, b))
    };
    EcdfStats {
        ks_numerator: best_abs as u128,
        ks_sign: if best >= 0 { 1 } else { -1 },
        ks_location: if loc.is_nan() { a[0] } else { loc },
        w1_numerator: w,
    }
}

/// Inputs at least this large run the KS and W1 passes (and the two halves
/// of the W1 pass) as parallel tasks.
const PARALLEL_MIN: usize = 1 << 18;

/// `∫ |I(x)·m − J(x)·n| dx` through the quantile coupling (see
/// [`ecdf_merge`]): in units of `1/(n·m)` of `u`, `a[i]` covers
/// `(i·m, (i+1)·m]` and `b[j]` covers `(j·n, (j+1)·n]`.
fn w1_coupling(a: &[f64], b: &[f64]) -> f64 {
    let (n, m) = (a.len(), b.len());
    let mut total = CompSum::default();
    if n == m {
        // every segment has length n: n · Σ |a_i − b_i|
        let parts: Vec<f64> = if n >= PARALLEL_MIN {
            let h = n / 2;
            let (x, y) = rayon::join(
                || abs_diff_total(&a[..h], &b[..h]),
                || abs_diff_total(&a[h..], &b[h..]),
            );
            vec![x, y]
        } else {
            vec![abs_diff_total(a, b)]
        };
        for p in parts {
            total.add(p);
        }
        return total.value() * n as f64;
    }
    let parts: Vec<f64> = if n + m >= PARALLEL_MIN {
        let h = n / 2;
        let (x, y) = rayon::join(|| coupling_range(a, b, 0, h), || coupling_range(a, b, h, n));
        vec![x, y]
    } else {
        vec![coupling_range(a, b, 0, n)]
    };
    for p in parts {
        total.add(p);
    }
    total.value()
}

/// Σ |a_i − b_i| in chunks of 1024 (fixed 8-lane sums) added with compensation.
fn abs_diff_total(a: &[f64], b: &[f64]) -> f64 {
    let mut total = CompSum::default();
    for (x, y) in a.chunks(1024).zip(b.chunks(1024)) {
        total.add(abs_diff_sum(x, y));
    }
    total.value()
}

multiversion! {
    /// Σ |a_i − b_i| over equally long slices, with a fixed 8-lane reduction.
    ///
    /// Dispatch: `dispatch/abs_diff_sum/{avx2,scalar}_build`, 178–186 µs
    /// against 205–258 µs per 1M pairs (two runs, benches/README.md).
    pub fn abs_diff_sum(a: &[f64], b: &[f64]) -> f64 {
        let mut acc = [0.0f64; LANES];
        let (ca, cb) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
        let (ra, rb) = (ca.remainder(), cb.remainder());
        for (x, y) in ca.zip(cb) {
            for k in 0..LANES {
                acc[k] += (x[k] - y[k]).abs();
            }
        }
        for (k, (x, y)) in ra.iter().zip(rb).enumerate() {
            acc[k] += (x - y).abs();
        }
        ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))
    }
}

/// The coupling integral over `u ∈ (i0·m, i1·m]` (units of `1/(n·m)`).
fn coupling_range(a: &[f64], b: &[f64], i0: usize, i1: usize) -> f64 {
    let (n, m) = (a.len() as u64, b.len() as u64);
    let mut pos = i0 as u64 * m;
    let (mut i, mut j) = (i0, (pos / n) as usize);
    let (mut next_a, mut next_b) = (pos + m, (j as u64 + 1) * n);
    let mut total = CompSum::default();
    let (mut c0, mut c1) = (0.0f64, 0.0f64);
    let mut steps = 0u32;
    'run: loop {
        // alternate two accumulators, so the adds do not chain
        for acc in [&mut c0, &mut c1] {
            if i == i1 {
                break 'run;
            }
            let end = next_a.min(next_b);
            *acc += (end - pos) as f64 * (a[i] - b[j]).abs();
            pos = end;
            let (sa, sb) = (next_a == end, next_b == end);
            i += sa as usize;
            j += sb as usize;
            next_a += if sa { m } else { 0 };
            next_b += if sb { n } else { 0 };
        }
        steps += 1;
        if steps == 512 {
            total.add(c0 + c1);
            (c0, c1, steps) = (0.0, 0.0, 0);
        }
    }
    total.add(c0 + c1);
    total.value()
}

/// KS by pruned merging (see [`ecdf_merge`]): `(max |I·m − J·n|, the signed
/// value there, its first location)`.
fn ks_pruned(a: &[f64], b: &[f64]) -> (i64, i64, f64) {
    let (n, m) = (a.len(), b.len());
    let (ni, mi) = (n as i64, m as i64);
    let block = (((n + m) as f64).cbrt() as usize).clamp(8, 1024);
    // cuts: (#{a ≤ v}, #{b ≤ v}) at increasing cut values v; the last is (n, m)
    let mut cuts: Vec<(usize, usize)> = Vec::with_capacity(2 * (n + m) / block + 2);
    cuts.push((0, 0));
    let (mut ia, mut jb) = (0usize, 0usize);
    let mut floor = 0i64; // the best |I·m − J·n| seen at a cut
    let (mut da, mut db) = (block, block); // last advances: where the next cut is sought
    loop {
        let va = a.get(ia + block - 1).copied().unwrap_or(f64::INFINITY);
        let vb = b.get(jb + block - 1).copied().unwrap_or(f64::INFINITY);
        let v = va.min(vb);
        if v == f64::INFINITY {
            break;
        }
        // the sample whose value set the cut reaches past it; the other is
        // searched around its last advance
        let na = if v == va {
            gallop(a, ia + block - 1, |x| x <= v)
        } else {
            seek(a, ia, ia + da, v)
        };
        let nb = if v == vb {
            gallop(b, jb + block - 1, |x| x <= v)
        } else {
            seek(b, jb, jb + db, v)
        };
        (da, db) = ((na - ia).max(1), (nb - jb).max(1));
        (ia, jb) = (na, nb);
        floor = floor.max((ia as i64 * mi - jb as i64 * ni).abs());
        cuts.push((ia, jb));
    }
    if cuts.last() != Some(&(n, m)) {
        cuts.push((n, m)); // I·m − J·n = 0 there
    }
    // merge, in order, every stretch whose corners can reach `floor`
    let stretch = |w: &[(usize, usize)]| -> Option<RangeStats> {
        let ((i0, j0), (i1, j1)) = (w[0], w[1]);
        let hi = (i1 as i64 * mi - j0 as i64 * ni).abs();
        let lo = (i0 as i64 * mi - j1 as i64 * ni).abs();
        (hi.max(lo) >= floor && (i1 > i0 || j1 > j0))
            .then(|| merge_range(a, b, i0, i1, j0, j1, n, m))
    };
    let found: Vec<RangeStats> = if n + m >= PARALLEL_MIN {
        use rayon::prelude::*;
        cuts.par_windows(2)
            .with_min_len(64)
            .filter_map(stretch)
            .collect()
    } else {
        cuts.windows(2).filter_map(stretch).collect()
    };
    let mut top = (-1i64, 0i64, f64::NAN);
    for r in found {
        if r.best_abs > top.0 {
            top = (r.best_abs, r.best, r.loc);
        }
    }
    top
}

struct RangeStats {
    best: i64,
    best_abs: i64,
    loc: f64,
}

/// The KS maximum over one stretch: merges `a[i0..i1]` with `b[j0..j1]`
/// (all values of the stretch, and only they, lie between two cut values)
/// one tie group at a time, starting from the counts `i0`, `j0` of values
/// below the stretch.
#[allow(clippy::too_many_arguments)]
fn merge_range(
    a: &[f64],
    b: &[f64],
    i0: usize,
    i1: usize,
    j0: usize,
    j1: usize,
    n: usize,
    m: usize,
) -> RangeStats {
    let (ni, mi) = (n as i64, m as i64);
    let mut diff: i64 = i0 as i64 * mi - j0 as i64 * ni;
    let mut best: i64 = 0;
    let mut best_abs: i64 = -1;
    let mut loc = f64::NAN;
    let (mut i, mut j) = (i0, j0);
    let head = |s: &[f64], k: usize, end: usize| if k < end { s[k] } else { f64::INFINITY };
    let mut x = head(a, i, i1);
    let mut y = head(b, j, j1);
    if x == f64::INFINITY && y == f64::INFINITY {
        return RangeStats {
            best: 0,
            best_abs: -1,
            loc,
        };
    }
    // Branch-free step: which side advances is a coin flip on continuous
    // data, so it is computed with selects, and loads are clamped in bounds.
    // The KS difference is evaluated only at the end of each tie group.
    let (ia_last, jb_last) = (i1.saturating_sub(1), j1.saturating_sub(1));
    loop {
        let take_a = x <= y;
        let cur = if take_a { x } else { y };
        diff += if take_a { mi } else { -ni };
        i += take_a as usize;
        j += (!take_a) as usize;
        let xa = a[i.min(ia_last)];
        let yb = b[j.min(jb_last)];
        x = if i < i1 { xa } else { f64::INFINITY };
        y = if j < j1 { yb } else { f64::INFINITY };
        let mut next = if x <= y { x } else { y };
        if next == cur {
            // inside a tie group: consume the rest of it on both sides at once
            let ea = gallop(&a[..i1], i, |v| v == cur);
            let eb = gallop(&b[..j1], j, |v| v == cur);
            diff += (ea - i) as i64 * mi - (eb - j) as i64 * ni;
            i = ea;
            j = eb;
            x = head(a, i, i1);
            y = head(b, j, j1);
            next = if x <= y { x } else { y };
        }
        let ad = diff.abs();
        if ad > best_abs {
            best_abs = ad;
            best = diff;
            loc = cur;
        }
        if next == f64::INFINITY {
            break;
        }
    }
    RangeStats {
        best,
        best_abs,
        loc,
    }
}

/// The same statistics as [`ecdf_merge`] for samples in any
/// representation (sorted values or runs, see [`super::sorted`]): one merge
/// over the distinct values of the two samples, O(k_a + k_b) for samples
/// with k_a and k_b distinct values (a side held as values is grouped as it
/// is walked, O(n)). This is the path for every pair with a side held as
/// runs, a fitted reference included: a window of m values against a
/// reference of k ≤ [`super::sorted::RUNS_MAX`] runs costs O(m + k).
///
/// KS: `I·m − J·n` is evaluated after each distinct value, exactly (i128),
/// so the numerator, its sign and its first location are those of
/// [`ecdf_merge`]. Wasserstein-1 is the ECDF-area form that scipy sums,
/// `Σ |I·m − J·n|·(x_next − x)` over the distinct values of the union, with
/// compensated summation: each term is one rounding of the exact product,
/// so the result is as accurate as the quantile coupling of [`ecdf_merge`],
/// though not always equal to it in the last bits.
///
/// ```
/// use drift_core::kernels::ecdf::ecdf_groups;
/// let s = ecdf_groups(&[0.0, 1.0, 3.0][..], &[5.0, 6.0, 8.0][..]);
/// assert_eq!((s.ks(3, 3), s.w1(3, 3)), (1.0, 5.0));
/// ```
pub fn ecdf_groups<A, B>(a: &A, b: &B) -> EcdfStats
where
    A: SortedSample + ?Sized,
    B: SortedSample + ?Sized,
{
    if let (Some(ra), Some(rb)) = (a.as_runs(), b.as_runs()) {
        return ecdf_runs(ra, rb);
    }
    let (n, m) = (a.len() as i128, b.len() as i128);
    let (mut ga, mut gb) = (a.groups().peekable(), b.groups().peekable());
    let (mut i, mut j) = (0i128, 0i128);
    let mut walk = DistinctWalk::new();
    loop {
        let (xa, xb) = (ga.peek().map(|g| g.0), gb.peek().map(|g| g.0));
        let x = match (xa, xb) {
            (None, None) => break,
            (Some(p), None) => p,
            (None, Some(q)) => q,
            (Some(p), Some(q)) => {
                if p <= q {
                    p
                } else {
                    q
                }
            }
        };
        if xa == Some(x) {
            i += ga.next().map_or(0, |g| g.1) as i128;
        }
        if xb == Some(x) {
            j += gb.next().map_or(0, |g| g.1) as i128;
        }
        walk.step(x, i * m - j * n);
    }
    walk.finish()
}

/// The state of a merge over the distinct values of two samples (shared by
/// [`ecdf_groups`] and [`ecdf_runs`], so both take the same steps).
struct DistinctWalk {
    best_abs: i128,
    best: i128,
    loc: f64,
    prev: Option<(f64, i128)>,
    w: CompSum,
}

impl DistinctWalk {
    fn new() -> Self {
        DistinctWalk {
            best_abs: -1,
            best: 0,
            loc: f64::NAN,
            prev: None,
            w: CompSum::default(),
        }
    }
    /// The next distinct value `x` of the union, with `d = I·m − J·n`
    /// after it: the W1 area since the previous value, and the KS maximum.
    #[inline(always)]
    fn step(&mut self, x: f64, d: i128) {
        if let Some((px, pd)) = self.prev {
            self.w.add(pd as f64 * (x - px));
        }
        if d.abs() > self.best_abs {
            (self.best_abs, self.best, self.loc) = (d.abs(), d, x);
        }
        self.prev = Some((x, d.abs()));
    }
    fn finish(&self) -> EcdfStats {
        EcdfStats {
            ks_numerator: self.best_abs.max(0) as u128,
            ks_sign: if self.best >= 0 { 1 } else { -1 },
            ks_location: if self.loc.is_nan() { 0.0 } else { self.loc },
            w1_numerator: self.w.value(),
        }
    }
}

/// [`ecdf_groups`] for two samples held as runs: the same steps in the same
/// order (bit-identical result) as a loop over the runs' arrays, without
/// the iterators (`cargo bench -p drift-benches --bench kernels -- ties/`,
/// `ecdf_groups_as_chosen`).
fn ecdf_runs(a: &Runs, b: &Runs) -> EcdfStats {
    let (va, ea, vb, eb) = (a.values(), a.ends(), b.values(), b.ends());
    let (n, m) = (a.len() as i128, b.len() as i128);
    let (mut i, mut j) = (0usize, 0usize);
    let mut walk = DistinctWalk::new();
    while i < va.len() || j < vb.len() {
        let x = match (va.get(i), vb.get(j)) {
            (Some(&p), Some(&q)) if q < p => q,
            (Some(&p), _) => p,
            (None, Some(&q)) => q,
            (None, None) => break,
        };
        while i < va.len() && va[i] == x {
            i += 1;
        }
        while j < vb.len() && vb[j] == x {
            j += 1;
        }
        let ci = if i == 0 { 0 } else { ea[i - 1] as i128 };
        let cj = if j == 0 { 0 } else { eb[j - 1] as i128 };
        walk.step(x, ci * m - cj * n);
    }
    walk.finish()
}

/// Search index over a fitted reference held as runs, for
/// [`ecdf_search_runs`]: `prefix[t]` = `∫ I(x) dx` from the smallest value to
/// `values[t]`, in double-double (16 bytes per run).
#[derive(Debug, Clone)]
pub struct RunsIndex {
    prefix: Vec<Dd>,
}

impl RunsIndex {
    /// Builds the index over `runs`, O(k).
    pub fn new(runs: &Runs) -> RunsIndex {
        let (v, e) = (runs.values(), runs.ends());
        let mut prefix = Vec::with_capacity(v.len());
        let mut acc = Dd::default();
        for t in 0..v.len() {
            prefix.push(acc);
            if t + 1 < v.len() {
                acc = acc.add(Dd::diff(v[t + 1], v[t]).mul_f64(e[t] as f64));
            }
        }
        RunsIndex { prefix }
    }

    /// `∫ I(x) dx` from the smallest value of the runs to `x`.
    fn integral(&self, runs: &Runs, x: f64) -> Dd {
        let (v, e) = (runs.values(), runs.ends());
        let t = v.partition_point(|&y| y <= x);
        if t == 0 {
            return Dd::default();
        }
        self.prefix[t - 1].add(Dd::diff(x, v[t - 1]).mul_f64(e[t - 1] as f64))
    }
}

/// The same statistics as [`ecdf_merge`] for a fitted reference held as
/// runs (k distinct values, with its [`RunsIndex`]) and a window `b` in any
/// representation with m values, in O(m log k) — binary searches over the
/// k run values, which stay in cache — instead of the O(k + m) merge of
/// [`ecdf_groups`]:
///
/// * **KS** at the two one-sided limits around each distinct value `c` of
///   the window (`I = #{a < c}` and `#{a ≤ c}`); between two window values
///   `J` is constant and `I` monotone, so the supremum is at one of them.
///   Numerator, sign and first location are those of a full merge.
/// * **Wasserstein-1** per stretch between consecutive window values, where
///   `J` is constant: `∫ |I·m − J·n| dx` splits at the first run value with
///   `I·m ≥ J·n`, and each part is `J·n·Δx − m·∫I` (or its negative), the
///   integrals of `I` from the index in double-double, so the differences
///   do not cancel.
pub fn ecdf_search_runs<B: SortedSample + ?Sized>(a: &Runs, index: &RunsIndex, b: &B) -> EcdfStats {
    let (n, m) = (a.len() as i128, b.len() as i128);
    let (v, e) = (a.values(), a.ends());
    let (nf, mf) = (n as f64, m as f64);
    let before = |t: usize| if t == 0 { 0 } else { e[t - 1] as i128 };
    let (mut best_abs, mut best, mut loc) = (-1i128, 0i128, f64::NAN);
    let mut consider = |d: i128, x: f64| {
        if d.abs() > best_abs {
            (best_abs, best, loc) = (d.abs(), d, x);
        }
    };
    let mut w = Dd::default();
    let (mut j, mut prev): (i128, Option<f64>) = (0, None);
    let mut t_prev = 0usize; // runs ≤ the previous window value
    for (c, cnt) in b.groups() {
        // the area since the previous window value (J = j there)
        match prev {
            None => w = w.add(index.integral(a, c).mul_f64(mf)),
            Some(u) => {
                let jn = j * n;
                let ts = e.partition_point(|&x| (x as i128) * m < jn);
                let xs = if ts == v.len() { c } else { v[ts].clamp(u, c) };
                let (fu, fx, fc) = (
                    index.integral(a, u),
                    index.integral(a, xs),
                    index.integral(a, c),
                );
                let below = Dd::diff(xs, u)
                    .mul_f64(jn as f64)
                    .sub(fx.sub(fu).mul_f64(mf));
                let above = fc
                    .sub(fx)
                    .mul_f64(mf)
                    .sub(Dd::diff(c, xs).mul_f64(jn as f64));
                w = w.add(pos_dd(below)).add(pos_dd(above));
            }
        }
        // KS: the limit below c, reached at the last union value below c
        let t_lt = v.partition_point(|&x| x < c);
        if t_lt > t_prev {
            consider(before(t_lt) * m - j * n, v[t_lt - 1]);
        }
        let t_le = v.partition_point(|&x| x <= c);
        j += cnt as i128;
        consider(before(t_le) * m - j * n, c);
        (t_prev, prev) = (t_le, Some(c));
    }
    if let (Some(u), Some(&top)) = (prev, v.last()) {
        if top > u {
            // after the last window value J = m: ∫ (n − I)·m
            let area = Dd::diff(top, u)
                .mul_f64(nf)
                .sub(index.integral(a, top).sub(index.integral(a, u)));
            w = w.add(pos_dd(area.mul_f64(mf)));
        }
    }
    EcdfStats {
        ks_numerator: best_abs.max(0) as u128,
        ks_sign: if best >= 0 { 1 } else { -1 },
        ks_location: if loc.is_nan() { 0.0 } else { loc },
        w1_numerator: w.value(),
    }
}

/// Scalar reference: evaluates both ECDFs at every value of the union (as
/// scipy does, with binary searches) — O((n+m) log(n+m)).
pub fn ecdf_reference(a: &[f64], b: &[f64]) -> EcdfStats {
    let (n, m) = (a.len() as i128, b.len() as i128);
    let mut all: Vec<f64> = a.iter().chain(b.iter()).copied().collect();
    all.sort_by(f64::total_cmp);
    let mut best_abs = 0u128;
    let mut best = 0i128;
    let mut loc = f64::NAN;
    let mut w = CompSum::default();
    for (k, &x) in all.iter().enumerate() {
        let i = a.partition_point(|&v| v <= x) as i128;
        let j = b.partition_point(|&v| v <= x) as i128;
        let d = i * m - j * n;
        if d.unsigned_abs() > best_abs {
            best_abs = d.unsigned_abs();
            best = d;
            loc = x;
        }
        if k + 1 < all.len() {
            w.add(d.unsigned_abs() as f64 * (all[k + 1] - x));
        }
    }
    EcdfStats {
        ks_numerator: best_abs,
        ks_sign: if best >= 0 { 1 } else { -1 },
        ks_location: if loc.is_nan() {
            a.first().copied().unwrap_or(0.0)
        } else {
            loc
        },
        w1_numerator: w.value(),
    }
}

/// Search index over a sorted sample for [`ecdf_search`]: every 64th value
/// (a cache-resident coarse array that locates any position with one
/// 64-value block of the sample to touch) and double-double prefix sums at
/// the same block boundaries. Memory: n/64 × 24 bytes, plus the coupling
/// sums of the last window size seen (2 × 16 bytes per window value).
#[derive(Debug)]
pub struct PrefixIndex {
    blocks: Vec<Dd>,
    coarse: Vec<f64>,
    coupling: std::sync::Mutex<Option<std::sync::Arc<Coupling>>>,
}

/// The prefix sums the Wasserstein coupling of a window of `m` values needs
/// at the fixed ends of each window value's stretch of the reference:
/// `lo[j] = Σ a[..p_j + 1]`, `hi[j] = Σ a[..q_j]` with `p_j = ⌊j·n/m⌋`,
/// `q_j = ⌊((j+1)·n − 1)/m⌋`. They depend on the sizes only, so windows of
/// one size (the monitoring loop) share them: measured on the L reference
/// (10M rows, 15 numeric columns), a 10k-row window's check fell from
/// 33 ms to 17–20 ms (20 columns; 13 ms with the 4-lane index build).
#[derive(Debug)]
struct Coupling {
    m: usize,
    lo: Vec<Dd>,
    hi: Vec<Dd>,
}

/// Values per stretch summed by one task when an index is built.
const INDEX_CHUNK: usize = 1 << 16;

/// Windows up to this size keep their coupling sums in the index.
const COUPLING_MAX: usize = 1 << 20;

const BLOCK: usize = 64;

impl PrefixIndex {
    /// Builds the index over `sorted`.
    ///
    /// Stretches of [`INDEX_CHUNK`] values are summed in parallel (their
    /// block prefix sums from zero), then offset by the sums of the
    /// stretches before them: a fixed split, so the index is the same on
    /// any number of threads.
    pub fn new(sorted: &[f64]) -> PrefixIndex {
        use rayon::prelude::*;
        let full = sorted.len() / BLOCK * BLOCK;
        let local: Vec<Vec<Dd>> = sorted[..full]
            .par_chunks(INDEX_CHUNK)
            .map(|part| {
                let mut acc = Dd::default();
                part.chunks_exact(BLOCK)
                    .map(|c| {
                        #[allow(clippy::needless_range_loop)] // four lanes
                        // four independent double-double chains per block
                        // (the sums' latency, not their count, bounds a
                        // single chain), folded in a fixed order
                        let mut l = [Dd::default(); 4];
                        for q in c.chunks_exact(4) {
                            for k in 0..4 {
                                l[k] = l[k].add_f64(q[k]);
                            }
                        }
                        acc = acc.add(l[0].add(l[1]).add(l[2].add(l[3])));
                        acc
                    })
                    .collect()
            })
            .collect();
        let mut blocks = Vec::with_capacity(sorted.len() / BLOCK + 1);
        let mut offset = Dd::default();
        blocks.push(offset);
        for part in &local {
            blocks.extend(part.iter().map(|&b| offset.add(b)));
            offset = *blocks.last().unwrap_or(&offset);
        }
        let coarse = sorted.iter().step_by(BLOCK).copied().collect();
        PrefixIndex {
            blocks,
            coarse,
            coupling: std::sync::Mutex::new(None),
        }
    }

    /// The coupling sums for windows of `m` values (see [`Coupling`]),
    /// computed once per window size and kept for the last size seen.
    fn coupling(&self, a: &[f64], m: usize) -> std::sync::Arc<Coupling> {
        let kept = self.coupling.lock().ok().and_then(|g| g.clone());
        if let Some(c) = kept.filter(|c| c.m == m) {
            return c;
        }
        let (nu, mu) = (a.len() as u64, m as u64);
        let mut cursor = PrefixCursor::new(a, self);
        let (mut lo, mut hi) = (Vec::with_capacity(m), Vec::with_capacity(m));
        for j in 0..mu {
            let p = (j * nu / mu) as usize;
            let q = (((j + 1) * nu - 1) / mu) as usize;
            if q > p + 1 {
                lo.push(cursor.at(p + 1));
                hi.push(cursor.at(q));
            } else {
                lo.push(Dd::default());
                hi.push(Dd::default());
            }
        }
        let c = std::sync::Arc::new(Coupling { m, lo, hi });
        if m <= COUPLING_MAX {
            if let Ok(mut g) = self.coupling.lock() {
                *g = Some(c.clone());
            }
        }
        c
    }

    /// Σ sorted[0..k] in double-double, from the nearer block boundary.
    /// The partial block is summed as `count·base + Σ (x − base)` with `base`
    /// a value of the block: `count·base` is exact in double-double, and the
    /// differences are small (exact for values within a factor of 2 of each
    /// other), so a compensated f64 sum of them keeps the double-double
    /// accuracy at a quarter of the cost of double-double additions.
    fn prefix(&self, sorted: &[f64], k: usize) -> Dd {
        let b = k / BLOCK;
        let up = (b + 1) * BLOCK;
        let partial = |xs: &[f64], base: f64| -> Dd {
            let mut s = CompSum::default();
            for &x in xs {
                s.add(x - base);
            }
            Dd::from(base)
                .mul_f64(xs.len() as f64)
                .add(Dd::from(s.s).add_f64(s.c))
        };
        if k - b * BLOCK > BLOCK / 2 && b + 1 < self.blocks.len() {
            let xs = &sorted[k..up];
            self.blocks[b + 1].sub(partial(xs, xs[xs.len() - 1]))
        } else if k == b * BLOCK {
            self.blocks[b]
        } else {
            let xs = &sorted[b * BLOCK..k];
            self.blocks[b].add(partial(xs, xs[0]))
        }
    }
}

/// First index `i ≥ start` with `!(pred(a[i]))`, for a predicate that is
/// true on a prefix: exponential search from `start`, then binary search —
/// O(log d) for a distance d, touching only memory near `start`.
#[inline]
fn gallop(a: &[f64], start: usize, pred: impl Fn(f64) -> bool) -> usize {
    let n = a.len();
    if start >= n || !pred(a[start]) {
        return start;
    }
    let mut lo = start; // pred(a[lo]) holds
    let mut step = 1usize;
    loop {
        let probe = lo + step;
        if probe >= n {
            return lo + 1 + a[lo + 1..].partition_point(|&x| pred(x));
        }
        if pred(a[probe]) {
            lo = probe;
            step *= 2;
        } else {
            return lo + 1 + a[lo + 1..probe].partition_point(|&x| pred(x));
        }
    }
}

/// `#{x ≤ v}` in sorted `a`, knowing it is at least `lo`, searched from the
/// guess `guess`: galloping forward when the guess is still ≤ v, else a
/// galloping search back towards `lo`. O(log |answer − guess|).
#[inline]
fn seek(a: &[f64], lo: usize, guess: usize, v: f64) -> usize {
    let g = guess.min(a.len());
    if g == lo || (g > lo && a[g - 1] <= v) {
        return gallop(a, g, |x| x <= v);
    }
    // a[g − 1] > v: the answer is in lo..g; gallop backwards from g − 1
    let mut hi = g - 1; // a[hi] > v
    let mut step = 1usize;
    loop {
        if hi - lo <= step {
            return lo + a[lo..hi].partition_point(|&x| x <= v);
        }
        let probe = hi - step;
        if a[probe] <= v {
            return probe + 1 + a[probe + 1..hi].partition_point(|&x| x <= v);
        }
        hi = probe;
        step *= 2;
    }
}

/// `|d|` of a double-double.
#[inline]
fn abs_dd(d: Dd) -> Dd {
    if d.hi < 0.0 {
        d.neg()
    } else {
        d
    }
}

/// `max(d, 0)`: sums that are non-negative in exact arithmetic.
#[inline]
fn pos_dd(d: Dd) -> Dd {
    if d.hi < 0.0 {
        Dd::default()
    } else {
        d
    }
}

/// Prefix sums `Σ a[..k]` at a sequence of nearby positions: walks from the
/// last position when it is within a block, otherwise asks the index.
struct PrefixCursor<'a> {
    a: &'a [f64],
    index: &'a PrefixIndex,
    k: usize,
    sum: Dd,
}

impl<'a> PrefixCursor<'a> {
    fn new(a: &'a [f64], index: &'a PrefixIndex) -> Self {
        PrefixCursor {
            a,
            index,
            k: 0,
            sum: Dd::default(),
        }
    }

    fn at(&mut self, k: usize) -> Dd {
        if k >= self.k && k - self.k <= BLOCK / 2 {
            for &x in &self.a[self.k..k] {
                self.sum = self.sum.add_f64(x);
            }
        } else if k < self.k && self.k - k <= BLOCK / 2 {
            for &x in &self.a[k..self.k] {
                self.sum = self.sum.add_f64(-x);
            }
        } else {
            self.sum = self.index.prefix(self.a, k);
        }
        self.k = k;
        self.sum
    }
}

/// The same statistics as [`ecdf_merge`] for a *fitted* sorted reference `a`
/// (with its [`PrefixIndex`]) and a sorted window `b` of `m` values, in
/// O(m log n) and touching O(m) cache lines of the reference:
///
/// * **KS**: the supremum is reached at the two one-sided limits around a
///   distinct value `c` of `b`, where `I = #{a < c}` or `#{a ≤ c}`. The
///   index's cache-resident coarse array (every 64th value, searched by
///   galloping from the previous `c`) brackets each count within 64, which
///   bounds `|I·m − J·n|` there; only the limits whose bound can reach the
///   best guaranteed value are resolved exactly, by a search of one 64-value
///   block. Result, sign and first location are those of a full merge.
/// * **Wasserstein-1** by the quantile coupling (as in [`ecdf_merge`]): the
///   window value `b_j` is paired with the stretch of `a` at the same
///   quantiles — fixed positions `⌊j·n/m⌋ … ⌈(j+1)·n/m⌉`, known without a
///   search — and `Σ |a_i − b_j|` over the stretch comes from the index's
///   double-double prefix sums (split at `#{a < b_j}` when `b_j` falls inside
///   the stretch), so `count·x − Σ a` does not cancel.
pub fn ecdf_search(a: &[f64], index: &PrefixIndex, b: &[f64]) -> EcdfStats {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 || (n as u128) * (m as u128) >= (1u128 << 62) {
        return ecdf_reference(a, b);
    }
    let (ni, mi) = (n as i64, m as i64);
    let coarse = &index.coarse;
    // count of `a` satisfying a prefix predicate, bracketed by the coarse
    // array: `k` coarse entries satisfy it, so the count is in the range
    let bracket = |k: usize| -> (usize, usize) {
        if k == 0 {
            (0, 0)
        } else if k == coarse.len() {
            ((k - 1) * BLOCK + 1, n)
        } else {
            ((k - 1) * BLOCK + 1, k * BLOCK)
        }
    };
    // KS candidates in x order: (count range of I, J, location or NaN for
    // "the largest a below c")
    struct Cand {
        lo: usize,
        hi: usize,
        j: usize,
        c: f64,
        strict: bool,
    }
    let mut cands: Vec<Cand> = Vec::with_capacity(2 * m.min(n + 1));
    let mut floor = 0i64;
    let reach = |lo: usize, hi: usize, j: usize| -> i64 {
        let (x, y) = (
            lo as i64 * mi - j as i64 * ni,
            hi as i64 * mi - j as i64 * ni,
        );
        if x <= 0 && y >= 0 {
            0
        } else {
            x.abs().min(y.abs())
        }
    };
    let mut w = Dd::default();
    let coupling = index.coupling(a, m);
    let mut cursor = PrefixCursor::new(a, index);
    let (nu, mu) = (n as u64, m as u64);
    let mut kc = 0usize;
    let mut j = 0usize;
    while j < m {
        let c = b[j];
        let j0 = j;
        j = gallop(b, j, |x| x == c);
        kc = gallop(coarse, kc, |x| x < c);
        let kh = gallop(coarse, kc, |x| x <= c);
        let (l0, l1) = bracket(kc);
        let (h0, h1) = bracket(kh);
        floor = floor.max(reach(l0, l1, j0)).max(reach(h0, h1, j));
        cands.push(Cand {
            lo: l0,
            hi: l1,
            j: j0,
            c,
            strict: true,
        });
        cands.push(Cand {
            lo: h0,
            hi: h1,
            j,
            c,
            strict: false,
        });
        // Wasserstein: the coupling of each b_jj = c with its stretch of `a`
        let mut lo_exact: Option<usize> = None;
        for jj in j0..j {
            let (u0, u1) = (jj as u64 * nu, (jj as u64 + 1) * nu);
            let p = (u0 / mu) as usize;
            let q = ((u1 - 1) / mu) as usize;
            if p == q {
                w = w.add(abs_dd(Dd::diff(a[p], c)).mul_f64(nu as f64));
                continue;
            }
            let wp = (p as u64 + 1) * mu - u0;
            let wq = u1 - q as u64 * mu;
            let (ap, aq) = (a[p], a[q]);
            if c <= ap || c >= aq {
                // c is outside the stretch: |Σ weight·a − n·c| with the
                // weights wp, m, …, m, wq (they sum to n)
                let mut s = Dd::from(ap)
                    .mul_f64(wp as f64)
                    .add(Dd::from(aq).mul_f64(wq as f64));
                if q > p + 1 {
                    let (pp, pq) = (coupling.lo[jj], coupling.hi[jj]);
                    s = s.add(pq.sub(pp).mul_f64(mu as f64));
                }
                let t = s.sub(Dd::from(c).mul_f64(nu as f64));
                w = w.add(pos_dd(if c <= ap { t } else { t.neg() }));
                continue;
            }
            w = w.add(Dd::diff(c, ap).mul_f64(wp as f64));
            w = w.add(Dd::diff(aq, c).mul_f64(wq as f64));
            if q == p + 1 {
                continue;
            }
            // Σ |a_i − c| over i in [p+1, q), split at k = #{a < c} clamped
            let k = if l1 <= p + 1 {
                p + 1
            } else if l0 >= q {
                q
            } else {
                let lo =
                    *lo_exact.get_or_insert_with(|| l0 + a[l0..l1].partition_point(|&x| x < c));
                lo.clamp(p + 1, q)
            };
            let (pp, pq) = (coupling.lo[jj], coupling.hi[jj]);
            let pk = cursor.at(k);
            let below = Dd::from(c).mul_f64((k - p - 1) as f64).sub(pk.sub(pp));
            let above = pq.sub(pk).sub(Dd::from(c).mul_f64((q - k) as f64));
            w = w.add(pos_dd(below).add(pos_dd(above)).mul_f64(mu as f64));
        }
    }
    // KS: resolve, in x order, the candidates whose bracket can reach `floor`
    let mut best_abs = -1i64;
    let mut best = 0i64;
    let mut loc = f64::NAN;
    for cd in &cands {
        let (x, y) = (
            cd.lo as i64 * mi - cd.j as i64 * ni,
            cd.hi as i64 * mi - cd.j as i64 * ni,
        );
        if x.abs().max(y.abs()) < floor || x.abs().max(y.abs()) <= best_abs {
            continue;
        }
        let c = cd.c;
        let count = if cd.lo == cd.hi {
            cd.lo
        } else if cd.strict {
            cd.lo + a[cd.lo..cd.hi].partition_point(|&v| v < c)
        } else {
            cd.lo + a[cd.lo..cd.hi].partition_point(|&v| v <= c)
        };
        if cd.strict && count == 0 {
            continue; // no value of a below c: the limit coincides with the start
        }
        let d = count as i64 * mi - cd.j as i64 * ni;
        if d.abs() > best_abs {
            best_abs = d.abs();
            best = d;
            // the strict limit is evaluated at the last value of the union below c
            loc = if cd.strict {
                match cd.j {
                    0 => a[count - 1],
                    j => a[count - 1].max(b[j - 1]),
                }
            } else {
                c
            };
        }
    }
    EcdfStats {
        ks_numerator: best_abs.max(0) as u128,
        ks_sign: if best >= 0 { 1 } else { -1 },
        ks_location: if loc.is_nan() { a[0] } else { loc },
        w1_numerator: w.value(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sorted(mut v: Vec<f64>) -> Vec<f64> {
        v.sort_by(f64::total_cmp);
        v
    }

    /// `got` equals `want`: KS exactly (numerator, sign, location), W1 to 1e-12.
    fn assert_same(got: &EcdfStats, want: &EcdfStats, what: &str) {
        assert_eq!(got.ks_numerator, want.ks_numerator, "{what}");
        assert_eq!(got.ks_sign, want.ks_sign, "{what}");
        assert_eq!(got.ks_location, want.ks_location, "{what}");
        assert!(
            (got.w1_numerator - want.w1_numerator).abs() <= 1e-12 * want.w1_numerator,
            "{what}: {} vs {}",
            got.w1_numerator,
            want.w1_numerator
        );
    }

    #[test]
    fn parallel_merge_equals_reference() {
        let mut st = 0x9E3779B97F4A7C15u64;
        let mut rnd = |k: u64| {
            st ^= st << 13;
            st ^= st >> 7;
            st ^= st << 17;
            (st % k) as f64
        };
        for k in [7u64, 1000, 1 << 40] {
            let a = sorted((0..(1 << 20) + 3).map(|_| rnd(k)).collect());
            let b = sorted((0..300_001).map(|_| rnd(k) + 0.5).collect());
            let (f, r) = (ecdf_merge(&a, &b), ecdf_reference(&a, &b));
            assert_same(&f, &r, &format!("k={k}"));
        }
    }

    /// Runs seen only through the generic iterator path of [`ecdf_groups`].
    struct GroupsOnly<'a>(&'a crate::kernels::sorted::Runs);
    impl SortedSample for GroupsOnly<'_> {
        fn len(&self) -> usize {
            self.0.len()
        }
        fn at(&self, r: usize) -> f64 {
            self.0.at(r)
        }
        fn count_le(&self, v: f64) -> usize {
            self.0.count_le(v)
        }
        fn count_lt(&self, v: f64) -> usize {
            self.0.count_lt(v)
        }
        fn groups(&self) -> impl Iterator<Item = (f64, u64)> + '_ {
            self.0.groups()
        }
    }

    /// The merge over distinct values gives the KS of the tuned merge
    /// exactly and its W1 to 1e-12, whichever side is held as runs.
    fn check_groups(a: &[f64], b: &[f64]) {
        use crate::kernels::sorted::count_runs;
        let (a, b) = (sorted(a.to_vec()), sorted(b.to_vec()));
        let want = ecdf_merge(&a, &b);
        let (ra, rb) = (
            count_runs(&a, usize::MAX).unwrap(),
            count_runs(&b, usize::MAX).unwrap(),
        );
        assert_same(&ecdf_groups(&ra, &rb), &want, "runs/runs");
        // the array loop takes the iterator merge's steps: bit-identical
        let (fast, slow) = (
            ecdf_groups(&ra, &rb),
            ecdf_groups(&GroupsOnly(&ra), &GroupsOnly(&rb)),
        );
        assert_eq!(
            (fast.ks_numerator, fast.ks_sign),
            (slow.ks_numerator, slow.ks_sign)
        );
        assert_eq!(fast.ks_location.to_bits(), slow.ks_location.to_bits());
        assert_eq!(fast.w1_numerator.to_bits(), slow.w1_numerator.to_bits());
        assert_same(&ecdf_groups(&ra, &b[..]), &want, "runs/values");
        assert_same(&ecdf_groups(&a[..], &rb), &want, "values/runs");
        assert_same(&ecdf_groups(&a[..], &b[..]), &want, "values/values");
        let idx = RunsIndex::new(&ra);
        assert_same(
            &ecdf_search_runs(&ra, &idx, &b[..]),
            &want,
            "search runs/values",
        );
        assert_same(&ecdf_search_runs(&ra, &idx, &rb), &want, "search runs/runs");
    }

    #[test]
    fn groups_merge_equals_merge_on_tie_shapes() {
        let mut st = 0x2545F4914F6CDD1Du64;
        let mut rnd = move || {
            st ^= st << 13;
            st ^= st >> 7;
            st ^= st << 17;
            st
        };
        for (k, n, m) in [
            (3u64, 5000usize, 7000usize),
            (1000, 100_000, 100_000),
            (50_000, 300_001, 20_000),
        ] {
            // skewed: the minimum of two draws
            let a: Vec<f64> = (0..n).map(|_| (rnd() % k).min(rnd() % k) as f64).collect();
            let b: Vec<f64> = (0..m).map(|_| (rnd() % k) as f64 * 0.5).collect();
            check_groups(&a, &b);
            check_groups(&a, &a);
        }
        // signed zeros tie; one huge tied run; disjoint
        check_groups(&[-0.0, 0.0, 0.0, 1.0, -0.0], &[0.0, -0.0, 2.0]);
        check_groups(&vec![0.0; 200_000], &[0.0, 0.0, 1.0, 1.0, 1.0]);
        check_groups(&[1.0, 2.0, 2.0], &[5.0, 5.0, 6.0]);
    }

    proptest! {
        #[test]
        fn prop_groups_merge_equals_merge(a in proptest::collection::vec(-30i32..30, 1..400), b in proptest::collection::vec(-30i32..30, 1..400), scale in prop::sample::select(vec![1.0, 0.01, 1e-300, 1e300])) {
            let f = |v: Vec<i32>| v.into_iter().map(|x| x as f64 * scale).collect::<Vec<_>>();
            check_groups(&f(a), &f(b));
        }
    }

    #[test]
    fn seek_finds_the_count_from_any_guess() {
        let a = [1.0, 2.0, 2.0, 2.0, 3.0, 5.0, 5.0, 8.0, 9.0, 9.0, 9.0, 12.0];
        for v in [0.0, 1.0, 1.5, 2.0, 4.0, 5.0, 9.0, 11.0, 12.0, 13.0] {
            let want = a.iter().filter(|&&x| x <= v).count();
            for lo in 0..=want {
                for guess in lo..=a.len() + 3 {
                    assert_eq!(
                        super::seek(&a, lo, guess, v),
                        want,
                        "v {v} lo {lo} guess {guess}"
                    );
                }
            }
        }
    }

    #[test]
    fn pruned_merge_on_shapes() {
        let ramp = |k: usize, scale: f64, off: f64| -> Vec<f64> {
            (0..k)
                .map(|i| (i as f64 * 0.618).fract() * scale + off)
                .collect()
        };
        let cases: Vec<(Vec<f64>, Vec<f64>)> = vec![
            (ramp(5000, 1.0, 0.0), ramp(5000, 1.0, 0.0)), // identical
            (ramp(5000, 1.0, 0.0), ramp(3000, 1.0, 2.0)), // disjoint, a below
            (ramp(300, 1.0, 2.0), ramp(7000, 1.0, 0.0)),  // disjoint, b below
            (ramp(6000, 1.0, 0.0), ramp(4001, 1.1, 0.05)),
            (vec![1.0; 4000], vec![1.0; 2500]), // one tie group
            (ramp(9000, 1.0, 0.0), vec![0.5; 10]),
            (
                (0..4000).map(|i| (i % 17) as f64).collect(),
                (0..5000).map(|i| (i % 13) as f64 + 0.0).collect(),
            ),
        ];
        for (k, (a, b)) in cases.into_iter().enumerate() {
            let (a, b) = (sorted(a), sorted(b));
            for (x, y) in [(&a, &b), (&b, &a)] {
                assert_same(
                    &ecdf_merge(x, y),
                    &ecdf_reference(x, y),
                    &format!("case {k}"),
                );
            }
        }
    }

    #[test]
    fn search_on_large_reference() {
        let mut st = 0x2545F4914F6CDD1Du64;
        let mut u = || {
            st ^= st << 13;
            st ^= st >> 7;
            st ^= st << 17;
            (st >> 11) as f64 / (1u64 << 53) as f64
        };
        let a_cont = sorted((0..200_003).map(|_| u() * 10.0 + 1e6).collect());
        let a_ties = sorted((0..200_003).map(|_| (u() * 7.0).floor()).collect());
        let cases: Vec<(&Vec<f64>, Vec<f64>)> = vec![
            (&a_cont, (0..10_000).map(|_| u() * 10.0 + 1e6).collect()),
            (&a_cont, (0..9_999).map(|_| u() * 9.0 + 1e6 + 0.3).collect()),
            (&a_cont, (0..1_000).map(|_| u() - 5.0 + 1e6).collect()), // below a
            (&a_cont, (0..1_000).map(|_| u() + 2e6).collect()),       // above a
            (&a_cont, vec![1e6 + 5.0; 3000]),
            (&a_ties, (0..10_000).map(|_| (u() * 8.0).floor()).collect()),
            (
                &a_ties,
                (0..777).map(|_| (u() * 7.0).floor() + 0.5).collect(),
            ),
        ];
        for (k, (a, b)) in cases.into_iter().enumerate() {
            let b = sorted(b);
            let idx = PrefixIndex::new(a);
            assert_same(
                &ecdf_search(a, &idx, &b),
                &ecdf_merge(a, &b),
                &format!("case {k}"),
            );
        }
        // one index, many windows of one size: the kept coupling sums serve
        // every window (and a window of another size replaces them)
        let idx = PrefixIndex::new(&a_cont);
        for (k, (m, shift)) in [
            (10_000, 0.0),
            (10_000, 0.7),
            (10_000, -0.2),
            (777, 0.0),
            (10_000, 3.0),
        ]
        .into_iter()
        .enumerate()
        {
            let b = sorted((0..m).map(|_| u() * 10.0 + 1e6 + shift).collect());
            assert_same(
                &ecdf_search(&a_cont, &idx, &b),
                &ecdf_merge(&a_cont, &b),
                &format!("window {k}"),
            );
        }
    }

    proptest! {
        #[test]
        fn merge_equals_reference_continuous(a in proptest::collection::vec(-1e3f64..1e3, 1..3000), b in proptest::collection::vec(-1e3f64..1e3, 1..3000), shift in -50.0f64..50.0) {
            let a = sorted(a);
            let b = sorted(b.into_iter().map(|x| x + shift).collect());
            let (f, r) = (ecdf_merge(&a, &b), ecdf_reference(&a, &b));
            prop_assert_eq!(f.ks_numerator, r.ks_numerator);
            prop_assert_eq!(f.ks_location, r.ks_location);
            prop_assert_eq!(f.ks_sign, r.ks_sign);
            prop_assert!((f.w1_numerator - r.w1_numerator).abs() <= 1e-12 * r.w1_numerator, "{} vs {}", f.w1_numerator, r.w1_numerator);
        }

        #[test]
        fn merge_equals_reference(a in proptest::collection::vec(-50i32..50, 1..200), b in proptest::collection::vec(-50i32..50, 1..200), scale in prop_oneof![Just(1.0), Just(0.37), Just(1e-300), Just(1e300)]) {
            let a = sorted(a.into_iter().map(|x| x as f64 * scale).collect());
            let b = sorted(b.into_iter().map(|x| x as f64 * scale).collect());
            let (f, r) = (ecdf_merge(&a, &b), ecdf_reference(&a, &b));
            prop_assert_eq!(f.ks_numerator, r.ks_numerator);
            prop_assert_eq!(f.ks_location, r.ks_location);
            prop_assert_eq!(f.ks_sign, r.ks_sign);
            let tol = 1e-12 * r.w1_numerator.abs();
            prop_assert!((f.w1_numerator - r.w1_numerator).abs() <= tol, "{} vs {}", f.w1_numerator, r.w1_numerator);
            let idx = PrefixIndex::new(&a);
            let s = ecdf_search(&a, &idx, &b);
            prop_assert_eq!(s.ks_numerator, r.ks_numerator);
            prop_assert_eq!(s.ks_location, r.ks_location);
            prop_assert_eq!(s.ks_sign, r.ks_sign);
            prop_assert!((s.w1_numerator - r.w1_numerator).abs() <= tol.max(1e-300), "search {} vs {}", s.w1_numerator, r.w1_numerator);
        }

        #[test]
        fn search_equals_merge_continuous(a in proptest::collection::vec(-1e3f64..1e3, 1..300), b in proptest::collection::vec(-1e3f64..1e3, 1..100), off in prop_oneof![Just(0.0), Just(1e6)]) {
            let a = sorted(a.into_iter().map(|x| x + off).collect());
            let b = sorted(b.into_iter().map(|x| x * 0.7 + 5.0 + off).collect());
            let (f, s) = (ecdf_merge(&a, &b), ecdf_search(&a, &PrefixIndex::new(&a), &b));
            prop_assert_eq!(f.ks_numerator, s.ks_numerator);
            prop_assert_eq!(f.ks_location, s.ks_location);
            prop_assert_eq!(f.ks_sign, s.ks_sign);
            prop_assert!((f.w1_numerator - s.w1_numerator).abs() <= 1e-12 * f.w1_numerator.abs(), "{} vs {}", f.w1_numerator, s.w1_numerator);
        }
    }
}
