//! Arbitrary bytes as a reference profile: loaded and, when it loads,
//! compared against a window — a report or a clean error, never a panic.
#![no_main]
use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use drift_core::source::Batches;
use drift_core::{Config, Engine, Reference};
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

fuzz_target!(
    init: drift_fuzz::abort_only_on_uncaught_panics(),
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
