//! Plot data: the histograms and ECDF curves the reports draw, from the
//! two sorted sides.

use crate::kernels::sorted::{Sorted, SortedSample};
use crate::report::Plot;
use crate::stats::psi::histogram_sorted;

pub(crate) fn numeric_plot(a: &Sorted, b: &Sorted, bins: usize) -> Plot {
    let lo = a.at(0).min(b.at(0));
    let hi = a.at(a.len() - 1).max(b.at(b.len() - 1));
    let edges: Vec<f64> = if lo == hi {
        vec![lo - 0.5, hi + 0.5]
    } else {
        let mut e: Vec<f64> = (0..=bins)
            .map(|k| lo + (hi - lo) * (k as f64 / bins as f64))
            .collect();
        e[bins] = hi;
        e
    };
    let share = |s: &Sorted| -> Vec<f64> {
        histogram_sorted(s, &edges)
            .into_iter()
            .map(|c| c as f64 / s.len() as f64)
            .collect()
    };
    let pts = 128usize;
    let xs: Vec<f64> = if lo == hi {
        vec![lo]
    } else {
        (0..=pts)
            .map(|k| lo + (hi - lo) * (k as f64 / pts as f64))
            .collect()
    };
    let ecdf = |s: &Sorted| -> Vec<f64> {
        xs.iter()
            .map(|&x| s.count_le(x) as f64 / s.len() as f64)
            .collect()
    };
    Plot::Numeric {
        reference: share(a),
        current: share(b),
        ecdf_reference: ecdf(a),
        ecdf_current: ecdf(b),
        ecdf_x: xs,
        edges,
    }
}

pub(crate) fn categorical_plot(cats: &[String], rc: &[u64], cc: &[u64], k: usize) -> Plot {
    let rt = rc.iter().sum::<u64>().max(1) as f64;
    let ct = cc.iter().sum::<u64>().max(1) as f64;
    let mut idx: Vec<usize> = (0..cats.len()).collect();
    let weight = |i: usize| rc[i] as f64 / rt + cc[i] as f64 / ct;
    idx.sort_by(|&x, &y| {
        weight(y)
            .total_cmp(&weight(x))
            .then_with(|| cats[x].cmp(&cats[y]))
    });
    let keep = &idx[..idx.len().min(k)];
    let r: Vec<f64> = keep.iter().map(|&i| rc[i] as f64 / rt).collect();
    let c: Vec<f64> = keep.iter().map(|&i| cc[i] as f64 / ct).collect();
    let other = (
        (1.0 - r.iter().sum::<f64>()).max(0.0),
        (1.0 - c.iter().sum::<f64>()).max(0.0),
    );
    Plot::Categorical {
        categories: keep
            .iter()
            .map(|&i| crate::report::report_label(&cats[i]))
            .collect(),
        reference: r,
        current: c,
        other,
    }
}
