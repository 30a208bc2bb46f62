"""The same personal data is refused through every door: a form service, a CSV import, an XLSX import.

Hardening issue, finding 2: a PESEL, a full name, a phone, an e-mail and an address were saved in
step-event notes and evidence, institution names and services' contact; the guard lives in the
records, so each door refuses the same text with the same Polish reason and writes nothing.
"""

from __future__ import annotations

from datetime import date

import pytest

from kooperacja import lku, warehouse
from kooperacja.exchange import workbook as exchange
from kooperacja.model.access import Actor
from kooperacja.model.errors import InvalidInput
from kooperacja.programme import services as programme
from tests.hostile.files import csv_bytes, xlsx_bytes

ADMIN = Actor("admin", "admin")
GMINA = "3401011"
TODAY = date(2026, 11, 24)
EVIDENCE = "Dokument (protokół, porozumienie)"
EVENT_HEADERS = ["Kod TERC gminy", "Podkrok", "Zdarzenie", "Data", "Wpisał(a)", EVIDENCE, "Uwagi"]
SERVICE_HEADERS = ["Realizator (instytucja)", "Nazwa usługi", "Kategoria", "Dla kogo", "Obszary problemowe",
                   "Poziom", "Obszar (TERC)", "Jak skorzystać", "Kontakt", "Ważna od"]  # fmt: skip
PERSONAL = {
    "pesel": ("PESEL 44 05 14 01 359", "PESEL"),
    "pesel-dashed": ("440-514-013-59", "PESEL"),
    "name": ("rozmowa z Janem Kowalskim", "imię i nazwisko"),
    "name-lower": ("jan kowalski", "imię i nazwisko"),
    "name-initial": ("Nowak J.", "imię i nazwisko"),
    "phone": ("501 23 45 67", "telefonu"),
    "email": ("jan.kowalski(at)wp.pl", "e-mail"),
    "address": ("Lipowa 5 m. 2, Toruń", "adres"),
    "birth": ("ur. 14.05.1944 r.", "urodzenia"),
}


@pytest.fixture
def wh(demo_conn):
    return demo_conn


def _count(conn, table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


@pytest.mark.parametrize(("text", "kind"), PERSONAL.values(), ids=PERSONAL.keys())
def test_a_step_event_note_with_personal_data_is_refused_by_the_form_service(wh, text, kind):
    before = _count(wh, "step_event")
    with pytest.raises(InvalidInput) as refused:
        programme.record_step_event(
            wh,
            ADMIN,
            terc=GMINA,
            substep="5.1",
            kind="started",
            event_on=date(2026, 10, 1),
            today=TODAY,
            note=text,
        )
    assert refused.value.problems[0].startswith("Uwagi: wygląda na")
    assert kind in refused.value.message
    assert _count(wh, "step_event") == before


@pytest.mark.parametrize(("text", "kind"), PERSONAL.values(), ids=PERSONAL.keys())
@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_the_same_text_is_refused_through_the_import_in_note_and_evidence(wh, text, kind, form):
    good = [GMINA, "5.2", "completed", "01.02.2026", "admin", "Protokół nr 3/2026", "protokół"]
    rows = [good, [GMINA, "5.1", "started", "01.02.2026", "admin", None, text],
            [GMINA, "5.3", "started", "01.02.2026", "admin", text, None]]  # fmt: skip
    if form == "csv":
        parsed = exchange.parse_file(csv_bytes(EVENT_HEADERS, rows), "zdarzenia.csv")
    else:
        parsed = exchange.parse_file(xlsx_bytes("Zdarzenia kroków", EVENT_HEADERS, rows), "zdarzenia.xlsx")
    before = (_count(wh, "step_event"), _count(wh, "audit_log"))
    result = exchange.apply_import(wh, ADMIN, parsed)
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "Uwagi"),
        (4, "Dokument (protokół, porozumienie)"),
    ]
    assert all(e.reason.startswith("wygląda na") and kind in e.reason for e in result.errors), result.errors
    assert result.total_written == 0
    assert (_count(wh, "step_event"), _count(wh, "audit_log")) == before


