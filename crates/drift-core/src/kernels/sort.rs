//! Sorting `f64` by IEEE total order.
//!
//! [`sort_f64`] is a radix sort on the total-order `u64` key (8-bit digits;
//! keys are made in place, so the only extra memory is one scratch buffer).
//! 8-bit digits beat 11- and 16-bit ones here: 21 vs 45 vs 40 ns/element at
//! 10M for a plain LSD sort (`cargo run --release -p drift-benches --example
//! sortexp`), because 256 scatter targets stay in cache. From 128k keys an
//! MSD pass on the top 16 bits comes first ([`hybrid_radix_sort`]), and each
//! bucket is then LSD sorted on only as many further digits as make ties
//! rare, the few tied runs being finished in the pass that turns keys back
//! into `f64` (3 digit passes instead of 6 on continuous data); from 2M keys
//! that sort runs on several threads (partitioned scatter, then buckets as
//! independent tasks — no merge). 10M keys of the end-to-end benchmark's
//! column shapes: 10–12 ns/element on one thread, 6–8 on two (timestamps
//! 14–15 on either: they all fall into one MSD bucket), against 13–24 on
//! one before the per-bucket digit count (`cargo run --release -p
//! drift-benches --example sortcols`, `T=2` for two threads). Data with
//! few distinct values is counted instead (a small hash table, one read and
//! one write pass), falling back to pattern-defeating quicksort when there
//! turn out to be too many; the kernel samples the input once and picks.
//!
//! Tried and dropped (no gain on the 2-core test machine): a second MSD
//! level for large buckets, 11- and 12-bit LSD digits, an MSD digit placed
//! under the keys' common prefix for narrow-range data, and write-combining
//! (cache-line buffered, also non-temporal) MSD scatters.
//!
//! NaN policy: NaNs are ordered by `f64::total_cmp` (negative NaN first,
//! positive NaN last); callers in this crate never pass NaN.

use super::buffer::BufferPool;

/// Below this many values the comparison sort wins.
const RADIX_MIN: usize = 2048;
const BITS: u32 = 8;
const BUCKETS: usize = 1 << BITS;
const PASSES: usize = 8;

/// The total-order key of `f64` bits (negative values flipped, the sign of
/// the others set), so that keys compare as unsigned integers like
/// `f64::total_cmp`; [`from_key`] inverts it.
#[inline(always)]
fn to_key(b: u64) -> u64 {
    b ^ ((((b as i64) >> 63) as u64) | (1u64 << 63))
}

#[inline(always)]
pub(crate) fn key(x: f64) -> u64 {
    to_key(x.to_bits())
}

/// Reference implementation: the standard library's unstable sort by total order.
pub fn sort_reference(v: &mut [f64]) {
    v.sort_unstable_by(f64::total_cmp);
}

/// Whether the input looks like it has few distinct values (sampled).
fn few_distinct(v: &[f64]) -> bool {
    const SAMPLE: usize = 1024;
    let step = v.len() / SAMPLE;
    let mut s: Vec<u64> = (0..SAMPLE).map(|i| key(v[i * step])).collect();
    s.sort_unstable();
    s.dedup();
    s.len() <= SAMPLE / 8
}

/// Most distinct values the counting sort takes before falling back.
const COUNT_MAX: usize = 512;

/// The number of parts (one per pool thread, at most 8) that a pass over
/// `len` values is split into: 1 below [`PARALLEL_SORT_MIN`].
pub(crate) fn parts_for(len: usize) -> usize {
    if len >= PARALLEL_SORT_MIN {
        rayon::current_num_threads().clamp(1, 8)
    } else {
        1
    }
}

/// Open-addressing counts of total-order keys; grows by doubling at half
/// load, gives up past `limit` distinct keys.
struct Table {
    keys: Vec<u64>,
    counts: Vec<u64>,
    len: usize,
    shift: u32,
}

