//! The one-pass merge of two sorted samples that yields the two-sample
//! Kolmogorov–Smirnov statistic and the Wasserstein-1 integral together.
//!
//! With `I(x) = #{a ≤ x}` and `J(x) = #{b ≤ x}` for samples of sizes `n`
//! and `m`, the KS statistic is `max |I·m − J·n| / (n·m)`, kept as the exact
//! integer numerator (the exact p-value needs it), and Wasserstein-1 is
//! `∫ |I/n − J/m| dx`, accumulated over the gaps between consecutive distinct
//! values with compensated (Neumaier) summation.
//!
//! Both inputs must be sorted ascending and finite (no NaN). Ties are handled
//! exactly: the merge advances over whole tie groups. O(n + m).

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
/// ```
/// use drift_core::kernels::ecdf::ecdf_merge;
/// let s = ecdf_merge(&[0.0, 1.0, 3.0], &[5.0, 6.0, 8.0]);
/// assert_eq!(s.ks(3, 3), 1.0);
/// assert_eq!(s.w1(3, 3), 5.0); // scipy.stats.wasserstein_distance([0,1,3],[5,6,8])
/// ```
pub fn ecdf_merge(a: &[f64], b: &[f64]) -> EcdfStats {
    let (n, m) = (a.len(), b.len());
    let (nn, mm) = (n as i128, m as i128);
    let (mut i, mut j) = (0usize, 0usize);
    let mut best: i128 = 0;
    let mut best_abs: u128 = 0;
    let mut loc = f64::NAN;
    let mut w = CompSum::default();
    while i < n || j < m {
        let x = if j >= m || (i < n && a[i] <= b[j]) {
            a[i]
        } else {
            b[j]
        };
        while i < n && a[i] == x {
            i += 1;
        }
        while j < m && b[j] == x {
            j += 1;
        }
        let diff = i as i128 * mm - j as i128 * nn;
        let ad = diff.unsigned_abs();
        if ad > best_abs {
            best_abs = ad;
            best = diff;
            loc = x;
        }
        if ad != 0 && (i < n || j < m) {
            let next = if j >= m || (i < n && a[i] <= b[j]) {
                a[i]
            } else {
                b[j]
            };
            w.add(ad as f64 * (next - x));
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

/// Block prefix sums (double-double) of a sorted sample, for O(log n)
/// range sums in [`ecdf_search`]: memory n/32 × 16 bytes.
#[derive(Debug, Clone)]
pub struct PrefixIndex {
    blocks: Vec<crate::stats::dd::Dd>,
}

const BLOCK: usize = 32;

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
        PrefixIndex { blocks }
    }

    /// Σ sorted[0..k] in double-double.
    fn prefix(&self, sorted: &[f64], k: usize) -> crate::stats::dd::Dd {
        let b = k / BLOCK;
        let mut acc = self.blocks[b];
        for &x in &sorted[b * BLOCK..k] {
            acc = acc.add_f64(x);
        }
        acc
    }
}

/// The same statistics as [`ecdf_merge`] for a *fitted* sorted reference `a`
/// (with its [`PrefixIndex`]) and a sorted window `b`, in O(m log n): the KS
/// supremum is found at the two one-sided limits around each distinct value
/// of `b` by binary search, and the Wasserstein integral between consecutive
/// values of `b` is evaluated in closed form from prefix sums of `a`
/// (double-double, so `count·x − Σ a` does not cancel).
pub fn ecdf_search(a: &[f64], index: &PrefixIndex, b: &[f64]) -> EcdfStats {
    use crate::stats::dd::Dd;
    let (n, m) = (a.len(), b.len());
    let (nn, mm) = (n as i128, m as i128);
    // ∫_u^v I(x) dx, I(x) = #{a ≤ x}, for u ≤ v.
    let integral_i = |u: f64, v: f64| -> Dd {
        if v <= u {
            return Dd::default();
        }
        let p = a.partition_point(|&x| x <= u);
        let q = a.partition_point(|&x| x < v).max(p);
        let s = index.prefix(a, q).sub(index.prefix(a, p));
        let width = Dd::diff(v, u);
        width
            .mul_f64(p as f64)
            .add(Dd::from((q - p) as f64).mul_f64(v))
            .sub(s)
    };
    // ∫_l^r |m·I(x) − t| dx
    let piece = |l: f64, r: f64, t: u128| -> Dd {
        if r <= l {
            return Dd::default();
        }
        let rank = t.div_ceil(m as u128) as usize; // smallest count with m·count ≥ t
        let xs = if rank == 0 {
            l
        } else if rank > n {
            r
        } else {
            a[rank - 1].clamp(l, r)
        };
        let tf = t as f64;
        let below = Dd::diff(xs, l)
            .mul_f64(tf)
            .sub(integral_i(l, xs).mul_f64(m as f64));
        let above = integral_i(xs, r)
            .mul_f64(m as f64)
            .sub(Dd::diff(r, xs).mul_f64(tf));
        let below = if below.hi < 0.0 { Dd::default() } else { below };
        let above = if above.hi < 0.0 { Dd::default() } else { above };
        below.add(above)
    };
    let mut best_abs = 0u128;
    let mut best = 0i128;
    let mut loc = f64::NAN;
    let mut w = Dd::default();
    let consider = |d: i128, x: f64, best_abs: &mut u128, best: &mut i128, loc: &mut f64| {
        if d.unsigned_abs() > *best_abs {
            *best_abs = d.unsigned_abs();
            *best = d;
            *loc = x;
        }
    };
    let mut j = 0usize;
    let mut prev: Option<f64> = None;
    while j < m {
        let c = b[j];
        let j0 = j;
        j += b[j..].partition_point(|&x| x == c);
        let lo = a.partition_point(|&x| x < c);
        let hi = lo + a[lo..].partition_point(|&x| x == c);
        if lo > 0 {
            consider(
                lo as i128 * mm - j0 as i128 * nn,
                a[lo - 1],
                &mut best_abs,
                &mut best,
                &mut loc,
            );
        }
        consider(
            hi as i128 * mm - j as i128 * nn,
            c,
            &mut best_abs,
            &mut best,
            &mut loc,
        );
        let left = match prev {
            Some(p) => p,
            None => a[0].min(c),
        };
        w = w.add(piece(left, c, j0 as u128 * n as u128));
        prev = Some(c);
    }
    if let Some(p) = prev {
        let last = a[n - 1];
        if last > p {
            w = w.add(piece(p, last, m as u128 * n as u128));
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

    proptest! {
        #[test]
        fn merge_equals_reference(a in proptest::collection::vec(-50i32..50, 1..200), b in proptest::collection::vec(-50i32..50, 1..200), scale in prop_oneof![Just(1.0), Just(0.37), Just(1e-300), Just(1e300)]) {
            let a = sorted(a.into_iter().map(|x| x as f64 * scale).collect());
            let b = sorted(b.into_iter().map(|x| x as f64 * scale).collect());
            let (f, r) = (ecdf_merge(&a, &b), ecdf_reference(&a, &b));
            prop_assert_eq!(f.ks_numerator, r.ks_numerator);
            prop_assert_eq!(f.ks_location, r.ks_location);
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
