#!/usr/bin/env python3
"""Reference profiles, end to end: `drift compare REF CUR` vs `drift fit REF`
vs `drift compare REF.drift CUR`, timed side by side in one run (rotating
order, files in the page cache), plus the profile's size against the
reference Parquet file's.

    python3 benches/e2e/profiles.py --size M --runs 3
    python3 benches/e2e/profiles.py --size L --runs 3

Data: gen.py's files under benches/data/SIZE (generated on first use, as
run.py does). Targets (issue #10): fit ≤ 0.7× compare; compare via the
profile ≤ 0.6× compare; profile size ≤ the reference file's.
"""
import argparse, os, statistics, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from run import ROOT, run, warm, ensure_data  # noqa: E402

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="M", choices=["M", "L"])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--gen", default="gen")
    ap.add_argument("--drift", default=os.path.join(ROOT, "target", "release", "drift"))
    a = ap.parse_args()
    ref, cur = ensure_data(a.size, a.gen)
    prof = os.path.join(os.path.dirname(ref), "reference.drift")
    d = a.drift
    cmds = {
        "compare REF CUR": [d, "compare", ref, cur, "--format", "json", "-o", os.devnull],
        "fit REF": [d, "fit", ref, "-o", prof, "--quiet"],
        "compare REF.drift CUR": [d, "compare", prof, cur, "--format", "json", "-o", os.devnull],
    }
    subprocess.check_call(cmds["fit REF"])
    # same columns and verdict, byte for byte
    out = {}
    for k in ("compare REF CUR", "compare REF.drift CUR"):
        c = cmds[k][:-2] + ["-o", os.path.join(os.path.dirname(ref), k.split()[1].replace(".", "_") + ".json")]
        subprocess.run(c, check=False)
    import json
    j1 = json.load(open(os.path.join(os.path.dirname(ref), "REF.json")))
    j2 = json.load(open(os.path.join(os.path.dirname(ref), "REF_drift.json")))
    same = json.dumps([j1["columns"], j1["summary"]]) == json.dumps([j2["columns"], j2["summary"]])
    if not same:
        sys.exit("the profile's report differs from the raw reference's")
    times = {k: [] for k in cmds}
    order = list(cmds)
    for r in range(a.runs):
        for k in order[r % len(order):] + order[:r % len(order)]:
            warm(ref, cur, prof)
            wall, cpu, rss, _ = run(cmds[k], ok=(0, 1))
            times[k].append((wall, cpu, rss))
    med = {k: tuple(statistics.median(x[i] for x in v) for i in range(3)) for k, v in times.items()}
    base = med["compare REF CUR"][0]
    print(f"### {a.size}: profiles (median of {a.runs} runs, {os.cpu_count()} cores)\n")
    print("| command | wall s | CPU s | peak RSS MB | wall / compare REF CUR |")
    print("|---|---:|---:|---:|---:|")
    for k, (w, c, m) in med.items():
        print(f"| `drift {k}` | {w:.2f} | {c:.2f} | {m / 1e6:.0f} | {w / base:.2f} |")
    rs, ps = os.path.getsize(ref), os.path.getsize(prof)
    print(f"\nProfile size {ps / 1e6:.1f} MB vs reference file {rs / 1e6:.1f} MB ({ps / rs:.2f}x); reports identical in `columns` and `summary`: {same}.")

if __name__ == "__main__":
    main()
