#!/usr/bin/env python3
"""Exact mean and std (rational arithmetic over the distinct values) of a
one-column Parquet file, and the relative error of the `reference` mean/std
in each drift JSON report given:

    python3 benches/e2e/exact_moments.py benches/data/shapes/10M/meas_2dp/reference.parquet a.json b.json
"""
import json, math, sys
from fractions import Fraction
import numpy as np
import pyarrow.parquet as pq

col = pq.read_table(sys.argv[1]).column(0).drop_null().to_numpy()
col = col[np.isfinite(col)]
vals, cnt = np.unique(col, return_counts=True)
n = len(col)
mean = sum(Fraction(float(v)) * int(c) for v, c in zip(vals, cnt)) / n
var = sum((Fraction(float(v)) - mean) ** 2 * int(c) for v, c in zip(vals, cnt)) / n
m, s = float(mean), math.sqrt(float(var))
print(f"exact mean {m!r} std {s!r}; numpy.std rel err {abs(float(np.std(col)) - s) / s:.2e}")
for path in sys.argv[2:]:
    r = json.load(open(path))["columns"][0]["reference"]
    print(f"{path}: mean rel err {abs(r['mean'] - m) / max(abs(m), 1e-300):.2e}, std rel err {abs(r['std'] - s) / s:.2e}")
