"""Every public function that takes an actor and is not a known reader refuses the WZK and the Zarząd.

The walk finds the functions itself, so a new write function without a role check fails here.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

import kooperacja
from kooperacja import warehouse
from kooperacja.exchange import workbook as exchange
from kooperacja.model.access import Actor
from kooperacja.model.errors import AccessDenied
from tests.hostile.test_hostile_inputs import fingerprint

ROOT = Path(__file__).resolve().parents[2]
OUTSIDERS = [Actor("wzk", "wzk"), Actor("zarzad", "zarzad")]
# Functions with an actor that only read; everything else with an actor is a write. The pure model
# (import-linter: no duckdb) and the pure checks cannot write and are not walked.
READERS = {
    "warehouse.history.list_changes",
    "cases.stats.closure_reasons",
    "cases.stats.disclosed",
    "cases.stats.funnel",
    "cases.stats.list_cases",
    "cases.stats.notice_breaches",
    "cases.stats.overdue_meetings",
    "cases.stats.report_completeness",
    "cases.stats.summary",
    "cases.stats.task_sectors",
    "cases.stats.time_to_plan",
    "cases.card.case_card",
    "cases.core.load_case",
    "programme.dashboard.disclosed",
    "programme.dashboard.visible_alerts",
    "programme.dashboard.alert_label",
    "programme.dashboard.alert_tiles",
    "programme.data_entry.area_choices",
    "lku.area_choices",
    "programme.data_entry.open_zgloszenia",
    "programme.data_entry.pilot_choices",
    "exchange.apply.check_import",
    "report.effects.effects",
    "wzk.meeting_slides",
    # documents: each reads what its record's page shows the actor (access checked inside)
    "documents.contexts.build",
    "documents.contexts.karta_gminy",
    "documents.contexts.meeting",
    "documents.contexts.porozumienie_pzk",
    "documents.contexts.protokol_wzk",
    "documents.contexts.zgloszenie",
    "documents.contexts.karta_planu_pracy",
    "documents.contexts.monitoring_sprawy",
    "documents.word.render",
    "documents.slides.meeting_pptx",
}
# Writers that take a username, not an actor: called only by the role-checked functions above
# (or by the CLI, which runs as the installation's administrator, or by the login itself).
LOW_LEVEL_WRITERS = {
    "warehouse.store.insert",
    "warehouse.store.insert_many",
    "warehouse.store.update",
    "warehouse.store.delete",
    "warehouse.store.once",
    "warehouse.audit",
    "warehouse.migrate",
    "warehouse.set_setting",
    "warehouse.transaction",
    "territory.terc.import_terc",
    "territory.geo.import_boundaries",
    "programme.harmonogram.save_template",
    "accounts.users.create_user",
    "accounts.users.cookie_key",
    "accounts.users.revoke_sessions",
    "accounts.users.change_own_password",
    "cli.cmd_init",
    # derived tables kept inside the caller's (role-checked, audited) transaction
    "programme.harmonogram.refresh_plan_dates",
    "cases.counts.refresh_case_counts",
    "cases.counts.refresh_task_reporting",
    "network.kept.store_measures",
    "network.queries.store_measures",
    "network.queries.store_measure",
}
# Valid input for the writes that validate before they check the role (the check must still come).
VALID = {
    "programme.services.record_zgloszenie": {
        "data": {"terc": "3401011", "route": "rops", "received_on": date(2026, 11, 2)}
    },
    "programme.services.add_institution": {
        "data": {"name": "Klub", "sector": "ngo", "level": "gmina", "seat_terc": "3401011"}
    },
    "programme.services.record_meeting": {
        "data": {"kind": "pzk", "terc": "3401011", "held_on": date(2026, 11, 2)}
    },
    "lku.add_service": {
        "data": {"institution_id": 1, "name": "Poradnictwo", "category": "poradnictwo", "target_groups": [],
                 "problem_areas": [], "level": "gmina", "area_terc": "3401011",
                 "valid_from": date(2026, 1, 1)}
    },
    "cases.team.insert_meeting": {"case": {"terc": "3401011", "case_code": "P-3401011-0001"}},
    "network.services.create_wave": {
        "record": {"terc": "3401011", "held_on": date(2026, 11, 2), "kind": "dodatkowa"}
    },
}  # fmt: skip
CASE_READERS = ["cases.stats.list_cases", "cases.card.case_card", "cases.core.load_case"]
# A call of insert(/update( that is not a method of something else (df.insert, dict.update), or SQL.
WRITE_MARKS = re.compile(
    r"transaction\(|INSERT|UPDATE |DELETE|(?<![\w.])(?:insert|update)\(|store\.(?:insert|update)"
)


def _functions():
    for info in pkgutil.walk_packages(kooperacja.__path__, "kooperacja."):
        short = info.name.removeprefix("kooperacja.")
        if short.split(".")[0] in ("bench", "demo", "ui", "model", "__main__") or short.endswith("checks"):
            continue
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and not name.startswith("_"):
                yield f"{short}.{name}", fn


ALL = dict(_functions())
WITH_ACTOR = {k: f for k, f in ALL.items() if "actor" in inspect.signature(f).parameters}
WRITERS = sorted(k for k in WITH_ACTOR if k not in READERS)


@pytest.fixture(scope="module")
def wh(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("walk") / "walk.duckdb"
    shutil.copy(demo_db, path)
    conn = warehouse.connect(path)
    yield conn, fingerprint(conn)
    conn.close()


def _dummy(param: inspect.Parameter, conn, tmp: Path):
    text = str(param.annotation)
    if param.name in ("conn", "cur"):
        return conn.cursor()
    if param.name == "case_code":
        return "P-3401011-0001"  # a real case: the role check must not hide behind "not found"
    if param.name == "parsed":
        rows = (
            "Kod TERC gminy;Podkrok;Zdarzenie;Data;Wpisał(a);Uwagi\n3401011;5.1;started;01.02.2026;admin;x\n"
        )
        return exchange.parse_file(rows.encode(), "z.csv")
    for marker, value in (("date", date(2026, 11, 1)), ("bytes", b"x"), ("Path", tmp), ("bool", True),
                          ("dict", {}), ("Mapping", {}), ("Sequence", []), ("list", []), ("int", 1),
                          ("str", "3401011")):  # fmt: skip
        if marker in text:
            return value
    return None


def test_the_walk_finds_the_write_functions():
    assert len(WRITERS) >= 30
    assert {
        "programme.services.record_zgloszenie",
        "accounts.users.set_password",
        "warehouse.backup_schedule.backup_now",
    } <= set(WRITERS)


@pytest.mark.parametrize("name", WRITERS)
@pytest.mark.parametrize("actor", OUTSIDERS, ids=lambda a: a.role)
def test_every_write_refuses_the_wzk_and_the_zarzad(wh, tmp_path, name, actor):
    conn, before = wh
    fn = WITH_ACTOR[name]
    kwargs = {}
    for p in inspect.signature(fn).parameters.values():
        if p.name == "actor":
            kwargs[p.name] = actor
        elif p.name in VALID.get(name, {}):
            kwargs[p.name] = VALID[name][p.name]
        elif p.default is inspect.Parameter.empty:
            kwargs[p.name] = _dummy(p, conn, tmp_path)
    with pytest.raises(AccessDenied):
        fn(**kwargs)
    assert fingerprint(conn) == before


@pytest.mark.parametrize("name", CASE_READERS)
@pytest.mark.parametrize("actor", OUTSIDERS, ids=lambda a: a.role)
def test_case_level_reads_refuse_the_wzk_and_the_zarzad(wh, name, actor):
    conn, _ = wh
    with pytest.raises(AccessDenied):
        ALL[name](conn.cursor(), actor, "P-3401011-0001") if name != "cases.stats.list_cases" else ALL[name](
            conn.cursor(), actor
        )


def test_every_writer_without_an_actor_is_a_known_low_level_helper():
    writers = {k for k, f in ALL.items() if k not in WITH_ACTOR and WRITE_MARKS.search(inspect.getsource(f))}
    assert writers <= LOW_LEVEL_WRITERS, writers - LOW_LEVEL_WRITERS


def test_pages_never_call_the_low_level_writers():
    sources = [*ROOT.glob("pages/*.py"), *ROOT.glob("kooperacja/ui/*.py"), ROOT / "app.py"]
    banned = ("warehouse.store.insert", "warehouse.store.update", "warehouse.store.delete", "import_terc(",
              "import_boundaries(", "save_template(", "create_user(", "transaction(")  # fmt: skip
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert not [b for b in banned if b in text], path


def test_nothing_in_the_app_updates_or_deletes_the_audit_log():
    for path in [*ROOT.glob("kooperacja/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]:
        text = path.read_text(encoding="utf-8").lower()
        for verb in (
            "update audit_log",
            "delete from audit_log",
            "truncate audit_log",
            "drop table audit_log",
        ):
            assert verb not in text, f"{path}: {verb}"
    for fn in (ALL["warehouse.store.update"], ALL["warehouse.store.delete"]):
        source = inspect.getsource(fn).lower()
        assert "update audit_log" not in source and "delete from audit_log" not in source
