//! Every numeric and categorical Arrow type goes through the same statistics.
//! Integer data 0..59 fits every type; KS, normalised W1 and PSI are
//! invariant to the unit conversion, W1 scales with it.
#![allow(clippy::unwrap_used)] // tests fail loudly by design

use arrow_array::types::*;
use arrow_array::*;
use arrow_schema::{DataType, TimeUnit};
use drift_core::{compare, Config, TestKind};
use serde_json::Value;
use std::sync::Arc;

fn golden_case() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/golden/golden.json"
    );
    let g: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    g["numeric"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "types_base")
        .unwrap()
        .clone()
}

fn ints(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap() as i64)
        .collect()
}

fn arrays(v: &[i64]) -> Vec<(ArrayRef, f64)> {
    let f = |g: &dyn Fn(i64) -> ArrayRef, unit: f64| (g(0), unit);
    let _ = f;
    vec![
        (
            Arc::new(Int8Array::from_iter_values(v.iter().map(|&x| x as i8))) as ArrayRef,
            1.0,
        ),
        (
            Arc::new(Int16Array::from_iter_values(v.iter().map(|&x| x as i16))),
            1.0,
        ),
        (
            Arc::new(Int32Array::from_iter_values(v.iter().map(|&x| x as i32))),
            1.0,
        ),
        (
            Arc::new(Int64Array::from_iter_values(v.iter().copied())),
            1.0,
        ),
        (
            Arc::new(UInt8Array::from_iter_values(v.iter().map(|&x| x as u8))),
            1.0,
        ),
        (
            Arc::new(UInt16Array::from_iter_values(v.iter().map(|&x| x as u16))),
            1.0,
        ),
        (
            Arc::new(UInt32Array::from_iter_values(v.iter().map(|&x| x as u32))),
            1.0,
        ),
        (
            Arc::new(UInt64Array::from_iter_values(v.iter().map(|&x| x as u64))),
            1.0,
        ),
        (
            Arc::new(Float16Array::from_iter_values(
                v.iter().map(|&x| half::f16::from_f64(x as f64)),
            )),
            1.0,
        ),
        (
            Arc::new(Float32Array::from_iter_values(v.iter().map(|&x| x as f32))),
            1.0,
        ),
        (
            Arc::new(Float64Array::from_iter_values(v.iter().map(|&x| x as f64))),
            1.0,
        ),
        (
            Arc::new(
                Decimal128Array::from_iter_values(v.iter().map(|&x| x as i128 * 100))
                    .with_precision_and_scale(10, 2)
                    .unwrap(),
            ),
            1.0,
        ),
        (
            Arc::new(
                Decimal256Array::from_iter_values(
                    v.iter()
                        .map(|&x| arrow_buffer::i256::from_i128(x as i128 * 1000)),
                )
                .with_precision_and_scale(20, 3)
                .unwrap(),
            ),
            1.0,
        ),
        (
            Arc::new(Date32Array::from_iter_values(v.iter().map(|&x| x as i32))),
            86400.0,
        ),
        (
            Arc::new(Date64Array::from_iter_values(
                v.iter().map(|&x| x * 86_400_000),
            )),
            86400.0,
        ),
        (
            Arc::new(TimestampSecondArray::from_iter_values(v.iter().copied())),
            1.0,
        ),
        (
            Arc::new(
                TimestampMillisecondArray::from_iter_values(v.iter().map(|&x| x * 1000))
                    .with_timezone("Europe/Paris"),
            ),
            1.0,
        ),
        (
            Arc::new(TimestampMicrosecondArray::from_iter_values(
                v.iter().map(|&x| x * 1_000_000),
            )),
            1.0,
        ),
        (
            Arc::new(TimestampNanosecondArray::from_iter_values(
                v.iter().map(|&x| x * 1_000_000_000),
            )),
            1.0,
        ),
        (
            Arc::new(DurationMillisecondArray::from_iter_values(
                v.iter().map(|&x| x * 1000),
            )),
            1.0,
        ),
        (
            Arc::new(PrimitiveArray::<Time32SecondType>::from_iter_values(
                v.iter().map(|&x| x as i32),
            )),
            1.0,
        ),
    ]
}

#[test]
fn every_numeric_type_gives_scipy_values() {
    let case = golden_case();
    let (a, b) = (ints(&case["reference"]), ints(&case["current"]));
    for ((ra, unit), (ca, _)) in arrays(&a).into_iter().zip(arrays(&b)) {
        let dt = ra.data_type().clone();
        let r = compare(
            &[RecordBatch::try_from_iter([("v", ra)]).unwrap()],
            &[RecordBatch::try_from_iter([("v", ca)]).unwrap()],
            &Config::default(),
        )
        .unwrap();
        let c = &r.columns[0];
        assert_eq!(
            c.status,
            drift_core::report::ColumnStatus::Drift,
            "{dt}: {:?}",
            c.reason
        );
        let t = |k: TestKind| c.tests.iter().find(|x| x.test == k).unwrap();
        let rel = |g: f64, w: f64| (g - w).abs() <= 1e-12 * w.abs();
        assert!(
            rel(
                t(TestKind::Ks).statistic.unwrap(),
                case["ks_statistic"].as_f64().unwrap()
            ),
            "{dt} ks"
        );
        assert!(
            (t(TestKind::Ks).p_value.unwrap() - case["ks_p_value"].as_f64().unwrap()).abs() < 1e-9,
            "{dt} p"
        );
        assert!(
            rel(
                t(TestKind::Wasserstein).statistic.unwrap(),
                case["wasserstein"].as_f64().unwrap() * unit
            ),
            "{dt} w1"
        );
        assert!(
            rel(
                t(TestKind::Wasserstein).normalized.unwrap(),
                case["normalized"].as_f64().unwrap()
            ),
            "{dt} w1 normalized"
        );
        assert!(
            rel(
                t(TestKind::Psi).statistic.unwrap(),
                case["psi_quantile"].as_f64().unwrap()
            ),
            "{dt} psi"
        );
    }
}

