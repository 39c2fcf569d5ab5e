//! Invariants: p-values in [0, 1], symmetry, identical samples never drift,
//! SIMD builds equal scalar bit for bit, thread count does not change the
//! report, reports never contain NaN/Infinity, no panics on edge inputs.
#![allow(clippy::unwrap_used)] // tests fail loudly by design

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use drift_core::{compare, Config, TestKind};
use proptest::prelude::*;
use std::sync::Arc;

fn batch(v: Vec<Option<f64>>) -> RecordBatch {
    RecordBatch::try_from_iter([("x", Arc::new(Float64Array::from(v)) as ArrayRef)]).unwrap()
}

/// No NaN/Infinity tokens, and required numbers are never null (serde_json
/// would silently turn a NaN into null).
fn assert_finite_json(r: &drift_core::Report) {
    let json = serde_json::to_string(r).unwrap();
    for bad in [":NaN", ":Infinity", ":-Infinity", ":inf"] {
        assert!(!json.contains(bad), "{bad} in {json}");
    }
    fn walk(v: &serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    if [
                        "share_drifted",
                        "missing_share",
                        "threshold",
                        "count",
                        "valid",
                    ]
                    .contains(&k.as_str())
                    {
                        assert!(x.is_number(), "{k} is {x}");
                    }
                    walk(x);
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(walk),
            _ => {}
        }
    }
    walk(&serde_json::to_value(r).unwrap());
}

fn value() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        8 => (-100i32..100).prop_map(|x| Some(x as f64 * 0.25)),
        4 => (-1e6f64..1e6).prop_map(Some),
        1 => Just(None),
        1 => Just(Some(f64::NAN)),
        1 => Just(Some(f64::INFINITY)),
        1 => Just(Some(-0.0)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn p_values_in_unit_interval_and_ks_symmetric(a in proptest::collection::vec(value(), 0..120), b in proptest::collection::vec(value(), 0..120)) {
        let cfg = Config { numeric_tests: vec![TestKind::Ks, TestKind::Wasserstein, TestKind::Psi], ..Config::default() };
        let (ra, rb) = (batch(a), batch(b));
        let r1 = compare(std::slice::from_ref(&ra), std::slice::from_ref(&rb), &cfg).unwrap();
        let r2 = compare(&[rb], &[ra], &cfg).unwrap();
        for t in r1.columns.iter().flat_map(|c| &c.tests) {
            if let Some(p) = t.p_value { prop_assert!((0.0..=1.0).contains(&p)); }
        }
        let ks = |r: &drift_core::Report| r.columns[0].tests.iter().find(|t| t.test == TestKind::Ks).map(|t| (t.statistic, t.p_value));
        prop_assert_eq!(ks(&r1), ks(&r2));
        assert_finite_json(&r1);
    }

    #[test]
    fn identical_samples_never_drift(a in proptest::collection::vec(value(), 1..200)) {
        let r = compare(&[batch(a.clone())], &[batch(a)], &Config { decision: drift_core::Decision::Any, ..Config::default() }).unwrap();
        prop_assert!(!r.columns[0].drift);
        for t in &r.columns[0].tests {
            prop_assert!(!t.drift, "{:?}", t);
        }
    }

    #[test]
    fn simd_builds_equal_scalar(v in proptest::collection::vec(-1e12f64..1e12, 0..300)) {
        use drift_core::kernels::moments::sorted_sums;
        use drift_core::kernels::extract::append_normalised_checked;
        use drift_core::kernels::ecdf::abs_diff_sum;
        let w: Vec<f64> = v.iter().rev().map(|x| x * 0.3 + 1.0).collect();
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: AVX2 detected.
            unsafe {
                let (mut x, mut y) = (Vec::new(), Vec::new());
                let mut wv = v.clone();
                if wv.len() > 3 { wv[1] = f64::NAN; wv[2] = -0.0; wv[3] = f64::INFINITY; }
                prop_assert_eq!(append_normalised_checked::avx2(&wv, &mut x), append_normalised_checked::scalar(&wv, &mut y));
                prop_assert_eq!(x.iter().map(|f| f.to_bits()).collect::<Vec<_>>(), y.iter().map(|f| f.to_bits()).collect::<Vec<_>>());
                prop_assert_eq!(abs_diff_sum::avx2(&v, &w).to_bits(), abs_diff_sum::scalar(&v, &w).to_bits());
                let mut sv = v.clone();
                sv.sort_by(f64::total_cmp);
                let (x, y) = (sorted_sums::avx2(&sv, 0.75, 0.5), sorted_sums::scalar(&sv, 0.75, 0.5));
                prop_assert_eq!((x.0.to_bits(), x.1.to_bits(), x.2.to_bits(), x.3), (y.0.to_bits(), y.1.to_bits(), y.2.to_bits(), y.3));
            }
        }
    }
}