impl Table {
    fn with_bits(bits: u32) -> Table {
        Table {
            keys: vec![0; 1 << bits],
            counts: vec![0; 1 << bits],
            len: 0,
            shift: 64 - bits,
        }
    }
    #[inline(always)]
    fn slot(&self, k: u64) -> usize {
        (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }
    /// Counts key `k` once; false when the table would pass `limit` keys.
    #[inline(always)]
    fn add(&mut self, k: u64, limit: usize) -> bool {
        let mask = self.keys.len() - 1;
        let mut h = self.slot(k);
        loop {
            let n = self.counts[h];
            if n == 0 {
                break;
            }
            if self.keys[h] == k {
                self.counts[h] = n + 1;
                return true;
            }
            h = (h + 1) & mask;
        }
        if self.len == limit {
            return false;
        }
        self.keys[h] = k;
        self.counts[h] = 1;
        self.len += 1;
        if 2 * self.len > self.keys.len() {
            self.grow();
        }
        true
    }
    fn grow(&mut self) {
        let bits = 65 - self.shift;
        let old = std::mem::replace(self, Table::with_bits(bits));
        self.len = old.len;
        let mask = self.keys.len() - 1;
        for (k, c) in old.keys.into_iter().zip(old.counts) {
            if c > 0 {
                let mut h = self.slot(k);
                while self.counts[h] != 0 {
                    h = (h + 1) & mask;
                }
                self.keys[h] = k;
                self.counts[h] = c;
            }
        }
    }
}

/// The distinct total-order keys of `v` with their counts, ascending, or
/// `None` when there are more than `limit`: one pass through a hash table
/// per part (parts in parallel from [`PARALLEL_SORT_MIN`] values; the table
/// starts L1-sized and doubles at half load), each part giving up as soon
/// as it has seen more than `limit` distinct keys — so an input with too
/// many costs about `limit` insertions per part, not a pass. The result is
/// the same whatever the thread count (the counts are exact).
pub(crate) fn count_keys(v: &[f64], limit: usize) -> Option<Vec<(u64, u64)>> {
    use rayon::prelude::*;
    let count = |c: &[f64]| -> Option<Table> {
        let mut t = Table::with_bits(10);
        for &x in c {
            if !t.add(key(x), limit) {
                return None;
            }
        }
        Some(t)
    };
    let tables = v
        .par_chunks(v.len().div_ceil(parts_for(v.len())).max(1))
        .map(count)
        .collect::<Option<Vec<Table>>>()?;
    let mut all: Vec<(u64, u64)> = tables
        .into_iter()
        .flat_map(|t| t.keys.into_iter().zip(t.counts).filter(|&(_, c)| c > 0))
        .collect();
    all.sort_unstable_by_key(|p| p.0);
    let mut merged: Vec<(u64, u64)> = Vec::with_capacity(all.len());
    for (k, c) in all {
        match merged.last_mut() {
            Some(last) if last.0 == k => last.1 += c,
            _ => merged.push((k, c)),
        }
    }
    (merged.len() <= limit).then_some(merged)
}

/// Sorts `v` ascending by `f64::total_cmp`, choosing radix or comparison
/// sort by a cheap sample.
///
/// Complexity: O(n) for radix; for few distinct values a counting sort
/// (one read pass through a small hash table, one write pass) when there
/// are at most [`COUNT_MAX`] of them, else O(n log k) pattern-defeating
/// quicksort. Extra memory: one buffer of `n` u64 (radix). From
/// [`PARALLEL_SORT_MIN`] values every path uses the rayon pool.
///
/// ```
/// let mut v = vec![3.0, -1.0, 2.5, -0.0, 0.0];
/// drift_core::kernels::sort::sort_f64(&mut v);
/// assert_eq!(v, vec![-1.0, -0.0, 0.0, 2.5, 3.0]);
/// ```
pub fn sort_f64(v: &mut [f64]) {
    sort_f64_in(v, &BufferPool::new(0));
}

/// [`sort_f64`] taking its scratch buffer from (and returning it to) a
/// run's pool.
pub fn sort_f64_in(v: &mut [f64], pool: &BufferPool) {
    if v.len() < RADIX_MIN {
        sort_reference(v);
        return;
    }
    if few_distinct(v) {
        if let Some(table) = count_keys(v, COUNT_MAX) {
            // counting sort: each distinct value written out as often as it occurs
            let mut at = 0;
            for (k, c) in table {
                let c = c as usize;
                v[at..at + c].fill(f64::from_bits(from_key(k)));
                at += c;
            }
            return;
        }
        // pattern-defeating quicksort on the integer keys (cheaper compares
        // than total_cmp; O(n log k) for k distinct values)
        use rayon::prelude::*;
        let keys = as_bits(v);
        keys.par_iter_mut().for_each(|k| *k = to_key(*k));
        if keys.len() >= PARALLEL_SORT_MIN && rayon::current_num_threads() > 1 {
            keys.par_sort_unstable();
        } else {
            keys.sort_unstable();
        }
        keys.par_iter_mut().for_each(|k| *k = from_key(*k));
        return;
    }
    if v.len() >= HYBRID_MIN {
        hybrid_in(v, pool);
    } else {
        radix_in(v, pool);
    }
}

/// Longest input the radix paths take: their histograms count in `u32`.
/// Longer inputs (32 GiB of `f64` and up) use the comparison sort, so every
/// length sorts correctly.
const MAX_RADIX_LEN: usize = u32::MAX as usize;

/// Inputs at least this long use the MSD-then-LSD hybrid.
const HYBRID_MIN: usize = 1 << 17;
const MSD_BITS: u32 = 16;

/// MSD pass on the top 16 bits of the key, then each bucket is sorted on
/// its own (see [`sort_bucket`]: LSD passes on the next few digits, runs
/// that tie on them finished in the pass that turns keys back into `f64`).
/// Buckets of up to 64 keys use a comparison sort.
///
/// Inputs of [`PARALLEL_SORT_MIN`] keys or more are sorted in parallel on
/// the rayon pool: the key/histogram pass runs over one part of the input
/// per thread, the MSD scatter runs once over the whole input, then groups
/// of buckets are sorted as independent tasks. No merge is needed, and the output — the unique sorted order of
/// the keys — is the same whatever the thread count.
pub fn hybrid_radix_sort(v: &mut [f64]) {
    hybrid_in(v, &BufferPool::new(0));
}

fn hybrid_in(v: &mut [f64], pool: &BufferPool) {
    use rayon::prelude::*;
    let n = v.len();
    if n < 2 {
        return;
    }
    if n > MAX_RADIX_LEN {
        sort_reference(v);
        return;
    }
    let keys = as_bits(v);
    let parts = parts_for(n);
    let part_len = n.div_ceil(parts);
    const TOP: usize = 1 << MSD_BITS;
    // pass 1: total-order keys and a top-16-bit histogram per part
    let hists: Vec<Vec<u32>> = keys
        .par_chunks_mut(part_len)
        .map(|c| {
            let mut h = vec![0u32; TOP];
            for k in c.iter_mut() {
                *k = to_key(*k);
                h[(*k >> (64 - MSD_BITS)) as usize] += 1;
            }
            h
        })
        .collect();
    let mut counts = vec![0usize; TOP];
    for h in &hists {
        for (c, &x) in counts.iter_mut().zip(h.iter()) {
            *c += x as usize;
        }
    }
    let mut starts = vec![0usize; TOP + 1];
    for d in 0..TOP {
        starts[d + 1] = starts[d] + counts[d];
    }
    drop(hists);
    {
        let mut scratch = pool.scratch(n);
        let buf = as_bits(&mut scratch);
        // pass 2: MSD scatter keys -> buf. Serial and bounds-checked on
        // purpose: the former parallel scatter through a shared raw pointer
        // (unsafe) measured no faster on this 2-core machine — 10M random
        // values 40.6 ms min against 37.2 ms, 1M 8.4 ms against 7.1 ms
        // (benches/README.md, "Unsafe code"): the scatter is bound by
        // memory, not by one core.
        let mut offs = starts[..TOP].to_vec();
        for &k in keys.iter() {
            let o = &mut offs[(k >> (64 - MSD_BITS)) as usize];
            buf[*o] = k;
            *o += 1;
        }
        // pass 3: LSD within each bucket, buf region -> keys region
        let mut groups: Vec<(&mut [u64], &mut [u64], usize, usize)> = Vec::new();
        let target = (n / (4 * parts)).max(1);
        let (mut src_rest, mut dst_rest) = (&mut buf[..n], &mut *keys);
        let mut d0 = 0usize;
        while d0 < TOP {
            let mut d1 = d0;
            while d1 < TOP && starts[d1] - starts[d0] < target {
                d1 += 1;
            }
            let len = starts[d1] - starts[d0];
            let (s, sr) = std::mem::take(&mut src_rest).split_at_mut(len);
            let (t, tr) = std::mem::take(&mut dst_rest).split_at_mut(len);
            (src_rest, dst_rest) = (sr, tr);
            groups.push((s, t, d0, d1));
            d0 = d1;
        }
        groups.into_par_iter().for_each(|(src, dst, d0, d1)| {
            let base = starts[d0];
            for d in d0..d1 {
                let (st, c) = (starts[d] - base, counts[d]);
                if c == 0 {
                    continue;
                }
                let (s, t) = (&mut src[st..st + c], &mut dst[st..st + c]);
                sort_bucket(s, t);
            }
        });
        pool.recycle(scratch);
    }
}

/// The `f64` bits of a total-order key (inverse of [`to_key`]).
#[inline(always)]
pub(crate) fn from_key(x: u64) -> u64 {
    if x >> 63 == 1 {
        x ^ (1u64 << 63)
    } else {
        !x
    }
}

/// Inputs at least this long are sorted by several threads.
pub const PARALLEL_SORT_MIN: usize = 1 << 21;

/// Sorts the keys of one MSD bucket (`src`; they share their top 16 bits)
/// and writes the `f64` bits of the sorted keys to `dst`, using `src` as
/// scratch.
///
/// A bucket of `c` keys is LSD radix sorted on only as many of its next
/// 8-bit digits as make equal prefixes rare (the first `d` digits below
/// the top 16 bits, with 2^(8d) ≥ 4c): keys then sit in runs that share
/// those bits, almost all of length one, and a final pass over the bucket
/// — the one that turns keys back into `f64` bits while the bucket is in
/// cache — sorts each longer run by its remaining low bits. On continuous
/// data that is 3 digit passes instead of 6 for buckets up to 4M keys;
/// the order is the exact total order either way.
fn sort_bucket(src: &mut [u64], dst: &mut [u64]) {
    let c = src.len();
    if c <= 64 {
        src.sort_unstable();
        for (y, &x) in dst.iter_mut().zip(src.iter()) {
            *y = from_key(x);
        }
        return;
    }
    let want_bits = (c as u64 * 4).next_power_of_two().trailing_zeros();
    let digits = want_bits.div_ceil(BITS).clamp(1, 6) as usize;
    let lo = 64 - MSD_BITS - digits as u32 * BITS;
    if lsd_digits(src, dst, lo, digits) {
        finish_bucket(src, dst, lo, true);
    } else {
        finish_bucket(dst, src, lo, false);
    }
}

/// The last pass over a bucket whose keys `sorted` are in order above bit
/// `lo`: runs of keys that tie there are sorted by their low bits, and the
/// keys are turned back into `f64` bits, into `other` when `to_other`, else
/// in place (`other` is scratch then). Ties are found 64 pairs at a time as
/// a bit mask, so the common tie-free stretch costs no branches.
///
/// Linear in the bucket: each key is compared with its successor a bounded
/// number of times, and a run that reaches past its block of 64 is sorted
/// once and converted through its end before the scan resumes after it (a
/// run must never be found again from the next block: a tied run of length
/// L was sorted L/64 times, O(L²), before that).
fn finish_bucket(sorted: &mut [u64], other: &mut [u64], lo: u32, to_other: bool) {
    const BLOCK: usize = 64;
    let c = sorted.len();
    let mut b = 0;
    while b < c {
        let mut e = (b + BLOCK).min(c);
        if lo > 0 {
            let mut mask = 0u64;
            for i in b..e.min(c - 1) {
                mask |= ((((sorted[i] ^ sorted[i + 1]) >> lo) == 0) as u64) << (i - b);
            }
            while mask != 0 {
                // a run from i (ties with i + 1) to j (does not tie with j + 1)
                let i = b + mask.trailing_zeros() as usize;
                let mut j = i + 1;
                while j + 1 < c && (sorted[j] ^ sorted[j + 1]) >> lo == 0 {
                    j += 1;
                }
                sort_run(&mut sorted[i..=j], &mut other[i..=j], lo);
                if j >= e {
                    // the run reaches past the block: convert through its end
                    e = j + 1;
                    break;
                }
                mask &= !0u64 << (j - b);
            }
        }
        if to_other {
            for (y, &x) in other[b..e].iter_mut().zip(&sorted[b..e]) {
                *y = from_key(x);
            }
        } else {
            for y in sorted[b..e].iter_mut() {
                *y = from_key(*y);
            }
        }
        b = e;
    }
}

/// Sorts `run` (keys equal above bit `bits`) in place by their low `bits`
/// bits, with `scratch` of the same length.
fn sort_run(run: &mut [u64], scratch: &mut [u64], bits: u32) {
    #[cfg(test)]
    tests::RUN_KEYS.with(|c| c.set(c.get() + run.len() as u64));
    if run.len() <= 64 {
        run.sort_unstable();
        return;
    }
    if !lsd_digits(run, scratch, 0, bits.div_ceil(BITS) as usize) {
        run.copy_from_slice(scratch);
    }
}

/// LSD radix sort of `data` on its `digits` 8-bit digits from bit `lo` up
/// (one histogram pass, then [`lsd_passes`]); returns whether the result
/// is in `data` (else in `scratch`).
fn lsd_digits(data: &mut [u64], scratch: &mut [u64], lo: u32, digits: usize) -> bool {
    let mut hist = [[0u32; BUCKETS]; PASSES];
    let hist = &mut hist[..digits];
    for &k in data.iter() {
        for (p, h) in hist.iter_mut().enumerate() {
            h[((k >> (lo + p as u32 * BITS)) as usize) & (BUCKETS - 1)] += 1;
        }
    }
    lsd_passes(data, scratch, hist, lo)
}

/// Reinterprets `f64`s as their bit patterns (in place, no copy).
fn as_bits(v: &mut [f64]) -> &mut [u64] {
    bytemuck::cast_slice_mut(v)
}

/// LSD radix sort of `v` on the total-order key (always radix; for benches).
pub fn radix_sort(v: &mut [f64]) {
    radix_in(v, &BufferPool::new(0));
}

fn radix_in(v: &mut [f64], pool: &BufferPool) {
    let n = v.len();
    if n < 2 {
        return;
    }
    if n > MAX_RADIX_LEN {
        sort_reference(v);
        return;
    }
    let keys = as_bits(v);
    let mut hist = [[0u32; BUCKETS]; PASSES];
    for k in keys.iter_mut() {
        *k = to_key(*k);
        for (p, h) in hist.iter_mut().enumerate() {
            h[((*k >> (p as u32 * BITS)) as usize) & (BUCKETS - 1)] += 1;
        }
    }
    let mut scratch = pool.scratch(n);
    let buf = &mut as_bits(&mut scratch)[..n];
    if !lsd_passes(keys, buf, &hist, 0) {
        keys.copy_from_slice(buf);
    }
    pool.recycle(scratch);
    for k in keys.iter_mut() {
        *k = from_key(*k);
    }
}

/// The LSD digit passes shared by the radix sorts: one scatter per 8-bit
/// digit of `hist` (digit `p` = bits `lo+8p..lo+8p+8`), ping-ponging between
/// `data` and `scratch`; passes whose digit is the same for every key are
/// skipped. Returns whether the sorted keys ended in `data`.
fn lsd_passes(data: &mut [u64], scratch: &mut [u64], hist: &[[u32; BUCKETS]], lo: u32) -> bool {
    let n = data.len();
    let mut in_data = true;
    for (p, h) in hist.iter().enumerate() {
        if h.iter().any(|&c| c as usize == n) {
            continue;
        }
        let mut offs = [0usize; BUCKETS];
        let mut sum = 0usize;
        for (o, &c) in offs.iter_mut().zip(h.iter()) {
            *o = sum;
            sum += c as usize;
        }
        let shift = lo + p as u32 * BITS;
        let (src, dst): (&[u64], &mut [u64]) = if in_data {
            (&*data, &mut *scratch)
        } else {
            (&*scratch, &mut *data)
        };
        // bounds-checked on purpose: the former unchecked scatter measured
        // no faster (see the MSD scatter above)
        for &k in src {
            let o = &mut offs[((k >> shift) as usize) & (BUCKETS - 1)];
            dst[*o] = k;
            *o += 1;
        }
        in_data = !in_data;
    }
    in_data
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    thread_local! {
        /// Keys passed to `sort_run` on this thread (the linearity proof).
        pub(super) static RUN_KEYS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    }

    /// A xorshift64 stream (test data).
    fn xorshift(seed: u64) -> impl FnMut() -> u64 {
        let mut s = seed;
        move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        }
    }

