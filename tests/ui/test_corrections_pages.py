"""Corrections through the pages (AppTest, a copy of the demo): a monthly report, a service, the WZK."""

from __future__ import annotations

from datetime import date

from kooperacja.ui import session
from tests.ui.rounds import keyed

CASE = "P-3401011-0003"  # Zawiśle (animator1's), in delivery; task 6 reported for 10.2026 (report 35)


def run(at):
    at.run(timeout=30)
    assert not at.exception, [e.message for e in at.exception]
    return at


def click(at, key):
    at.button(key=key).click()
    return run(at)


def texts(at):
    return [m.value for kind in ("success", "info", "warning", "error") for m in getattr(at, kind)]


def one(sql, params=()):
    return session.get_conn().execute(sql, list(params)).fetchall()[0]


def open_report_month(at):
    keyed(at.selectbox, "cases_gmina").set_value("3401011")
    run(at)
    keyed(at.selectbox, "case_pick").set_value(CASE)
    run(at)
    keyed(at.selectbox, "report_task").set_value(6)
    keyed(at.selectbox, "report_month").set_value(date(2026, 10, 1))
    return run(at)


def test_a_month_already_reported_offers_the_correction_and_saves_it(page_test):
    at = open_report_month(run(page_test("sprawy", "animator1")))
    assert any("Sprawozdanie za październik 2026 już zapisano" in t for t in texts(at))
    assert not [b for b in at.button if b.key == "report_submit"]
    keyed(at.selectbox, "report_fix_progress_35").set_value("delayed")
    keyed(at.text_input, "report_fix_note_35").set_value("Brak wolnych miejsc w poradni")
    click(at, "report_fix_submit")  # no reason
    assert any("Powód zmiany: pole nie może być puste" in t for t in texts(at))
    keyed(at.text_input, "report_fix_reason_35").set_value("instytucja poprawiła sprawozdanie")
    click(at, "report_fix_submit")
    assert "Poprawiono sprawozdanie za październik 2026." in texts(at)
    assert one("SELECT progress, note FROM monthly_report WHERE report_id = 35") == (
        "delayed",
        "Brak wolnych miejsc w poradni",
    )
    assert one("SELECT reason FROM audit_log WHERE table_name = 'monthly_report' ORDER BY audit_id DESC")[
        0
    ] == ("instytucja poprawiła sprawozdanie")
    assert (
        keyed(at.text_input, "report_fix_reason_35").value == ""
    )  # the form starts again from the saved row


def test_a_new_report_form_is_empty_after_a_save(page_test):
    at = open_report_month(run(page_test("sprawy", "animator1")))
    keyed(at.selectbox, "report_month").set_value(date(2026, 11, 1))
    run(at)
    keyed(at.text_input, "report_note").set_value("Zajęcia trwają")
    click(at, "report_submit")
    assert "Zapisano sprawozdanie za listopad 2026." in texts(at)
    assert one("SELECT count(*) FROM monthly_report WHERE task_id = 6 AND month = DATE '2026-11-01'") == (1,)
    # the month is saved now: the correction shows, and the new report's note is gone from the state
    assert any("Sprawozdanie za listopad 2026 już zapisano" in t for t in texts(at))
    assert "report_note" not in at.session_state or not at.session_state["report_note"]


def test_an_animator_adds_a_service_through_the_form_and_finds_it_in_the_search(page_test):
    at = run(page_test("uslugi", "animator1"))
    keyed(at.selectbox, "svc_new_level").set_value("gmina")
    run(at)
    keyed(at.selectbox, "svc_new_area_gmina").set_value("3401011")
    run(at)
    keyed(at.selectbox, "svc_new_inst").set_value(1)
    keyed(at.text_input, "svc_new_name").set_value("Grupa wsparcia dla rodziców")
    keyed(at.selectbox, "svc_new_category").set_value("poradnictwo")
    keyed(at.multiselect, "svc_new_groups").set_value(["rodziny"])
    keyed(at.multiselect, "svc_new_problems").set_value(["bezradnosc"])
    keyed(at.text_input, "svc_new_contact").set_value("tel. 81 555 12 34")
    keyed(at.date_input, "svc_new_from").set_value(date(2026, 11, 1))
    click(at, "svc_new_submit")
    assert "Zapisano usługę „Grupa wsparcia dla rodziców”." in texts(at)
    assert keyed(at.text_input, "svc_new_name").value == ""  # the form is empty for the next service
    keyed(at.text_input, "uslugi_tekst").set_value("Grupa wsparcia dla rodziców")
    run(at)
    assert any("Znaleziono 1 usługę" in c.value for c in at.caption)


