//! Ad-hoc timing used while tuning a kernel (see the kernel docs).
#![allow(clippy::unwrap_used)]
use drift_benches::{f64_batch, normal_vec};
use drift_core::kernels::ecdf::{ecdf_search, PrefixIndex};
use drift_core::{Config, Reference};
use std::time::Instant;

fn main() {
    let n = drift_benches::env_usize("N", 10_000_000);
    let mut a = normal_vec(9, n, 0.0);
    let w = normal_vec(11, 10_000, 0.1);
    let reference = Reference::fit(&[f64_batch(a.clone())], &Config::default()).unwrap();
    let wb = f64_batch(w.clone());
    let reps = drift_benches::env_usize("CMP_REPS", 3);
    let t0 = Instant::now();
    for _ in 0..reps {
        let t = Instant::now();
        let r = reference.compare(std::slice::from_ref(&wb)).unwrap();
        if reps <= 3 {
            println!("compare: {:?} drift={}", t.elapsed(), r.columns[0].drift);
        }
    }
    println!("compare mean: {:?}", t0.elapsed() / reps as u32);
    drift_core::kernels::sort::sort_f64(&mut a);
    let mut ws = w.clone();
    drift_core::kernels::sort::sort_f64(&mut ws);
    let idx = PrefixIndex::new(&a);
    let t = Instant::now();
    let mut e = ecdf_search(&a, &idx, &ws);
    for _ in 0..drift_benches::env_usize("REPS", 1) {
        e = ecdf_search(&a, &idx, &ws);
    }
    println!("ecdf_search: {:?} {}", t.elapsed(), e.ks_numerator);
}
