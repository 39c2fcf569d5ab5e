//! Ad-hoc timing used while tuning the sort kernel: LSD radix vs the
//! MSD+LSD hybrid vs the standard sort, single-shot (criterion's `sort/`
//! group is the measurement of record).
#![allow(clippy::unwrap_used)]
use drift_benches::normal_vec;
use drift_core::kernels::sort::{hybrid_radix_sort, radix_sort};
use std::time::Instant;

fn main() {
    for n in [1_000_000usize, 10_000_000] {
        let v = normal_vec(1, n, 0.0);
        for rep in 0..3 {
            let mut a = v.clone();
            let t = Instant::now();
            a.sort_unstable_by(f64::total_cmp);
            let std_t = t.elapsed();
            let mut b = v.clone();
            let t = Instant::now();
            radix_sort(&mut b);
            let lsd = t.elapsed();
            let mut c = v.clone();
            let t = Instant::now();
            hybrid_radix_sort(&mut c);
            let hy = t.elapsed();
            assert_eq!(b, c);
            let ns = |d: std::time::Duration| d.as_nanos() as f64 / n as f64;
            println!(
                "n={n} rep {rep}: std {:.1}, lsd {:.1}, hybrid {:.1} ns/elem",
                ns(std_t),
                ns(lsd),
                ns(hy)
            );
        }
    }
}
