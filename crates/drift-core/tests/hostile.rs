//! Hostile and odd input (issue #11): no silent wrong answer.
#![allow(clippy::unwrap_used)] // tests fail loudly by design

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use drift_core::report::{ColumnStatus, RunStatus};
use drift_core::{compare, Config, TestKind};
use std::sync::Arc;

fn table(shift: f64) -> RecordBatch {
    let n = 2_000;
    let mut cols: Vec<(String, ArrayRef)> = Vec::new();
    for c in 0..5 {
        // columns 0..3 move by `shift`, 3 and 4 do not
        let s = if c < 3 { shift } else { 0.0 };
        let v = (0..n).map(|i| ((i * 7919 + c * 13) % 1000) as f64 / 100.0 + s);
        cols.push((format!("x{c}"), Arc::new(Float64Array::from_iter_values(v))));
    }
    for c in 0..3 {
        let v = (0..n).map(|i| format!("k{}", (i + c) % 4));
        cols.push((format!("s{c}"), Arc::new(StringArray::from_iter_values(v))));
    }
    RecordBatch::try_from_iter(cols).unwrap()
}

/// With only numeric tests selected, the categorical columns are untested,
/// not "ok": 3 of the 5 tested columns drift, which is dataset drift.
#[test]
fn a_column_with_no_selected_test_is_untested() {
    for config in [
        Config {
            categorical_tests: vec![],
            ..Config::default()
        },
        Config {
            numeric_tests: vec![TestKind::Ks],
            categorical_tests: vec![],
            decision: drift_core::Decision::Ks,
            ..Config::default()
        },
    ] {
        let r = compare(&[table(0.0)], &[table(3.0)], &config).unwrap();
        assert_eq!(r.summary.columns, 8);
        assert_eq!(r.summary.tested_columns, 5);
        assert_eq!(r.summary.untested_columns, 3);
        assert_eq!(r.summary.drifted_columns, 3);
        assert!(r.summary.dataset_drift, "3 of 5 tested drift");
        assert_eq!(r.summary.status, RunStatus::DatasetDrift);
        for c in r.columns.iter().filter(|c| c.name.starts_with('s')) {
            assert_eq!(c.status, ColumnStatus::Skipped);
            assert!(c.tests.is_empty());
            assert_eq!(
                c.reason.as_deref(),
                Some("no test selected for categorical columns")
            );
        }
    }
}

/// Two columns of one name on a side: an error naming the column, never a
/// silently dropped second column.
#[test]
fn two_columns_of_one_name_are_an_error() {
    let dup = |shift: f64| {
        let a: ArrayRef = Arc::new(Float64Array::from_iter_values((0..100).map(|i| i as f64)));
        let b: ArrayRef = Arc::new(Float64Array::from_iter_values(
            (0..100).map(|i| i as f64 + shift),
        ));
        RecordBatch::try_from_iter([("x", a), ("x", b)]).unwrap()
    };
    let one = {
        let a: ArrayRef = Arc::new(Float64Array::from_iter_values((0..100).map(|i| i as f64)));
        RecordBatch::try_from_iter([("x", a)]).unwrap()
    };
    for (r, c, side) in [
        (dup(0.0), one.clone(), "reference"),
        (one.clone(), dup(50.0), "current"),
    ] {
        let e = compare(&[r], &[c], &Config::default())
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            format!("invalid input: the {side} has two columns named 'x'; columns are matched by name, so rename one")
        );
    }
    let source = drift_core::source::Batches::new([dup(0.0)]).unwrap();
    let e = drift_core::Engine::new(Config::default())
        .unwrap()
        .fit(&source)
        .unwrap_err();
    assert!(e.to_string().contains("two columns named 'x'"), "{e}");
}

/// A source that announces more rows than it delivers (what a Parquet
/// column chunk with a zero `total_compressed_size` did): exit-2 error,
/// never a report over the rows that happened to be read.
struct Short(drift_core::source::Batches, u64);

impl drift_core::source::ColumnSource for Short {
    fn schema(&self) -> arrow_schema::SchemaRef {
        self.0.schema()
    }
    fn num_rows(&self) -> u64 {
        self.0.num_rows() + self.1
    }
    fn unit_rows(&self) -> Vec<u64> {
        self.0.unit_rows()
    }
    fn footprint(&self, column: usize) -> drift_core::source::Footprint {
        self.0.footprint(column)
    }
    fn scan(
        &self,
        column: usize,
        part: &drift_core::source::Part,
        dictionary: bool,
        sink: &mut dyn FnMut(&dyn arrow_array::Array) -> drift_core::Result<()>,
    ) -> drift_core::Result<()> {
        self.0.scan(column, part, dictionary, sink)
    }
}

