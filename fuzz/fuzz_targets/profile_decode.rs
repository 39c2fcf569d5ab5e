//! Arbitrary bytes as a reference profile: loaded and, when it loads,
//! compared against a window — a report or a clean error, never a panic.
#![no_main]
use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use drift_core::source::Batches;
use drift_core::{Config, Engine, Reference};
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

fuzz_target!(
    init: {
        // libFuzzer's hook aborts on every panic; a panic the library
        // catches (a dependency's, on untrusted bytes: it becomes an error)
        // is not a crash of drift
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !drift_core::source::guard::panic_guarded() {
                abort(info);
            }
        }));
    },
    |data: &[u8]| {
    let Ok(reference) = Reference::from_bytes(bytes::Bytes::copy_from_slice(data)) else {
        return;
    };
    // a window with a column of each kind under the fixtures' names
    let n = 64;
    let cols: Vec<(&str, ArrayRef)> = vec![
        ("with_nulls", Arc::new(Float64Array::from_iter_values((0..n).map(|i| i as f64)))),
        ("price", Arc::new(Float64Array::from_iter_values((0..n).map(|i| (i % 7) as f64)))),
        ("small_int", Arc::new(Int64Array::from_iter_values(0..n as i64))),
        ("dict_str", Arc::new(StringArray::from_iter_values((0..n).map(|i| format!("c{}", i % 3))))),
    ];
    let Ok(window) = RecordBatch::try_from_iter(cols) else {
        return;
    };
    let Ok(window) = Batches::new([window]) else {
        return;
    };
    let engine = Engine::new(Config::default()).expect("config").with_threads(1);
    let _ = engine.compare_to(&reference, &window);
});
