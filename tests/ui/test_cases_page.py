"""The Sprawy page in AppTest on a copy of the demo region: a new case from registration to closure."""

from __future__ import annotations

import json
import re
from datetime import date

from kooperacja.cases import delivery as case_delivery
from kooperacja.programme import queries
from kooperacja.ui import session
from tests.conftest import DEMO_TODAY
from tests.ui.rounds import keyed

TODAY = date.fromisoformat(DEMO_TODAY)
GMINA = "3401011"  # Zawiśle, animator1's


def run(at):
    at.run(timeout=30)
    assert not at.exception, [e.message for e in at.exception]
    return at


def click(at, key):
    at.button(key=key).click()
    return run(at)


def messages(at):
    return [m.value for m in at.success] + [m.value for m in at.warning] + [m.value for m in at.error]


def test_an_animator_takes_a_new_case_from_registration_to_closure(page_test, app_db):
    at = run(page_test("sprawy", "animator1"))
    keyed(at.selectbox, "new_gmina").set_value(GMINA)
    keyed(at.selectbox, "new_kind").set_value("rodzina")
    keyed(at.date_input, "new_referred").set_value(date(2026, 7, 1))
    click(at, "new_submit")
    code = next(m for m in messages(at) if m.startswith("Zarejestrowano")).split()[-1].rstrip(".")
    assert code.startswith(f"P-{GMINA}-") and keyed(at.selectbox, "case_pick").value == code

    keyed(at.date_input, "diag_on").set_value(date(2026, 7, 8))
    keyed(at.multiselect, "diag_problems").set_value(["ubostwo", "bezrobocie"])
    click(at, "diag_submit")
    assert "Zapisano diagnozę." in messages(at)

    keyed(at.date_input, "team_held").set_value(date(2026, 7, 15))
    run(at)
    members = queries.pzk_on(session.get_conn(), GMINA, date(2026, 7, 15))
    first, second = (int(i) for i in members.institution_id[:2])
    keyed(at.multiselect, "team_members").set_value([first, second])
    run(at)
    keyed(at.date_input, f"team_notified_{first}").set_value(date(2026, 7, 1))
    keyed(at.date_input, f"team_notified_{second}").set_value(date(2026, 7, 13))
    click(at, "team_submit")
    assert any("powiadomiono 2 dni przed (wymagane 5 dni)" in m for m in messages(at))

    keyed(at.date_input, "plan_on").set_value(date(2026, 7, 16))
    keyed(at.text_input, "plan_main_goal").set_value("Stabilizacja sytuacji rodziny 4-osobowej")
    keyed(at.text_area, "plan_goals").set_value("Podjęcie zatrudnienia\nSpłata zaległości czynszowych")
    run(at)
    keyed(at.text_input, "plan_task_desc_0").set_value("Pośrednictwo pracy")
    keyed(at.selectbox, "plan_task_who_0").set_value(first)
    keyed(at.text_input, "plan_task_desc_1").set_value("Udział w warsztatach budżetowych")
    keyed(at.selectbox, "plan_task_who_1").set_value(None)
    keyed(at.selectbox, "plan_task_goal_1").set_value(1)
    click(at, "plan_submit")
    assert "Zapisano plan pracy." in messages(at)

    keyed(at.date_input, "contract_from").set_value(date(2026, 7, 20))
    click(at, "contract_submit")
    keyed(at.date_input, "services_from").set_value(date(2026, 7, 20))
    run(at)
    offer = case_delivery.available_services(session.get_conn(), GMINA, date(2026, 7, 20))
    keyed(at.multiselect, "services_pick").set_value([int(offer.service_id[0])])
    click(at, "services_submit")
    assert "Dodano usług do koszyka: 1." in messages(at)

    keyed(at.selectbox, "report_month").set_value(date(2026, 8, 1))
    click(at, "report_submit")
    assert "Zapisano sprawozdanie za sierpień 2026." in messages(at)

    keyed(at.date_input, "mon_held").set_value(date(2026, 10, 10))
    keyed(at.multiselect, "mon_members").set_value([first])
    click(at, "mon_submit")  # family neither present nor told: refused
    assert any("Obecność rodziny" in m for m in messages(at))
    keyed(at.checkbox, "mon_told").check()
    click(at, "mon_submit")
    assert "Zapisano spotkanie monitorujące." in messages(at)

    keyed(at.date_input, "eval_on").set_value(date(2026, 11, 10))
    keyed(at.selectbox, "eval_result").set_value("partial")
    click(at, "eval_submit")
    keyed(at.date_input, "close_on").set_value(date(2026, 11, 12))
    click(at, "close_submit")  # no reason picked
    assert any("Powód zakończenia" in m for m in messages(at))
    keyed(at.selectbox, "close_reason").set_value("resigned")
    click(at, "close_submit")
    assert "Sprawę zakończono." in messages(at)
    click(at, "follow_submit")
    assert "Zapisano monitoring po zakończeniu." in messages(at)

    row = (
        session.get_conn()
        .execute(
            "SELECT closure_reason, evaluation, followup_until IS NOT NULL FROM case_file "
            "WHERE case_code = ?",
            [code],
        )
        .fetchall()[0]
    )
    assert row == ("resigned", "partial", True)


