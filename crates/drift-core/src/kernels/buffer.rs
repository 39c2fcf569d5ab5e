//! Large value buffers.
//!
//! A column's values live in one `Vec` of up to hundreds of megabytes that
//! is written once, front to back, right after it is allocated. Every page
//! of a fresh allocation costs a page fault and a zeroing on first touch;
//! measured here, extracting 10M `f64` into a fresh buffer took 54 ms
//! against 14 ms into a warm one. A process that compares many columns one
//! after another (the CLI) can instead keep a few column buffers for reuse
//! with [`set_pool_limit`]. The pool is off (limit 0) unless enabled, so a
//! library user never finds memory retained behind its back; pooled buffers
//! are handed out by [`take_f64`] and given back by [`recycle_f64`].
//!
//! Transparent huge pages (`madvise(MADV_HUGEPAGE)`) were tried and dropped:
//! they cut the faults 512-fold in a warm process, but the first huge pages
//! of a fresh process cost 0.4–0.9 GB/s to fault in here (compaction),
//! against 1.3–2 GB/s for 4 KiB pages, and the L benchmark ran 3.16–3.60 s
//! with them against 3.08–3.22 s without.

use std::sync::Mutex;

/// Buffers smaller than this are not pooled.
const POOL_MIN_BYTES: usize = 4 << 20;

/// Released column buffers kept for reuse, and how many may be kept.
static POOL: Mutex<(usize, Vec<Vec<f64>>)> = Mutex::new((0, Vec::new()));

/// Lets up to `buffers` released large `f64` buffers be kept for reuse (0,
/// the default, disables the pool and frees what it holds). A process that
/// keeps `k` columns in flight needs `2·k` (one per side).
pub fn set_pool_limit(buffers: usize) {
    if let Ok(mut p) = POOL.lock() {
        p.0 = buffers;
        p.1.truncate(buffers);
    }
}

/// An empty buffer for at least `capacity` values: a pooled one when one is
/// large enough (and not more than twice too large), else a new one.
pub fn take_f64(capacity: usize) -> Vec<f64> {
    if capacity.saturating_mul(8) >= POOL_MIN_BYTES {
        if let Ok(mut p) = POOL.lock() {
            let fits = |v: &Vec<f64>| v.capacity() >= capacity && v.capacity() / 2 <= capacity;
            if let Some(i) = p.1.iter().position(fits) {
                let mut v = p.1.swap_remove(i);
                v.clear();
                return v;
            }
        }
    }
    Vec::with_capacity(capacity)
}

/// Gives a buffer back: kept for [`take_f64`] when the pool has room and the
/// buffer is large, freed otherwise.
pub fn recycle_f64(v: Vec<f64>) {
    if v.capacity().saturating_mul(8) < POOL_MIN_BYTES {
        return;
    }
    if let Ok(mut p) = POOL.lock() {
        if p.1.len() < p.0 {
            p.1.push(v);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pool_reuses_only_when_enabled() {
        let n = 1 << 20; // 8 MiB
        super::set_pool_limit(1);
        let mut v = super::take_f64(n);
        v.push(1.0);
        let p = v.as_ptr();
        super::recycle_f64(v);
        let w = super::take_f64(n - 10);
        assert_eq!(w.as_ptr(), p, "the pooled buffer comes back");
        assert!(w.is_empty());
        super::recycle_f64(w);
        let small = super::take_f64(n / 4);
        assert_ne!(small.as_ptr(), p, "not when far too large");
        super::set_pool_limit(0);
        let w = super::take_f64(n);
        super::recycle_f64(w);
        assert!(super::POOL.lock().unwrap().1.is_empty());
    }
}
