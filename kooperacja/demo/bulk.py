"""National demo: frames inserted in bulk, a sample of their rows validated by the records."""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from kooperacja import warehouse
from kooperacja.model.records import Record
from kooperacja.programme.harmonogram import PLAN_INPUTS, refresh_plan_dates

# Big tables are built as numpy/pandas frames and inserted with one INSERT … SELECT each; the
# pydantic records validate every 1000th row of those (and every row of the small tables), since
# validating a million reports one by one would take longer than the whole build.

EPOCH = date(1970, 1, 1)
SAMPLE_EVERY = 1000


def _days(d: date) -> int:
    return (d - EPOCH).days


def _dates(days: Any, present: Any = None) -> Any:
    """Int days since 1970 → datetime64[D]; NaT where `present` is False."""
    import numpy as np

    out = np.asarray(days, dtype="int64").astype("datetime64[D]")
    if present is not None:
        out = np.where(present, out, np.datetime64("NaT"))
    return out


def _bulk(cur: duckdb.DuckDBPyConnection, cls: type[Record], frame: Any, every: int = SAMPLE_EVERY) -> int:
    """Insert a frame into cls.TABLE after validating a sample of its rows through the record."""
    import pandas as pd

    if frame.empty:
        return 0
    for row in frame.iloc[::every].to_dict("records"):
        clean = {k: (None if not isinstance(v, list) and pd.isna(v) else v) for k, v in row.items()}
        clean = {k: (v.date() if isinstance(v, pd.Timestamp) else v) for k, v in clean.items()}
        cls(**clean)
    cols = ", ".join(warehouse.ident(c) for c in frame.columns)
    cur.register("_national", frame)
    try:
        cur.execute(f"INSERT INTO {warehouse.ident(cls.TABLE)} ({cols}) SELECT {cols} FROM _national")
    finally:
        cur.unregister("_national")
    if cls.TABLE in PLAN_INPUTS:
        refresh_plan_dates(cur)  # the kept plan dates follow the pilot rows and the shifts
    return len(frame)