    fn check(mut v: Vec<f64>) {
        let mut r = v.clone();
        sort_reference(&mut r);
        sort_f64(&mut v);
        assert_eq!(
            v.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            r.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
        let mut w = r.clone();
        w.reverse();
        radix_sort(&mut w);
        assert_eq!(
            w.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            r.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn edge_lengths_and_values() {
        for n in [0usize, 1, 2, 63, 64, 65, 2047, 2048, 2049, 5000] {
            check((0..n).map(|i| ((i * 7919) % 1000) as f64 - 500.5).collect());
            check((0..n).map(|i| (i % 3) as f64).collect());
        }
        check(vec![
            1e300,
            -1e300,
            1e-300,
            -1e-300,
            0.0,
            -0.0,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            5e-324,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ]);
        check(
            (0..10_000)
                .map(|i| {
                    if i % 2 == 0 {
                        1e-300 * i as f64
                    } else {
                        -1e300 / i as f64
                    }
                })
                .collect(),
        );
    }

    #[test]
    fn few_distinct_inputs_match() {
        let mut next = xorshift(0x2545F4914F6CDD1Du64);
        for n in [5_000usize, PARALLEL_SORT_MIN + 3] {
            // counted: 10 values, signed zeros and infinities among them
            let few = [
                -0.0,
                0.0,
                1.5,
                -2.0,
                f64::INFINITY,
                f64::NEG_INFINITY,
                7.0,
                8.0,
                9.0,
                1e-300,
            ];
            check((0..n).map(|_| few[(next() % 10) as usize]).collect());
            // few in the sample, too many to count: falls back to the comparison sort
            check(
                (0..n)
                    .map(|i| {
                        if i % 50 == 0 {
                            (next() >> 11) as f64
                        } else {
                            (next() % 7) as f64
                        }
                    })
                    .collect(),
            );
        }
    }

    /// Adversarial tie shapes of the issue that made the sort quadratic:
    /// sorted exactly, and every key goes through the tied-run sort at most
    /// once (`RUN_KEYS` ≤ n: the final pass is linear, so the whole sort is
    /// O(n) radix work plus O(n) for the runs — no growth with run length).
    #[test]
    fn tie_shapes_are_linear() {
        let n: usize = (1 << 20) + 3;
        let mut next = xorshift(0x9E3779B97F4A7C15u64);
        let mut u = move || (next() >> 11) as f64 / (1u64 << 53) as f64;
        let below_two = f64::from_bits(2f64.to_bits() - 1);
        let shapes: Vec<(&str, Vec<f64>)> = vec![
            (
                "one huge tied run",
                (0..n)
                    .map(|i| if i % 1000 == 0 { u() } else { 3.25 })
                    .collect(),
            ),
            (
                "zero-inflated",
                (0..n)
                    .map(|_| {
                        let x = u();
                        if x < 0.7 {
                            0.0
                        } else {
                            (x * 1e4).round() / 100.0
                        }
                    })
                    .collect(),
            ),
            (
                "runs of length 2",
                (0..n).map(|i| ((i / 2) as f64).sqrt()).collect(),
            ),
            (
                "few thousand skewed",
                (0..n)
                    .map(|_| (-(u().max(1e-300)).ln() * 300.0).floor().min(3000.0))
                    .collect(),
            ),
            (
                "100k distinct x 10",
                (0..n)
                    .map(|i| ((i * 7919) % 100_000) as f64 * 0.37)
                    .collect(),
            ),
            (
                "lowest mantissa bit",
                (0..n)
                    .map(|i| {
                        f64::from_bits(
                            (1.0 + (i % 3000) as f64 / 3000.0).to_bits() ^ (i as u64 & 1),
                        )
                    })
                    .collect(),
            ),
            (
                "signed zeros",
                (0..n)
                    .map(|i| match i % 3 {
                        0 => -0.0,
                        1 => 0.0,
                        _ => u() - 0.5,
                    })
                    .collect(),
            ),
            (
                "runs across an MSD boundary",
                (0..n)
                    .map(|i| match i % 4 {
                        0 => below_two,
                        1 => 2.0,
                        2 => f64::from_bits(2f64.to_bits() + (i as u64 % 7)),
                        _ => 1.0 + u(),
                    })
                    .collect(),
            ),
        ];
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        for (name, v) in shapes {
            let mut want = v.clone();
            sort_reference(&mut want);
            let mut got = v;
            let keys = pool.install(|| {
                RUN_KEYS.with(|c| c.set(0));
                hybrid_radix_sort(&mut got);
                RUN_KEYS.with(|c| c.get())
            });
            assert!(
                got.iter()
                    .zip(&want)
                    .all(|(x, y)| x.to_bits() == y.to_bits()),
                "{name}"
            );
            assert!(
                keys <= n as u64,
                "{name}: {keys} keys through run sorts for n = {n}"
            );
        }
    }

    #[test]
    fn large_input_matches() {
        let n = (1 << 20) + 77;
        let mut next = xorshift(0x2545F4914F6CDD1D);
        check(
            (0..n)
                .map(|_| (next() >> 11) as f64 / 9.0e15 - 0.5)
                .collect(),
        );
    }

    #[test]
    fn narrow_range_inputs_match() {
        // timestamps in seconds and values around a large mean: most keys
        // fall into one or two MSD buckets
        let mut next = xorshift(0x2545F4914F6CDD1Du64);
        let mut u = move || (next() >> 11) as f64 / (1u64 << 53) as f64;
        let n = HYBRID_MIN * 3 + 5;
        check(
            (0..n)
                .map(|_| 1.767e9 + (u() * 8.64e6 * 1e6).floor() / 1e6)
                .collect(),
        );
        check((0..n).map(|_| 100.0 + 15.0 * (u() - 0.5)).collect());
        check((0..n).map(|_| -(1e6 + u())).collect());
        check(
            (0..n)
                .map(|i| if i % 2 == 0 { 7.0 } else { 7.0 + u() * 1e-9 })
                .collect(),
        );
        check(vec![42.5; n]);
        // one MSD bucket whose keys share most of their sorted prefix
        // digits: long runs left for the final pass (radix-sorted runs)
        check(
            (0..n)
                .map(|i| 1.0 + (u() * 2f64.powi(-20)) + if i % 7 == 0 { 0.0 } else { 1e-12 })
                .collect(),
        );
    }

    #[test]
    fn parallel_sort_matches_on_any_thread_count() {
        let n = PARALLEL_SORT_MIN + 12_345;
        let mut next = xorshift(0x9E3779B97F4A7C15u64);
        let mixed: Vec<f64> = (0..n)
            .map(|i| {
                let s = next();
                match i % 5 {
                    0 => -((s >> 11) as f64) * 1e-300,
                    1 => (s % 1000) as f64, // ties
                    _ => (s >> 11) as f64 / 9.0e15 - 0.5,
                }
            })
            .collect();
        // microsecond timestamps over 90 days: all in one MSD bucket
        let stamps: Vec<f64> = (0..n)
            .map(|_| (1_767_225_600_000_000u64 + next() % 7_776_000_000_000) as f64)
            .collect();
        for v in [mixed, stamps] {
            let mut want = v.clone();
            sort_reference(&mut want);
            for threads in [1, 2, 3] {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                let mut got = v.clone();
                pool.install(|| hybrid_radix_sort(&mut got));
                assert!(
                    got.iter()
                        .zip(&want)
                        .all(|(x, y)| x.to_bits() == y.to_bits()),
                    "{threads} threads"
                );
            }
        }
    }

    proptest! {
        #[test]
        fn prop_radix_equals_std(v in proptest::collection::vec(any::<f64>().prop_filter("no nan", |x| !x.is_nan()), 0..5000)) {
            check(v);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(12))]
        /// The hybrid on bucket shapes that leave tied prefixes for the last
        /// pass: a few values repeated, values differing only in low bits,
        /// and continuous values, mixed in random proportions.
        #[test]
        fn prop_hybrid_equals_std(seed in any::<u64>(), pool in 1usize..40, low_bits in 1u32..40, mix in 0u64..4) {
            let mut next = xorshift(seed | 1);
            let base: Vec<f64> = (0..pool).map(|_| (next() >> 11) as f64 / 9.0e15 - 0.5).collect();
            let v: Vec<f64> = (0..HYBRID_MIN + 999)
                .map(|_| {
                    let r = next();
                    let b = base[(r % pool as u64) as usize];
                    match (r >> 32) % 4 {
                        0 if mix > 0 => b,
                        1 if mix > 1 => f64::from_bits(b.to_bits() ^ (next() & ((1u64 << low_bits) - 1))),
                        _ => (next() >> 11) as f64 / 9.0e15 - 0.5,
                    }
                })
                .collect();
            let mut want = v.clone();
            sort_reference(&mut want);
            let mut got = v;
            hybrid_radix_sort(&mut got);
            prop_assert!(got.iter().zip(&want).all(|(x, y)| x.to_bits() == y.to_bits()));
        }
    }
}
