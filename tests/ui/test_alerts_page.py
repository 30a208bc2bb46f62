"""The Alerty page: a fresh warehouse says what to do next; explain an alert; links; the admin's queue."""

from __future__ import annotations

import json
import re
from datetime import date

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kooperacja import cli, warehouse
from kooperacja.accounts.users import create_user
from kooperacja.programme import alerts
from tests.conftest import DEMO_TODAY

TODAY = date.fromisoformat(DEMO_TODAY)


def _page(username: str, role: str) -> AppTest:
    at = AppTest.from_string("from pages.alerty import render\nrender()\n")
    for name, value in {"authentication_status": True, "username": username, "name": username}.items():
        at.session_state[name] = value
    at.session_state["roles"] = [role]
    return at


def _read(path, fn, *args):
    conn = warehouse.connect(path, read_only=True)
    try:
        return fn(conn, *args)
    finally:
        conn.close()


@pytest.fixture
def fresh_db(tmp_path, monkeypatch):
    """A warehouse just made by `init`, with an animator account added and no pilot gminy."""
    path = tmp_path / "fresh.duckdb"
    assert cli.main(["init", "--db", str(path)]) == 0
    conn = warehouse.connect(path)
    with warehouse.transaction(conn) as cur:
        create_user(cur, "admin", "anna", "Anna Animatorka", "animator")
    conn.close()
    monkeypatch.setenv("KOOPERACJA_DB", str(path))
    monkeypatch.setenv("KOOPERACJA_TODAY", DEMO_TODAY)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield path
    st.cache_data.clear()
    st.cache_resource.clear()


HINTS = [("admin", "admin", "Dodaj gminy pilotażowe"), ("anna", "animator", "administrator przypisze")]


@pytest.mark.parametrize(("user", "role", "hint"), HINTS)
def test_a_fresh_warehouse_opens_alerts_and_says_what_to_do_next(fresh_db, user, role, hint):
    at = _page(user, role).run(timeout=30)
    assert not at.exception, at.exception
    assert any(hint in i.value and "Wprowadzanie danych" in i.value for i in at.info)


def _table(at, key):
    """The table `key` (a selectable table is keyed by the round of its form: `alerts_table__1`)."""
    keys = [b.key for b in at.get("download_button")]
    [found] = [k for k in keys if re.fullmatch(re.escape(key) + r"(__\d+)?_xlsx", k)]
    return at.dataframe[keys.index(found)]


def test_every_alert_row_links_to_what_resolves_it(app_db):
    at = _page("animator1", "animator").run(timeout=30)
    table = _table(at, "alerts_table")
    config = json.loads(table.proto.columns)
    assert config["Przejdź"]["type_config"] == {"type": "link", "display_text": "Otwórz"}
    assert all(
        link.startswith(("gmina?terc=", "sprawy?case=", "wzk", "alerty?alert=", "siec?terc="))
        for link in table.value["Przejdź"]
    )


def test_an_alert_opened_by_its_link_is_explained_and_leaves_the_list(app_db):
    todo = _read(app_db, alerts.list_alerts, TODAY)
    alert_id = todo[todo.animator == "animator1"].alert_id.iloc[0]
    at = _page("animator1", "animator")
    at.query_params["alert"] = alert_id
    at.run(timeout=30)
    assert at.markdown[0].value.startswith("**Wybrany alert:")
    before = len(_table(at, "alerts_table").value)
    at.text_area(key="alert_reason").input("PESEL 44051401359")
    next(b for b in at.button if b.label == "Oznacz jako wyjaśnione").click().run(timeout=30)
    assert any("PESEL" in e.value for e in at.error) and not at.success  # refused, nothing saved
    at.text_area(key="alert_reason").input("sprawozdanie złożone na papierze, wpis w przyszłym tygodniu")
    next(b for b in at.button if b.label == "Oznacz jako wyjaśnione").click().run(timeout=30)
    assert not at.exception and [s.value for s in at.success] == [
        "Alert oznaczono jako wyjaśniony — jest teraz w zakładce „Wyjaśnione”."
    ]
    assert len(_table(at, "alerts_table").value) == before - 1
    explained = _table(at, "alerts_explained").value
    assert list(explained["Wyjaśnił(a)"]) == ["animator1"]
    assert any(m.value.startswith("Wyjaśnione przez animator1") for m in at.markdown)
    at.text_input(key="alert_withdraw_reason").input("rodzina jednak nie przełożyła spotkania")
    next(b for b in at.button if b.label == "Wycofaj wyjaśnienie").click().run(timeout=30)
    assert [s.value for s in at.success] == ["Wyjaśnienie wycofano — alert wrócił na listę zadań."]
    assert len(_table(at, "alerts_table").value) == before


