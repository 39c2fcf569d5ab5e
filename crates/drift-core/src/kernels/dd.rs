//! Minimal double-double arithmetic (≈ 106-bit significand) for the
//! prefix-sum Wasserstein integral of the fitted-reference path, where
//! `count·x − Σ values` must not cancel.

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Dd {
    pub hi: f64,
    pub lo: f64,
}

#[inline(always)]
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

/// Veltkamp split of a double into two 26-bit halves.
#[inline(always)]
fn split(a: f64) -> (f64, f64) {
    let c = 134_217_729.0 * a; // 2^27 + 1
    let hi = c - (c - a);
    (hi, a - hi)
}

/// Exact product `a·b = p + e` (Dekker). Not `f64::mul_add`: without FMA in
/// the compile target that is a libm call costing ~100× more here
/// (measured: 10k-row window vs fitted 10M reference, 11 ms → see the
/// `window` example). Falls back to `mul_add` where the split could overflow.
#[inline(always)]
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    if a.abs() > 1e295 || b.abs() > 1e295 {
        return (p, a.mul_add(b, -p));
    }
    let (ah, al) = split(a);
    let (bh, bl) = split(b);
    (p, ((ah * bh - p) + ah * bl + al * bh) + al * bl)
}

impl Dd {
    pub(crate) fn from(x: f64) -> Dd {
        Dd { hi: x, lo: 0.0 }
    }
    #[inline(always)]
    pub(crate) fn add(self, o: Dd) -> Dd {
        let (s, e) = two_sum(self.hi, o.hi);
        let (t, f) = two_sum(self.lo, o.lo);
        let e = e + t;
        let (s, e) = two_sum(s, e);
        let e = e + f;
        let (hi, lo) = two_sum(s, e);
        Dd { hi, lo }
    }
    #[inline(always)]
    pub(crate) fn add_f64(self, x: f64) -> Dd {
        let (s, e) = two_sum(self.hi, x);
        let e = e + self.lo;
        let (hi, lo) = two_sum(s, e);
        Dd { hi, lo }
    }
    pub(crate) fn neg(self) -> Dd {
        Dd {
            hi: -self.hi,
            lo: -self.lo,
        }
    }
    pub(crate) fn sub(self, o: Dd) -> Dd {
        self.add(o.neg())
    }
    pub(crate) fn mul_f64(self, x: f64) -> Dd {
        let (p, e) = two_prod(self.hi, x);
        let e = e + self.lo * x;
        let (hi, lo) = two_sum(p, e);
        Dd { hi, lo }
    }
    /// Exact difference of two doubles.
    pub(crate) fn diff(a: f64, b: f64) -> Dd {
        let (hi, lo) = two_sum(a, -b);
        Dd { hi, lo }
    }
    pub(crate) fn value(self) -> f64 {
        self.hi + self.lo
    }
}
