#!/usr/bin/env python3
"""The loop a careful user writes by hand: pyarrow read, scipy tests, numpy PSI.
Prints a JSON dict of per-column results (for the runner's cross-check)."""
import json, sys
import numpy as np
import pyarrow.parquet as pq
import pyarrow as pa
import pyarrow.compute as pac
from scipy import stats

def counts(col):
    vc = pac.value_counts(col.drop_null())
    return {str(v): c for v, c in zip(vc.field("values").to_pylist(), vc.field("counts").to_pylist())}

ref_path, cur_path = sys.argv[1], sys.argv[2]
rt = pq.read_table(ref_path)
ct = pq.read_table(cur_path)
out = {}
for name in rt.column_names:
    r, c = rt.column(name), ct.column(name)
    typ = r.type
    if pa.types.is_string(typ) or pa.types.is_boolean(typ):
        rv = counts(r)
        cv = counts(c)
        keys = sorted(set(rv) | set(cv))
        table = np.array([[rv.get(k, 0) for k in keys], [cv.get(k, 0) for k in keys]])
        chi = stats.chi2_contingency(table, correction=False)
        pr = table[0] / table[0].sum(); pc = table[1] / table[1].sum()
        pr = np.where(pr == 0, 1e-4, pr); pc = np.where(pc == 0, 1e-4, pc)
        out[name] = {"chi2": float(chi.statistic), "chi2_p": float(chi.pvalue), "psi": float(np.sum((pc - pr) * np.log(pc / pr)))}
    else:
        if pa.types.is_timestamp(typ):
            per_s = {"s": 1, "ms": 1e3, "us": 1e6, "ns": 1e9}[typ.unit]
            a = r.cast(pa.int64()).to_numpy(zero_copy_only=False).astype(np.float64) / per_s
            b = c.cast(pa.int64()).to_numpy(zero_copy_only=False).astype(np.float64) / per_s
        elif pa.types.is_date32(typ):  # days, as seconds (drift's unit for dates)
            a = r.cast(pa.int32()).to_numpy(zero_copy_only=False).astype(np.float64) * 86400
            b = c.cast(pa.int32()).to_numpy(zero_copy_only=False).astype(np.float64) * 86400
        else:
            a = r.to_numpy(zero_copy_only=False).astype(np.float64)
            b = c.to_numpy(zero_copy_only=False).astype(np.float64)
        a = a[np.isfinite(a)]; b = b[np.isfinite(b)]
        ks = stats.ks_2samp(a, b)
        w = stats.wasserstein_distance(a, b)
        a.sort()
        edges = [np.quantile(a, k / 10) for k in range(1, 10)]
        edges = sorted(set(edges))
        pr = np.bincount(np.searchsorted(edges, a, side="left"), minlength=len(edges) + 1) / len(a)
        pc = np.bincount(np.searchsorted(edges, b, side="left"), minlength=len(edges) + 1) / len(b)
        pr = np.where(pr == 0, 1e-4, pr); pc = np.where(pc == 0, 1e-4, pc)
        out[name] = {"ks": float(ks.statistic), "ks_p": float(ks.pvalue), "wasserstein": float(w), "psi": float(np.sum((pc - pr) * np.log(pc / pr)))}
print(json.dumps(out))
