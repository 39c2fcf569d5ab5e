#!/usr/bin/env python3
"""The scan floor: DuckDB reads the same columns of both files and computes
count/min/max/sum (count/min/max for strings), with 2 threads."""
import sys
import duckdb
con = duckdb.connect()
con.execute("SET threads = 2")
for path in sys.argv[1:3]:
    cols = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
    exprs = []
    for name, typ, *_ in cols:
        q = '"' + name.replace('"', '""') + '"'
        if typ.startswith(("VARCHAR", "BOOLEAN", "TIMESTAMP", "DATE")):
            exprs += [f"count({q})", f"min({q})", f"max({q})"]
        else:
            exprs += [f"count({q})", f"min({q})", f"max({q})", f"sum({q})"]
    con.execute(f"SELECT {', '.join(exprs)} FROM read_parquet('{path}')").fetchall()
