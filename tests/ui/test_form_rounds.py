"""A second save does not carry the first one's text: the case, service and WZK forms (AppTest, demo copy).

Each form family saves through `kooperacja.ui.saving.submit`, which draws the form's next round after a
save; these tests fill a form, save, find the fields empty, and save a second entry that keeps none of
the first's text. (The programme forms: tests/ui/test_form_reset.py; the admin forms:
tests/ui/test_admin_pages.py; the browser itself: tests/e2e/test_form_reset_browser.py.)
"""

from __future__ import annotations

from datetime import date

from kooperacja.ui import session
from tests.ui.rounds import keyed

CASE = "P-3401011-0003"  # Zawiśle (animator1's), in delivery; task 6 reported for 10.2026 only


def run(at):
    at.run(timeout=30)
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def rows(sql, params=()):
    return session.get_conn().execute(sql, list(params)).fetchall()


def _report(at, task: int, note: str | None) -> None:
    keyed(at.selectbox, "report_task").set_value(task)
    keyed(at.selectbox, "report_month").set_value(date(2026, 11, 1))
    run(at)
    field = keyed(at.text_input, "report_note")
    assert field.value == "", "the new report's note starts empty"
    if note is not None:
        field.set_value(note)
    at.button(key="report_submit").click()
    run(at)
    assert "Zapisano sprawozdanie za listopad 2026." in [s.value for s in at.success]


def test_the_second_monthly_report_does_not_carry_the_first_ones_note(page_test):
    at = run(page_test("sprawy", "animator1"))
    keyed(at.selectbox, "cases_gmina").set_value("3401011")
    run(at)
    keyed(at.selectbox, "case_pick").set_value(CASE)
    run(at)
    tasks = [t for (t,) in rows("SELECT task_id FROM case_task WHERE case_code = ? ORDER BY 1", (CASE,))]
    assert 6 in tasks and len(tasks) >= 2
    other = next(t for t in tasks if t != 6)
    _report(at, 6, "Zajęcia trwają, bez przerw")
    _report(at, other, None)
    sql = "SELECT task_id, note FROM monthly_report WHERE month = DATE '2026-11-01' AND task_id IN (?, ?)"
    assert sorted(rows(sql, (6, other))) == sorted([(6, "Zajęcia trwają, bez przerw"), (other, None)])


def _service(at, name: str, contact: str | None) -> None:
    keyed(at.selectbox, "svc_new_level").set_value("gmina")
    run(at)
    keyed(at.selectbox, "svc_new_area_gmina").set_value("3401011")
    run(at)
    assert keyed(at.text_input, "svc_new_name").value == ""
    assert keyed(at.text_input, "svc_new_contact").value == ""
    assert keyed(at.text_area, "svc_new_access").value == ""
    keyed(at.selectbox, "svc_new_inst").set_value(1)
    keyed(at.text_input, "svc_new_name").set_value(name)
    keyed(at.multiselect, "svc_new_groups").set_value(["rodziny"])
    keyed(at.multiselect, "svc_new_problems").set_value(["bezradnosc"])
    if contact is not None:
        keyed(at.text_input, "svc_new_contact").set_value(contact)
        keyed(at.text_area, "svc_new_access").set_value("Zapisy w sekretariacie")
    at.button(key="svc_new_submit").click()
    run(at)
    assert f"Zapisano usługę „{name}”." in [s.value for s in at.success]


def test_the_second_service_does_not_carry_the_first_ones_contact(page_test):
    at = run(page_test("uslugi", "animator1"))
    _service(at, "Grupa wsparcia dla rodziców", "tel. 81 555 12 34")
    _service(at, "Poradnictwo rodzinne", None)
    sql = "SELECT name, contact, access FROM service WHERE name IN (?, ?) ORDER BY name"
    saved = rows(sql, ("Grupa wsparcia dla rodziców", "Poradnictwo rodzinne"))
    assert saved == [
        ("Grupa wsparcia dla rodziców", "tel. 81 555 12 34", "Zapisy w sekretariacie"),
        ("Poradnictwo rodzinne", None, None),
    ]


def _wzk_meeting(at, held: date, agenda: str, decisions: str | None) -> None:
    assert keyed(at.text_area, "wzk_meeting_agenda").value == ""
    assert keyed(at.text_area, "wzk_meeting_decisions").value == ""
    keyed(at.date_input, "wzk_meeting_on").set_value(held)
    keyed(at.text_area, "wzk_meeting_agenda").input(agenda)
    if decisions is not None:
        keyed(at.text_area, "wzk_meeting_decisions").input(decisions)
    at.button(key="wzk_meeting_submit").click()
    run(at)
    assert "Zapisano posiedzenie." in [s.value for s in at.success]


def test_the_second_wzk_meeting_does_not_carry_the_first_ones_decisions(page_test):
    at = run(page_test("wzk", "admin"))
    _wzk_meeting(at, date(2026, 11, 16), "Przegląd rekomendacji", "Przyjęto plan na grudzień")
    _wzk_meeting(at, date(2026, 11, 23), "Sprawy bieżące", None)
    sql = "SELECT held_on, agenda, decisions FROM meeting WHERE kind = 'wzk' AND held_on IN (?, ?) ORDER BY 1"
    saved = rows(sql, (date(2026, 11, 16), date(2026, 11, 23)))
    assert saved == [
        (date(2026, 11, 16), "Przegląd rekomendacji", "Przyjęto plan na grudzień"),
        (date(2026, 11, 23), "Sprawy bieżące", None),
    ]
