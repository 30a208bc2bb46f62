"""Several sessions at once on one shared connection (a cursor each, as the app does)."""

from __future__ import annotations

import re
import threading
import time
from datetime import date

import pytest

from kooperacja import warehouse, wzk
from kooperacja.model.access import Actor
from kooperacja.model.errors import StaleRecord
from kooperacja.model.records import Institution
from kooperacja.programme import services as programme
from kooperacja.warehouse import store
from tests.reliability_figures import record_figure

ADMIN = Actor("admin", "admin")
ANIMATOR = Actor("animator1", "animator", frozenset({"3401011"}))
TODAY = date(2026, 11, 24)
WRITERS = 20


@pytest.fixture
def conn(demo_conn):
    return demo_conn


def _all(workers: list[threading.Thread]) -> None:
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)


def test_the_second_of_two_saves_from_the_same_loaded_version_is_refused_naming_who_saved(conn):
    # Both sessions loaded recommendation 3 at version 1; the first saves, the second must reload.
    wzk.set_recommendation_status(conn, ADMIN, 3, "done", TODAY, TODAY, expected_version=1)
    with pytest.raises(StaleRecord) as stale:
        wzk.set_recommendation_status(conn, ADMIN, 3, "rejected", TODAY, TODAY, expected_version=1)
    assert re.fullmatch(
        r"Zmienił\(a\) admin \d\d\.\d\d\.\d{4} \d\d:\d\d — odśwież i spróbuj ponownie\.", stale.value.message
    )
    assert conn.execute(
        "SELECT status, row_version FROM recommendation WHERE recommendation_id = 3"
    ).fetchall() == [("done", 2)]


def test_two_sessions_saving_the_same_record_at_the_same_moment_one_wins_one_is_told(conn):
    zgl = conn.execute("SELECT zgloszenie_id FROM zgloszenie WHERE terc = '3401011'").fetchall()[0][0]
    conn.execute("UPDATE zgloszenie SET first_contact_on = NULL WHERE zgloszenie_id = ?", [zgl])
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def save(day: int) -> None:
        start.wait()
        try:
            programme.record_first_contact(
                conn, ANIMATOR, zgl, date(2026, 11, day), TODAY, expected_version=1
            )
            outcomes.append("saved")
        except StaleRecord:
            outcomes.append("stale")

    _all([threading.Thread(target=save, args=(d,)) for d in (20, 21)])
    assert sorted(outcomes) == ["saved", "stale"]


def test_twenty_writers_at_once_all_land(conn):
    before = warehouse.table_counts(conn)
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def write(n: int) -> None:
        start.wait()
        try:
            data = {"name": f"Instytucja {n}", "sector": "ngo", "level": "gmina", "seat_terc": "3401011"}
            programme.add_institution(conn, ADMIN, data)
            # and all at once on one row: DuckDB alone would say "Conflict on update!"
            wzk.set_recommendation_status(conn, ADMIN, 1, "done", TODAY, TODAY)
        except BaseException as exc:
            errors.append(exc)

    _all([threading.Thread(target=write, args=(n,)) for n in range(WRITERS)])
    assert errors == []
    after = warehouse.table_counts(conn)
    assert after["institution"] == before["institution"] + WRITERS
    assert after["audit_log"] == before["audit_log"] + 2 * WRITERS
    version = conn.execute("SELECT row_version FROM recommendation WHERE recommendation_id = 1").fetchall()
    assert version == [(1 + WRITERS,)]
    record_figure("równoczesnych piszących bez utraty zapisu", WRITERS)


def test_a_reader_sees_a_multi_row_write_all_or_nothing(conn):
    base = conn.execute("SELECT count(*) FROM institution").fetchall()[0][0]
    seen: set[int] = set()
    done = threading.Event()

    def read() -> None:
        cur = conn.cursor()
        while not done.is_set():
            seen.add(cur.execute("SELECT count(*) FROM institution").fetchall()[0][0])

    def write() -> None:
        with warehouse.transaction(conn) as cur:
            for n in range(50):
                store.insert(cur, "admin", Institution(name=f"Partia {n}", sector="ngo", level="gmina",
                                                       seat_terc="3401011"))  # fmt: skip
                time.sleep(0.002)
        time.sleep(0.05)
        done.set()

    _all([threading.Thread(target=read), threading.Thread(target=write)])
    assert seen <= {base, base + 50}
    assert base + 50 in seen
