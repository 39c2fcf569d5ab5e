#!/usr/bin/env python3
"""Tie benchmark: drift vs the DuckDB scan vs the scipy loop on real-shaped
single columns (see shapes.py), at 1M and 10M rows per side, in one run.

    python3 benches/e2e/run_shapes.py --rows 1M,10M --runs 3

For every shape and size the tools run alternating, each starting with the
two files in the page cache, and the table reports median wall times and the
ratios the tie work is judged by: drift / drift on the continuous `normal`
column of the same size, drift / DuckDB scan, scipy loop / drift, and the
growth of drift's time per element from 1M to 10M. drift's numbers are checked
against the scipy loop's (a mismatch fails the run). Results go to
benches/README.md between the RESULTS SHAPES markers.
"""
import argparse, datetime, json, os, platform, statistics, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import HERE, ROOT, run, warm, cross_check, fmt_t  # noqa: E402

ROWS = {"1M": 1_000_000, "10M": 10_000_000}
SHAPES = ["normal", "int_100", "int_1k", "int_10k", "int_100k", "poisson", "price_cents", "meas_1dp",
          "meas_2dp", "zero_inflated", "ts_seconds", "int_ids", "bool_int", "flights_dep_delay",
          "flights_air_time"]


def ensure(size):
    d = os.path.join(ROOT, "benches", "data", "shapes", size)
    if not all(os.path.exists(os.path.join(d, s, "current.parquet")) for s in SHAPES):
        print(f"generating {size} shapes in {d} ...", file=sys.stderr)
        subprocess.check_call([sys.executable, os.path.join(HERE, "shapes.py"), "--rows", str(ROWS[size]), "--out", d])
    return d


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", default="1M,10M")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--scipy-runs", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only", default=None, help="comma-separated shapes (normal is always run)")
    ap.add_argument("--no-write", action="store_true")
    a = ap.parse_args()
    sizes = a.rows.split(",")
    shapes = SHAPES if not a.only else ["normal"] + [s for s in a.only.split(",") if s != "normal"]
    subprocess.check_call(["cargo", "build", "--release", "--quiet", "-p", "drift-cli"], cwd=ROOT)
    drift = os.path.join(ROOT, "target", "release", "drift")
    med = {}  # (size, shape, tool) -> median wall
    distinct = {}
    checked = 0
    for size in sizes:
        d = ensure(size)
        for shape in shapes:
            ref, cur = os.path.join(d, shape, "reference.parquet"), os.path.join(d, shape, "current.parquet")
            out_json = os.path.join(d, shape, "drift.json")
            tools = {
                "drift": [drift, "compare", ref, cur, "--json", out_json, "--quiet", "--fail-on", "never",
                          "--threads", str(a.threads), "--no-progress"],
                "duckdb": [sys.executable, os.path.join(HERE, "duckdb_scan.py"), ref, cur],
                "scipy": [sys.executable, os.path.join(HERE, "scipy_loop.py"), ref, cur],
            }
            res = {k: [] for k in tools}
            scipy_out = None
            names = list(tools)
            for r in range(a.runs):
                for k in names[r % 3:] + names[:r % 3]:
                    if k == "scipy" and len(res[k]) >= a.scipy_runs:
                        continue
                    warm(ref, cur)
                    wall, _, _, out = run(tools[k], ok=(0, 1) if k == "drift" else (0,))
                    res[k].append(wall)
                    if k == "scipy":
                        scipy_out = out
            checked += cross_check(open(out_json).read(), scipy_out)
            col = json.load(open(out_json))["columns"][0]
            distinct[(size, shape)] = col["reference"].get("distinct")
            for k, v in res.items():
                med[(size, shape, k)] = statistics.median(v)
            print(f"{size} {shape}: drift {med[(size, shape, 'drift')]:.3f} s, duckdb {med[(size, shape, 'duckdb')]:.3f} s, "
                  f"scipy {med[(size, shape, 'scipy')]:.2f} s", file=sys.stderr)
    lines = [
        f"{datetime.date.today()}, {platform.machine()}, {os.cpu_count()} cores; one column per side, medians of {a.runs} runs "
        f"(scipy loop: {a.scipy_runs}), drift on {a.threads} threads. Command: `python3 benches/e2e/run_shapes.py --rows {a.rows} --runs {a.runs}`",
        "",
        "| shape | rows/side | distinct (ref) | drift | DuckDB scan | scipy loop | drift / normal | drift / scan | scipy / drift |"
        + (" ns/elem 10M ÷ 1M |" if len(sizes) > 1 else ""),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if len(sizes) > 1 else ""),
    ]
    for size in sizes:
        base = med[(size, "normal", "drift")]
        for shape in shapes:
            dr, dk, sp = (med[(size, shape, k)] for k in ("drift", "duckdb", "scipy"))
            row = (f"| {shape} | {size} | {distinct[(size, shape)]:,} | {dr:.3f} s | {dk:.3f} s | {fmt_t(sp)} | "
                   f"{dr / base:.2f}× | {dr / dk:.2f}× | {sp / dr:.0f}× |")
            if len(sizes) > 1:
                lo, hi = sizes[0], sizes[-1]
                g = (med[(hi, shape, "drift")] / ROWS[hi]) / (med[(lo, shape, "drift")] / ROWS[lo])
                row += f" {g:.2f} |" if size == hi else " |"
            lines.append(row)
    lines += ["", f"numbers checked equal to the scipy loop's: {checked}", ""]
    text = "\n".join(lines)
    print(text)
    if not a.no_write:
        path = os.path.join(ROOT, "benches", "README.md")
        doc = open(path).read()
        start, end = "<!-- RESULTS SHAPES -->", "<!-- /RESULTS SHAPES -->"
        if start in doc:
            pre, rest = doc.split(start, 1)
            doc = pre + start + "\n" + text + "\n" + end + rest.split(end, 1)[1]
        else:
            doc += f"\n{start}\n{text}\n{end}\n"
        open(path, "w").write(doc)


if __name__ == "__main__":
    main()