proptest! {
    /// evaluate(update(all)) == evaluate(merge(update(parts))), for numeric,
    /// categorical and failed (skipped) accumulators.
    #[test]
    fn accumulator_merge_equals_one_pass(v in proptest::collection::vec(value(), 0..300), cuts in proptest::collection::vec(0usize..300, 0..4)) {
        use arrow_array::Array;
        use drift_core::ColumnPlan;
        use arrow_schema::DataType;
        let cfg = Config::default();
        let num = Float64Array::from(v.clone());
        let cat = StringArray::from(
            v.iter()
                .map(|x| x.map(|x| format!("c{}", (x.abs() as i64) % 7)))
                .collect::<Vec<_>>(),
        );
        let mut bounds: Vec<usize> = cuts.into_iter().map(|c| c.min(v.len())).collect();
        bounds.push(0);
        bounds.push(v.len());
        bounds.sort_unstable();
        // numeric, categorical, and a skipped column (a binary type)
        for (dtype, arr) in [
            (DataType::Float64, &num as &dyn Array),
            (DataType::Utf8, &cat as &dyn Array),
            (DataType::Binary, &num as &dyn Array),
        ] {
            let plan = ColumnPlan::for_reference("x", &dtype, &cfg);
            let fresh = || plan.accumulator(v.len());
            let mut whole = fresh();
            whole.update(arr);
            let mut merged = fresh();
            for w in bounds.windows(2) {
                let mut part = fresh();
                part.update(arr.slice(w[0], w[1] - w[0]).as_ref());
                merged.merge(part);
            }
            prop_assert_eq!(format!("{:?}", whole.finish()), format!("{:?}", merged.finish()), "{:?}", dtype);
        }
    }

    #[test]
    fn one_pass_sorted_moments_match_two_pass(v in proptest::collection::vec(-1e6f64..1e6, 1..500), off in prop_oneof![Just(0.0), Just(1e9), Just(-3e-7)], dup in 1usize..4) {
        use drift_core::kernels::moments::Moments;
        let mut v: Vec<f64> = v.iter().map(|x| (x / dup as f64).round() * dup as f64 + off).collect();
        v.sort_by(f64::total_cmp);
        let (m, distinct) = Moments::of_sorted(&v);
        // the reference: numpy's two-pass mean and std, with compensated sums
        let ksum = |it: &mut dyn Iterator<Item = f64>| {
            let (mut s, mut c) = (0.0f64, 0.0f64);
            for x in it {
                let t = s + x;
                c += if s.abs() >= x.abs() { (s - t) + x } else { (x - t) + s };
                s = t;
            }
            s + c
        };
        let nf = v.len() as f64;
        let mean = ksum(&mut v.iter().copied()) / nf;
        let std = (ksum(&mut v.iter().map(|x| (x - mean) * (x - mean))) / nf).sqrt();
        let r = Moments { count: v.len() as u64, min: v[0], max: v[v.len() - 1], mean, std };
        let mut d = v.clone();
        d.dedup();
        prop_assert_eq!(distinct, d.len() as u64);
        prop_assert_eq!((m.count, m.min, m.max), (r.count, r.min, r.max));
        prop_assert!((m.mean - r.mean).abs() <= 1e-13 * r.mean.abs().max(r.std), "{} vs {}", m.mean, r.mean);
        prop_assert!((m.std - r.std).abs() <= 1e-12 * r.std.max(1e-300), "{} vs {}", m.std, r.std);
        // the same sample held as runs: same count, range and distinct
        // count, mean and std as accurate
        let runs = drift_core::kernels::sorted::count_runs(&v, usize::MAX).unwrap();
        let (q, qd) = Moments::of_runs(&runs);
        prop_assert_eq!((q.count, q.min, q.max, qd), (m.count, m.min, m.max, distinct));
        prop_assert!((q.mean - r.mean).abs() <= 1e-13 * r.mean.abs().max(r.std), "{} vs {}", q.mean, r.mean);
        prop_assert!((q.std - r.std).abs() <= 1e-12 * r.std.max(1e-300), "{} vs {}", q.std, r.std);
    }
}

