//! Reference profiles: a fit saved and loaded compares byte for byte like
//! the raw reference; merge equals the fit of the union; damaged, foreign
//! and future profiles are clear errors.
#![allow(clippy::unwrap_used)] // tests fail loudly by design

use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use drift_core::source::{Batches, ColumnSource, ParquetSource};
use drift_core::{Config, Engine, PsiBinning, Reference};
use proptest::prelude::*;
use std::sync::Arc;

fn fixture(p: &str) -> String {
    format!("{}/../../fixtures/{p}", env!("CARGO_MANIFEST_DIR"))
}

/// `columns`, `summary` and `schema` of a report as JSON text.
fn verdict(r: &drift_core::Report) -> String {
    let v = serde_json::to_value(r).unwrap();
    serde_json::to_string(&(&v["columns"], &v["summary"], &v["schema"])).unwrap()
}

fn configs() -> Vec<Config> {
    vec![
        Config::default(),
        Config {
            psi_binning: PsiBinning::Evidently,
            ..Config::default()
        },
        // not the fitted bin count: recomputed from the stored values
        Config {
            psi_bins: 7,
            ..Config::default()
        },
        Config {
            correction: drift_core::Correction::BenjaminiHochberg,
            decision: drift_core::Decision::Any,
            ..Config::default()
        },
    ]
}

/// compare(REF, CUR) == compare(load(save(fit(REF))), CUR), byte for byte.
fn assert_profile_equal(reference: &dyn ColumnSource, current: &dyn ColumnSource) {
    let fitted = Engine::new(Config::default())
        .unwrap()
        .fit(reference)
        .unwrap();
    let bytes = fitted.to_bytes().unwrap();
    let loaded = Reference::from_bytes(bytes.clone()).unwrap();
    assert_eq!(loaded.to_bytes().unwrap(), bytes, "save(load(p)) == p");
    for config in configs() {
        let engine = Engine::new(config).unwrap();
        let raw = engine.compare(reference, current).unwrap();
        let via = engine.compare_to(&loaded, current).unwrap();
        assert_eq!(verdict(&raw), verdict(&via));
        assert_eq!(raw.inputs.reference.rows, via.inputs.reference.rows);
    }
}

#[test]
fn profile_compares_like_the_raw_reference_on_every_fixture() {
    for (r, c) in [
        ("drift/reference.parquet", "drift/current.parquet"),
        ("mixed/reference.parquet", "mixed/current.parquet"),
        ("no_drift/reference.parquet", "no_drift/current.parquet"),
        (
            "schema_change/reference.parquet",
            "schema_change/current.parquet",
        ),
        ("dataset", "drift/current.parquet"),
    ] {
        let r = ParquetSource::open(&fixture(r)).unwrap();
        let c = ParquetSource::open(&fixture(c)).unwrap();
        assert_profile_equal(&r, &c);
    }
}

fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut s = seed | 1;
    move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    }
}

/// Columns of every stored form: sorted values, runs (≥ 16,384 values, few
/// distinct), categories, booleans, a skipped binary column, nulls.
fn shapes(seed: u64, n: usize, shift: f64) -> RecordBatch {
    let mut r = xorshift(seed);
    let cont: Vec<Option<f64>> = (0..n)
        .map(|i| (i % 11 != 0).then(|| (r() >> 11) as f64 / 9e15 + shift))
        .collect();
    let ties: Vec<i64> = (0..n).map(|_| (r() % 50) as i64 + shift as i64).collect();
    let cats: Vec<Option<String>> = (0..n)
        .map(|i| (i % 13 != 0).then(|| format!("c{}", r() % (17 + shift as u64))))
        .collect();
    let flags: Vec<bool> = (0..n).map(|_| r().is_multiple_of(3)).collect();
    let bin: Vec<&[u8]> = (0..n).map(|_| &b"xy"[..]).collect();
    RecordBatch::try_from_iter([
        ("cont", Arc::new(Float64Array::from(cont)) as ArrayRef),
        ("ties", Arc::new(Int64Array::from(ties)) as ArrayRef),
        ("cats", Arc::new(StringArray::from(cats)) as ArrayRef),
        ("flags", Arc::new(BooleanArray::from(flags)) as ArrayRef),
        (
            "bin",
            Arc::new(arrow_array::BinaryArray::from(bin)) as ArrayRef,
        ),
    ])
    .unwrap()
}

#[test]
fn profile_compares_like_the_raw_reference_on_every_stored_form() {
    let reference = Batches::new([shapes(1, 30_000, 0.0), shapes(2, 5_000, 0.0)]).unwrap();
    for (seed, n, shift) in [(3, 20_000, 0.0), (4, 700, 1.0), (5, 40, 3.0)] {
        let current = Batches::new([shapes(seed, n, shift)]).unwrap();
        assert_profile_equal(&reference, &current);
    }
}