#[test]
fn fewer_rows_read_than_announced_is_an_error() {
    use drift_core::source::Batches;
    let engine = drift_core::Engine::new(Config::default()).unwrap();
    let full = Batches::new([table(0.0)]).unwrap();
    let short = Short(Batches::new([table(0.0)]).unwrap(), 500);
    let e = engine.compare(&full, &short).unwrap_err().to_string();
    assert_eq!(
        e,
        "reading current column 'x0': 2000 rows read, 2500 announced by the source's metadata"
    );
    let e = engine.fit(&short).unwrap_err().to_string();
    assert!(e.contains("2000 rows read, 2500 announced"), "{e}");
}

/// Untrusted counts never size an allocation: a source announcing 2^62
/// rows more than it has is the same clean error, not an abort on
/// allocation or a "capacity overflow" panic.
#[test]
fn an_absurd_announced_row_count_is_an_error_not_an_abort() {
    use drift_core::source::Batches;
    struct Huge(Batches);
    impl drift_core::source::ColumnSource for Huge {
        fn schema(&self) -> arrow_schema::SchemaRef {
            self.0.schema()
        }
        fn num_rows(&self) -> u64 {
            1 << 62
        }
        fn unit_rows(&self) -> Vec<u64> {
            vec![1 << 62]
        }
        fn footprint(&self, _: usize) -> drift_core::source::Footprint {
            drift_core::source::Footprint {
                values: 1 << 62,
                bytes: 1 << 62,
            }
        }
        fn scan(
            &self,
            column: usize,
            _: &drift_core::source::Part,
            dictionary: bool,
            sink: &mut dyn FnMut(&dyn arrow_array::Array) -> drift_core::Result<()>,
        ) -> drift_core::Result<()> {
            self.0.scan(column, &self.0.parts(1)[0], dictionary, sink)
        }
    }
    let engine = drift_core::Engine::new(Config::default()).unwrap();
    let huge = Huge(Batches::new([table(0.0)]).unwrap());
    let r = engine.compare(&Batches::new([table(0.0)]).unwrap(), &huge);
    let e = r.unwrap_err().to_string();
    assert!(
        e.contains("2000 rows read, 4611686018427387904 announced"),
        "{e}"
    );
}

/// Category labels of 100 KB are not copied whole into reports: a bounded
/// prefix, the length and a hash (distinct labels stay distinct).
#[test]
fn long_category_labels_are_bounded_in_reports() {
    let label = |k: usize| format!("{}{k}", "x".repeat(100_000));
    let side = |shift: usize| {
        let v: Vec<String> = (0..400).map(|i| label((i + shift) % 5)).collect();
        let a: ArrayRef = Arc::new(StringArray::from(v));
        RecordBatch::try_from_iter([("s", a)]).unwrap()
    };
    let r = compare(&[side(0)], &[side(1)], &Config::default()).unwrap();
    let json = serde_json::to_string(&r).unwrap();
    assert!(json.len() < 40_000, "report of {} bytes", json.len());
    let c = &r.columns[0];
    let top = c.reference.top_categories.as_ref().unwrap();
    assert_eq!(top.len(), 5);
    let mut seen = std::collections::HashSet::new();
    for t in top {
        assert!(t.value.len() < 400, "{}", t.value.len());
        assert!(
            t.value.contains("… (100001 bytes, fnv1a "),
            "{}",
            &t.value[250..]
        );
        assert!(seen.insert(t.value.clone()), "labels stay distinct");
    }
    assert_eq!(drift_core::report::report_label("short"), "short");
}

