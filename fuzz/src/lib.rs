//! What the fuzz targets share.

/// libFuzzer's panic hook aborts on every panic; a panic the library
/// catches (a dependency's, on untrusted bytes: it becomes an error) is not
/// a crash of drift, so only panics outside the library's guard abort.
pub fn abort_only_on_uncaught_panics() {
    let abort = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !drift_core::source::guard::panic_guarded() {
            abort(info);
        }
    }));
}
