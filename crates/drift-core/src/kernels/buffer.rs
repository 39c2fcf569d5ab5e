//! Large value buffers.
//!
//! A column's values live in one `Vec` of up to hundreds of megabytes that
//! is written once, front to back, right after it is allocated. With 4 KiB
//! pages every page of a fresh allocation costs a page fault and a zeroing
//! on first touch; measured here, extracting 10M `f64` into a fresh buffer
//! took 54 ms against 14 ms into a warm one. On Linux, buffers of 4 MiB and
//! more are therefore advised as transparent-huge-page candidates
//! (`madvise(MADV_HUGEPAGE)`, honoured when the system's THP mode is
//! `madvise` or `always`), which cuts the faults 512-fold. Elsewhere, or if
//! the advice is refused, the buffer is an ordinary `Vec`.
//!
//! Even huge pages are zeroed by the kernel on first touch: a process that
//! compares many columns one after another (the CLI) can instead keep a few
//! column buffers for reuse with [`set_pool_limit`]. The pool is off (limit
//! 0) unless enabled, so a library user never finds memory retained behind
//! its back; pooled buffers are handed out by [`take_f64`] and given back by
//! [`recycle_f64`].

use std::sync::Mutex;

/// Buffers at least this many bytes get the huge-page advice.
const ADVISE_MIN_BYTES: usize = 4 << 20;

/// `Vec::with_capacity(capacity)`, advised for huge pages when large.
pub fn with_capacity<T>(capacity: usize) -> Vec<T> {
    let v = Vec::with_capacity(capacity);
    advise_huge(&v);
    v
}

/// Advises the whole capacity of `v` for transparent huge pages (Linux; a
/// no-op elsewhere or for small buffers). Must be called before the buffer
/// is first written to have an effect on its faults.
fn advise_huge<T>(v: &Vec<T>) {
    let bytes = v.capacity().saturating_mul(std::mem::size_of::<T>());
    if bytes < ADVISE_MIN_BYTES {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        let start = v.as_ptr() as usize;
        let lo = start.next_multiple_of(HUGE);
        let hi = (start + bytes) / HUGE * HUGE;
        if hi > lo {
            // SAFETY: [lo, hi) lies inside the allocation owned by `v`;
            // MADV_HUGEPAGE only changes how the kernel backs the range and
            // never its contents or validity. Failure is harmless (ignored).
            unsafe {
                libc::madvise(lo as *mut libc::c_void, hi - lo, libc::MADV_HUGEPAGE);
            }
        }
    }
}

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
    if capacity.saturating_mul(8) >= ADVISE_MIN_BYTES {
        if let Ok(mut p) = POOL.lock() {
            let fits = |v: &Vec<f64>| v.capacity() >= capacity && v.capacity() / 2 <= capacity;
            if let Some(i) = p.1.iter().position(fits) {
                let mut v = p.1.swap_remove(i);
                v.clear();
                return v;
            }
        }
    }
    with_capacity(capacity)
}

/// Gives a buffer back: kept for [`take_f64`] when the pool has room and the
/// buffer is large, freed otherwise.
pub fn recycle_f64(v: Vec<f64>) {
    if v.capacity().saturating_mul(8) < ADVISE_MIN_BYTES {
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
    fn buffers_are_ordinary_vecs() {
        for n in [0usize, 10, 1 << 20] {
            let mut v = super::with_capacity::<f64>(n);
            assert!(v.capacity() >= n);
            v.extend((0..n).map(|i| i as f64));
            assert_eq!(v.len(), n);
            assert_eq!(v.last().copied(), n.checked_sub(1).map(|k| k as f64));
        }
    }

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