#[test]
fn categorical_types_agree() {
    let labels = ["a", "b", "c", "", "ü"];
    let rv: Vec<&str> = (0..200).map(|i| labels[i % 5]).collect();
    let cv: Vec<&str> = (0..150).map(|i| labels[(i * i) % 5]).collect();
    let dict = |v: &[&str]| -> ArrayRef {
        Arc::new(v.iter().copied().collect::<DictionaryArray<Int8Type>>())
    };
    let dict64 = |v: &[&str]| -> ArrayRef {
        Arc::new(v.iter().copied().collect::<DictionaryArray<UInt64Type>>())
    };
    let variants: Vec<(ArrayRef, ArrayRef)> = vec![
        (
            Arc::new(StringArray::from(rv.clone())),
            Arc::new(StringArray::from(cv.clone())),
        ),
        (
            Arc::new(LargeStringArray::from(rv.clone())),
            Arc::new(LargeStringArray::from(cv.clone())),
        ),
        (
            Arc::new(StringViewArray::from(rv.clone())),
            Arc::new(StringViewArray::from(cv.clone())),
        ),
        (dict(&rv), dict(&cv)),
        (dict64(&rv), Arc::new(StringArray::from(cv.clone()))),
    ];
    let mut first: Option<(f64, f64)> = None;
    for (ra, ca) in variants {
        let dt = ra.data_type().clone();
        let r = compare(
            &[RecordBatch::try_from_iter([("c", ra)]).unwrap()],
            &[RecordBatch::try_from_iter([("c", ca)]).unwrap()],
            &Config::default(),
        )
        .unwrap();
        let c = &r.columns[0];
        let chi = c
            .tests
            .iter()
            .find(|t| t.test == TestKind::Chi2)
            .unwrap_or_else(|| panic!("{dt}: {:?}", c.reason));
        let got = (chi.statistic.unwrap(), chi.p_value.unwrap());
        match first {
            None => first = Some(got),
            Some(f) => assert_eq!(f, got, "{dt}"),
        }
    }
    // booleans are categories "true"/"false"
    let rb: ArrayRef = Arc::new(BooleanArray::from(vec![
        Some(true),
        Some(false),
        None,
        Some(true),
    ]));
    let cb: ArrayRef = Arc::new(BooleanArray::from(vec![
        Some(false),
        Some(false),
        Some(true),
    ]));
    let r = compare(
        &[RecordBatch::try_from_iter([("b", rb)]).unwrap()],
        &[RecordBatch::try_from_iter([("b", cb)]).unwrap()],
        &Config::default(),
    )
    .unwrap();
    assert_eq!(r.columns[0].reference.nulls, 1);
    assert_eq!(
        r.columns[0].reference.top_categories.as_ref().unwrap()[0].value,
        "true"
    );
}

#[test]
fn unsupported_and_mismatched_types_are_findings_not_errors() {
    let list: ArrayRef = Arc::new(ListArray::from_iter_primitive::<Int32Type, _, _>(vec![
        Some(vec![Some(1)]),
        None,
    ]));
    let bin: ArrayRef = Arc::new(BinaryArray::from_vec(vec![b"x", b"y"]));
    let num: ArrayRef = Arc::new(Int32Array::from(vec![1, 2]));
    let s: ArrayRef = Arc::new(StringArray::from(vec!["1", "2"]));
    let rb = RecordBatch::try_from_iter([
        ("l", list.clone()),
        ("b", bin.clone()),
        ("t", num.clone()),
        ("only_ref", num.clone()),
    ])
    .unwrap();
    let cb =
        RecordBatch::try_from_iter([("l", list), ("b", bin), ("t", s), ("only_cur", num)]).unwrap();
    let r = compare(&[rb], &[cb], &Config::default()).unwrap();
    assert_eq!(r.schema.only_in_reference, vec!["only_ref"]);
    assert_eq!(r.schema.only_in_current, vec!["only_cur"]);
    assert_eq!(r.schema.type_changes.len(), 1);
    assert!(!r.schema.type_changes[0].compatible);
    for c in &r.columns {
        assert_eq!(
            c.status,
            drift_core::report::ColumnStatus::Skipped,
            "{}",
            c.name
        );
        assert!(c.reason.is_some());
    }
    assert_eq!(
        r.summary.status,
        drift_core::report::RunStatus::NothingTested
    );
    let _ = DataType::Timestamp(TimeUnit::Second, None);
}

#[test]
fn kind_override_integer_as_categorical() {
    let ra: ArrayRef = Arc::new(Int64Array::from(vec![1, 2, 2, 3, 3, 3]));
    let ca: ArrayRef = Arc::new(Int64Array::from(vec![1, 1, 2, 3, 4]));
    let mut cfg = Config::default();
    cfg.columns.insert(
        "k".into(),
        drift_core::config::ColumnConfig {
            kind: Some(drift_core::ColumnKind::Categorical),
            ..Default::default()
        },
    );
    let r = compare(
        &[RecordBatch::try_from_iter([("k", ra)]).unwrap()],
        &[RecordBatch::try_from_iter([("k", ca)]).unwrap()],
        &cfg,
    )
    .unwrap();
    let c = &r.columns[0];
    assert_eq!(c.kind, Some(drift_core::ColumnKind::Categorical));
    let unseen = c
        .signals
        .iter()
        .find(|s| s.signal == "unseen_categories_share")
        .unwrap();
    assert!((unseen.current - 0.2).abs() < 1e-15);
    assert!(unseen.alert);
}
