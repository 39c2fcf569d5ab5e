//! Ad-hoc timing used while tuning a kernel (see the kernel docs).
#![allow(clippy::unwrap_used)]
use drift_benches::normal_vec;
use std::time::Instant;

fn key(x: f64) -> u64 {
    let b = x.to_bits();
    b ^ ((((b as i64) >> 63) as u64) | (1u64 << 63))
}

fn radix<const BITS: u32>(keys: &mut [u64], buf: &mut [u64]) {
    let buckets = 1usize << BITS;
    let passes = 64_usize.div_ceil(BITS as usize);
    let n = keys.len();
    let mut hist = vec![0u32; buckets * passes];
    for &k in keys.iter() {
        for p in 0..passes {
            hist[p * buckets + ((k >> (p as u32 * BITS)) as usize & (buckets - 1))] += 1;
        }
    }
    let mut src_is_keys = true;
    for p in 0..passes {
        let h = &hist[p * buckets..(p + 1) * buckets];
        if h.iter().any(|&c| c as usize == n) {
            continue;
        }
        let mut offs = vec![0usize; buckets];
        let mut s = 0;
        for (o, &c) in offs.iter_mut().zip(h) {
            *o = s;
            s += c as usize;
        }
        let shift = p as u32 * BITS;
        let (src, dst): (&[u64], &mut [u64]) = if src_is_keys {
            (&*keys, &mut *buf)
        } else {
            (&*buf, &mut *keys)
        };
        let dp = dst.as_mut_ptr();
        for &k in src {
            let d = (k >> shift) as usize & (buckets - 1);
            unsafe {
                *dp.add(*offs.get_unchecked(d)) = k;
                *offs.get_unchecked_mut(d) += 1;
            }
        }
        src_is_keys = !src_is_keys;
    }
    if !src_is_keys {
        keys.copy_from_slice(buf);
    }
}

fn main() {
    for n in [1_000_000usize, 10_000_000] {
        let v = normal_vec(1, n, 0.0);
        let t = Instant::now();
        let mut a = v.clone();
        a.sort_unstable_by(f64::total_cmp);
        let std_t = t.elapsed();
        for bits in [8u32, 11, 16] {
            let mut keys: Vec<u64> = v.iter().map(|&x| key(x)).collect();
            let mut buf = vec![0u64; n];
            let t = Instant::now();
            match bits {
                8 => radix::<8>(&mut keys, &mut buf),
                11 => radix::<11>(&mut keys, &mut buf),
                _ => radix::<16>(&mut keys, &mut buf),
            }
            let el = t.elapsed();
            println!(
                "n={n} bits={bits}: radix {:.1} ns/elem, std {:.1} ns/elem",
                el.as_nanos() as f64 / n as f64,
                std_t.as_nanos() as f64 / n as f64
            );
        }
        let mut b = v.clone();
        let t = Instant::now();
        drift_core::kernels::sort::sort_f64(&mut b);
        println!(
            "n={n} current sort_f64 {:.1} ns/elem",
            t.elapsed().as_nanos() as f64 / n as f64
        );
    }
}
