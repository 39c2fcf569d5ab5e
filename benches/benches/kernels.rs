//! Criterion benches of drift-core's kernels and of a whole numeric column.
//!
//! Run: `cargo bench -p drift-benches --bench kernels` (add `-- sort` etc. to
//! filter). The targets are *ratios* measured in the same run:
//! * sort: `sort_f64` vs `sort_unstable_by(f64::total_cmp)` at 1M and 10M,
//!   random and many-duplicates data (at 10M `sort_f64` runs on the rayon
//!   pool; `drift_sort_f64_1thread` is the same kernel on one thread);
//! * ecdf: the one-pass merge vs sorting the same two samples;
//! * column: extract + sort + ks + wasserstein + psi of 10M vs 10M, vs the
//!   sort of the two samples alone;
//! * dispatch: each multiversioned kernel's scalar vs AVX2 build (the
//!   figure that justifies its runtime dispatch), extraction vs a plain loop;
//! * window: 10k-row window against a fitted 10M-row reference;
//! * ties: on real-shaped tie-heavy columns, the representation drift
//!   chooses (`Sorted::of`: runs of (value, count) from one hash pass) vs
//!   the radix sort of the same values (`Sorted::values_of`) vs the std
//!   sort, and the statistics over runs (`ecdf_groups`) vs the merge over
//!   sorted values, plus a 10k window against a fitted reference held as
//!   runs vs as values.

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use drift_benches::{f64_batch, few_distinct_vec, normal_vec, tie_shape_vec};
use drift_core::kernels::buffer::BufferPool;
use drift_core::kernels::sorted::Sorted;
use drift_core::kernels::{ecdf, extract, histogram, moments, sort};
use drift_core::{Config, Reference};

fn sizes() -> Vec<usize> {
    match std::env::var("DRIFT_BENCH_QUICK") {
        Ok(_) => vec![100_000],
        Err(_) => vec![1_000_000, 10_000_000],
    }
}

fn bench_sort(c: &mut Criterion) {
    let mut g = c.benchmark_group("sort");
    // the engine sorts with its run's buffer pool (warm scratch)
    let pool = BufferPool::new(2);
    g.sample_size(10);
    for n in sizes() {
        for (shape, data) in [
            ("random", normal_vec(1, n, 0.0)),
            ("dups100", few_distinct_vec(2, n, 100)),
        ] {
            g.throughput(Throughput::Bytes((n * 8) as u64));
            g.bench_with_input(
                BenchmarkId::new(format!("drift_sort_f64/{shape}"), n),
                &data,
                |b, d| {
                    b.iter_batched_ref(
                        || d.clone(),
                        |v| sort::sort_f64_in(v, &pool),
                        BatchSize::LargeInput,
                    )
                },
            );
            if n >= sort::PARALLEL_SORT_MIN {
                // the same kernel held to one thread (the std sort is serial)
                let one = rayon::ThreadPoolBuilder::new()
                    .num_threads(1)
                    .build()
                    .expect("pool");
                g.bench_with_input(
                    BenchmarkId::new(format!("drift_sort_f64_1thread/{shape}"), n),
                    &data,
                    |b, d| {
                        b.iter_batched_ref(
                            || d.clone(),
                            |v| one.install(|| sort::sort_f64_in(v, &pool)),
                            BatchSize::LargeInput,
                        )
                    },
                );
            }
            g.bench_with_input(
                BenchmarkId::new(format!("std_sort_unstable_by_total_cmp/{shape}"), n),
                &data,
                |b, d| {
                    b.iter_batched_ref(
                        || d.clone(),
                        |v| v.sort_unstable_by(f64::total_cmp),
                        BatchSize::LargeInput,
                    )
                },
            );
        }
    }
    g.finish();
}

