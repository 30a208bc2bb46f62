"""The kept plan dates (plan_date, migration 0010) equal their recomputation from scratch: after a
seeded random sequence of writes through the real services and the import, and after the demo builds.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from kooperacja import warehouse
from kooperacja.demo.national import build_national
from kooperacja.exchange import workbook as exchange
from kooperacja.exchange.apply import stamp
from kooperacja.model import xlsx
from kooperacja.model.access import Actor
from kooperacja.model.errors import InvalidInput
from kooperacja.model.records import Gmina
from kooperacja.programme import data_entry, harmonogram, queries
from kooperacja.programme import services as programme
from kooperacja.warehouse.store import insert_many

TODAY = date(2026, 11, 24)
ADMIN = Actor("admin", "admin")
GMINY = [(f"02010{i}2", f"Gmina {i}") for i in range(1, 7)]
KEPT = "SELECT * FROM plan_date"


def kept_and_recomputed(conn) -> tuple[list, list]:
    cur = conn.cursor()
    kept = sorted(cur.execute(KEPT).fetchall(), key=str)
    columns = ", ".join(r[0] for r in cur.execute("DESCRIBE plan_date").fetchall())
    fresh = cur.execute(f"SELECT {columns} FROM ({queries.PLAN_DATES})", {"tercs": None}).fetchall()
    fresh = sorted(fresh, key=str)
    return kept, fresh


def assert_kept(conn, after: str = "") -> None:
    kept, fresh = kept_and_recomputed(conn)
    assert kept == fresh, f"plan_date differs from its recomputation after {after}"


@pytest.fixture
def region(conn):
    with warehouse.transaction(conn) as cur:
        cur.execute("INSERT INTO wojewodztwo VALUES ('02', 'DOLNOŚLĄSKIE')")
        cur.execute("INSERT INTO powiat VALUES ('0201', 'bolesławiecki', false)")
        insert_many(cur, [Gmina.parse({"terc": t, "name": n, "kind": "wiejska"}) for t, n in GMINY], "test")
        for user, role in [("admin", "admin"), ("animator1", "animator")]:
            cur.execute(
                "INSERT INTO app_user (username, display_name, role, password_hash) VALUES (?, ?, ?, 'x')",
                [user, f"Konto {user}", role],
            )
    return conn


def _new_version(conn, rnd: random.Random) -> None:
    """A new version of the default template with one one-off sub-step moved by a few months."""
    tid = int(data_entry.templates(conn).template_id[0])
    version = int(
        conn.execute("SELECT max(version) FROM template WHERE template_id = ?", [tid]).fetchall()[0][0]
    )
    lines = data_entry.template_csv(conn, tid, version).splitlines()
    header, rows = lines[0], lines[1:]
    i = rnd.choice([n for n, r in enumerate(rows) if r.split(",")[-1] == ""])
    cells = rows[i].split(",")
    start = min(int(cells[-3]) + rnd.randint(1, 3), 17)
    cells[-3], cells[-2] = str(start), str(max(start, min(int(cells[-2]) + 2, 18)))
    rows[i] = ",".join(cells)
    data_entry.save_template_version(conn, ADMIN, "\n".join([header, *rows]) + "\n", tid)


def _reimport_shifts(conn, rnd: random.Random) -> None:
    """The plan shifts exported, their days changed, and read back through the import (updates)."""
    frame = exchange.labelled_frame(conn, "plan_shift")
    if frame.empty:
        return
    days = next(c for c in frame.columns if "dni" in c.lower())
    frame[days] = [rnd.randint(-20, 40) or 1 for _ in range(len(frame))]
    sheet = exchange._registry("plan_shift").sheet
    data = xlsx.to_xlsx({exchange.GUIDE: exchange.guide(["plan_shift"], stamp(conn.cursor())), sheet: frame})
    result = exchange.apply_import(conn, ADMIN, exchange.parse_file(data, "przesuniecia.xlsx"), today=TODAY)
    assert not result.errors, result.errors


KINDS = ["join", "start", "template", "shift", "shift", "leave", "version", "import"]


def _step(conn, rnd: random.Random, kind: str) -> str:
    pilot = data_entry.pilot_rows(conn)
    outside = [t for t, _ in GMINY if t not in pilot]
    versions = conn.execute("SELECT template_id, version FROM template").fetchall()
    start = date(2026, 1, 1) + timedelta(days=rnd.randint(0, 200))
    if kind == "join" and outside:
        programme.add_pilot_gmina(
            conn,
            ADMIN,
            rnd.choice(outside),
            joined_on=start - timedelta(days=5),
            animator="animator1",
            plan_start=start,
            template=rnd.choice(versions) if rnd.random() < 0.5 else None,
        )
    elif kind == "start" and pilot:
        terc = rnd.choice(sorted(pilot))
        programme.change_pilot_gmina(
            conn, ADMIN, terc, plan_start=start, reason="nowa uchwała", expected_version=None
        )
    elif kind == "template" and pilot:
        tercs = rnd.sample(sorted(pilot), k=rnd.randint(1, len(pilot)))
        programme.move_to_template(conn, ADMIN, tercs, rnd.choice(versions), reason="nowa wersja")
    elif kind == "shift" and pilot:
        terc = rnd.choice(sorted(pilot))
        row = pilot[terc]
        substeps = harmonogram.template_steps(conn.cursor(), row["template_id"], row["template_version"])
        substep = rnd.choice([None, *substeps.substep.tolist()])
        programme.shift_plan(
            conn,
            ADMIN,
            terc=terc,
            days=rnd.randint(-15, 45) or 7,
            reason="wybory",
            today=TODAY,
            substep=substep,
        )
    elif kind == "leave" and pilot:
        programme.leave_pilot(
            conn, ADMIN, rnd.choice(sorted(pilot)), left_on=TODAY, reason="koniec", today=TODAY
        )
    elif kind == "version":
        _new_version(conn, rnd)
    elif kind == "import":
        _reimport_shifts(conn, rnd)
    return kind


JOINED = date(2026, 1, 10)


def _join(region, n: int) -> None:
    """The first `n` gminy join the pilot (animator1's, plan from February)."""
    for terc, _ in GMINY[:n]:
        programme.add_pilot_gmina(
            region, ADMIN, terc, joined_on=JOINED, animator="animator1", plan_start=date(2026, 2, 1)
        )


def test_the_kept_plan_dates_equal_their_recomputation_after_random_writes(region):
    rnd = random.Random(16)
    _join(region, 3)
    assert_kept(region, "the first gminy joined")
    kinds = KINDS * 5
    rnd.shuffle(kinds)
    done = []
    for n, kind in enumerate(kinds):
        try:
            done.append(_step(region, rnd, kind))
        except InvalidInput as exc:  # a write the rules refuse (e.g. a shift beyond its limits)
            done.append(f"refused: {exc.problems[:1]}")
        assert_kept(region, f"write {n} ({done[-1]})")
    assert set(KINDS) <= set(done), done
    assert region.execute("SELECT count(*) FROM plan_date").fetchall()[0][0] > 0


def test_the_move_preview_leaves_the_kept_dates_as_they_were(region):
    _join(region, 2)
    _new_version(region, random.Random(3))
    before = kept_and_recomputed(region)[0]
    harmonogram.template_move_preview(region, ADMIN, [GMINY[0][0]], (1, 2), TODAY)
    assert kept_and_recomputed(region)[0] == before


def test_the_demo_builds_keep_their_plan_dates(demo_db, tmp_path):
    conn = warehouse.connect(demo_db, read_only=True)
    try:
        kept, fresh = kept_and_recomputed(conn)
        assert kept == fresh and len(kept) > 100
    finally:
        conn.close()
    national = warehouse.connect(tmp_path / "national.duckdb")
    try:
        build_national(national, TODAY, lambda _msg: None, gminy_limit=8)
        kept, fresh = kept_and_recomputed(national)
        assert kept == fresh and len(kept) > 100
    finally:
        national.close()


def test_a_warehouse_made_before_the_table_gets_its_plan_dates_from_the_migration(demo_copy):
    conn = warehouse.connect(demo_copy)
    try:
        expected = kept_and_recomputed(conn)[1]
        conn.execute("DROP TABLE plan_date")
        # the migration as an older warehouse runs it (later ones exist, so `migrate` would skip it)
        conn.execute(next(sql for version, _name, sql in warehouse.migrations() if version == 10))
        assert kept_and_recomputed(conn)[0] == expected
    finally:
        conn.close()
