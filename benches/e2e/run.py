#!/usr/bin/env python3
"""End-to-end benchmark: drift vs the DuckDB scan floor vs a hand-written
scipy loop (and optionally Evidently), timed side by side in one run.

    python3 benches/e2e/run.py --size M --runs 3
    python3 benches/e2e/run.py --size L --runs 3 --scipy-runs 1

Sizes: M = 1,000,000 rows per side, L = 10,000,000 (20 columns, see gen.py;
files are generated on first use under benches/data/). Each run executes
every tool once, in rotating order, each starting with both files in the page
cache (read once just before); the table reports medians of wall time,
CPU time (user+sys) and peak RSS of each process tree, and the ratios
drift/floor and scipy/drift. The numbers of several columns are checked
against the scipy loop: a mismatch fails the benchmark. Results are written
to benches/README.md between the RESULTS markers.

Needs: python3 with numpy, pyarrow, scipy, duckdb (pip install duckdb);
for --evidently: pip install evidently "pandas<3" (0.7.23 breaks with pandas 3);
evidently for --evidently.
"""
import argparse, datetime, json, os, platform, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SIZES = {"M": 1_000_000, "L": 10_000_000}

def run(cmd, env=None, ok=(0,)):
    """Runs cmd, returns (wall s, cpu s, peak RSS bytes, stdout)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out, err = b"", b""
    # wait4 gives this child's own rusage (ru_maxrss in KiB on Linux)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    out = p.stdout.read(); err = p.stderr.read()
    code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        sys.exit(f"{' '.join(cmd)} failed with {code}:\n{err.decode()[-2000:]}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss * 1024, out

def warm(*paths):
    """Reads the files once so every tool starts with them in the page cache
    (the scipy loop's and Evidently's multi-GB footprints can evict them, which
    would otherwise penalise whichever tool runs next)."""
    for p in paths:
        with open(p, "rb") as fh:
            while fh.read(1 << 24):
                pass

def ensure_data(size, gen="gen"):
    d = os.path.join(ROOT, "benches", "data", size + ("" if gen == "gen" else "-" + gen))
    if not os.path.exists(os.path.join(d, "current.parquet")):
        print(f"generating {size} data in {d} ...", file=sys.stderr)
        subprocess.check_call([sys.executable, os.path.join(HERE, gen + ".py"), "--rows", str(SIZES[size]), "--out", d])
    return os.path.join(d, "reference.parquet"), os.path.join(d, "current.parquet")

def close(a, b, rel=1e-9, abs_=0.0):
    return a == b or abs(a - b) <= max(rel * abs(b), abs_)

def cross_check(drift_json, scipy_json):
    rep = json.loads(drift_json)
    sp = json.loads(scipy_json)
    checked = 0
    for col in rep["columns"]:
        name = col["name"]
        if name not in sp:
            continue
        t = {x["test"]: x for x in col["tests"]}
        s = sp[name]
        pairs = []
        if "ks" in s:
            pairs += [("ks", t["ks"]["statistic"], s["ks"], 1e-12, 0), ("ks p", t["ks"]["p_value"], s["ks_p"], 1e-6, 1e-9),
                      ("wasserstein", t["wasserstein"]["statistic"], s["wasserstein"], 1e-9, 0), ("psi", t["psi"]["statistic"], s["psi"], 1e-9, 1e-15)]
        else:
            pairs += [("chi2", t["chi2"]["statistic"], s["chi2"], 1e-9, 0), ("chi2 p", t["chi2"]["p_value"], s["chi2_p"], 1e-6, 1e-9), ("psi", t["psi"]["statistic"], s["psi"], 1e-9, 1e-15)]
        for what, got, want, rel, ab in pairs:
            if got is None or not close(got, want, rel, ab):
                sys.exit(f"MISMATCH {name} {what}: drift {got!r} vs scipy {want!r}")
            checked += 1
    return checked

def fmt_t(x): return f"{x:.2f} s" if x < 100 else f"{x:.0f} s"
def fmt_m(x): return f"{x / 1e9:.2f} GB" if x >= 1e9 else f"{x / 1e6:.0f} MB"

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", choices=SIZES, default="M")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--scipy-runs", type=int, default=None, help="runs of the (slow) scipy loop; default --runs")
    ap.add_argument("--evidently", action="store_true", help="also time Evidently's DataDriftPreset (minutes)")
    ap.add_argument("--no-write", action="store_true", help="do not update benches/README.md")
    ap.add_argument("--gen", choices=["gen", "gen2"], default="gen", help="file generator: gen.py (the tuned-against set) or gen2.py (an independent one)")
    a = ap.parse_args()
    ref, cur = ensure_data(a.size, a.gen)
    key = a.size + ("" if a.gen == "gen" else "-" + a.gen)
    drift = os.path.join(ROOT, "target", "release", "drift")
    subprocess.check_call(["cargo", "build", "--release", "--quiet", "-p", "drift-cli"], cwd=ROOT)
    out_json = os.path.join(ROOT, "benches", "data", f"drift-{key}.json")
    tools = {
        "drift (2 threads)": [drift, "compare", ref, cur, "--json", out_json, "--quiet", "--fail-on", "never", "--threads", "2", "--no-progress"],
        "drift (1 thread)": [drift, "compare", ref, cur, "--json", out_json, "--quiet", "--fail-on", "never", "--threads", "1", "--no-progress"],
        "DuckDB scan (2 threads)": [sys.executable, os.path.join(HERE, "duckdb_scan.py"), ref, cur],
        "scipy loop": [sys.executable, os.path.join(HERE, "scipy_loop.py"), ref, cur],
    }
    if a.evidently:
        tools["Evidently DataDriftPreset"] = [sys.executable, os.path.join(HERE, "evidently_preset.py"), ref, cur]
    env = dict(os.environ)
    results = {k: [] for k in tools}
    scipy_out = None
    scipy_runs = a.scipy_runs if a.scipy_runs is not None else a.runs
    names = list(tools)
    for r in range(a.runs):
        order = names[r % len(names):] + names[:r % len(names)]
        for k in order:
            if k == "scipy loop" and len(results[k]) >= scipy_runs:
                continue
            if k.startswith("Evidently") and results[k]:
                continue
            warm(ref, cur)
            wall, cpu, rss, out = run(tools[k], env, ok=(0, 1) if k.startswith("drift") else (0,))
            results[k].append((wall, cpu, rss))
            if k == "scipy loop":
                scipy_out = out
            print(f"run {r + 1} {k}: {wall:.2f} s wall, {cpu:.2f} s cpu, {rss / 1e6:.0f} MB", file=sys.stderr)
    checked = cross_check(open(out_json).read(), scipy_out)
    print(f"cross-check: {checked} numbers equal to scipy's", file=sys.stderr)
    med = {k: tuple(statistics.median(x[i] for x in v) for i in range(3)) for k, v in results.items() if v}
    d2 = med["drift (2 threads)"]
    floor = med["DuckDB scan (2 threads)"]
    sp = med["scipy loop"]
    files = sum(os.path.getsize(p) for p in (ref, cur))
    lines = [
        f"### {key}: {SIZES[a.size]:,} rows × 20 columns per side, {a.gen}.py ({files / 1e6:.0f} MB of Parquet in all)",
        "",
        f"{datetime.date.today()}, {platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}; medians of {a.runs} runs (scipy loop: {scipy_runs}). Command: `python3 benches/e2e/run.py --size {a.size} --runs {a.runs}" + (f" --gen {a.gen}" if a.gen != "gen" else "") + (f" --scipy-runs {scipy_runs}" if scipy_runs != a.runs else "") + (" --evidently" if a.evidently else "") + "`",
        "",
        "| tool | wall | CPU | peak RSS |",
        "|---|---:|---:|---:|",
    ]
    for k, (w, c, m) in med.items():
        lines.append(f"| {k} | {fmt_t(w)} | {fmt_t(c)} | {fmt_m(m)} |")
    lines += [
        "",
        f"- drift / DuckDB scan floor (wall): **{d2[0] / floor[0]:.2f}×**",
        f"- scipy loop / drift (wall): **{sp[0] / d2[0]:.1f}×**",
        f"- drift 1 thread / 2 threads (wall): {med['drift (1 thread)'][0] / d2[0]:.2f}×",
        f"- numbers checked equal to the scipy loop's: {checked}",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not a.no_write:
        path = os.path.join(ROOT, "benches", "README.md")
        doc = open(path).read()
        start, end = f"<!-- RESULTS {key} -->", f"<!-- /RESULTS {key} -->"
        if start in doc:
            pre, rest = doc.split(start, 1)
            post = rest.split(end, 1)[1]
            doc = pre + start + "\n" + text + "\n" + end + post
        else:
            doc += f"\n{start}\n{text}\n{end}\n"
        open(path, "w").write(doc)

if __name__ == "__main__":
    main()
