"""Independent reads of one result run at the same time, each on its own cursor.

Most of the report's and the slides' reads are over tables of fewer than DuckDB's 122,880 rows a
row group (the plan, the step events, the cases, the services' links), so each runs on one core;
two of them at once use the second one. DuckDB executes without Python's lock, and each cursor is
its own connection to the same database (a read sees what is committed, as a fresh cursor does).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import duckdb

WORKERS = 2  # the reads of a page at once: more would only take cores from other visitors

Read = Callable[[duckdb.DuckDBPyConnection], Any]


def read_together(conn: duckdb.DuckDBPyConnection, reads: list[Read]) -> list[Any]:
    """Each read's result, in the order given; the first error of a read is raised."""
    if len(reads) < 2:
        return [read(conn) for read in reads]
    cursors = [conn.cursor() for _ in reads]
    try:
        with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="read") as pool:
            futures = [pool.submit(read, cur) for read, cur in zip(reads, cursors, strict=True)]
            return [f.result() for f in futures]
    finally:
        for cur in cursors:
            cur.close()