#[test]
fn profile_file_is_parquet_and_loads_only_what_is_asked() {
    let reference = Batches::new([shapes(1, 30_000, 0.0)]).unwrap();
    let fitted = Engine::new(Config::default())
        .unwrap()
        .fit(&reference)
        .unwrap();
    let dir = std::env::temp_dir().join(format!("drift-profile-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ref.drift");
    fitted.save(&path).unwrap();
    // a plain Parquet file: any Parquet reader opens it
    let src = ParquetSource::open(path.to_str().unwrap()).unwrap();
    let names: Vec<String> = src
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(names, ["column", "value", "count", "category"]);
    assert!(src
        .single_file_metadata("drift.profile")
        .unwrap()
        .contains("\"profile_version\":1"));
    assert!(drift_core::store::is_profile(&path));
    assert!(!drift_core::store::is_profile(std::path::Path::new(
        &fixture("drift/reference.parquet")
    )));
    let file = drift_core::store::ProfileFile::open(&path).unwrap();
    assert_eq!(file.schema().fields().len(), 5);
    // compared straight from the file (columns loaded one by one): the
    // same report as the reference in memory
    let current = Batches::new([shapes(7, 4_000, 1.0)]).unwrap();
    let engine = Engine::new(Config::default()).unwrap();
    assert_eq!(
        verdict(&file.compare(&engine, &current).unwrap()),
        verdict(&engine.compare_to(&fitted, &current).unwrap())
    );
    let part = file.load(Some(&["cats".to_string()])).unwrap();
    assert_eq!(part.columns().len(), 1);
    assert_eq!(part.columns()[0].name(), "cats");
    // the profile is no larger than the raw data it replaces
    assert!(std::fs::metadata(&path).unwrap().len() < 30_000 * 8 * 2);
}

#[test]
fn damaged_foreign_and_future_profiles_are_errors() {
    let reference = Batches::new([shapes(1, 30_000, 0.0)]).unwrap();
    let bytes = Engine::new(Config::default())
        .unwrap()
        .fit(&reference)
        .unwrap()
        .to_bytes()
        .unwrap();
    // truncated anywhere
    for cut in [0, 4, 100, bytes.len() / 2, bytes.len() - 9, bytes.len() - 1] {
        let e = Reference::from_bytes(bytes[..cut].to_vec())
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("profile"), "{e}");
    }
    // any single flipped bit in the data or metadata: an error, or (where
    // the bit is not part of what is read) the same profile
    let good = Reference::from_bytes(bytes.clone())
        .unwrap()
        .to_bytes()
        .unwrap();
    let mut r = xorshift(9);
    for _ in 0..1000 {
        let mut b = bytes.clone();
        let i = (r() % b.len() as u64) as usize;
        b[i] ^= 1 << (r() % 8);
        if let Ok(p) = Reference::from_bytes(b) {
            assert_eq!(
                p.to_bytes().unwrap(),
                good,
                "bit flip at {i} changed the profile"
            );
        }
    }
    // a Parquet file that is not a profile
    let plain = std::fs::read(fixture("drift/reference.parquet")).unwrap();
    let e = Reference::from_bytes(plain).unwrap_err().to_string();
    assert!(e.contains("not a drift profile"), "{e}");
    // a newer profile_version
    let text = String::from_utf8_lossy(&bytes).into_owned();
    assert!(text.contains("\"profile_version\":1,"));
    let future = bytes
        .windows(20)
        .position(|w| w == b"\"profile_version\":1,")
        .map(|i| {
            let mut b = bytes.clone();
            b[i + 18] = b'7';
            b
        })
        .unwrap();
    let e = Reference::from_bytes(future).unwrap_err().to_string();
    assert!(
        e.contains("profile_version 7") && e.contains("newer"),
        "{e}"
    );
}

#[test]
fn a_setting_that_needs_a_refit_is_an_error() {
    let reference = Batches::new([shapes(1, 3_000, 0.0)]).unwrap();
    let fitted = Engine::new(Config::default())
        .unwrap()
        .fit(&reference)
        .unwrap();
    let mut c = Config::default();
    c.columns.entry("ties".into()).or_default().kind = Some(drift_core::ColumnKind::Categorical);
    let e = Engine::new(c)
        .unwrap()
        .compare_to(&fitted, &reference)
        .unwrap_err()
        .to_string();
    assert!(e.contains("column 'ties'") && e.contains("refit"), "{e}");
}

#[test]
fn streams_are_consumed_once_and_give_the_same_report() {
    let parts = [shapes(1, 20_000, 0.0), shapes(2, 3_000, 0.0)];
    let schema = parts[0].schema();
    let engine = Engine::new(Config::default()).unwrap();
    let from_stream = engine
        .fit_stream(schema.clone(), parts.clone().into_iter().map(Ok))
        .unwrap();
    let from_batches = engine.fit(&Batches::new(parts.clone()).unwrap()).unwrap();
    assert_eq!(
        from_stream.to_bytes().unwrap(),
        from_batches.to_bytes().unwrap()
    );
    let cur = shapes(3, 5_000, 1.0);
    let a = engine
        .compare_stream(&from_stream, schema, [Ok(cur.clone())])
        .unwrap();
    let b = engine
        .compare_to(&from_batches, &Batches::new([cur]).unwrap())
        .unwrap();
    assert_eq!(verdict(&a), verdict(&b));
}

