"""The demo warehouse: a region in the pilot with every date laid relative to today.

`build_demo(path)` makes a fresh file. The pilot scale is a fictional województwo (or the real one
of a TERC register) that must look real to a ROPS animator; the national scale is the benchmark.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from kooperacja import warehouse
from kooperacja.demo.common import (
    DEMO_PASSWORD,
    DEMO_USERS,
    add_days,
    create_demo_users,
    month_start,
    workday,
    write_settings,
)
from kooperacja.demo.national import build_national
from kooperacja.demo.pilot import _PilotDemo

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_USERS",
    "add_days",
    "build_demo",
    "build_national",
    "create_demo_users",
    "month_start",
    "workday",
    "write_settings",
]


def build_demo(
    path: str | Path,
    *,
    scale: str = "pilot",
    terc_bytes: bytes | None = None,
    woj: str | None = None,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Replace the file at `path` with a demo warehouse; returns the row count of every table.

    Same `today`, same content: everything is drawn from `random.Random(42)`.
    """
    today = today or date.today()
    say = progress or (lambda _msg: None)
    path = Path(path)
    for old in (path, path.with_name(path.name + ".wal")):
        old.unlink(missing_ok=True)
    if scale not in ("pilot", "national"):
        raise ValueError(f"nieznana skala demo: {scale}")
    conn = warehouse.connect(path)
    try:
        if terc_bytes is not None:
            from kooperacja.territory.terc import import_terc

            say("Import rejestru TERC…")
            import_terc(conn, terc_bytes, woj if scale == "pilot" else None, "demo")
        if scale == "national":
            build_national(conn, today, say, synthetic=terc_bytes is None)
        else:
            with warehouse.transaction(conn) as cur:
                _PilotDemo(cur, today, say, real=terc_bytes is not None, woj=woj).build()
        say("Gotowe.")
        return warehouse.table_counts(conn)
    finally:
        conn.close()
