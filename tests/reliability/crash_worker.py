"""A writer to be killed: `python crash_worker.py DB POINT` prints READY mid-write, then waits to die.

Points: "import" (a 3000-row registry import, after its first 1000-row chunk is written),
"meeting" (a meeting with 40 attendees, after 20 attendee rows), "committed" (a finished write, then
the process waits: what was committed must survive the kill).
"""

from __future__ import annotations

import sys
import time
from datetime import date

from kooperacja import warehouse
from kooperacja.exchange import workbook as exchange
from kooperacja.model.access import Actor
from kooperacja.programme import services as programme
from kooperacja.warehouse import store

ADMIN = Actor("admin", "admin")
GMINA = "3401011"


def _ready() -> None:
    print("READY", flush=True)
    time.sleep(60)  # the test kills the process long before this ends


def _events_csv(n: int) -> bytes:
    head = "Kod TERC gminy;Podkrok;Zdarzenie;Data;Wpisał(a);Uwagi"
    rows = [f"{GMINA};5.1;started;01.02.2026;admin;awaria {i}" for i in range(n)]
    return ("\n".join([head, *rows]) + "\n").encode("utf-8")


def main(db: str, point: str) -> None:
    conn = warehouse.connect(db)
    if point == "import":
        parsed = exchange.parse_file(_events_csv(3000), "awaria.csv")
        exchange.apply_import(conn, ADMIN, parsed, progress=lambda done, total: _ready())
    elif point == "meeting":
        real_insert, calls = store.insert, []

        def slow_insert(cur, username, record, terc=None):
            calls.append(record)
            if len(calls) == 20:
                _ready()
            return real_insert(cur, username, record, terc)

        programme.insert = slow_insert  # the module's own name for store.insert
        attendees = [(i, date(2026, 10, 1)) for i in range(1, 41)]
        programme.record_meeting(conn, ADMIN, {"kind": "pzk", "terc": GMINA, "held_on": date(2026, 10, 5)},
                                 attendees)  # fmt: skip
    elif point == "committed":
        programme.add_institution(
            conn,
            ADMIN,
            {"name": "Zapisane przed awarią", "sector": "ngo", "level": "gmina", "seat_terc": GMINA},
        )
        _ready()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
