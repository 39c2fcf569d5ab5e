//! Moments of a slice of finite `f64`: count, min, max, mean and population
//! standard deviation, computed without overflow near 1e300 or underflow
//! near 1e-300.
//!
//! NaN policy: inputs must be finite (the extraction kernel removes NaN and
//! ±inf first); a non-finite input gives unspecified but non-panicking output.

use super::dd::Dd;
use super::sorted::Runs;
use super::{multiversion, LANES};

/// Summary moments of a sample. `std` is the population standard deviation
/// (ddof = 0, as `numpy.std`).
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Moments {
    /// Number of values.
    pub count: u64,
    /// Smallest value (0 when empty).
    pub min: f64,
    /// Largest value (0 when empty).
    pub max: f64,
    /// Arithmetic mean (0 when empty).
    pub mean: f64,
    /// Population standard deviation (0 when empty).
    pub std: f64,
}

#[inline(always)]
fn reduce(a: [f64; LANES]) -> f64 {
    ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]))
}

/// A power of two close to `1 / max(|min|, |max|)`, so that scaled values are
/// O(1): sums cannot overflow and squares cannot underflow. Multiplying by a
/// power of two is exact for normal numbers.
fn unit_scale(min: f64, max: f64) -> f64 {
    let m = min.abs().max(max.abs());
    if m == 0.0 || !m.is_finite() {
        return 1.0;
    }
    let e = m.log2().floor() as i32;
    2f64.powi(-e.clamp(-1000, 1000))
}

multiversion! {
    /// One pass over a sorted slice: Σ x·scale, Σ d and Σ d² for
    /// d = x·scale − shift (fixed 8-lane reduction order), and the number of
    /// distinct values.
    ///
    /// Dispatch: `dispatch/sorted_sums/{avx2,scalar}_build`, 496–507 µs
    /// against 535–590 µs per 1M values (two runs, benches/README.md).
    pub fn sorted_sums(values: &[f64], shift: f64, scale: f64) -> (f64, f64, f64, u64) {
        let n = values.len();
        if n == 0 {
            return (0.0, 0.0, 0.0, 0);
        }
        // per lane: Σ x·scale, Σ d, Σ d²
        let mut acc = [[0.0f64; LANES]; 3];
        let mut breaks = [0u64; LANES];
        // value j counts as distinct when it differs from value j − 1; the
        // predecessors of a chunk are read as a slice one behind it, so the
        // loop has no lane-to-lane dependency and vectorises
        let full = n / LANES * LANES;
        if full > 0 {
            let c = &values[..LANES];
            for k in 0..LANES {
                add(&mut acc, k, c[k], shift, scale);
                breaks[k] += (k > 0 && c[k] != c[k - 1]) as u64;
            }
            let cur = values[LANES..full].chunks_exact(LANES);
            let pre = values[LANES - 1..full - 1].chunks_exact(LANES);
            for (c, p) in cur.zip(pre) {
                for k in 0..LANES {
                    add(&mut acc, k, c[k], shift, scale);
                    breaks[k] += (c[k] != p[k]) as u64;
                }
            }
        }
        for (k, &x) in values[full..].iter().enumerate() {
            add(&mut acc, k, x, shift, scale);
            let j = full + k;
            breaks[k] += (j > 0 && x != values[j - 1]) as u64;
        }
        let [s0, s1, s2] = acc;
        (reduce(s0), reduce(s1), reduce(s2), 1 + breaks.iter().sum::<u64>())
    }
}

/// Adds `x` to lane `k` of the sums of [`sorted_sums`].
#[inline(always)]
fn add(acc: &mut [[f64; LANES]; 3], k: usize, x: f64, shift: f64, scale: f64) {
    let y = x * scale;
    let d = y - shift;
    acc[0][k] += y;
    acc[1][k] += d;
    acc[2][k] += d * d;
}

impl Moments {
    /// Moments and the number of distinct values of a sorted, finite slice
    /// in one pass: the mean from `Σ x·scale` (scaled by a power of two, see `unit_scale`),
    /// the variance from `d = x·scale − median·scale` as `Σd²/n − (Σd/n)²`.
    /// The median is within one standard deviation of the mean, so the
    /// subtraction cancels at most half of the variance, and `d` is exact
    /// for values within a factor of 2 of the median (data far from zero),
    /// where the plain one-pass formula would lose everything.
    ///
    /// ```
    /// use drift_core::kernels::moments::Moments;
    /// let (m, distinct) = Moments::of_sorted(&[1.0, 2.0, 2.0, 4.0]);
    /// assert_eq!((m.mean, distinct), (2.25, 3));
    /// assert!((m.std - 1.0897247358851685).abs() < 1e-15);
    /// ```
    pub fn of_sorted(values: &[f64]) -> (Moments, u64) {
        let n = values.len();
        if n == 0 {
            return (Moments::default(), 0);
        }
        let (min, max) = (values[0], values[n - 1]);
        let scale = unit_scale(min, max);
        let shift = values[n / 2] * scale;
        let (s0, s1, s2, distinct) = sorted_sums(values, shift, scale);
        let nf = n as f64;
        let mean = (s0 / nf / scale).clamp(min, max);
        let dm = s1 / nf;
        let var_scaled = (s2 / nf - dm * dm).max(0.0);
        let m = Moments {
            count: n as u64,
            min,
            max,
            mean,
            std: var_scaled.sqrt() / scale,
        };
        (m, distinct)
    }

    /// Moments and the number of distinct values (merging `-0.0` and `0.0`,
    /// as [`Moments::of_sorted`] counts them) of a sample held as runs, in
    /// two passes over the k runs, O(k): numpy's two-pass `std` (mean, then
    /// squared deviations from it) over values scaled by a power of two, with each run weighted by its count and
    /// the sums accumulated in double-double. The sums are then exact to
    /// about 2⁻¹⁰⁶ before the final rounding — at least as accurate as the
    /// 8-lane f64 sums over the expanded values, though not always equal to
    /// them in the last bit (golden tests pin both to numpy).
    ///
    /// ```
    /// use drift_core::kernels::moments::Moments;
    /// use drift_core::kernels::sorted::count_runs;
    /// let r = count_runs(&[2.0, 1.0, 4.0, 2.0], 10).unwrap();
    /// let (m, distinct) = Moments::of_runs(&r);
    /// assert_eq!((m.mean, distinct), (2.25, 3));
    /// assert!((m.std - 1.0897247358851685).abs() < 1e-15);
    /// ```
    pub fn of_runs(runs: &Runs) -> (Moments, u64) {
        let (values, ends) = (runs.values(), runs.ends());
        let (Some(&min), Some(&max), Some(&n)) = (values.first(), values.last(), ends.last())
        else {
            return (Moments::default(), 0);
        };
        let scale = unit_scale(min, max);
        let nf = n as f64;
        let mut sum = Dd::default();
        for (x, c) in runs.runs() {
            sum = sum.add(Dd::from(x * scale).mul_f64(c as f64));
        }
        let mean_scaled = sum.value() / nf;
        let mut sq = Dd::default();
        for (x, c) in runs.runs() {
            let d = x * scale - mean_scaled;
            sq = sq.add(Dd::from(d * d).mul_f64(c as f64));
        }
        let distinct = 1 + values.windows(2).filter(|w| w[0] != w[1]).count() as u64;
        let m = Moments {
            count: n,
            min,
            max,
            mean: (mean_scaled / scale).clamp(min, max),
            std: (sq.value() / nf).sqrt() / scale,
        };
        (m, distinct)
    }
}
