//! A dependency that panics on untrusted bytes must not take the process
//! down: the readers run the decoders under [`catch`], which turns a panic
//! into an error naming what was being read. Front ends that install a
//! panic hook can ask [`panic_guarded`] whether a panic will be caught
//! (and so need not be printed).

use crate::error::{Error, Result};
use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};

thread_local! {
    static GUARDED: Cell<u32> = const { Cell::new(0) };
}

/// Whether the current thread is inside [`catch`] (a panic now becomes an
/// error, not a crash).
pub fn panic_guarded() -> bool {
    GUARDED.with(|g| g.get() > 0)
}

/// Runs `f`; a panic inside it becomes `Error::Source("{what}: …")`.
pub(crate) fn catch<T>(what: impl FnOnce() -> String, f: impl FnOnce() -> Result<T>) -> Result<T> {
    GUARDED.with(|g| g.set(g.get() + 1));
    let r = catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(g.get() - 1));
    r.unwrap_or_else(|p| {
        let msg = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".into());
        Err(Error::Source(format!(
            "{}: the Parquet reader failed on this data (it panicked: {})",
            what(),
            msg.split_whitespace().collect::<Vec<_>>().join(" ")
        )))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_and_is_known_to_be_guarded() {
        assert!(!panic_guarded());
        let r: Result<()> = catch(
            || "file x.parquet, column 'a'".into(),
            || {
                assert!(panic_guarded());
                panic!("attempt to divide by zero")
            },
        );
        assert!(!panic_guarded());
        assert_eq!(
            r.unwrap_err().to_string(),
            "file x.parquet, column 'a': the Parquet reader failed on this data (it panicked: attempt to divide by zero)"
        );
        let ok: Result<u8> = catch(|| unreachable!(), || Ok(7));
        assert_eq!(ok.unwrap(), 7);
    }
}