def test_a_service_refused_by_the_form_names_the_reason(page_test):
    at = run(page_test("uslugi", "animator1"))
    keyed(at.text_input, "svc_new_name").set_value("Poradnictwo")
    keyed(at.multiselect, "svc_new_groups").set_value(["rodziny"])
    click(at, "svc_new_submit")
    assert any("Obszar (TERC): pole wymagane" in e.value for e in at.error)
    keyed(at.selectbox, "svc_new_area_gmina").set_value("3401011")
    run(at)
    keyed(at.selectbox, "svc_new_inst").set_value(1)
    click(at, "svc_new_submit")
    assert any("Obszary problemowe: wybierz co najmniej jeden obszar" in e.value for e in at.error)


def test_the_admin_ends_a_wzk_membership(page_test):
    at = run(page_test("wzk", "admin"))
    keyed(at.selectbox, "wzk_end_pick").set_value(3)
    keyed(at.date_input, "wzk_end_on").set_value(date(2026, 11, 20))
    click(at, "wzk_end_submit")
    assert any("Zapisano koniec członkostwa" in t for t in texts(at))
    assert one("SELECT to_on FROM wzk_member WHERE member_id = 3") == (date(2026, 11, 20),)
    assert not any("Sobolewska" in o for o in keyed(at.selectbox, "wzk_end_pick").options)


def open_service(at, text):
    keyed(at.text_input, "uslugi_tekst").set_value(text)
    run(at)
    at.session_state["uslugi_lista"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    return run(at)


def test_a_service_is_corrected_under_its_card_and_a_used_one_is_not_withdrawn(page_test):
    at = open_service(run(page_test("uslugi", "animator1")), "Interwencja kryzysowa i schronienie")
    assert (
        keyed(at.text_input, "svc_edit_1_name").value
        == "Interwencja kryzysowa i schronienie dla ofiar przemocy"
    )
    keyed(at.text_input, "svc_edit_1_name").set_value("Interwencja kryzysowa")
    keyed(at.text_input, "svc_edit_1_reason").set_value("skrócona nazwa")
    click(at, "svc_edit_submit")
    assert "Poprawiono usługę." in texts(at)
    assert one("SELECT name, row_version FROM service WHERE service_id = 1") == ("Interwencja kryzysowa", 2)
    at = open_service(run(page_test("uslugi", "animator1")), "Konsultacje psychologiczne dla dzieci")
    keyed(at.text_input, "svc_withdraw_4_reason").set_value("pomyłka")
    click(at, "svc_withdraw_submit")
    assert any("P-3401011-0003" in e.value and "zakończ ją" in e.value for e in at.error)


def test_the_admin_links_a_recommendation_to_another_meeting(page_test):
    at = run(page_test("wzk", "admin"))
    keyed(at.selectbox, "wzk_recfix_pick").set_value(5)
    run(at)
    keyed(at.selectbox, "wzk_recfix_5_meeting").set_value(4)
    keyed(at.text_input, "wzk_recfix_5_reason").set_value("przyjęta na posiedzeniu czerwcowym")
    click(at, "wzk_recfix_submit")
    assert "Poprawiono rekomendację." in texts(at)
    assert one("SELECT meeting_id FROM recommendation WHERE recommendation_id = 5") == (4,)


def test_a_team_meeting_entered_twice_is_withdrawn_from_the_case_page(page_test):
    at = run(page_test("sprawy", "animator1"))
    keyed(at.selectbox, "cases_gmina").set_value("3401011")
    run(at)
    keyed(at.selectbox, "case_pick").set_value("P-3401011-0001")
    run(at)
    keyed(at.selectbox, "cmeet_pick").set_value(35)
    run(at)
    keyed(at.text_input, "cmeet_reason_35").set_value("spotkanie wpisane dwa razy")
    click(at, "cmeet_withdraw_submit")
    assert "Wycofano spotkanie." in texts(at)
    assert one("SELECT count(*) FROM meeting WHERE meeting_id = 35") == (0,)
    keyed(at.selectbox, "cmeet_pick").set_value(26)
    run(at)
    keyed(at.text_input, "cmeet_reason_26").set_value("pomyłka")
    click(at, "cmeet_withdraw_submit")  # its institutions carry the plan's tasks
    assert any("ma zadanie w planie pracy sprawy" in e.value for e in at.error)