fn bench_ecdf(c: &mut Criterion) {
    let mut g = c.benchmark_group("ecdf");
    g.sample_size(10);
    for n in sizes() {
        let mut a = normal_vec(3, n, 0.0);
        let mut b = normal_vec(4, n, 0.05);
        let (ua, ub) = (a.clone(), b.clone());
        sort::sort_f64(&mut a);
        sort::sort_f64(&mut b);
        g.throughput(Throughput::Bytes((2 * n * 8) as u64));
        g.bench_function(BenchmarkId::new("merge_ks_w1", n), |bn| {
            bn.iter(|| ecdf::ecdf_merge(&a, &b))
        });
        g.bench_function(BenchmarkId::new("sort_both_samples", n), |bn| {
            bn.iter_batched_ref(
                || (ua.clone(), ub.clone()),
                |(x, y)| {
                    sort::sort_f64(x);
                    sort::sort_f64(y);
                },
                BatchSize::LargeInput,
            )
        });
        let t = few_distinct_vec(5, n, 50);
        let mut ta = t.clone();
        sort::sort_f64(&mut ta);
        let mut tb = few_distinct_vec(6, n, 50);
        sort::sort_f64(&mut tb);
        g.bench_function(BenchmarkId::new("merge_ks_w1_ties50", n), |bn| {
            bn.iter(|| ecdf::ecdf_merge(&ta, &tb))
        });
    }
    g.finish();
}

fn bench_ties(c: &mut Criterion) {
    let mut g = c.benchmark_group("ties");
    g.sample_size(10);
    for n in sizes() {
        for shape in ["geometric", "cents", "zero_inflated", "int_100k"] {
            let data = tie_shape_vec(11, n, shape);
            g.throughput(Throughput::Bytes((n * 8) as u64));
            g.bench_with_input(
                BenchmarkId::new(format!("drift_sorted_of/{shape}"), n),
                &data,
                |b, d| b.iter_batched(|| d.clone(), Sorted::of, BatchSize::LargeInput),
            );
            g.bench_with_input(
                BenchmarkId::new(format!("drift_radix_values/{shape}"), n),
                &data,
                |b, d| b.iter_batched(|| d.clone(), Sorted::values_of, BatchSize::LargeInput),
            );
            g.bench_with_input(
                BenchmarkId::new(format!("std_sort_unstable_by_total_cmp/{shape}"), n),
                &data,
                |b, d| {
                    b.iter_batched_ref(
                        || d.clone(),
                        |v| v.sort_unstable_by(f64::total_cmp),
                        BatchSize::LargeInput,
                    )
                },
            );
            let other = tie_shape_vec(12, n, shape);
            let (ra, rb) = (Sorted::of(data.clone()), Sorted::of(other.clone()));
            let (Sorted::Values(va), Sorted::Values(vb)) =
                (Sorted::values_of(data.clone()), Sorted::values_of(other))
            else {
                unreachable!()
            };
            g.throughput(Throughput::Bytes((2 * n * 8) as u64));
            g.bench_function(
                BenchmarkId::new(format!("ecdf_groups_as_chosen/{shape}"), n),
                |bn| bn.iter(|| ecdf::ecdf_groups(&ra, &rb)),
            );
            g.bench_function(
                BenchmarkId::new(format!("ecdf_merge_values/{shape}"), n),
                |bn| bn.iter(|| ecdf::ecdf_merge(&va, &vb)),
            );
            if shape == "geometric" {
                let mut w = tie_shape_vec(13, 10_000, shape);
                sort::sort_f64(&mut w);
                let idx = ecdf::PrefixIndex::new(&va);
                g.throughput(Throughput::Elements(10_000));
                g.bench_function(BenchmarkId::new("window_10k_vs_runs_reference", n), |bn| {
                    bn.iter(|| ecdf::ecdf_groups(&ra, &w[..]))
                });
                g.bench_function(
                    BenchmarkId::new("window_10k_vs_values_reference", n),
                    |bn| bn.iter(|| ecdf::ecdf_search(&va, &idx, &w)),
                );
            }
        }
    }
    g.finish();
}

/// One slot at a time: the plain loop the extraction kernel replaces.
fn extract_plain(values: &[f64], out: &mut Vec<f64>) -> (u64, u64) {
    let (mut nan, mut inf) = (0, 0);
    for &x in values {
        if x.is_nan() {
            nan += 1;
        } else if x.is_infinite() {
            inf += 1;
        } else {
            out.push(x + 0.0);
        }
    }
    (nan, inf)
}

