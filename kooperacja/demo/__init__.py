"""The demo warehouse: a region in the pilot with every date laid relative to today.

`build_demo(path)` makes a fresh file. The pilot scale lays the demo programme (fictional
institutions, people and cases) over the real gminy of a województwo from the shipped TERC
register, with their boundaries for the map (kujawsko-pomorskie, 04, unless `woj` says otherwise);
the national scale does it over the whole country (the benchmark). `fictional=True` keeps the
fictional województwo (and synthetic country) the tests pin their figures on.
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
from kooperacja.territory import reference

DEMO_WOJ = "04"  # kujawsko-pomorskie: its ROPS in Toruń led the partnership that wrote the model

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
    fictional: bool = False,
) -> dict[str, int]:
    """Replace the file at `path` with a demo warehouse; returns the row count of every table.

    Same `today`, same content: everything is drawn from `random.Random(42)`.
    """
    today = today or date.today()
    say = progress or (lambda _msg: None)
    path = Path(path)
    if scale not in ("pilot", "national"):
        raise ValueError(f"nieznana skala demo: {scale}")
    if scale == "pilot" and not fictional:
        woj = woj or DEMO_WOJ
        if terc_bytes is None:
            reference.check_woj(woj)
    for old in (path, path.with_name(path.name + ".wal")):
        old.unlink(missing_ok=True)
    conn = warehouse.connect(path)
    try:
        if terc_bytes is not None:
            from kooperacja.territory.terc import import_terc

            say("Import rejestru TERC…")
            import_terc(conn, terc_bytes, woj if scale == "pilot" else None, "demo")
        elif not fictional:
            say("Terytorium i granice gmin z dołączonego rejestru…")
            reference.load(conn, woj if scale == "pilot" else None, "demo", say)
        real = not fictional or terc_bytes is not None
        if scale == "national":
            build_national(conn, today, say, synthetic=not real)
        else:
            with warehouse.transaction(conn) as cur:
                _PilotDemo(cur, today, say, real=real, woj=woj).build()
        say("Gotowe.")
        return warehouse.table_counts(conn)
    finally:
        conn.close()