def test_personal_data_typed_into_the_plan_is_refused_with_the_field_named(page_test):
    at = run(page_test("sprawy", "animator1"))
    keyed(at.selectbox, "cases_gmina").set_value(GMINA)
    keyed(at.selectbox, "cases_stage").set_value("diagnosed")
    run(at)
    code = keyed(at.selectbox, "case_pick").value
    members = queries.pzk_on(session.get_conn(), GMINA, TODAY)
    keyed(at.multiselect, "team_members").set_value([int(members.institution_id[0])])
    run(at)
    click(at, "team_submit")
    assert "Zapisano spotkanie zespołu." in messages(at)
    keyed(at.text_input, "plan_main_goal").set_value("Kontakt z rodziną: anna.nowak@example.com")
    keyed(at.text_area, "plan_goals").set_value("Podjęcie pracy")
    run(at)
    keyed(at.text_input, "plan_task_desc_0").set_value("Doradztwo zawodowe")
    keyed(at.text_input, "plan_task_desc_1").set_value("Warsztaty")
    click(at, "plan_submit")
    assert [e.value for e in at.error] == [
        "**Niepoprawne dane**\n\n"
        "Cel główny: wygląda na adres e-mail — dane osobowe nie mogą trafić do systemu "
        "(sprawy są prowadzone pod kodem)"
    ]
    plan_on = (
        session.get_conn().execute("SELECT plan_on FROM case_file WHERE case_code = ?", [code]).fetchall()
    )
    assert plan_on == [(None,)]


def test_the_wzk_sees_only_suppressed_summaries_and_no_case_codes(page_test):
    at = run(page_test("sprawy", "wzk"))
    assert not at.tabs and not [s for s in at.selectbox if s.key == "case_pick"]
    text = json.dumps([e.proto.spec for e in at.get("plotly_chart")]) + " ".join(
        str(df.value.to_dict()) for df in at.dataframe
    )
    assert "<5" in text
    assert "P-34" not in text
    assert any("<5" in i.value for i in at.info)


def test_the_admin_and_the_zarzad_open_the_page_without_an_error(page_test):
    admin = run(page_test("sprawy", "admin"))
    assert [t.label for t in admin.tabs] == ["Sprawy", "Nowa sprawa", "Podsumowanie ROPS"]
    zarzad = run(page_test("sprawy", "zarzad"))
    assert not zarzad.tabs and len(zarzad.get("plotly_chart")) == 2


STALE = re.compile(r"Zmienił\(a\) admin \d\d\.\d\d\.\d{4} \d\d:\d\d — odśwież i spróbuj ponownie\.")


def stale_shown(at) -> bool:
    """The who/when refusal among the error boxes (their text is Markdown-escaped: drop the escapes)."""
    return any(STALE.search(e.value.replace("\\", "")) for e in at.error)


def _same_case_in_two_sessions(page_test):
    """animator1 and the admin open the same case under way in Zawiśle (both screens show one version)."""
    sessions = []
    for user in ("admin", "animator1"):
        at = run(page_test("sprawy", user))
        keyed(at.selectbox, "cases_gmina").set_value(GMINA)
        keyed(at.selectbox, "cases_stage").set_value("delivery")
        run(at)
        sessions.append(at)
    code = sessions[0].selectbox(key="case_pick").value
    sessions[1].selectbox(key="case_pick").set_value(code)
    run(sessions[1])
    return code, *sessions


def test_two_sessions_evaluating_one_case_the_second_is_refused_with_who_and_when(page_test):
    code, admin, animator = _same_case_in_two_sessions(page_test)
    keyed(admin.selectbox, "eval_result").set_value("full")
    click(admin, "eval_submit")
    assert "Zapisano ewaluację." in messages(admin)
    keyed(animator.selectbox, "eval_result").set_value("none")
    click(animator, "eval_submit")
    assert stale_shown(animator), messages(animator)
    stored = session.get_conn().execute("SELECT evaluation FROM case_file WHERE case_code = ?", [code])
    assert stored.fetchall() == [("full",)]


def test_a_stale_closure_is_refused_with_a_polish_message(page_test):
    code, admin, animator = _same_case_in_two_sessions(page_test)
    keyed(admin.selectbox, "close_reason").set_value("resigned")
    click(admin, "close_submit")
    assert "Sprawę zakończono." in messages(admin)
    keyed(animator.selectbox, "close_reason").set_value("no_cooperation")
    click(animator, "close_submit")
    assert stale_shown(animator), messages(animator)
    stored = session.get_conn().execute("SELECT closure_reason FROM case_file WHERE case_code = ?", [code])
    assert stored.fetchall() == [("resigned",)]


def test_registering_the_same_filled_in_form_twice_makes_one_case(page_test):
    at = run(page_test("sprawy", "animator1"))
    count = "SELECT count(*) FROM case_file WHERE terc = ?"
    before = session.get_conn().execute(count, [GMINA]).fetchall()[0][0]
    keyed(at.selectbox, "new_gmina").set_value(GMINA)
    keyed(at.date_input, "new_referred").set_value(date(2026, 11, 2))
    click(at, "new_submit")
    first = next(m for m in messages(at) if m.startswith("Zarejestrowano"))
    # a double click: the second click carries the form as it was (the save cleared it on the server)
    keyed(at.selectbox, "new_gmina").set_value(GMINA)
    keyed(at.date_input, "new_referred").set_value(date(2026, 11, 2))
    click(at, "new_submit")
    assert first in messages(at) and any("już zapisano" in i.value for i in at.info)
    assert session.get_conn().execute(count, [GMINA]).fetchall()[0][0] == before + 1