/// A valid file that used to panic ("dictionary key overflow"): pandas
/// `category` columns (int8 codes) of two DataFrames with different
/// categories, appended through one writer. It compares exactly like the
/// same values stored as plain strings (fixtures/hostile/make.py).
#[test]
fn pandas_category_columns_appended_twice_compare_like_plain_strings() {
    use drift_core::source::ParquetSource;
    let fx = |p: &str| format!("{}/../../fixtures/hostile/{p}", env!("CARGO_MANIFEST_DIR"));
    let engine = drift_core::Engine::new(Config::default()).unwrap();
    let run = |kind: &str| {
        let r = ParquetSource::open(&fx(&format!("{kind}_ref.parquet"))).unwrap();
        let c = ParquetSource::open(&fx(&format!("{kind}_cur.parquet"))).unwrap();
        engine.compare(&r, &c).unwrap()
    };
    let (cat, plain) = (run("category"), run("plain"));
    let (a, b) = (&cat.columns[0], &plain.columns[0]);
    assert_eq!(a.reference.count, 2000);
    assert_eq!(a.current.count, 2000);
    assert_eq!(
        serde_json::to_value(&a.tests).unwrap(),
        serde_json::to_value(&b.tests).unwrap()
    );
    assert_eq!(
        serde_json::to_value(&a.reference).unwrap(),
        serde_json::to_value(&b.reference).unwrap()
    );
    assert_eq!(a.status, b.status);
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn b64_decode(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter(|&c| c != b'=') {
        let v = B64.iter().position(|&b| b == c).unwrap() as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

fn b64_encode(b: &[u8]) -> String {
    let mut s = String::new();
    for c in b.chunks(3) {
        let n = c
            .iter()
            .enumerate()
            .fold(0u32, |a, (i, &x)| a | (x as u32) << (16 - 8 * i));
        for i in 0..=c.len() {
            s.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    while !s.len().is_multiple_of(4) {
        s.push('=');
    }
    s
}

/// The embedded Arrow schema of a file, damaged byte by byte (a small fuzz
/// of the path that panicked with "not implemented: Type <UNKNOWN 74>"):
/// every damaged file is a clean comparison or a clean error, never a
/// panic out of the library.
#[test]
fn a_damaged_embedded_arrow_schema_is_never_a_panic() {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use parquet::arrow::arrow_writer::{ArrowWriter, ArrowWriterOptions};
    use parquet::file::metadata::KeyValue;
    use parquet::file::properties::WriterProperties;
    let fixture = format!(
        "{}/../../fixtures/mixed/reference.parquet",
        env!("CARGO_MANIFEST_DIR")
    );
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&fixture).unwrap()).unwrap();
    let schema_b64 = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .and_then(|kv| kv.iter().find(|k| k.key == "ARROW:schema"))
        .and_then(|k| k.value.clone())
        .expect("the fixture embeds an Arrow schema");
    let schema = builder.schema().clone();
    let batches: Vec<RecordBatch> = builder.build().unwrap().map(|b| b.unwrap()).collect();
    let raw = b64_decode(&schema_b64);
    assert_eq!(b64_encode(&raw), schema_b64, "the codec round-trips");
    let dir = std::env::temp_dir().join(format!("drift-arrow-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let current = drift_core::source::Batches::new(batches.clone()).unwrap();
    let engine = drift_core::Engine::new(Config::default()).unwrap();
    let (mut ok, mut errors) = (0, 0);
    for (i, v) in (0..raw.len())
        .step_by(3)
        .flat_map(|i| [(i, 74u8), (i, 0xff), (i, 0)])
    {
        let mut bad = raw.clone();
        bad[i] = v;
        let props = WriterProperties::builder()
            .set_key_value_metadata(Some(vec![KeyValue::new(
                "ARROW:schema".into(),
                b64_encode(&bad),
            )]))
            .build();
        let path = dir.join(format!("s{i}_{v}.parquet"));
        let mut w = ArrowWriter::try_new_with_options(
            std::fs::File::create(&path).unwrap(),
            schema.clone(),
            ArrowWriterOptions::new()
                .with_properties(props)
                .with_skip_arrow_metadata(true),
        )
        .unwrap();
        for b in &batches {
            w.write(b).unwrap();
        }
        w.close().unwrap();
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            drift_core::source::ParquetSource::open(path.to_str().unwrap())
                .and_then(|s| engine.compare(&s, &current))
                .map(|_| ())
        }));
        match r.expect("a damaged Arrow schema made the library panic") {
            Ok(()) => ok += 1,
            Err(_) => errors += 1,
        }
        std::fs::remove_file(&path).unwrap();
    }
    assert!(ok + errors > 100, "{ok} compared, {errors} errors");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// PSI over very many categories is biased upward by about
/// (k − 1)(1/n + 1/m): two samples of one 2,000-category distribution say
/// so in the PSI result's note (and chi2 does not drift).
#[test]
fn psi_over_many_categories_notes_its_bias() {
    let side = |seed: u64| {
        let mut s = seed;
        let v: Vec<String> = (0..10_000)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                format!("c{}", s % 2_000)
            })
            .collect();
        let a: ArrayRef = Arc::new(StringArray::from(v));
        RecordBatch::try_from_iter([("s", a)]).unwrap()
    };
    let config = Config {
        decision: drift_core::Decision::Chi2,
        ..Config::default()
    };
    let r = compare(&[side(1)], &[side(2)], &config).unwrap();
    let c = &r.columns[0];
    let psi = c.tests.iter().find(|t| t.test == TestKind::Psi).unwrap();
    let note = psi.note.as_deref().unwrap();
    assert!(note.starts_with("PSI over 2000 categories of 10000 and 10000 rows is biased upward by about (k-1)(1/n+1/m) = 0.400"), "{note}");
    assert!(
        psi.statistic.unwrap() > 0.3,
        "the bias is real: {:?}",
        psi.statistic
    );
    assert!(!c.drift, "chi2 decides: no drift");
    // few categories: no note
    let r = compare(&[table(0.0)], &[table(0.0)], &Config::default()).unwrap();
    assert!(r
        .columns
        .iter()
        .flat_map(|c| &c.tests)
        .all(|t| t.note.is_none()));
}

/// Page checksums present in a file are verified: one flipped byte of a
/// data page is an error, not silently different values.
#[test]
fn page_checksums_are_verified_when_present() {
    use drift_core::source::ParquetSource;
    let fx = |p: &str| format!("{}/../../fixtures/hostile/{p}", env!("CARGO_MANIFEST_DIR"));
    let engine = drift_core::Engine::new(Config::default()).unwrap();
    let ok = ParquetSource::open(&fx("crc_ok.parquet")).unwrap();
    let r = engine.compare(&ok, &ok).unwrap();
    assert_eq!(r.columns[0].reference.valid, 1000);
    let damaged = ParquetSource::open(&fx("crc_damaged.parquet")).unwrap();
    let e = engine.compare(&ok, &damaged).unwrap_err().to_string();
    assert!(e.contains("Page CRC checksum mismatch"), "{e}");
    assert!(e.contains("crc_damaged.parquet"), "{e}");
}

/// Every byte of a file's footer (the Thrift metadata: offsets, lengths,
/// counts, encodings, the embedded schema) damaged in turn: each damaged
/// file is a comparison or a clean error — never a panic out of the
/// library, an abort or a hang. A small, deterministic fuzz of the read
/// path; the cargo-fuzz targets go further.
#[test]
fn every_damaged_footer_byte_is_a_clean_outcome() {
    let fixture = format!(
        "{}/../../fixtures/no_drift/reference.parquet",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&fixture).unwrap();
    let n = bytes.len();
    let footer_len = u32::from_le_bytes(bytes[n - 8..n - 4].try_into().unwrap()) as usize;
    let start = n - 8 - footer_len;
    let dir = std::env::temp_dir().join(format!("drift-footer-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let engine = drift_core::Engine::new(Config::default()).unwrap();
    let current = drift_core::source::ParquetSource::open(&fixture).unwrap();
    let (mut ok, mut errors) = (0, 0);
    let step = (footer_len / 400).max(1);
    for i in (start..n - 8).step_by(step) {
        for v in [0x00u8, 0xff, 0x7f, bytes[i] ^ 0x01] {
            let mut bad = bytes.clone();
            bad[i] = v;
            let path = dir.join("f.parquet");
            std::fs::write(&path, &bad).unwrap();
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                drift_core::source::ParquetSource::open(path.to_str().unwrap())
                    .and_then(|s| engine.compare(&s, &current))
                    .map(|_| ())
            }));
            match r
                .unwrap_or_else(|_| panic!("footer byte {i} set to {v:#x} made the library panic"))
            {
                Ok(()) => ok += 1,
                Err(_) => errors += 1,
            }
        }
    }
    assert!(ok + errors >= 400, "{ok} compared, {errors} errors");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The fuzz campaign's findings (fuzz/findings/), kept as regression tests:
/// each made a dependency panic (arrow-ipc on a damaged embedded schema,
/// parquet's level decoder on a damaged profile page); each must be one
/// clean error.
#[test]
fn fuzz_findings_are_clean_errors() {
    let dir = format!("{}/../../fuzz/findings", env!("CARGO_MANIFEST_DIR"));
    let current = drift_core::source::ParquetSource::open(&format!(
        "{}/../../fixtures/mixed/current.parquet",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let engine = drift_core::Engine::new(Config::default()).unwrap();
    let mut seen = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            if name.starts_with("parquet_compare") {
                let path = std::env::temp_dir().join(format!(
                    "drift-finding-{}-{name}.parquet",
                    std::process::id()
                ));
                std::fs::copy(&p, &path).unwrap();
                let r = drift_core::source::ParquetSource::open(path.to_str().unwrap())
                    .and_then(|s| engine.compare(&s, &current))
                    .map(|_| ());
                std::fs::remove_file(&path).unwrap();
                r
            } else {
                drift_core::Reference::from_bytes(std::fs::read(&p).unwrap()).map(|_| ())
            }
        }));
        let r = r.unwrap_or_else(|_| panic!("{name} made the library panic"));
        let e = r.expect_err(&name).to_string();
        assert!(!e.is_empty());
        seen += 1;
    }
    assert!(seen >= 2);
}