/// The kernels built twice (`multiversion!`): each one's scalar and AVX2
/// builds side by side, the figure that justifies its runtime dispatch, plus
/// the extraction kernel against the plain loop.
fn bench_simple_kernels(c: &mut Criterion) {
    let mut g = c.benchmark_group("dispatch");
    let n = 1_000_000;
    let mut v = normal_vec(7, n, 0.0);
    for i in (0..n).step_by(97) {
        v[i] = f64::NAN;
    }
    let clean = normal_vec(8, n, 0.0);
    let mut sorted = clean.clone();
    sort::sort_f64(&mut sorted);
    let other: Vec<f64> = sorted.iter().map(|x| x * 1.01 + 0.02).collect();
    g.throughput(Throughput::Bytes((n * 8) as u64));
    g.bench_function("extract_f64/kernel", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(n);
            extract::extract_f64(&v, None, &mut out)
        })
    });
    g.bench_function("extract_f64/plain_loop", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(n);
            extract_plain(&v, &mut out)
        })
    });
    g.bench_function("extract_f64/kernel_all_finite", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(n);
            extract::extract_f64(&clean, None, &mut out)
        })
    });
    g.bench_function("extract_f64/plain_loop_all_finite", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(n);
            extract_plain(&clean, &mut out)
        })
    });
    let mut out = Vec::with_capacity(n);
    g.bench_function("append_normalised_checked/scalar_build", |b| {
        b.iter(|| {
            out.clear();
            extract::append_normalised_checked::scalar(&clean, &mut out)
        })
    });
    g.bench_function("sorted_sums/scalar_build", |b| {
        b.iter(|| moments::sorted_sums::scalar(&sorted, 0.5, 1.0))
    });
    g.bench_function("abs_diff_sum/scalar_build", |b| {
        b.iter(|| ecdf::abs_diff_sum::scalar(&sorted, &other))
    });
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY (all three): AVX2 detected just above.
        g.bench_function("append_normalised_checked/avx2_build", |b| {
            b.iter(|| {
                out.clear();
                unsafe { extract::append_normalised_checked::avx2(&clean, &mut out) }
            })
        });
        g.bench_function("sorted_sums/avx2_build", |b| {
            b.iter(|| unsafe { moments::sorted_sums::avx2(&sorted, 0.5, 1.0) })
        });
        g.bench_function("abs_diff_sum/avx2_build", |b| {
            b.iter(|| unsafe { ecdf::abs_diff_sum::avx2(&sorted, &other) })
        });
    }
    g.bench_function("moments_of_sorted/dispatch", |b| {
        b.iter(|| moments::Moments::of_sorted(&sorted))
    });
    g.bench_function("bin_counts_sorted/10_bins", |b| {
        b.iter(|| {
            histogram::bin_counts_sorted(
                &sorted[..],
                &[-1.28, -0.84, -0.52, -0.25, 0.0, 0.25, 0.52, 0.84, 1.28],
            )
        })
    });
    g.finish();
}

fn bench_column(c: &mut Criterion) {
    let mut g = c.benchmark_group("column");
    g.sample_size(10);
    let n = *sizes().last().expect("size");
    let a = normal_vec(9, n, 0.0);
    let b = normal_vec(10, n, 0.02);
    let (ra, rb) = (f64_batch(a.clone()), f64_batch(b.clone()));
    let cfg = Config {
        numeric_tests: vec![
            drift_core::TestKind::Ks,
            drift_core::TestKind::Wasserstein,
            drift_core::TestKind::Psi,
        ],
        ..Config::default()
    };
    g.throughput(Throughput::Bytes((2 * n * 8) as u64));
    g.bench_function(BenchmarkId::new("whole_numeric_column", n), |bn| {
        bn.iter(|| {
            drift_core::compare(std::slice::from_ref(&ra), std::slice::from_ref(&rb), &cfg)
                .expect("compare")
        })
    });
    g.bench_function(BenchmarkId::new("sort_two_samples_only", n), |bn| {
        bn.iter_batched_ref(
            || (a.clone(), b.clone()),
            |(x, y)| rayon::join(|| sort::sort_f64(x), || sort::sort_f64(y)),
            BatchSize::LargeInput,
        )
    });
    let reference = Reference::fit(std::slice::from_ref(&ra), &cfg).expect("fit");
    let window = f64_batch(normal_vec(11, 10_000, 0.1));
    reference
        .compare(std::slice::from_ref(&window))
        .expect("warm");
    g.bench_function(
        BenchmarkId::new("window_10k_vs_fitted_reference", n),
        |bn| {
            bn.iter(|| {
                reference
                    .compare(std::slice::from_ref(&window))
                    .expect("compare")
            })
        },
    );
    g.finish();
}

criterion_group!(
    benches,
    bench_sort,
    bench_ties,
    bench_ecdf,
    bench_simple_kernels,
    bench_column
);
criterion_main!(benches);
