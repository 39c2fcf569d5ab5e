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

#[inline(always)]
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    (p, a.mul_add(b, -p))
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
