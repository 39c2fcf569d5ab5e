//! Arbitrary bytes as the reference Parquet file of a comparison against a
//! fixture: a report or a clean error, never a panic, abort or hang.
#![no_main]
use drift_core::source::ParquetSource;
use drift_core::{Config, Engine};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn current() -> &'static ParquetSource {
    static CUR: OnceLock<ParquetSource> = OnceLock::new();
    CUR.get_or_init(|| {
        ParquetSource::open(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../fixtures/mixed/current.parquet"
        ))
        .expect("fixture")
    })
}

fuzz_target!(
    init: drift_fuzz::abort_only_on_uncaught_panics(),
    |data: &[u8]| {
    let path = std::env::temp_dir().join(format!("drift-fuzz-{}.parquet", std::process::id()));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let engine = Engine::new(Config::default()).expect("config").with_threads(1);
    if let Ok(reference) = ParquetSource::open(path.to_str().expect("utf-8 path")) {
        let _ = engine.compare(&reference, current());
    }
});
