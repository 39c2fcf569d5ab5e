#!/usr/bin/env python3
"""Deterministic reference/current Parquet pairs for the end-to-end benchmark.

    python3 benches/e2e/gen.py --rows 1000000 --out benches/data/M
    python3 benches/e2e/gen.py --rows 10000000 --out benches/data/L

20 columns: 12 float64 of varied shapes (normal, lognormal, uniform, bimodal,
heavy-tailed, one with NaN, one with nulls, one with many duplicates, ...),
2 int64 (10 values; wide), 4 strings (cardinality 3, 20, 200, 5000 with new
categories only in current), 1 bool, 1 timestamp. About a third of the
columns drift. Snappy, 1M-row row groups, written chunk by chunk (bounded
memory). Strings are stored as plain `string` columns (Parquet dictionary
pages), as pandas/polars write them.
"""
import argparse, os
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

CHUNK = 1_000_000
DRIFTED = ["f_normal_shift", "f_lognormal", "f_bimodal", "i_ten", "s_20", "b_flag", "ts"]

def labels(prefix, k):
    return np.array([f"{prefix}{i:05d}" for i in range(k)], dtype=object)

def chunk(rng, n, current):
    d = 1.0 if current else 0.0
    cols = {}
    cols["f_normal"] = rng.normal(0, 1, n)
    cols["f_normal_shift"] = rng.normal(0.15 * d, 1, n)
    cols["f_lognormal"] = rng.lognormal(0.1 * d, 0.8, n)
    cols["f_uniform"] = rng.uniform(-1, 1, n)
    w = 0.3 + 0.2 * d
    cols["f_bimodal"] = np.where(rng.random(n) < w, rng.normal(-2, 0.5, n), rng.normal(2, 0.5, n))
    cols["f_heavy"] = rng.standard_t(2, n)
    x = rng.normal(5, 2, n); x[rng.random(n) < 0.05] = np.nan
    cols["f_with_nan"] = x
    cols["f_exponential"] = rng.exponential(1.0, n)
    cols["f_dups"] = np.round(rng.normal(50, 10, n))  # ~100 distinct values
    cols["f_gamma"] = rng.gamma(2.0, 2.0, n)
    cols["f_beta"] = rng.beta(2, 5, n)
    t = {k: pa.array(v) for k, v in cols.items()}
    nv = rng.normal(100, 15, n)
    t["f_with_nulls"] = pa.array(nv, mask=rng.random(n) < 0.1)
    p10 = np.array([0.2, 0.15, 0.15, 0.1, 0.1, 0.08, 0.07, 0.06, 0.05, 0.04])
    if current:
        p10 = p10[::-1]
    t["i_ten"] = pa.array(rng.choice(10, n, p=p10).astype(np.int64))
    t["i_wide"] = pa.array(rng.integers(-10**12, 10**12, n, dtype=np.int64))
    for name, k, new in [("s_3", 3, 0), ("s_20", 20, 0), ("s_200", 200, 0), ("s_5000", 5000, 50)]:
        kk = k + (new if current else 0)
        if name == "s_20" and current:
            p = np.linspace(2, 1, kk); p /= p.sum()
            idx = rng.choice(kk, n, p=p)
        else:
            idx = rng.integers(0, kk, n)
        t[name] = pa.DictionaryArray.from_arrays(pa.array(idx.astype(np.int32)), pa.array(labels(name[2:] + "_", kk))).cast(pa.string())
    t["b_flag"] = pa.array(rng.random(n) < (0.5 + 0.1 * d))
    base = np.datetime64("2026-01-01T00:00:00", "us").astype(np.int64)
    t["ts"] = pa.array(base + rng.integers(0, 86400 * 1_000_000 * (90 + 20 * int(current)), n), type=pa.timestamp("us"))
    return pa.table(t)

def write(path, rows, seed, current, make=chunk, chunk_rows=CHUNK, compression="snappy"):
    """Writes `rows` rows made by `make(rng, n, current)`, chunk by chunk."""
    rng = np.random.default_rng(seed)
    writer = None
    done = 0
    while done < rows:
        n = min(chunk_rows, rows - done)
        tbl = make(rng, n, current)
        if writer is None:
            writer = pq.ParquetWriter(path, tbl.schema, compression=compression)
        writer.write_table(tbl, row_group_size=chunk_rows)
        done += n
    writer.close()

def run(make=chunk, seeds=(1, 2), chunk_rows=CHUNK, compression="snappy"):
    """The command line shared by the generators: --rows N --out DIR."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    for f, seed, current in [("reference.parquet", seeds[0], False), ("current.parquet", seeds[1], True)]:
        write(os.path.join(a.out, f), a.rows, seed, current, make, chunk_rows, compression)
        print(f, os.path.getsize(os.path.join(a.out, f)) // 1_000_000, "MB")

if __name__ == "__main__":
    run()