#[test]
fn thread_count_does_not_change_report() {
    let mk = |seed: u64, shift: f64| {
        let mut s = seed;
        let v: Vec<f64> = (0..(1 << 21) + 5)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                (s >> 11) as f64 / 9e15 + shift
            })
            .collect();
        let cats: Vec<String> = (0..1000)
            .map(|i| format!("c{}", (i * seed as usize) % 17))
            .collect();
        (
            RecordBatch::try_from_iter([("x", Arc::new(Float64Array::from(v)) as ArrayRef)])
                .unwrap(),
            RecordBatch::try_from_iter([("c", Arc::new(StringArray::from(cats)) as ArrayRef)])
                .unwrap(),
        )
    };
    let (a, ac) = mk(7, 0.0);
    let (b, bc) = mk(11, 0.001);
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let r1 = serde_json::to_string(
                &compare(
                    std::slice::from_ref(&a),
                    std::slice::from_ref(&b),
                    &Config::default(),
                )
                .unwrap(),
            )
            .unwrap();
            let r2 = serde_json::to_string(
                &compare(
                    std::slice::from_ref(&ac),
                    std::slice::from_ref(&bc),
                    &Config::default(),
                )
                .unwrap(),
            )
            .unwrap();
            (r1, r2)
        })
    };
    assert_eq!(run(1), run(2));
    assert_eq!(run(2), run(4));
}

#[test]
fn edge_inputs_do_not_panic() {
    let schema = Arc::new(Schema::new(vec![Field::new("x", DataType::Float64, true)]));
    let empty = RecordBatch::new_empty(schema);
    let all_null = batch(vec![None, None, None]);
    let one = batch(vec![Some(1.0)]);
    let nan_inf = batch(vec![
        Some(f64::NAN),
        Some(f64::INFINITY),
        Some(f64::NEG_INFINITY),
    ]);
    let cases = [&empty, &all_null, &one, &nan_inf];
    for a in cases {
        for b in cases {
            let r = compare(
                std::slice::from_ref(a),
                std::slice::from_ref(b),
                &Config::default(),
            )
            .unwrap();
            assert_finite_json(&r);
            let c = &r.columns[0];
            if c.reference.valid == 0 || c.current.valid == 0 {
                assert_eq!(c.status, drift_core::report::ColumnStatus::NoData);
                assert!(c.tests.is_empty());
            }
        }
    }
    // empty batch lists are an error, not a panic
    assert!(compare(&[], std::slice::from_ref(&one), &Config::default()).is_err());
    // constant reference: normalised W1 is null, drift iff W1 > 0
    let r = compare(
        &[batch(vec![Some(2.0); 50])],
        &[batch(vec![Some(2.0); 49])],
        &Config::default(),
    )
    .unwrap();
    let w = r.columns[0]
        .tests
        .iter()
        .find(|t| t.test == TestKind::Wasserstein)
        .unwrap();
    assert_eq!(
        (w.statistic, w.normalized, w.drift),
        (Some(0.0), None, false)
    );
}

#[test]
fn correction_and_effect_gate() {
    let a: Vec<Option<f64>> = (0..5000).map(|i| Some((i % 1000) as f64)).collect();
    let b: Vec<Option<f64>> = (0..5000).map(|i| Some((i % 1000) as f64 + 40.0)).collect();
    let mut cfg = Config {
        decision: drift_core::Decision::Ks,
        ..Config::default()
    };
    let r = compare(&[batch(a.clone())], &[batch(b.clone())], &cfg).unwrap();
    let ks = r.columns[0]
        .tests
        .iter()
        .find(|t| t.test == TestKind::Ks)
        .unwrap()
        .clone();
    assert!(ks.drift && ks.p_value.unwrap() < 0.05);
    // effect gate: D = 0.04 is below a 0.05 floor, so no drift although p is small
    cfg.ks.min_effect = Some(0.05);
    let r = compare(&[batch(a.clone())], &[batch(b.clone())], &cfg).unwrap();
    assert!(!r.columns[0].drift);
    cfg.ks.min_effect = None;
    cfg.correction = drift_core::Correction::Bonferroni;
    let r = compare(&[batch(a)], &[batch(b)], &cfg).unwrap();
    let t = r.columns[0]
        .tests
        .iter()
        .find(|t| t.test == TestKind::Ks)
        .unwrap();
    assert_eq!(t.p_value_adjusted, t.p_value); // a family of one
}
