"""Independent reads of one result run at the same time, each on its own cursor.

The region overview's, the effects report's and the WZK slides' reads scan tables of fewer rows
than DuckDB's row group (122,880: the plan, the step events, the cases, the services' links, even
at national scale), and DuckDB parallelises a scan by row group, so each read runs on one core;
two of them at once use the second one. DuckDB executes without Python's lock, and each cursor is
its own connection to the same database: a read sees what is committed, as a fresh cursor does,
so a caller inside a transaction must not use this for reads of its own uncommitted writes.
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
