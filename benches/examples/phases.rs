//! Ad-hoc phase timing of one whole numeric column (10M vs 10M by default):
//! where the time of `drift_core::compare` goes beyond the two sorts.
#![allow(clippy::unwrap_used)]
use arrow_array::{Array, Float64Array};
use drift_benches::{f64_batch, normal_vec};
use drift_core::kernels::{ecdf, extract, moments::Moments, sort};
use drift_core::{Config, TestKind};
use std::time::Instant;

fn main() {
    let n = drift_benches::env_usize("N", 10_000_000);
    let a = normal_vec(9, n, 0.0);
    let b = normal_vec(10, n, 0.02);
    let (ra, rb) = (f64_batch(a.clone()), f64_batch(b.clone()));
    let cfg = Config {
        numeric_tests: vec![TestKind::Ks, TestKind::Wasserstein, TestKind::Psi],
        ..Config::default()
    };
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1e3;
    if let Ok(r) = std::env::var("WHOLE_ONLY") {
        for _ in 0..r.parse::<usize>().unwrap() {
            let t = Instant::now();
            drift_core::compare(std::slice::from_ref(&ra), std::slice::from_ref(&rb), &cfg)
                .unwrap();
            println!("whole {:.0} ms", ms(t));
        }
        return;
    }
    for rep in 0..3 {
        let t = Instant::now();
        drift_core::compare(std::slice::from_ref(&ra), std::slice::from_ref(&rb), &cfg).unwrap();
        let whole = ms(t);
        let arr = ra
            .column(0)
            .as_any()
            .downcast_ref::<Float64Array>()
            .unwrap();
        let t = Instant::now();
        let mut x = Vec::with_capacity(n);
        extract::extract_f64(arr.values(), arr.nulls(), &mut x);
        let ext = ms(t);
        x.clear();
        let t = Instant::now();
        extract::extract_f64(arr.values(), arr.nulls(), &mut x);
        let ext2 = ms(t);
        let t = Instant::now();
        sort::sort_f64(&mut x);
        let srt = ms(t);
        let t = Instant::now();
        let (m, _) = Moments::of_sorted(&x);
        let mom = ms(t);
        let mut y = b.clone();
        sort::sort_f64(&mut y);
        let t = Instant::now();
        let e = ecdf::ecdf_merge(&x, &y);
        let mrg = ms(t);
        let mut z = b.clone();
        let t = Instant::now();
        rayon::join(|| sort::sort_f64(&mut z), || sort::sort_f64(&mut y.clone()));
        let both = ms(t);
        println!(
            "rep {rep}: whole {whole:.0} ms | extract {ext:.0} (warm {ext2:.0}), sort {srt:.0}, moments {mom:.0}, merge {mrg:.0}, sort-both {both:.0} ({} {})",
            m.std, e.ks_numerator
        );
    }
}