def _service_row(name: str, access: str | None, contact: str | None) -> list[object]:
    return [1, name, "poradnictwo", "rodziny", "ubostwo", "gmina", GMINA, access, contact, "01.01.2026"]


def test_a_services_contact_may_hold_the_institutions_phone_and_e_mail_through_the_import(wh):
    rows = [
        _service_row(
            "Poradnictwo rodzinne", "Zapisy w sekretariacie", "sekretariat@ops.gmina.pl, 56 123 45 67"
        )
    ]
    result = exchange.apply_import(
        wh, ADMIN, exchange.parse_file(csv_bytes(SERVICE_HEADERS, rows), "uslugi.csv")
    )
    assert not result.errors and result.written == {"service": 1}


def test_a_persons_e_mail_or_a_phone_in_how_to_is_refused_through_the_import_and_the_form(wh):
    rows = [
        _service_row("Poradnictwo A", "dzwonić: 501 234 567", None),
        _service_row("Poradnictwo B", None, "jan.kowalski@wp.pl"),
        _service_row("Poradnictwo C", None, "PESEL 44051401359"),
    ]
    before = _count(wh, "service")
    result = exchange.apply_import(
        wh, ADMIN, exchange.parse_file(csv_bytes(SERVICE_HEADERS, rows), "uslugi.csv")
    )
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "Jak skorzystać"),
        (3, "Kontakt"),
        (4, "Kontakt"),
    ]
    assert _count(wh, "service") == before
    data = {"institution_id": 1, "name": "Poradnictwo", "category": "poradnictwo",
            "target_groups": ["rodziny"], "problem_areas": ["ubostwo"], "level": "gmina", "area_terc": GMINA,
            "valid_from": date(2026, 1, 1), "contact": "jan.kowalski@wp.pl"}  # fmt: skip
    with pytest.raises(InvalidInput, match=r"^Kontakt: wygląda na prywatny adres e-mail"):
        lku.add_service(wh, ADMIN, data)


def test_an_institution_named_after_a_person_is_refused_but_a_patron_passes_through_the_import(wh):
    headers = ["Nazwa instytucji", "Sektor", "Poziom", "Siedziba (TERC)"]
    rows = [["Szkoła Podstawowa im. Jana Pawła II", "edukacja", "gmina", GMINA],
            ["Fundacja im. Marii Konopnickiej", "ngo", "gmina", GMINA],
            ["Stowarzyszenie Jan Kowalski i Syn", "ngo", "gmina", GMINA]]  # fmt: skip
    parsed = exchange.parse_file(xlsx_bytes("Instytucje", headers, rows), "instytucje.xlsx")
    result = exchange.apply_import(wh, ADMIN, parsed, mode="valid_only")
    assert [(e.row, e.column) for e in result.errors] == [(4, "Nazwa instytucji")]
    assert result.written == {"institution": 2}


def test_the_demo_warehouse_holds_no_text_the_guard_refuses(demo_db):
    """Every stored free-text value of the demo passes the records again (the demo builds through them)."""
    from kooperacja.model import records
    from tests.unit.test_records_guard import GUARDED

    conn = warehouse.connect(demo_db, read_only=True)
    try:
        checked = 0
        for cls, name, _ in GUARDED:
            values = conn.execute(
                f"SELECT DISTINCT {name} FROM {cls.TABLE} WHERE {name} IS NOT NULL"
            ).fetchall()
            for (value,) in values:
                title = records.label(cls, name)
                try:
                    cls.parse({name: value})
                except InvalidInput as refused:
                    assert not [p for p in refused.problems if p.startswith(f"{title}: ")], (cls.TABLE, value)
                checked += 1
        assert checked > 100
    finally:
        conn.close()
