//! Large value buffers.
//!
//! A column's values live in one `Vec` of up to hundreds of megabytes that
//! is written once, front to back, right after it is allocated. Every page
//! of a fresh allocation costs a page fault and a zeroing on first touch;
//! measured here, extracting 10M `f64` into a fresh buffer took 54 ms
//! against 14 ms into a warm one. A run that
//! compares many columns one after another keeps a few column buffers for
//! reuse in a [`BufferPool`] that belongs to the run: the engine makes one
//! per run, sized to the columns in flight, and it is freed when the run
//! ends, so no memory outlives the run behind the caller's back.
//!
//! Transparent huge pages (`madvise(MADV_HUGEPAGE)`) were tried and dropped:
//! they cut the faults 512-fold in a warm process, but the first huge pages
//! of a fresh process cost 0.4–0.9 GB/s to fault in here (compaction),
//! against 1.3–2 GB/s for 4 KiB pages, and the L benchmark ran 3.16–3.60 s
//! with them against 3.08–3.22 s without.

use std::sync::Mutex;

/// Buffers smaller than this are not pooled.
const POOL_MIN_BYTES: usize = 4 << 20;

/// Released large `f64` buffers of one run, kept for reuse (value buffers
/// and sort scratch).
#[derive(Debug, Default)]
pub struct BufferPool {
    limit: usize,
    kept: Mutex<Vec<Vec<f64>>>,
}

impl BufferPool {
    /// A pool keeping up to `buffers` released buffers (0: none; a run
    /// keeping `k` columns in flight needs `2·k`, one per side).
    pub fn new(buffers: usize) -> BufferPool {
        BufferPool {
            limit: buffers,
            kept: Mutex::new(Vec::new()),
        }
    }

    /// An empty buffer for at least `capacity` values: a pooled one when
    /// one is large enough (and not more than twice too large), else a new
    /// one.
    pub fn take(&self, capacity: usize) -> Vec<f64> {
        let mut v = self.pooled(capacity).unwrap_or_default();
        v.clear();
        v.reserve_exact(capacity);
        v
    }

    /// A scratch buffer of at least `len` initialised values (contents
    /// unspecified). A pooled buffer keeps the values it held, so a warm
    /// one is neither faulted in nor zeroed again: only a tail beyond its
    /// old length is written.
    pub fn scratch(&self, len: usize) -> Vec<f64> {
        let mut v = self.pooled(len).unwrap_or_default();
        if v.len() < len {
            v.resize(len, 0.0);
        }
        v
    }

    /// A kept buffer of at least `capacity` values (and not more than twice
    /// that), taken out of the pool.
    fn pooled(&self, capacity: usize) -> Option<Vec<f64>> {
        if self.limit == 0 || capacity.saturating_mul(8) < POOL_MIN_BYTES {
            return None;
        }
        let mut p = self.kept.lock().ok()?;
        let fits = |v: &Vec<f64>| v.capacity() >= capacity && v.capacity() / 2 <= capacity;
        let i = p.iter().position(fits)?;
        Some(p.swap_remove(i))
    }

    /// Gives a buffer back: kept when the pool has room and the buffer is
    /// large, freed otherwise.
    pub fn recycle(&self, v: Vec<f64>) {
        if v.capacity().saturating_mul(8) < POOL_MIN_BYTES {
            return;
        }
        if let Ok(mut p) = self.kept.lock() {
            if p.len() < self.limit {
                p.push(v);
            }
        }
    }

    /// Bytes held by the kept buffers.
    #[cfg(test)]
    pub(crate) fn size(&self) -> usize {
        self.kept
            .lock()
            .map_or(0, |p| p.iter().map(|v| v.capacity() * 8).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::BufferPool;

    #[test]
    fn pool_reuses_only_when_enabled() {
        let n = 1 << 20; // 8 MiB
        let pool = BufferPool::new(1);
        let mut v = pool.take(n);
        v.push(1.0);
        let p = v.as_ptr();
        pool.recycle(v);
        let w = pool.take(n - 10);
        assert_eq!(w.as_ptr(), p, "the pooled buffer comes back");
        assert!(w.is_empty());
        pool.recycle(w);
        let small = pool.take(n / 4);
        assert_ne!(small.as_ptr(), p, "not when far too large");
        assert_eq!(pool.size(), n * 8);
        let off = BufferPool::new(0);
        let w = off.take(n);
        off.recycle(w);
        assert_eq!(off.size(), 0);
    }
}
