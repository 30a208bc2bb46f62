"""Word documents of demo records: each kind opens in LibreOffice and says the right things in Polish;
an uploaded template is used for the next download; no document carries text the warehouse refused."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date, datetime

import pypdf
import pytest
from docx import Document

from kooperacja import warehouse
from kooperacja.cases import delivery
from kooperacja.cli import main
from kooperacja.documents import custom, word
from kooperacja.documents.catalog import KINDS
from kooperacja.model import access, rules
from kooperacja.model.access import Actor
from kooperacja.model.errors import AccessDenied, InvalidInput, NotFound
from kooperacja.programme import services as programme
from tests.conftest import DEMO_TODAY

TODAY = date.fromisoformat(DEMO_TODAY)
SOFFICE = shutil.which("soffice")
WZK = Actor("wzk", access.WZK)
ANIMATOR = Actor("animator2", access.ANIMATOR)
PESEL = "44051401359"


def one(conn, sql: str):
    return conn.execute(sql).fetchall()[0]


def demo_records(conn) -> dict[str, tuple]:
    """kind -> (key, texts its document must show), from the demo warehouse."""
    terc, gmina = one(
        conn, "SELECT p.terc, g.name FROM pilot_gmina p JOIN gmina g USING (terc) ORDER BY 1 LIMIT 1"
    )
    zgl, zgl_gmina, received = one(
        conn,
        "SELECT z.zgloszenie_id, g.name, strftime(z.received_on, '%d.%m.%Y') FROM zgloszenie z "
        "JOIN gmina g USING (terc) ORDER BY 1 LIMIT 1",
    )
    member = one(
        conn,
        f"SELECT i.name FROM pzk_member m JOIN institution i USING (institution_id) WHERE m.terc = '{terc}' "
        "AND m.left_on IS NULL ORDER BY i.name LIMIT 1",
    )[0]
    meeting, code, held, guest = one(
        conn,
        "SELECT m.meeting_id, m.case_code, strftime(m.held_on, '%d.%m.%Y'), min(i.name) FROM meeting m "
        "JOIN meeting_attendee a USING (meeting_id) JOIN institution i USING (institution_id) "
        "WHERE m.kind = 'ggk' GROUP BY ALL ORDER BY 1 LIMIT 1",
    )
    planned, goal = one(
        conn,
        "SELECT case_code, main_goal FROM case_file WHERE evaluated_on IS NOT NULL ORDER BY 1 LIMIT 1",
    )
    monitored, task = one(
        conn,
        "SELECT t.case_code, min(t.description) FROM case_task t JOIN monthly_report r USING (task_id) "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
    )
    wzk_meeting, person = one(
        conn,
        "SELECT a.meeting_id, min(w.full_name) FROM wzk_attendance a JOIN wzk_member w USING (member_id) "
        "GROUP BY 1 ORDER BY 1 DESC LIMIT 1",
    )
    return {
        "zgloszenie": (zgl, [zgl_gmina, received, "Zgłoszenie kooperacji do ROPS"]),
        "porozumienie_pzk": (terc, [gmina, member, "Partnerskiego Zespołu Kooperacji"]),
        "zaproszenie_spotkanie": (meeting, [code, held, guest, "Zaproszenie na spotkanie"]),
        "protokol_spotkania": (meeting, [code, held, guest, "Protokół spotkania"]),
        "karta_planu_pracy": (planned, [planned, goal, "Część C. Ewaluacja"]),
        "monitoring_sprawy": (monitored, [monitored, task, "Sprawozdania miesięczne"]),
        "protokol_wzk": (wzk_meeting, [person, "Wojewódzkiego Zespołu Kooperacji"]),
        "karta_gminy": (terc, [f"Karta gminy {gmina}", "Alerty"]),
    }


@pytest.fixture(scope="module")
def pdf_texts(demo_db, tmp_path_factory) -> dict[str, tuple[list[str], str]]:
    """Every kind rendered for a demo record, converted to PDF in ONE LibreOffice call, read by pypdf."""
    if SOFFICE is None or not shutil.which("pdftoppm"):
        pytest.skip("soffice/pdftoppm missing: make test-deps (LibreOffice Writer, poppler-utils)")
    folder = tmp_path_factory.mktemp("documents")
    conn = warehouse.connect(demo_db, read_only=True)
    records = demo_records(conn)
    files = []
    for kind, (key, _) in records.items():
        path = folder / f"{kind}.docx"
        path.write_bytes(word.render(conn, access.SYSTEM, kind, key, TODAY))
        files.append(str(path))
    conn.close()
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "pdf",
         "--outdir", str(folder), *files],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    # looked at, not only read: the gmina card's first page as a picture (kept in the test's folder)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(folder / "karta_gminy.pdf"),
                    str(folder / "karta_gminy")], check=True, timeout=60)  # fmt: skip
    assert (folder / "karta_gminy-1.png").stat().st_size > 10_000
    out = {}
    for kind, (_, expected) in records.items():
        reader = pypdf.PdfReader(folder / f"{kind}.pdf")
        out[kind] = (expected, " ".join(" ".join(p.extract_text() for p in reader.pages).split()))
    return out


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_document_opens_in_libreoffice_in_polish_with_the_records_names_and_dates(pdf_texts, kind):
    expected, text = pdf_texts[kind]
    assert "Regionalny Ośrodek Polityki Społecznej" in text and "24.11.2026" in text
    for part in expected:
        assert " ".join(str(part).split()) in text, part
    assert re.search(r"[ąćęłńóśźż]", text)
    assert "{{" not in text and "{%" not in text and "}}" not in text
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), "a date not as dd.mm.rrrr"
    assert "None" not in text and "nan" not in text.split()


def test_the_meeting_documents_show_the_five_day_notice_date(pdf_texts):
    for kind in ("zaproszenie_spotkanie", "protokol_spotkania"):
        held = pdf_texts[kind][0][1]
        notice = rules.notice_deadline(datetime.strptime(held, "%d.%m.%Y").date())
        assert f"{notice:%d.%m.%Y}" in pdf_texts[kind][1], kind


def text_of(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    header = [p.text for p in doc.sections[0].header.paragraphs]
    return "\n".join([*header, *(p.text for p in doc.paragraphs), *cells])


def test_an_uploaded_template_is_used_for_the_next_download_and_the_built_in_one_comes_back(demo_conn):
    terc = one(demo_conn, "SELECT terc FROM pilot_gmina ORDER BY 1 LIMIT 1")[0]
    own = io.BytesIO()
    doc = Document()
    doc.add_paragraph("PISMO WŁASNE ROPS — {{ gmina }}, stan na {{ stan_na }}")
    doc.save(own)
    custom.upload(demo_conn, access.SYSTEM, "porozumienie_pzk", own.getvalue(), datetime(2026, 11, 24, 9, 0))
    text = text_of(word.render(demo_conn, access.SYSTEM, "porozumienie_pzk", terc, TODAY))
    assert "PISMO WŁASNE ROPS — " in text and "stan na 24.11.2026" in text
    listed = custom.list_templates(demo_conn).set_index("kind")
    assert listed.template["porozumienie_pzk"] == "własny ROPS (system, 24.11.2026 09:00)"
    logged = one(demo_conn, "SELECT action, after->>'bytes', length(after::VARCHAR) FROM audit_log "
                 "WHERE table_name = 'document_template' ORDER BY audit_id DESC LIMIT 1")  # fmt: skip
    assert logged[0] == "insert" and int(logged[1]) == len(own.getvalue()) and logged[2] < 400
    custom.restore(demo_conn, access.SYSTEM, "porozumienie_pzk", "wracamy do wzoru wbudowanego")
    assert "PISMO WŁASNE" not in text_of(
        word.render(demo_conn, access.SYSTEM, "porozumienie_pzk", terc, TODAY)
    )


def test_an_uploaded_template_with_an_unknown_field_is_refused_and_nothing_is_stored(demo_conn):
    doc = Document()
    doc.add_paragraph("{{ gmina }} {{ pesel }}")
    own = io.BytesIO()
    doc.save(own)
    with pytest.raises(
        InvalidInput, match=re.escape("Szablon używa nieznanego pola „{{ pesel }}” — dostępne pola")
    ):
        custom.upload(demo_conn, access.SYSTEM, "zgloszenie", own.getvalue(), datetime(2026, 11, 24))
    assert one(demo_conn, "SELECT count(*) FROM document_template")[0] == 0


def test_only_an_admin_uploads_a_template(demo_conn):
    with pytest.raises(AccessDenied):
        custom.upload(
            demo_conn, ANIMATOR, "zgloszenie", custom.built_in("zgloszenie"), datetime(2026, 11, 24)
        )


def test_a_document_never_contains_text_the_warehouse_refused(demo_conn):
    code, terc = one(
        demo_conn, "SELECT case_code, terc FROM case_file WHERE evaluated_on IS NOT NULL ORDER BY 1 LIMIT 1"
    )
    planted = f"Rodzina Jana Kowalskiego, PESEL {PESEL}"
    with pytest.raises(InvalidInput, match="PESEL"):
        delivery.evaluate(demo_conn, access.SYSTEM, code, evaluated_on=date(2026, 11, 20), result="partial",
                          today=TODAY, note=planted)  # fmt: skip
    zgl = one(demo_conn, f"SELECT zgloszenie_id FROM zgloszenie WHERE terc = '{terc}' LIMIT 1")
    with pytest.raises(InvalidInput, match="PESEL"):
        programme.record_zgloszenie(
            demo_conn,
            access.SYSTEM,
            {"terc": terc, "route": "rops", "received_on": TODAY, "note": planted},
            TODAY,
        )
    texts = [text_of(word.render(demo_conn, access.SYSTEM, kind, code, TODAY))
             for kind in ("karta_planu_pracy", "monitoring_sprawy")]  # fmt: skip
    if zgl:
        texts.append(text_of(word.render(demo_conn, access.SYSTEM, "zgloszenie", zgl[0], TODAY)))
    for text in texts:
        assert PESEL not in text and "Kowalski" not in text
    assert all(code in t for t in texts[:2])  # a case is named by its pseudonymous code


def test_case_documents_are_for_the_rops_staff_only_and_the_card_hides_small_counts_from_the_wzk(demo_db):
    conn = warehouse.connect(demo_db, read_only=True)
    try:
        code = one(conn, "SELECT case_code FROM case_file ORDER BY 1 LIMIT 1")[0]
        terc = one(conn, "SELECT terc FROM case_file GROUP BY 1 HAVING count(*) FILTER "
                   "(WHERE closed_on IS NOT NULL) BETWEEN 1 AND 4 ORDER BY 1 LIMIT 1")[0]  # fmt: skip
        for kind in ("karta_planu_pracy", "monitoring_sprawy"):
            with pytest.raises(AccessDenied, match="Szczegóły spraw"):
                word.render(conn, WZK, kind, code, TODAY)
        shown = text_of(word.render(conn, WZK, "karta_gminy", terc, TODAY))
        assert "zakończone: <5" in shown
        assert "zakończone: <5" not in text_of(word.render(conn, access.SYSTEM, "karta_gminy", terc, TODAY))
        with pytest.raises(NotFound, match="Numer spotkania musi być liczbą"):
            word.render(conn, access.SYSTEM, "protokol_spotkania", "abc", TODAY)
    finally:
        conn.close()


def test_the_command_line_writes_a_document_and_refuses_an_unknown_kind_in_polish(demo_db, tmp_path, capsys):
    out = tmp_path / "karta.docx"
    code = warehouse.connect(demo_db, read_only=True)
    terc = one(code, "SELECT terc FROM pilot_gmina ORDER BY 1 LIMIT 1")[0]
    code.close()
    args = ["--db", str(demo_db), "--today", DEMO_TODAY]
    assert main(["document", "porozumienie_pzk", "--id", terc, "--out", str(out), *args]) == 0
    assert "stanu na dzień 24.11.2026" in text_of(out.read_bytes())
    assert main(["document", "faktura", "--id", "1", "--out", str(out), *args]) == 1
    assert "Nie ma dokumentu „faktura”" in capsys.readouterr().err
