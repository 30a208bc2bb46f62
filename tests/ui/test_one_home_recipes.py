"""The maintainer's recipes hold: changing a dated rule, or adding a report section, is one edit.

Each test makes the one edit (a monkeypatched constant, an appended Section) and finds every
reader follow: the SQL and Python read sides, the labels, the pages, the PDF and the XLSX.
"""

from __future__ import annotations

from datetime import date, timedelta

from kooperacja import warehouse
from kooperacja.model import formatting, rules
from kooperacja.programme import alerts, queries
from tests.conftest import DEMO_TODAY

TODAY = date.fromisoformat(DEMO_TODAY)


def _read(path, fn, *args):
    conn = warehouse.connect(path, read_only=True)
    try:
        return fn(conn, *args)
    finally:
        conn.close()


def _notifications(conn):
    return conn.execute(
        "SELECT z.zgloszenie_id, z.terc, z.received_on, p.terc IS NOT NULL AS pilot "
        "FROM zgloszenie z LEFT JOIN pilot_gmina p USING (terc) ORDER BY z.received_on"
    ).df()


def test_changing_the_first_contact_rule_is_one_edit(monkeypatch, page_test, demo_db):
    days = rules.FIRST_CONTACT_DAYS + 5
    monkeypatch.setattr(rules, "FIRST_CONTACT_DAYS", days)  # the one edit

    notified = _read(demo_db, _notifications)
    assert len(notified), "the demo has notifications to check"
    terc = notified[notified.pilot].terc.iloc[-1]
    received = {r.received_on.date() for r in notified.itertuples()}

    # the to-do list: every first-contact alert is due `days` after a notification
    found = _read(demo_db, alerts.list_alerts, TODAY)
    contact = found[found.rule == "first_contact"]
    assert {d - timedelta(days=days) for d in contact.due_on} <= received
    assert set(contact.rule_label) <= {f"Kontakt ROPS w {days} dni"}
    assert rules.RULE_LABELS["first_contact"] == f"Kontakt ROPS w {days} dni"

    # the gmina's notifications (SQL deadline, Python state) follow the same rule
    rows = _read(demo_db, queries.zgloszenia, terc, TODAY)
    for r in rows.itertuples():
        start = r.received_on.date()
        assert r.contact_deadline == start + timedelta(days=days)
        first = (
            None
            if r.first_contact_on is None or r.first_contact_on != r.first_contact_on
            else r.first_contact_on
        )
        first = first.date() if hasattr(first, "date") else first
        assert r.contact_state == rules.first_contact_state(start, first, TODAY).label

    # the labels the user reads
    assert formatting.headers(["contact_state"]) == [f"Kontakt w {days} dni"]
    at = page_test("gmina", "admin").run(timeout=60)
    at.selectbox(key="gmina_pick").set_value(terc).run(timeout=60)
    assert not at.exception
    assert any(h.value == f"Zgłoszenie do ROPS i kontakt w {days} dni" for h in at.subheader)
    assert not any("w 7 dni" in h.value for h in at.subheader)
    deadline = rows.contact_deadline.iloc[0]
    assert any(f"{deadline:%d.%m.%Y}" in m.value for m in at.markdown)


def test_adding_a_section_to_the_effects_report_is_one_edit(monkeypatch, page_test, demo_db):
    import io

    import openpyxl
    import pandas as pd
    import pypdf

    from kooperacja.model.access import Actor
    from kooperacja.report import effects, sections

    extra = sections.Section(
        "test_extra",
        "Sekcja dodana w teście",
        lambda r: pd.DataFrame({"Pozycja": ["pierwsza", "druga"], "Liczba": [3, 8]}),
        sections.bars("Liczba"),
    )
    monkeypatch.setattr(sections, "SECTIONS", (*sections.SECTIONS, extra))  # the one edit
    page_number = len(sections.SECTIONS)
    pdf_number = max(n for n, _ in sections.pdf_numbered() if n is not None)

    # the page: a numbered subheading, the chart over the table
    at = page_test("raport", "admin").run(timeout=60)
    assert not at.exception
    assert f"{page_number}. Sekcja dodana w teście" in [h.value for h in at.subheader]
    # the PDF and the XLSX of the same report
    conn = warehouse.connect(demo_db, read_only=True)
    try:
        report = effects.effects(conn, Actor("a", "admin"), TODAY)
    finally:
        conn.close()
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(effects.to_pdf(report))).pages)
    charted = [s for s in sections.SECTIONS if s.chart is not None and len(s.table(report))]
    assert len(at.get("plotly_chart")) == len(charted) and charted[-1] is extra
    assert f"{pdf_number}. Sekcja dodana w teście" in text
    assert "pierwsza" in text and "druga" in text
    book = openpyxl.load_workbook(io.BytesIO(effects.to_xlsx(report)))
    assert book.sheetnames[-1] == "Sekcja dodana w teście"
    rows = [[c.value for c in row] for row in book["Sekcja dodana w teście"].iter_rows()]
    assert rows == [["Pozycja", "Liczba"], ["pierwsza", 3], ["druga", 8]]
