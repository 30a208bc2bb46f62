"""Double submissions: each rendered form carries a one-time token; the same token writes once.

The sessions share one connection (a cursor each, as the app does); the second submit gets the first
submit's result back and the warehouse holds one row.
"""

from __future__ import annotations

import threading
import time
import uuid
from datetime import date

import pytest

from kooperacja.cases import core as cases
from kooperacja.model.access import Actor
from kooperacja.model.errors import InvalidInput
from kooperacja.programme import data_entry
from kooperacja.programme import services as programme

ANIMATOR = Actor("animator1", "animator", frozenset({"3401011"}))
OTHER = Actor("admin", "admin")
TODAY = date(2026, 11, 24)
GMINA = "3401011"


@pytest.fixture
def conn(demo_conn):
    return demo_conn


def _count(conn, table):
    return conn.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


def _step_event(conn, token, note="Protokół 12/2026", actor=ANIMATOR):
    substep = next(iter(data_entry.substep_choices(conn, GMINA)))
    return programme.record_step_event(
        conn, actor, terc=GMINA, substep=substep, kind="started", event_on=date(2026, 11, 20), today=TODAY,
        note=note, form_token=token,
    )  # fmt: skip


def _in_threads(*jobs):
    results, errors = [], []

    def run(job):
        try:
            results.append(job())
        except BaseException as exc:
            errors.append(exc)

    workers = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert errors == []
    return results


def test_two_submits_of_one_form_token_100_ms_apart_write_one_step_event(conn):
    token, before = uuid.uuid4().hex, _count(conn, "step_event")

    def late():
        time.sleep(0.1)
        return _step_event(conn, token)

    results = _in_threads(lambda: _step_event(conn, token), late)
    assert _count(conn, "step_event") == before + 1
    assert len(set(results)) == 1  # the second submit got the first one's event id
    assert conn.execute("SELECT count(*) FROM form_token WHERE token = ?", [token]).fetchall() == [(1,)]


def test_two_submits_of_one_case_registration_at_the_same_moment_register_one_case(conn):
    token, before = uuid.uuid4().hex, _count(conn, "case_file")
    start = threading.Barrier(2)

    def register():
        start.wait()
        return cases.register_case(
            conn, ANIMATOR, terc=GMINA, kind="rodzina", referred_on=date(2026, 11, 2), today=TODAY,
            form_token=token,
        )  # fmt: skip

    codes = _in_threads(register, register)
    assert _count(conn, "case_file") == before + 1
    assert codes[0] == codes[1]


def test_another_form_token_is_another_write(conn):
    before = _count(conn, "step_event")
    _step_event(conn, uuid.uuid4().hex)
    _step_event(conn, uuid.uuid4().hex)
    assert _count(conn, "step_event") == before + 2


def test_a_refused_write_leaves_its_token_unused(conn):
    token, before = uuid.uuid4().hex, _count(conn, "step_event")
    with pytest.raises(InvalidInput):
        _step_event(conn, token, note="=HYPERLINK(1)")
    assert conn.execute("SELECT count(*) FROM form_token").fetchall() == [(0,)]
    _step_event(conn, token)  # the corrected form, same token
    assert _count(conn, "step_event") == before + 1


def test_a_token_is_never_replayed_for_another_user(conn):
    token = uuid.uuid4().hex
    _step_event(conn, token)
    with pytest.raises(InvalidInput, match="innego użytkownika"):
        _step_event(conn, token, actor=OTHER)


def test_a_tuple_result_comes_back_as_a_tuple(conn):
    from kooperacja.cases import team as case_team
    from kooperacja.programme import queries

    code = cases.register_case(
        conn, ANIMATOR, terc=GMINA, kind="rodzina", referred_on=date(2026, 11, 2), today=TODAY
    )
    member = int(queries.pzk_on(conn, GMINA, date(2026, 11, 20)).institution_id[0])
    token = uuid.uuid4().hex

    def convene():
        return case_team.convene_team(
            conn, ANIMATOR, code, held_on=date(2026, 11, 20), today=TODAY,
            attendees={member: date(2026, 11, 19)}, form_token=token,
        )  # fmt: skip

    first, second = convene(), convene()
    assert first == second and isinstance(second, tuple)
    assert conn.execute("SELECT count(*) FROM meeting WHERE case_code = ?", [code]).fetchall() == [(1,)]
