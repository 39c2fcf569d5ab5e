//! Shared helpers for drift's benchmarks: deterministic data generators.

use arrow_array::{ArrayRef, Float64Array, RecordBatch};
use std::sync::Arc;

/// A one-column (`x`) record batch of `f64` values.
pub fn f64_batch(v: Vec<f64>) -> RecordBatch {
    RecordBatch::try_from_iter([("x", Arc::new(Float64Array::from(v)) as ArrayRef)])
        .expect("a one-column batch")
}

/// A number from the environment variable `name` (examples' knobs such as
/// `N=`), else `default`.
pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// xorshift64* generator with a fixed seed.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E3779B97F4A7C15) | 1)
    }
    /// Next 53-bit integer.
    pub fn next_u53(&mut self) -> u64 {
        let mut s = self.0;
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        self.0 = s;
        s.wrapping_mul(0x2545F4914F6CDD1D) >> 11
    }
    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        self.next_u53() as f64 * 2f64.powi(-53)
    }
    /// Approximately standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.uniform().max(1e-300);
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

/// `n` normal values with the given shift.
pub fn normal_vec(seed: u64, n: usize, shift: f64) -> Vec<f64> {
    let mut r = Rng::new(seed);
    (0..n).map(|_| r.normal() + shift).collect()
}

/// `n` values with only `k` distinct values.
pub fn few_distinct_vec(seed: u64, n: usize, k: u64) -> Vec<f64> {
    let mut r = Rng::new(seed);
    (0..n).map(|_| (r.next_u53() % k) as f64).collect()
}

/// Real-shaped tie-heavy columns (see benches/e2e/shapes.py for the
/// end-to-end files): `shape` is `geometric` (min(geometric(0.02), 1500),
/// ~1,000 distinct), `cents` (lognormal prices rounded to 0.01),
/// `zero_inflated` (70 % zeros, the rest cents) or `int_100k` (rounded
/// lognormal integers capped at 100,000).
pub fn tie_shape_vec(seed: u64, n: usize, shape: &str) -> Vec<f64> {
    let mut r = Rng::new(seed);
    let lognormal = |r: &mut Rng, mu: f64, s: f64| (mu + s * r.normal()).exp();
    (0..n)
        .map(|_| match shape {
            "geometric" => {
                ((r.uniform().max(1e-300).ln() / (0.98f64).ln()).floor() + 1.0).min(1500.0)
            }
            "cents" => (lognormal(&mut r, 3.0, 1.0) * 100.0).round() / 100.0,
            "zero_inflated" => {
                if r.uniform() < 0.7 {
                    0.0
                } else {
                    (lognormal(&mut r, 4.0, 1.0) * 100.0).round() / 100.0
                }
            }
            "int_100k" => lognormal(&mut r, 8.5, 1.3).round().min(100_000.0),
            s => panic!("unknown shape {s}"),
        })
        .collect()
}
