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
///   either sample (`B ≈ √(n+m)`, at most 1024), and `I·m − J·n` is
///   evaluated exactly at each cut (a gallop per cut). Within the stretch
///   between two cuts the difference can move only between the corner values
///   `I₀·m − J₁·n` and `I₁·m − J₀·n`, so a stretch whose corners cannot reach
///   the best value seen at a cut is skipped; the others are merged one
///   element at a time ([`merge_range`]). The maximum, its sign and its first
///   location are exactly those of a full merge (ties included).
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
    while i < i1 {
        // two steps per round into two accumulators: the adds do not chain
        let end = next_a.min(next_b);
        c0 += (end - pos) as f64 * (a[i] - b[j]).abs();
        pos = end;
        let (sa, sb) = (next_a == end, next_b == end);
        i += sa as usize;
        j += sb as usize;
        next_a += if sa { m } else { 0 };
        next_b += if sb { n } else { 0 };
        if i == i1 {
            break;
        }
        let end = next_a.min(next_b);
        c1 += (end - pos) as f64 * (a[i] - b[j]).abs();
        pos = end;
        let (sa, sb) = (next_a == end, next_b == end);
        i += sa as usize;
        j += sb as usize;
        next_a += if sa { m } else { 0 };
        next_b += if sb { n } else { 0 };
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
    let block = (((n + m) as f64).sqrt() as usize).clamp(8, 1024);
    // cuts: (#{a ≤ v}, #{b ≤ v}) at increasing cut values v; the last is (n, m)
    let mut cuts: Vec<(usize, usize)> = Vec::with_capacity(2 * (n + m) / block + 2);
    cuts.push((0, 0));
    let (mut ia, mut jb) = (0usize, 0usize);
    let mut floor = 0i64; // the best |I·m − J·n| seen at a cut
    loop {
        let va = a.get(ia + block - 1).copied().unwrap_or(f64::INFINITY);
        let vb = b.get(jb + block - 1).copied().unwrap_or(f64::INFINITY);
        let v = va.min(vb);
        if v == f64::INFINITY {
            break;
        }
        ia = gallop(a, ia, |x| x <= v);
        jb = gallop(b, jb, |x| x <= v);
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
/// the same block boundaries. Memory: n/64 × 24 bytes.
#[derive(Debug, Clone)]
pub struct PrefixIndex {
    blocks: Vec<crate::stats::dd::Dd>,
    coarse: Vec<f64>,
}

const BLOCK: usize = 64;

impl PrefixIndex {
    /// Builds the index over `sorted`.
    pub fn new(sorted: &[f64]) -> PrefixIndex {
        use crate::stats::dd::Dd;
        let mut blocks = Vec::with_capacity(sorted.len() / BLOCK + 1);
        let mut acc = Dd::default();
        blocks.push(acc);
        for c in sorted.chunks_exact(BLOCK) {
            for &x in c {
                acc = acc.add_f64(x);
            }
            blocks.push(acc);
        }
        let coarse = sorted.iter().step_by(BLOCK).copied().collect();
        PrefixIndex { blocks, coarse }
    }

    /// First index `i` with `!pred(sorted[i])` for a predicate true on a prefix.
    fn search(&self, sorted: &[f64], pred: impl Fn(f64) -> bool) -> usize {
        let k = self.coarse.partition_point(|&x| pred(x));
        if k == 0 {
            return 0;
        }
        let lo = (k - 1) * BLOCK;
        let hi = (k * BLOCK).min(sorted.len());
        lo + sorted[lo..hi].partition_point(|&x| pred(x))
    }

    /// Σ sorted[0..k] in double-double, from the nearer block boundary.
    fn prefix(&self, sorted: &[f64], k: usize) -> crate::stats::dd::Dd {
        let b = k / BLOCK;
        let up = (b + 1) * BLOCK;
        if k - b * BLOCK > BLOCK / 2 && b + 1 < self.blocks.len() {
            let mut acc = self.blocks[b + 1];
            for &x in &sorted[k..up] {
                acc = acc.add_f64(-x);
            }
            acc
        } else {
            let mut acc = self.blocks[b];
            for &x in &sorted[b * BLOCK..k] {
                acc = acc.add_f64(x);
            }
            acc
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

/// The same statistics as [`ecdf_merge`] for a *fitted* sorted reference `a`
/// (with its [`PrefixIndex`]) and a sorted window `b`, in O(m log n):
/// the KS supremum is found at the two one-sided limits around each distinct
/// value of `b`, and the Wasserstein integral between consecutive values of
/// `b` is evaluated in closed form from prefix sums of `a` (double-double, so
/// `count·x − Σ a` does not cancel). Positions in `a` are found through the index's coarse
/// array, so each lookup touches one 64-value block of the reference.
pub fn ecdf_search(a: &[f64], index: &PrefixIndex, b: &[f64]) -> EcdfStats {
    use crate::stats::dd::Dd;
    let (n, m) = (a.len(), b.len());
    let (nn, mm) = (n as i128, m as i128);
    let pre = |k: usize| index.prefix(a, k);
    // Σ a[p..q] given P(p): returns P(q) − P(p) and P(q).
    let ext = |p: usize, pp: Dd, q: usize| -> (Dd, Dd) {
        if q <= p {
            (Dd::default(), pp)
        } else if q - p <= BLOCK {
            let s = a[p..q].iter().fold(Dd::default(), |acc, &x| acc.add_f64(x));
            (s, pp.add(s))
        } else {
            let pq = pre(q);
            (pq.sub(pp), pq)
        }
    };
    // ∫_u^v I(x) dx where I(u) = p and the points in (u, v) sum to `s` over a[p..q].
    let int_i = |u: f64, v: f64, p: usize, q: usize, s: Dd| -> Dd {
        if v <= u {
            return Dd::default();
        }
        Dd::diff(v, u)
            .mul_f64(p as f64)
            .add(Dd::from((q - p) as f64).mul_f64(v))
            .sub(s)
    };
    // ∫_l^r |m·I(x) − t| dx, with pl = #{a ≤ l}, ppl = Σ a[..pl], ql = #{a < r}.
    // Returns the integral and Σ a[..ql].
    let piece = |l: f64, r: f64, t: u128, pl: usize, ppl: Dd, ql: usize| -> (Dd, Dd) {
        let tf = t as f64;
        let mf = m as f64;
        let rank = t.div_ceil(m as u128) as usize; // smallest count with m·count ≥ t
        let pos = |d: Dd| if d.hi < 0.0 { Dd::default() } else { d };
        if rank <= pl || rank > ql || r <= l {
            let (s, pql) = ext(pl, ppl, ql);
            if r <= l {
                return (Dd::default(), pql);
            }
            let area = int_i(l, r, pl, ql, s).mul_f64(mf);
            let rect = Dd::diff(r, l).mul_f64(tf);
            (
                if rank <= pl {
                    pos(area.sub(rect))
                } else {
                    pos(rect.sub(area))
                },
                pql,
            )
        } else {
            let xs = a[rank - 1];
            let f = index.search(a, |x| x < xs).max(pl);
            let e = index.search(a, |x| x <= xs).min(ql);
            let (s1, pf) = ext(pl, ppl, f);
            let (_, pe) = ext(f, pf, e);
            let (s2, pql) = ext(e, pe, ql);
            let below = pos(Dd::diff(xs, l)
                .mul_f64(tf)
                .sub(int_i(l, xs, pl, f, s1).mul_f64(mf)));
            let above = pos(int_i(xs, r, e, ql, s2)
                .mul_f64(mf)
                .sub(Dd::diff(r, xs).mul_f64(tf)));
            (below.add(above), pql)
        }
    };
    let mut best_abs = 0u128;
    let mut best = 0i128;
    let mut loc = f64::NAN;
    let mut consider = |d: i128, x: f64| {
        if d.unsigned_abs() > best_abs {
            best_abs = d.unsigned_abs();
            best = d;
            loc = x;
        }
    };
    let mut w = Dd::default();
    let mut j = 0usize;
    let mut prev: Option<(f64, usize, Dd)> = None; // (value, #{a ≤ value}, Σ a[..that])
    while j < m {
        let c = b[j];
        let j0 = j;
        j = gallop(b, j, |x| x == c);
        let lo = index.search(a, |x| x < c);
        let hi = if lo < n && a[lo] == c {
            index.search(a, |x| x <= c)
        } else {
            lo
        };
        if lo > 0 {
            consider(lo as i128 * mm - j0 as i128 * nn, a[lo - 1]);
        }
        consider(hi as i128 * mm - j as i128 * nn, c);
        let t = j0 as u128 * n as u128;
        let phi = match prev {
            Some((left, pl, ppl)) => {
                let (area, plo) = piece(left, c, t, pl, ppl, lo);
                w = w.add(area);
                ext(lo, plo, hi).1
            }
            // before the first window value F_cur = 0: the area from a[0] to c
            None if a[0] < c => {
                let pl = index.search(a, |x| x <= a[0]);
                let (area, plo) = piece(a[0], c, t, pl, pre(pl), lo);
                w = w.add(area);
                ext(lo, plo, hi).1
            }
            None => pre(hi),
        };
        prev = Some((c, hi, phi));
    }
    if let Some((p, hp, php)) = prev {
        let last = a[n - 1];
        if last > p {
            let q = index.search(a, |x| x < last);
            w = w.add(piece(p, last, m as u128 * n as u128, hp, php, q).0);
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sorted(mut v: Vec<f64>) -> Vec<f64> {
        v.sort_by(f64::total_cmp);
        v
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
            assert_eq!(f.ks_numerator, r.ks_numerator, "k={k}");
            assert!(
                (f.w1_numerator - r.w1_numerator).abs() <= 1e-12 * r.w1_numerator,
                "k={k}: {} vs {}",
                f.w1_numerator,
                r.w1_numerator
            );
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
                let (f, r) = (ecdf_merge(x, y), ecdf_reference(x, y));
                assert_eq!(f.ks_numerator, r.ks_numerator, "case {k}");
                assert_eq!(f.ks_sign, r.ks_sign, "case {k}");
                assert_eq!(f.ks_location, r.ks_location, "case {k}");
                assert!(
                    (f.w1_numerator - r.w1_numerator).abs() <= 1e-12 * r.w1_numerator,
                    "case {k}: {} vs {}",
                    f.w1_numerator,
                    r.w1_numerator
                );
            }
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
            prop_assert!((s.w1_numerator - r.w1_numerator).abs() <= tol.max(1e-300), "search {} vs {}", s.w1_numerator, r.w1_numerator);
        }

        #[test]
        fn search_equals_merge_continuous(a in proptest::collection::vec(-1e3f64..1e3, 1..300), b in proptest::collection::vec(-1e3f64..1e3, 1..100), off in prop_oneof![Just(0.0), Just(1e6)]) {
            let a = sorted(a.into_iter().map(|x| x + off).collect());
            let b = sorted(b.into_iter().map(|x| x * 0.7 + 5.0 + off).collect());
            let (f, s) = (ecdf_merge(&a, &b), ecdf_search(&a, &PrefixIndex::new(&a), &b));
            prop_assert_eq!(f.ks_numerator, s.ks_numerator);
            prop_assert!((f.w1_numerator - s.w1_numerator).abs() <= 1e-12 * f.w1_numerator.abs(), "{} vs {}", f.w1_numerator, s.w1_numerator);
        }
    }
}
