//! Arbitrary text as a TOML configuration: parsed, validated and, when
//! valid, used for a comparison of two fixtures — a report or a clean
//! error, never a panic.
#![no_main]
use drift_core::source::ParquetSource;
use drift_core::{Config, Engine};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn sides() -> &'static (ParquetSource, ParquetSource) {
    static S: OnceLock<(ParquetSource, ParquetSource)> = OnceLock::new();
    S.get_or_init(|| {
        let f = |p: &str| {
            ParquetSource::open(&format!("{}/../fixtures/{p}", env!("CARGO_MANIFEST_DIR")))
                .expect("fixture")
        };
        (f("mixed/reference.parquet"), f("mixed/current.parquet"))
    })
}

fuzz_target!(
    init: drift_fuzz::abort_only_on_uncaught_panics(),
    |data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(config) = toml::from_str::<Config>(text) else {
        return;
    };
    if let Ok(engine) = Engine::new(config) {
        let (r, c) = sides();
        let _ = engine.with_threads(1).compare(r, c);
    }
});
