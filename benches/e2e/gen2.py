#!/usr/bin/env python3
"""A second, independent whole-file generator for the end-to-end benchmark
(drift's kernels were never tuned against it): other types, other shapes,
other seeds than gen.py.

    python3 benches/e2e/gen2.py --rows 10000000 --out benches/data/L2

20 columns per side, shaped like a production events table: int32 counts,
int32/float32 columns with 5-50 % nulls, float32 measurements, prices in
cents (float64 and decimal128), zero-inflated amounts, int8 codes, uint16
ports, int64 ids, a date and a second-resolution timestamp, a bool, and three
strings (cardinality 12, and two of 50,000: user and session ids). About a
third of the columns drift. zstd (polars' default codec), 512k-row row
groups, written chunk by chunk (bounded memory).
"""
import numpy as np
import pyarrow as pa

from gen import run  # the shared writer and command line

CHUNK = 1 << 19
T0 = 1_780_000_000  # 2026-05-28


def ids(prefix, k):
    return pa.array([f"{prefix}{i:06d}" for i in range(k)])


USERS = ids("user_", 50_000)
SESSIONS = ids("sess_", 50_000)
MONTHS = pa.array(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])


def nulls(rng, n, share):
    return rng.random(n) < share


def chunk(rng, n, cur):
    d = 1.0 if cur else 0.0
    t = {}
    t["clicks_i32"] = pa.array(rng.poisson(3 + 0.3 * d, n).astype(np.int32))
    t["retries_i32_nulls"] = pa.array(np.minimum(rng.geometric(0.3, n), 50).astype(np.int32), mask=nulls(rng, n, 0.2))
    t["temp_f32"] = pa.array((rng.normal(21.5, 3.0, n)).astype(np.float32))
    t["humidity_f32_nulls"] = pa.array(np.round(rng.beta(5, 3 - 0.3 * d, n) * 100, 1).astype(np.float32), mask=nulls(rng, n, 0.5))
    t["price_cents"] = pa.array(np.round(rng.lognormal(2.5 + 0.05 * d, 0.9, n), 2), mask=nulls(rng, n, 0.05))
    cents = np.round(rng.lognormal(3, 1.2, n) * 100).astype(np.int64)
    words = np.zeros((n, 2), dtype=np.int64)
    words[:, 0] = cents  # non-negative: the high word is 0
    t["total_decimal"] = pa.Array.from_buffers(pa.decimal128(18, 2), n, [None, pa.py_buffer(words.tobytes())])
    z = np.round(rng.exponential(40, n), 2)
    z[rng.random(n) < 0.8 - 0.05 * d] = 0.0
    t["refund_zero_inflated"] = pa.array(z)
    t["latency_ms"] = pa.array(np.round(rng.lognormal(4 + 0.1 * d, 0.6, n), 1))
    t["score_f64"] = pa.array(rng.standard_normal(n) * 0.7 + rng.uniform(0, 1, n))
    t["code_i8"] = pa.array(rng.choice(np.arange(-3, 9, dtype=np.int8), n, p=np.linspace(2, 1, 12) / np.linspace(2, 1, 12).sum()))
    t["port_u16"] = pa.array(rng.integers(1024, 65535, n).astype(np.uint16))
    t["account_id_i64"] = pa.array(rng.integers(0, 5_000_000_000, n, dtype=np.int64))
    t["age_days_i64_nulls"] = pa.array(np.minimum(rng.zipf(1.6, n), 20_000).astype(np.int64), mask=nulls(rng, n, 0.1))
    t["day_date32"] = pa.array((T0 // 86400 + rng.integers(0, 365 + int(30 * d), n)).astype(np.int32)).cast(pa.date32())
    t["event_ts_s"] = pa.array(T0 + rng.integers(0, 14 * 86400, n), type=pa.timestamp("s"))
    t["is_mobile"] = pa.array(rng.random(n) < 0.55 + 0.05 * d)
    t["month"] = pa.DictionaryArray.from_arrays(pa.array(rng.integers(0, 12, n).astype(np.int32)), MONTHS).cast(pa.string())
    p_users = rng.zipf(1.3, n) % 50_000 if not cur else rng.integers(0, 50_000, n)
    t["user_id"] = USERS.take(pa.array(p_users.astype(np.int64)))
    t["session_id"] = SESSIONS.take(pa.array(rng.integers(0, 50_000, n)))
    t["ratio_f64_inf"] = pa.array(np.where(rng.random(n) < 0.01, np.inf, rng.gamma(1.5, 1.0, n)), mask=nulls(rng, n, 0.05))
    return pa.table(t)


if __name__ == "__main__":
    run(chunk, seeds=(101, 202), chunk_rows=CHUNK, compression="zstd")
