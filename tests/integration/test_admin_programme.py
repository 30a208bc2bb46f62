"""The admin's programme management after set-up (issue 13): pilot gminy changed with a reason,
leaving and rejoining the pilot, animators' gminy, users' roles, the TERC type-change notice, moving
gminy to a new template version, and the first-run checklist."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from kooperacja import cli, warehouse
from kooperacja.accounts import users
from kooperacja.model.access import Actor
from kooperacja.model.errors import AccessDenied, InvalidInput, StaleRecord
from kooperacja.model.records import Gmina
from kooperacja.programme import data_entry, harmonogram, queries, setup
from kooperacja.programme import services as programme
from kooperacja.territory.terc import import_terc
from kooperacja.warehouse.store import insert_many

TODAY = date(2026, 11, 24)
ADMIN = Actor("admin", "admin")
ANIMATOR1 = Actor("animator1", "animator", frozenset({"0201032"}))
RURAL, TOWN, THIRD = "0201032", "0201011", "0201042"


@pytest.fixture
def region(conn):
    with warehouse.transaction(conn) as cur:
        cur.execute("INSERT INTO wojewodztwo VALUES ('02', 'DOLNOŚLĄSKIE')")
        cur.execute("INSERT INTO powiat VALUES ('0201', 'bolesławiecki', false)")
        insert_many(
            cur,
            [
                Gmina.parse(g)
                for g in [
                    {"terc": RURAL, "name": "Gromadka", "kind": "wiejska"},
                    {"terc": TOWN, "name": "Bolesławiec", "kind": "miejska"},
                    {"terc": THIRD, "name": "Nowogrodziec", "kind": "wiejska"},
                ]
            ],
            "test",
        )
        for user, role in [("admin", "admin"), ("animator1", "animator"), ("animator2", "animator")]:
            cur.execute(
                "INSERT INTO app_user (username, display_name, role, password_hash) VALUES (?, ?, ?, 'x')",
                [user, f"Konto {user}", role],
            )
    for terc in (RURAL, TOWN):
        programme.add_pilot_gmina(
            conn, ADMIN, terc, joined_on=date(2026, 1, 10), animator="animator1", plan_start=date(2026, 2, 1)
        )
    return conn


def pilot(conn, terc):
    return data_entry.pilot_rows(conn)[terc]


def audits(conn, table, key):
    return conn.execute(
        "SELECT action, reason FROM audit_log WHERE table_name = ? AND record_key = ? ORDER BY audit_id",
        [table, key],
    ).fetchall()


# --- 1. pilot gminy after set-up ------------------------------------------------------------------


def test_an_admin_changes_a_pilot_gminas_animator_and_plan_start_with_a_reason(region):
    row = pilot(region, RURAL)
    changed = programme.change_pilot_gmina(
        region,
        ADMIN,
        RURAL,
        animator="animator2",
        plan_start=date(2026, 3, 1),
        reason="zmiana animatora po reorganizacji",
        expected_version=row["row_version"],
    )
    assert changed == ["animator", "plan_start"]
    after = pilot(region, RURAL)
    assert (after["animator"], after["plan_start"], after["row_version"]) == (
        "animator2",
        date(2026, 3, 1),
        2,
    )
    assert audits(region, "pilot_gmina", RURAL)[-1] == ("update", "zmiana animatora po reorganizacji")


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "Powód zmiany: pole nie może być puste"), ("dzwonić 601 234 567", "Powód zmiany")],
)
def test_a_change_needs_a_reason_and_the_reason_is_guarded(region, reason, message):
    with pytest.raises(InvalidInput, match=message):
        programme.change_pilot_gmina(
            region, ADMIN, RURAL, animator="animator2", reason=reason, expected_version=1
        )
    assert pilot(region, RURAL)["animator"] == "animator1"


def test_a_change_over_a_newer_version_is_refused(region):
    programme.change_pilot_gmina(
        region, ADMIN, RURAL, animator="animator2", reason="zmiana", expected_version=1
    )
    with pytest.raises(StaleRecord, match="admin"):
        programme.change_pilot_gmina(
            region, ADMIN, RURAL, plan_start=date(2026, 3, 1), reason="inna zmiana", expected_version=1
        )


def test_only_an_admin_changes_a_pilot_gmina(region):
    with pytest.raises(AccessDenied):
        programme.change_pilot_gmina(
            region, ANIMATOR1, RURAL, animator="animator2", reason="zmiana", expected_version=1
        )
    with pytest.raises(AccessDenied):
        programme.leave_pilot(region, ANIMATOR1, RURAL, left_on=TODAY, reason="koniec", today=TODAY)


def test_a_change_to_a_non_animator_or_a_missing_template_is_refused_in_polish(region):
    with pytest.raises(InvalidInput, match="Animator: nie ma aktywnego animatora nikt"):
        programme.change_pilot_gmina(
            region, ADMIN, RURAL, animator="nikt", reason="zmiana", expected_version=1
        )
    with pytest.raises(InvalidInput, match="Szablon harmonogramu: nie ma wersji 9"):
        programme.change_pilot_gmina(
            region, ADMIN, RURAL, template=(1, 9), reason="zmiana", expected_version=1
        )
    with pytest.raises(InvalidInput, match="nic się nie zmieniło"):
        programme.change_pilot_gmina(
            region, ADMIN, RURAL, animator="animator1", reason="x", expected_version=1
        )


def test_a_plan_start_that_would_put_recorded_steps_too_early_is_refused(region):
    programme.record_step_event(
        region, ANIMATOR1, terc=RURAL, substep="3", kind="started", event_on=date(2026, 2, 10), today=TODAY
    )
    with pytest.raises(InvalidInput, match="Początek harmonogramu: przy tej dacie 1 zdarzenie kroku"):
        programme.change_pilot_gmina(
            region, ADMIN, RURAL, plan_start=date(2026, 6, 1), reason="później", expected_version=1
        )


def test_a_non_default_variant_is_kept_as_the_admins_choice(region):
    programme.change_pilot_gmina(
        region, ADMIN, TOWN, variant="rural", reason="mała gmina", expected_version=1
    )
    assert pilot(region, TOWN)["variant"] == "rural"
    assert programme.gmina_variant(region.cursor(), TOWN) == "rural"
    assert programme.variant_notices(region) == []


def test_leaving_the_pilot_keeps_the_stay_and_the_step_events_and_the_gmina_can_rejoin(region):
    programme.record_step_event(
        region, ANIMATOR1, terc=RURAL, substep="3", kind="started", event_on=date(2026, 4, 2), today=TODAY
    )
    programme.shift_plan(region, ANIMATOR1, terc=RURAL, days=10, reason="wybory", today=TODAY)
    programme.leave_pilot(
        region,
        ADMIN,
        RURAL,
        left_on=date(2026, 11, 1),
        reason="rezygnacja gminy",
        today=TODAY,
        expected_version=1,
    )
    assert RURAL not in data_entry.pilot_rows(region)
    assert region.execute("SELECT count(*) FROM step_event WHERE terc = ?", [RURAL]).fetchall() == [(1,)]
    kept = region.execute(
        "SELECT animator, joined_on, left_on, reason, recorded_by FROM pilot_exit WHERE terc = ?", [RURAL]
    ).fetchall()
    assert kept == [("animator1", date(2026, 1, 10), date(2026, 11, 1), "rezygnacja gminy", "admin")]
    assert audits(region, "pilot_gmina", RURAL)[-1] == ("delete", "rezygnacja gminy")
    assert region.execute("SELECT count(*) FROM plan_shift").fetchall() == [(0,)]
    assert "Gromadka" not in users.load_actor(region, "animator1").gminy
    from kooperacja.warehouse.check import check_warehouse

    assert check_warehouse(region)[1] == []
    programme.add_pilot_gmina(
        region, ADMIN, RURAL, joined_on=date(2026, 11, 20), animator="animator2", plan_start=date(2026, 12, 1)
    )
    assert check_warehouse(region)[1] == []  # the first stay's step event is not of the new plan
    register = data_entry.pilot_register(region)
    stays = register[register.terc == RURAL]
    assert list(stays.stan) == ["w pilotażu", "poza pilotażem"]
    assert list(stays.reason.fillna("")) == ["", "rezygnacja gminy"]


def test_leaving_needs_a_reason_a_past_date_and_the_version_read(region):
    with pytest.raises(InvalidInput, match="Powód zmiany"):
        programme.leave_pilot(region, ADMIN, RURAL, left_on=TODAY, reason=" ", today=TODAY)
    with pytest.raises(InvalidInput, match="w przyszłości"):
        programme.leave_pilot(region, ADMIN, RURAL, left_on=date(2026, 12, 1), reason="koniec", today=TODAY)
    with pytest.raises(InvalidInput, match="wcześniejsza niż data przystąpienia"):
        programme.leave_pilot(region, ADMIN, RURAL, left_on=date(2025, 12, 1), reason="koniec", today=TODAY)
    with pytest.raises(StaleRecord):
        programme.leave_pilot(
            region, ADMIN, RURAL, left_on=TODAY, reason="koniec", today=TODAY, expected_version=7
        )
    assert RURAL in data_entry.pilot_rows(region)
    assert region.execute("SELECT count(*) FROM pilot_exit").fetchall() == [(0,)]


# --- 2. users: animators' gminy, roles, switching off ----------------------------------------------


def test_assigning_gminy_sets_the_pilot_animator_and_refuses_orphans_by_name(region):
    moved = programme.assign_gminy(region, ADMIN, "animator2", [RURAL], reason="podział pracy")
    assert moved == [RURAL]
    assert users.load_actor(region, "animator2").gminy == {RURAL}
    assert users.load_actor(region, "animator1").gminy == {TOWN}
    with pytest.raises(InvalidInput, match="Gminy: nic się nie zmieniło"):
        programme.assign_gminy(region, ADMIN, "animator2", [RURAL], reason="podział pracy")
    with pytest.raises(InvalidInput, match="Gminy: Gromadka zostałyby bez animatora"):
        programme.assign_gminy(region, ADMIN, "animator2", [], reason="podział pracy")
    with pytest.raises(InvalidInput, match="Powód zmiany"):
        programme.assign_gminy(region, ADMIN, "animator2", [RURAL, TOWN], reason="")
    with pytest.raises(AccessDenied):
        programme.assign_gminy(region, ANIMATOR1, "animator1", [RURAL, TOWN], reason="moje")


def test_an_animator_with_gminy_is_not_switched_off_or_demoted_and_the_gminy_are_named(region):
    with pytest.raises(InvalidInput, match="opiekuje się gminami pilotażowymi Bolesławiec, Gromadka"):
        users.set_active(region, ADMIN, "animator1", False)
    with pytest.raises(InvalidInput, match="Bolesławiec, Gromadka"):
        users.set_role(region, ADMIN, "animator1", "wzk")
    users.set_active(region, ADMIN, "animator2", False)  # no gminy: fine
    users.set_role(region, ADMIN, "animator1", "admin")  # an admin may care for gminy
    assert users.load_actor(region, "animator1").role == "admin"


def test_the_last_active_admin_keeps_the_role(region):
    with pytest.raises(InvalidInput, match="jedyne aktywne konto administratora"):
        users.set_role(region, ADMIN, "admin", "animator")
    users.set_role(region, ADMIN, "animator2", "admin")
    users.set_role(region, Actor("animator2", "admin"), "admin", "wzk")
    with pytest.raises(InvalidInput, match="jedyne aktywne konto administratora"):
        users.set_active(region, Actor("admin2", "admin"), "animator2", False)
    with pytest.raises(AccessDenied):
        users.set_role(region, ANIMATOR1, "animator2", "animator")
    roles = dict(region.execute("SELECT username, role FROM app_user").fetchall())
    assert roles == {"admin": "wzk", "animator1": "animator", "animator2": "admin"}
    assert audits(region, "app_user", "admin")[-1][0] == "update"


def test_the_pilot_form_offers_the_active_animators_only(region):
    assert data_entry.animator_choices(region) == {
        "animator1": "Konto animator1 (animator1)",
        "animator2": "Konto animator2 (animator2)",
    }
    users.set_active(region, ADMIN, "animator2", False)
    assert list(data_entry.animator_choices(region)) == ["animator1"]


@pytest.mark.parametrize(
    "door",
    [
        lambda c: users.add_user(c, ADMIN, "nowy", "Nowy", "animator", "krotkie1"),
        lambda c: users.set_password(c, ADMIN, "animator1", "krotkie1"),
        lambda c: users.change_own_password(c, "animator1", "x", "krotkie1", "krotkie1"),
    ],
    ids=["add_user", "set_password", "change_own_password"],
)
def test_every_door_that_sets_a_password_takes_the_12_character_rule(region, door):
    with pytest.raises(InvalidInput, match="co najmniej 12 znaków"):
        door(region)


# --- 3. a TERC re-import that changes a gmina's type ----------------------------------------------

TERC_FILE = (
    "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\r\n02;;;;DOLNOŚLĄSKIE;województwo;2026-01-01\r\n"
    "02;01;;;bolesławiecki;powiat;2026-01-01\r\n02;01;01;1;Bolesławiec;gmina miejska;2026-01-01\r\n"
    "02;01;03;3;Gromadka;gmina miejsko-wiejska;2026-01-01\r\n"
    "02;01;04;2;Nowogrodziec;gmina wiejska;2026-01-01\r\n"
)
RETYPED = "0201033"


def test_a_terc_reimport_that_makes_a_gmina_miejsko_wiejska_is_noticed_and_fixed_in_one_click(region):
    assert programme.variant_notices(region) == []
    summary = import_terc(region, TERC_FILE.encode(), "02", "admin")
    assert summary.lines()[-1] == (
        "Gminy pilotażowe o zmienionym rodzaju — sprawdź ich wariant modelu "
        "(Wprowadzanie danych → Gminy w pilotażu): Gromadka"
    )
    notices = programme.variant_notices(region)
    assert [(n["terc"], n["name"], n["variant"], n["expected"]) for n in notices] == [
        (RETYPED, "Gromadka", "rural", "urban_rural")
    ]
    programme.fix_variant(region, ADMIN, RETYPED, notices[0]["row_version"])
    assert pilot(region, RETYPED)["variant"] == "urban_rural"
    assert programme.variant_notices(region) == []
    action, reason = audits(region, "pilot_gmina", RETYPED)[-1]
    assert action == "update" and "miejsko-wiejska" in reason
    with pytest.raises(AccessDenied):
        programme.fix_variant(region, ANIMATOR1, RETYPED)


def test_keeping_the_old_variant_after_a_type_change_ends_the_notice(region):
    import_terc(region, TERC_FILE.encode(), "02", "admin")
    programme.keep_variant(region, ADMIN, RETYPED, "gmina zostaje przy modelu wiejskim")
    assert programme.variant_notices(region) == []
    assert pilot(region, RETYPED)["variant"] == "rural"


# --- 4. moving running gminy to a new template version --------------------------------------------


def _new_version(conn) -> tuple[int, int]:
    tid, version = int(data_entry.templates(conn).template_id[0]), 1
    text = data_entry.template_csv(conn, tid, version)
    lines = text.splitlines()
    header, rows = lines[0], lines[1:]
    k3 = next(r for r in rows if r.startswith("K3,3,"))
    moved = [r.replace(",3,3,", ",4,5,", 1) if r == k3 else r for r in rows]  # K3 a month later
    dropped = [r for r in moved if not r.startswith("K9,9.2,")]
    added = [*dropped, "K9,9.9,Nowy podkrok,gmina,GOPS,17,17,"]
    return data_entry.save_template_version(conn, ADMIN, "\n".join([header, *added]) + "\n", tid)


def _windows(plan) -> dict:
    return {
        (r.substep, None if pd.isna(r.occurrence) else int(r.occurrence)): (r.planned_start, r.planned_due)
        for r in plan.itertuples()
    }


def test_the_move_preview_is_what_the_move_does(region):
    programme.record_step_event(
        region, ANIMATOR1, terc=RURAL, substep="9.2", kind="started", event_on=date(2026, 11, 2), today=TODAY
    )
    target = _new_version(region)
    [preview] = harmonogram.template_move_preview(region, ADMIN, [RURAL], target, TODAY)
    assert pilot(region, RURAL)["template_version"] == 1  # the preview writes nothing
    k3 = next(c for c in preview.changed if c.substep == "3")
    assert (k3.before, k3.after) == (
        (date(2026, 4, 1), date(2026, 4, 30)),
        (date(2026, 5, 1), date(2026, 6, 30)),
    )
    assert [a.split()[0] for a in preview.added] == ["9.9"]
    assert [r.split()[0] for r in preview.removed] == ["9.2"]
    assert preview.events_under_removed == 1
    before = _windows(queries.gmina_plans(region, TODAY, RURAL))
    programme.move_to_template(region, ADMIN, [RURAL], target, reason="nowa wersja harmonogramu")
    after = _windows(queries.gmina_plans(region, TODAY, RURAL))
    moved = {k: (before[k], after[k]) for k in before.keys() & after.keys() if before[k] != after[k]}
    assert moved == {(c.substep, c.occurrence): (c.before, c.after) for c in preview.changed}
    assert {k[0] for k in after} - {k[0] for k in before} == {"9.9"}
    assert {k[0] for k in before} - {k[0] for k in after} == {"9.2"}
    assert (pilot(region, RURAL)["template_version"], pilot(region, TOWN)["template_version"]) == (
        target[1],
        1,
    )
    assert audits(region, "pilot_gmina", RURAL)[-1] == ("update", "nowa wersja harmonogramu")


def test_moving_gminy_is_for_admins_with_a_reason(region):
    target = _new_version(region)
    with pytest.raises(AccessDenied):
        programme.move_to_template(region, ANIMATOR1, [RURAL], target, reason="nowa")
    with pytest.raises(AccessDenied):
        harmonogram.template_move_preview(region, ANIMATOR1, [RURAL], target, TODAY)
    with pytest.raises(InvalidInput, match="Powód zmiany"):
        programme.move_to_template(region, ADMIN, [RURAL], target, reason="")


# --- 5. the first-run checklist -------------------------------------------------------------------


def test_a_fresh_init_warehouse_has_everything_to_do_and_the_checklist_follows_the_set_up(db_file, capsys):
    assert cli.main(["init", "--db", str(db_file)]) == 0
    capsys.readouterr()
    conn = warehouse.connect(db_file)
    try:
        steps = setup.setup_checklist(conn)
        assert [s.done for s in steps] == [False] * 5 and setup.incomplete(steps)
        assert all(s.where and s.todo for s in steps)
        import_terc(conn, TERC_FILE.encode(), "02", "admin")
        users.add_user(conn, ADMIN, "ania", "Anna Nowak", "animator")
        steps = setup.setup_checklist(conn)
        assert [s.done for s in steps] == [True, True, False, False, False]
        programme.add_pilot_gmina(conn, ADMIN, "0201011", joined_on=TODAY, animator="ania", plan_start=TODAY)
        steps = setup.setup_checklist(conn)
        assert [s.done for s in steps] == [True, True, True, True, False]
        assert not setup.incomplete(steps)
        users.add_user(conn, ADMIN, "bartek", "Bartosz Lis", "animator")
        assert "Bartosz Lis" in setup.setup_checklist(conn)[3].todo
    finally:
        conn.close()
