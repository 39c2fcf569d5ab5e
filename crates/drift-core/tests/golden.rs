//! Statistics checked against scipy/numpy golden values
//! (fixtures/golden/golden.json, produced by fixtures/golden/make.py).
#![allow(clippy::unwrap_used)] // tests fail loudly by design

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use drift_core::config::Config;
use drift_core::report::{ColumnReport, Report};
use drift_core::PsiBinning;
use drift_core::{compare, Reference, TestKind};
use serde_json::Value;
use std::sync::Arc;

fn golden() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/golden/golden.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("golden.json")).expect("valid json")
}

/// The generator of make.py, bit for bit.
fn gen(spec: &Value) -> Vec<f64> {
    if let Some(a) = spec.as_array() {
        return a.iter().map(|v| v.as_f64().unwrap()).collect();
    }
    let seed = spec["seed"].as_u64().unwrap();
    let n = spec["n"].as_u64().unwrap() as usize;
    let kind = spec["kind"].as_str().unwrap();
    let sh = spec.get("shift").and_then(Value::as_f64).unwrap_or(0.0);
    let sc = spec.get("scale").and_then(Value::as_f64).unwrap_or(1.0);
    let mut s = seed.wrapping_mul(0x9E3779B97F4A7C15).wrapping_add(1);
    let mut next = move || {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        s.wrapping_mul(0x2545F4914F6CDD1D) >> 11
    };
    let unit = 2f64.powi(-53);
    (0..n)
        .map(|_| match kind {
            "uniform" => next() as f64 * unit * sc + sh,
            "normalish" => {
                let mut t = 0.0;
                for _ in 0..4 {
                    t += next() as f64 * unit;
                }
                (t - 2.0) * sc + sh
            }
            "ties" => (next() % spec["k"].as_u64().unwrap()) as f64 * sc + sh,
            k => panic!("unknown kind {k}"),
        })
        .collect()
}

fn close_rel(name: &str, what: &str, got: f64, want: f64, rel: f64) {
    let ok = got == want || (got - want).abs() <= rel * want.abs().max(f64::MIN_POSITIVE);
    assert!(
        ok,
        "{name}: {what}: got {got:e}, want {want:e} (rel err {:e})",
        ((got - want) / want).abs()
    );
}

fn close_p(name: &str, got: f64, want: f64) {
    let ok = (got - want).abs() <= 1e-9 || (got - want).abs() <= 1e-6 * want.abs();
    assert!(ok, "{name}: p-value: got {got:e}, want {want:e}");
}

fn batch(v: &[f64]) -> RecordBatch {
    RecordBatch::try_from_iter([("x", Arc::new(Float64Array::from(v.to_vec())) as ArrayRef)])
        .unwrap()
}

fn test_of(c: &ColumnReport, t: TestKind) -> &drift_core::report::TestResult {
    c.tests
        .iter()
        .find(|r| r.test == t)
        .unwrap_or_else(|| panic!("{}: no {t:?}", c.name))
}

