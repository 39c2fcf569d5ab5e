#!/usr/bin/env python3
"""Wide tables: the cost of a comparison as the number of columns grows.

    python3 benches/e2e/wide.py --columns 1000,2000,4000,10000 --rows 1000

Writes reference/current files of N columns x ROWS rows under
benches/data/wide/N/ (one row group each, as pyarrow writes them: 80% float64,
10% int64 counts, 10% strings), then times, side by side per N:
`drift compare` (all columns), `drift fit`, `drift compare ref.drift CUR`, and
pyarrow reading both files whole (the floor a Python tool starts from);
medians of --runs runs.
Time should grow linearly in N: the table shows seconds per 1,000 columns.
"""
import argparse, os, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))

def gen(n, rows, out, seed):
    import numpy as np, pyarrow as pa, pyarrow.parquet as pq
    rng = np.random.default_rng(seed)
    cols = {}
    for i in range(n):
        k = i % 10
        if k < 8:
            cols[f"f{i}"] = rng.normal(size=rows) + (0.1 if seed == 2 and i % 7 == 0 else 0)
        elif k == 8:
            cols[f"n{i}"] = rng.poisson(3, size=rows).astype("int64")
        else:
            cols[f"s{i}"] = pa.array([f"c{x}" for x in rng.integers(0, 20, size=rows)])
    pq.write_table(pa.table(cols), out)

def timed(cmd, ok=(0, 1)):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if p.returncode not in ok:
        sys.exit(f"{' '.join(cmd)}: exit {p.returncode}: {p.stderr.decode()[-500:]}")
    return time.perf_counter() - t0

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--columns", default="1000,2000,4000,10000")
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--drift", default=os.path.join(ROOT, "target", "release", "drift"))
    ap.add_argument("--runs", type=int, default=3, help="median of this many runs")
    a = ap.parse_args()
    print("| columns | drift compare s | s per 1k cols | drift fit s | compare ref.drift s | pyarrow read both s |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in [int(x) for x in a.columns.split(",")]:
        d = os.path.join(ROOT, "benches", "data", "wide", str(n))
        os.makedirs(d, exist_ok=True)
        r, c, prof = (os.path.join(d, x) for x in ("reference.parquet", "current.parquet", "ref.drift"))
        if not os.path.exists(c):
            gen(n, a.rows, r, 1); gen(n, a.rows, c, 2)
        import statistics
        import pyarrow.parquet as pq
        def pa_read():
            t0 = time.perf_counter(); pq.read_table(r); pq.read_table(c); return time.perf_counter() - t0
        med = lambda f: statistics.median(f() for _ in range(a.runs))
        t_cmp = med(lambda: timed([a.drift, "compare", r, c, "--quiet"]))
        t_fit = med(lambda: timed([a.drift, "fit", r, "-o", prof, "--quiet"]))
        t_prof = med(lambda: timed([a.drift, "compare", prof, c, "--quiet"]))
        t_pa = med(pa_read)
        print(f"| {n} | {t_cmp:.2f} | {t_cmp / n * 1000:.3f} | {t_fit:.2f} | {t_prof:.2f} | {t_pa:.2f} |", flush=True)

if __name__ == "__main__":
    main()
