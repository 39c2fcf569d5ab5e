#!/usr/bin/env python3
"""Evidently's DataDriftPreset on the same files (optional peer)."""
import sys
import pyarrow.parquet as pq
from evidently import Report
from evidently.presets import DataDriftPreset
ref = pq.read_table(sys.argv[1]).to_pandas()
cur = pq.read_table(sys.argv[2]).to_pandas()
Report([DataDriftPreset()]).run(cur, ref)