fn check_numeric(case: &Value, report: &Report, evidently: bool) {
    let name = case["name"].as_str().unwrap();
    let c = &report.columns[0];
    let ks = test_of(c, TestKind::Ks);
    close_rel(
        name,
        "ks statistic",
        ks.statistic.unwrap(),
        case["ks_statistic"].as_f64().unwrap(),
        1e-12,
    );
    close_p(
        name,
        ks.p_value.unwrap(),
        case["ks_p_value"].as_f64().unwrap(),
    );
    assert_eq!(
        serde_json::to_value(ks.method).unwrap(),
        case["ks_method"],
        "{name}: ks method"
    );
    let w = test_of(c, TestKind::Wasserstein);
    close_rel(
        name,
        "wasserstein",
        w.statistic.unwrap(),
        case["wasserstein"].as_f64().unwrap(),
        1e-12,
    );
    match case["normalized"].as_f64() {
        Some(want) => close_rel(name, "normalized", w.normalized.unwrap(), want, 1e-12),
        None => assert!(w.normalized.is_none(), "{name}: normalized should be null"),
    }
    close_rel(
        name,
        "ref std",
        c.reference.std.unwrap(),
        case["ref_std"].as_f64().unwrap(),
        1e-12,
    );
    close_rel(
        name,
        "ref mean",
        c.reference.mean.unwrap(),
        case["ref_mean"].as_f64().unwrap(),
        1e-12,
    );
    let psi = test_of(c, TestKind::Psi);
    if evidently {
        close_rel(
            name,
            "psi evidently",
            psi.statistic.unwrap(),
            case["psi_evidently"].as_f64().unwrap(),
            1e-12,
        );
    } else {
        close_rel(
            name,
            "psi",
            psi.statistic.unwrap(),
            case["psi_quantile"].as_f64().unwrap(),
            1e-12,
        );
        let edges = psi.binning.as_ref().unwrap().edges.as_ref().unwrap();
        let want: Vec<f64> = case["psi_edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        assert_eq!(edges.len(), want.len(), "{name}: edge count");
        for (g, w) in edges.iter().zip(&want) {
            close_rel(name, "psi edge", *g, *w, 1e-12);
        }
    }
}

#[test]
fn numeric_cases_match_scipy() {
    let g = golden();
    for case in g["numeric"].as_array().unwrap() {
        let (a, b) = (gen(&case["reference"]), gen(&case["current"]));
        let report = compare(&[batch(&a)], &[batch(&b)], &Config::default()).unwrap();
        check_numeric(case, &report, false);
        // ks is symmetric: swapping sides keeps D and p
        let swapped = compare(&[batch(&b)], &[batch(&a)], &Config::default()).unwrap();
        let (k1, k2) = (
            test_of(&report.columns[0], TestKind::Ks),
            test_of(&swapped.columns[0], TestKind::Ks),
        );
        assert_eq!(k1.statistic, k2.statistic);
        assert_eq!(k1.p_value, k2.p_value);
        // Evidently-compatible PSI
        let cfg = Config {
            psi_binning: PsiBinning::Evidently,
            ..Config::default()
        };
        check_numeric(
            case,
            &compare(&[batch(&a)], &[batch(&b)], &cfg).unwrap(),
            true,
        );
    }
}

#[test]
fn fitted_reference_matches_scipy_on_every_window() {
    let g = golden();
    for case in g["numeric"].as_array().unwrap() {
        let (a, b) = (gen(&case["reference"]), gen(&case["current"]));
        // reference fitted from several batches, including a sliced one
        let mid = a.len() / 2;
        let full = Float64Array::from(a.clone());
        let batches: Vec<RecordBatch> = vec![
            RecordBatch::try_from_iter([("x", Arc::new(full.slice(0, mid)) as ArrayRef)]).unwrap(),
            RecordBatch::try_from_iter([(
                "x",
                Arc::new(full.slice(mid, a.len() - mid)) as ArrayRef,
            )])
            .unwrap(),
        ];
        let reference = Reference::fit(&batches, &Config::default()).unwrap();
        check_numeric(case, &reference.compare(&[batch(&b)]).unwrap(), false);
    }
}

#[test]
fn kstwo_matches_scipy() {
    let g = golden();
    for c in g["kstwo"].as_array().unwrap() {
        let (n, d, want) = (
            c["n"].as_u64().unwrap(),
            c["d"].as_f64().unwrap(),
            c["sf"].as_f64().unwrap(),
        );
        let got = drift_core::stats::kolmogorov::kstwo_sf(d, n);
        close_p(&format!("kstwo.sf({d}, {n})"), got, want);
    }
}

fn expand(counts: &Value) -> Vec<String> {
    let mut keys: Vec<&String> = counts.as_object().unwrap().keys().collect();
    keys.sort();
    let mut v = Vec::new();
    for k in keys {
        for _ in 0..counts[k.as_str()].as_u64().unwrap() {
            v.push(k.clone());
        }
    }
    v
}

#[test]
fn chi2_and_categorical_psi_match_scipy() {
    let g = golden();
    for case in g["chi2"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let mk = |v: Vec<String>| {
            RecordBatch::try_from_iter([("c", Arc::new(StringArray::from(v)) as ArrayRef)]).unwrap()
        };
        let (a, b) = (mk(expand(&case["reference"])), mk(expand(&case["current"])));
        for mode in [PsiBinning::Quantile, PsiBinning::Evidently] {
            let cfg = Config {
                psi_binning: mode,
                ..Config::default()
            };
            let r = compare(std::slice::from_ref(&a), std::slice::from_ref(&b), &cfg).unwrap();
            let c = &r.columns[0];
            let chi = test_of(c, TestKind::Chi2);
            close_rel(
                name,
                "chi2",
                chi.statistic.unwrap(),
                case["statistic"].as_f64().unwrap(),
                1e-12,
            );
            close_p(
                name,
                chi.p_value.unwrap(),
                case["p_value"].as_f64().unwrap(),
            );
            assert_eq!(chi.dof, case["dof"].as_u64(), "{name}: dof");
            let key = if mode == PsiBinning::Quantile {
                "psi_quantile"
            } else {
                "psi_evidently"
            };
            close_rel(
                name,
                key,
                test_of(c, TestKind::Psi).statistic.unwrap(),
                case[key].as_f64().unwrap(),
                1e-12,
            );
        }
    }
}