fn small(seed: u64, n: usize, distinct: u64) -> RecordBatch {
    let mut r = xorshift(seed);
    let v: Vec<Option<f64>> = (0..n)
        .map(|i| (i % 5 != 1).then(|| (r() % distinct) as f64 * 0.5))
        .collect();
    let c: Vec<Option<String>> = (0..n)
        .map(|i| (i % 7 != 2).then(|| format!("k{}", r() % distinct)))
        .collect();
    let schema = Arc::new(Schema::new(vec![
        Field::new("v", DataType::Float64, true),
        Field::new("c", DataType::Utf8, true),
    ]));
    RecordBatch::try_new(
        schema,
        vec![
            Arc::new(Float64Array::from(v)),
            Arc::new(StringArray::from(c)),
        ],
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// merge(fit(a), fit(b)) == fit(a ∪ b), in the profile's bytes (which
    /// hold every stored value, count and setting).
    #[test]
    fn merge_equals_the_fit_of_the_union(seed in 1u64..1000, n in 1usize..25_000, m in 1usize..25_000, distinct in prop_oneof![Just(3u64), Just(40), Just(1_000_000)]) {
        let (a, b) = (small(seed, n, distinct), small(seed + 1, m, distinct));
        let engine = Engine::new(Config::default()).unwrap();
        let fa = engine.fit(&Batches::new([a.clone()]).unwrap()).unwrap();
        let fb = engine.fit(&Batches::new([b.clone()]).unwrap()).unwrap();
        let union = engine.fit(&Batches::new([a, b]).unwrap()).unwrap();
        prop_assert_eq!(fa.merge(&fb).unwrap().to_bytes().unwrap(), union.to_bytes().unwrap());
    }
}

#[test]
fn a_profile_file_of_many_columns_loads_in_parallel_intact() {
    let n = 2_000;
    let cols: Vec<(String, ArrayRef)> = (0..120)
        .map(|c| {
            let mut r = xorshift(c + 1);
            let v: Vec<f64> = (0..n).map(|_| (r() >> 11) as f64 / 9e15).collect();
            (format!("x{c}"), Arc::new(Float64Array::from(v)) as ArrayRef)
        })
        .collect();
    let batch = RecordBatch::try_from_iter(cols).unwrap();
    let fitted = Engine::new(Config::default())
        .unwrap()
        .fit(&Batches::new([batch]).unwrap())
        .unwrap();
    let path = std::env::temp_dir().join(format!("drift-wide-{}.drift", std::process::id()));
    fitted.save(&path).unwrap();
    for _ in 0..5 {
        let loaded = Reference::load(&path).unwrap();
        assert_eq!(loaded.to_bytes().unwrap(), fitted.to_bytes().unwrap());
    }
    std::fs::remove_file(&path).unwrap();
}

/// `Engine::fit_to_file` (columns streamed out as they are fitted, in
/// whatever order the workers finish them) writes the same bytes as
/// `fit` + `save`, on every fixture and on a wide table run in many small
/// groups on several threads.
#[test]
fn streamed_fit_writes_the_same_file_as_fit_and_save() {
    let dir = std::env::temp_dir();
    let path = dir.join(format!("drift-stream-{}.drift", std::process::id()));
    let check = |engine: &Engine, source: &dyn ColumnSource| {
        let want = engine.fit(source).unwrap().to_bytes().unwrap();
        engine.fit_to_file(source, &path).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), want);
    };
    let engine = Engine::new(Config::default()).unwrap();
    for r in [
        "drift/reference.parquet",
        "mixed/reference.parquet",
        "schema_change/reference.parquet",
        "dataset",
    ] {
        check(&engine, &ParquetSource::open(&fixture(r)).unwrap());
    }
    let n = 30_000;
    let mut cols: Vec<(String, ArrayRef)> = Vec::new();
    for c in 0..40u64 {
        let mut r = xorshift(c + 7);
        // columns of very different sizes finish out of order
        let len = if c % 7 == 0 { n } else { 50 };
        let a: ArrayRef = match c % 3 {
            0 => Arc::new(Float64Array::from_iter_values(
                (0..len).map(|_| (r() >> 11) as f64),
            )),
            1 => Arc::new(Int64Array::from_iter_values(
                (0..len).map(|_| (r() % 5) as i64),
            )),
            _ => Arc::new(StringArray::from_iter_values(
                (0..len).map(|_| format!("k{}", r() % 9)),
            )),
        };
        let a = if len == n {
            a
        } else {
            arrow_array::new_null_array(a.data_type(), n)
                .slice(0, n)
                .clone()
        };
        cols.push((format!("c{c}"), a));
    }
    let batch = RecordBatch::try_from_iter(cols).unwrap();
    let source = Batches::new([batch]).unwrap();
    for threads in [1, 2, 4] {
        let small = Engine::new(Config::default())
            .unwrap()
            .with_threads(threads)
            .with_max_memory(2 << 20);
        check(&small, &source);
    }
    std::fs::remove_file(&path).unwrap();
}
