//! Sort time per column shape of the e2e benchmark: 10M values (`N=`), best
//! of 3, on a pool of 1 thread (`T=` for more).
#![allow(clippy::unwrap_used)]
use drift_core::kernels::sort::sort_f64;
use rand::{Rng, SeedableRng};
use rand_distr::{Beta, Distribution, Exp, Gamma, LogNormal, Normal, StudentT};
use std::time::Instant;

fn main() {
    let n = drift_benches::env_usize("N", 10_000_000);
    let threads = drift_benches::env_usize("T", 1);
    let mut r = rand::rngs::StdRng::seed_from_u64(7);
    let mut cols: Vec<(&str, Vec<f64>)> = Vec::new();
    let nd = Normal::new(0.0, 1.0).unwrap();
    cols.push(("normal", (0..n).map(|_| nd.sample(&mut r)).collect()));
    let ln = LogNormal::new(0.0, 0.8).unwrap();
    cols.push(("lognormal", (0..n).map(|_| ln.sample(&mut r)).collect()));
    cols.push(("uniform", (0..n).map(|_| r.gen_range(-1.0..1.0)).collect()));
    let t2 = StudentT::new(2.0).unwrap();
    cols.push(("t2", (0..n).map(|_| t2.sample(&mut r)).collect()));
    let e = Exp::new(1.0).unwrap();
    cols.push(("exp", (0..n).map(|_| e.sample(&mut r)).collect()));
    let g = Gamma::new(2.0, 2.0).unwrap();
    cols.push(("gamma", (0..n).map(|_| g.sample(&mut r)).collect()));
    let b = Beta::new(2.0, 5.0).unwrap();
    cols.push(("beta", (0..n).map(|_| b.sample(&mut r)).collect()));
    let n100 = Normal::new(100.0, 15.0).unwrap();
    cols.push(("normal100", (0..n).map(|_| n100.sample(&mut r)).collect()));
    cols.push((
        "dups",
        (0..n)
            .map(|_| (nd.sample(&mut r) * 10.0 + 50.0).round())
            .collect(),
    ));
    cols.push(("ten", (0..n).map(|_| r.gen_range(0..10) as f64).collect()));
    cols.push((
        "wide",
        (0..n)
            .map(|_| r.gen_range(-1_000_000_000_000i64..1_000_000_000_000) as f64)
            .collect(),
    ));
    cols.push((
        "ts",
        (0..n)
            .map(|_| (1_767_225_600_000_000i64 + r.gen_range(0..7_776_000_000_000i64)) as f64)
            .collect(),
    ));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let mut buf = vec![0.0; n];
    let mut total = 0.0;
    for (name, v) in &cols {
        let mut best = f64::MAX;
        for _ in 0..3 {
            buf.copy_from_slice(v);
            let t = Instant::now();
            pool.install(|| sort_f64(&mut buf));
            best = best.min(t.elapsed().as_secs_f64());
        }
        total += best;
        println!(
            "{name:>10}: {:6.1} ms {:5.1} ns/elem",
            best * 1e3,
            best * 1e9 / n as f64
        );
    }
    println!("total {:.0} ms", total * 1e3);
}