def test_the_admin_sees_unassigned_notifications_first_and_assigns_them(app_db):
    queue = alerts.unassigned(_read(app_db, alerts.list_alerts, TODAY))
    assert len(queue) >= 1, "the demo has a notification from a gmina outside the pilot"
    at = _page("admin", "admin").run(timeout=30)
    assert at.subheader[0].value.startswith("Nieprzypisane zgłoszenia")
    assert len(_table(at, "alerts_unassigned").value) == len(queue)
    at.selectbox(key="assign_alert").set_value(queue.alert_id.iloc[0])
    at.selectbox(key="assign_animator").set_value("animator2")
    next(b for b in at.button if b.label == "Przydziel").click().run(timeout=30)
    assert not at.exception and [s.value for s in at.success] == ["Zgłoszenie przydzielono: animator2."]
    mine = _table(_page("animator2", "animator").run(timeout=30), "alerts_table").value
    row = mine[(mine["Reguła"] == "Kontakt ROPS w 7 dni") & (mine["Gmina"] == queue.gmina.iloc[0])]
    assert list(row["Animator"]) == ["animator2"]


def test_one_alert_label_shows_one_number_for_every_role_on_the_same_day(app_db):
    seen: dict[str, set[str]] = {}
    for user, role in [("admin", "admin"), ("animator1", "animator"), ("wzk", "wzk"), ("zarzad", "zarzad")]:
        at = AppTest.from_string("from pages.przeglad import render\nrender()\n")
        for name, value in {"authentication_status": True, "username": user, "name": user}.items():
            at.session_state[name] = value
        at.session_state["roles"] = [role]
        at.run(timeout=60)
        assert not at.exception, at.exception
        for metric in at.metric:
            if metric.label.startswith("Alerty"):
                seen.setdefault(metric.label, set()).add(metric.value)
    assert {"Alerty po terminie", "Alerty po terminie (bez spraw)"} <= set(seen)
    assert all(len(values) == 1 for values in seen.values()), seen
    overdue = seen["Alerty po terminie"].pop()
    page = _page("admin", "admin").run(timeout=30)  # the Alerty page, unfiltered, counts the same
    assert any(f"w tym **{overdue}** po terminie" in m.value for m in page.markdown)


def test_the_demo_to_do_list_holds_only_actionable_items_and_the_readme_states_its_count(
    real_demo_db, tmp_path, monkeypatch
):
    """The README describes the default demo (`make setup`: the programme over kujawsko-pomorskie)."""
    import re
    import shutil
    from pathlib import Path

    import streamlit as st

    app = tmp_path / "app.duckdb"
    shutil.copy(real_demo_db, app)
    monkeypatch.setenv("KOOPERACJA_DB", str(app))
    monkeypatch.setenv("KOOPERACJA_TODAY", DEMO_TODAY)
    st.cache_data.clear()
    st.cache_resource.clear()

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    stated = int(re.search(r"animator1 ma (\d+) zada", readme).group(1))
    at = _page("animator1", "animator").run(timeout=30)
    assert at.markdown[0].value.startswith(f"**{stated} ")  # "**32 alerty** na liście, …"
    todo = _read(real_demo_db, alerts.list_alerts, TODAY)
    mine = todo[todo.animator == "animator1"]
    assert len(mine) + todo.terc.isna().sum() == stated
    closing = "SELECT case_code FROM case_file WHERE closed_on <= ?"
    closed = set(_read(real_demo_db, lambda c: c.execute(closing, [TODAY]).df().case_code))
    assert closed, "the demo has closed cases"
    assert not any(s.split(":")[0] in closed for s in mine.subject), "a closed case on the to-do list"
    assert "self_formed_report" not in set(mine.rule)  # reported late: recorded, nothing to do
    notices = mine[mine.rule == "ggk_notice"]
    assert (notices.due_on + pd.Timedelta(days=5) > TODAY).all() if len(notices) else True
    past = _read(real_demo_db, alerts.list_breaches, TODAY)
    assert len(past) and not set(past.alert_id) & set(todo.alert_id)
