"""The effects report on the demo warehouse: numbers against direct SQL, suppression, PDF, XLSX, CLI."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import date

import openpyxl
import pandas as pd
import pypdf
import pytest

from kooperacja import cli, warehouse
from kooperacja.model.access import Actor
from kooperacja.report import effects as report
from tests.conftest import DEMO_TODAY

TODAY = date.fromisoformat(DEMO_TODAY)
ADMIN, ZARZAD = Actor("admin", "admin"), Actor("zarzad", "zarzad")


@pytest.fixture(scope="module")
def demo(demo_db):
    conn = warehouse.connect(demo_db, read_only=True)
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def full(demo):
    return report.effects(demo, ADMIN, TODAY)


def one(conn, sql, params=()):
    return conn.execute(sql, list(params)).fetchall()[0][0]


def test_pilot_and_pzk_numbers_equal_the_warehouse(demo, full):
    assert full.pilot["Gminy"].sum() == one(demo, "SELECT count(*) FROM pilot_gmina")
    assert full.headline["Powiaty"] == one(demo, "SELECT count(DISTINCT left(terc, 4)) FROM pilot_gmina")
    urban = full.pilot.set_index("Wariant modelu").iloc[2]["Gminy"]
    assert urban == one(demo, "SELECT count(*) FROM pilot_gmina WHERE variant = 'urban'")
    assert full.pzk["Instytucje"].sum() == one(
        demo,
        """
        SELECT count(*) FROM (SELECT DISTINCT i.sector, i.institution_id FROM pzk_member m
        JOIN institution i USING (institution_id)
        WHERE m.signed_on <= ? AND (m.left_on IS NULL OR m.left_on > ?))
        """,
        [TODAY, TODAY],
    )


def test_case_numbers_equal_the_warehouse(demo, full):
    assert full.cases["Zgłoszone"].sum() == one(
        demo, "SELECT count(*) FROM case_file WHERE referred_on <= ?", [TODAY]
    )
    families = full.cases.set_index("Rodzaj").loc["rodzina"]
    assert families["Zakończone"] == one(
        demo, "SELECT count(*) FROM case_file WHERE kind = 'rodzina' AND closed_on <= ?", [TODAY]
    )
    closures = dict(zip(full.closures.iloc[:, 0], full.closures["Sprawy"], strict=True))
    assert closures["osiągnięcie celów"] == one(
        demo, "SELECT count(*) FROM case_file WHERE closure_reason = 'goals_achieved'"
    )
    assert full.evaluation["Sprawy"].iloc[0] == one(
        demo, "SELECT count(*) FROM case_file WHERE evaluation = 'full'"
    )
    assert full.baskets["Sprawy"].sum() >= one(demo, "SELECT count(DISTINCT case_code) FROM case_service")
    assert full.baskets["Usługi"].sum() == one(demo, "SELECT count(DISTINCT service_id) FROM case_service")


def test_steps_and_recommendations_equal_the_warehouse(demo, full):
    assert full.recommendations.iloc[:, 1:].to_numpy().sum() == one(
        demo, "SELECT count(*) FROM recommendation"
    )
    done = full.recommendations["zrealizowana"].sum()
    assert done == one(demo, "SELECT count(*) FROM recommendation WHERE status = 'done'")
    assert full.steps["Zrobione"].sum() == full.gminy["Podkroki zrobione"].sum()


def test_a_gmina_report_counts_only_that_gmina(demo):
    terc = one(demo, "SELECT terc FROM pilot_gmina ORDER BY terc LIMIT 1")
    mine = report.effects(demo, ADMIN, TODAY, terc)
    assert mine.pilot["Gminy"].sum() == 1 and len(mine.gminy) == 1
    assert mine.cases["Zgłoszone"].sum() == one(demo, "SELECT count(*) FROM case_file WHERE terc = ?", [terc])
    assert mine.scope.startswith("Gmina ")


def test_the_zarzad_sees_case_counts_under_five_as_less_than_five(demo, full):
    hidden = report.effects(demo, ZARZAD, TODAY)
    assert hidden.suppressed and not full.suppressed
    for raw, shown in zip(full.closures["Sprawy"], hidden.closures["Sprawy"], strict=True):
        assert shown == ("<5" if 0 < raw < 5 else raw)
    assert "<5" in list(hidden.closures["Sprawy"])  # the demo has some small counts
    assert list(hidden.pilot["Gminy"]) == list(full.pilot["Gminy"])  # gminy are not people


@pytest.fixture(scope="module")
def pdf_bytes(demo):
    return report.to_pdf(report.effects(demo, ZARZAD, TODAY))


def test_the_pdf_opens_with_six_pages_and_correct_polish_text(pdf_bytes):
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    assert len(reader.pages) == 6  # the last: the cooperation network before and after
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in [
        "Efekty modelu kooperacji",
        "Zarządu Województwa",
        "Województwo Nadwiślańskie",
        "stan na 24.11.2026",
        "Instytucje w PZK",
        "osiągnięcie celów",
        "Rekomendacje WZK",
        "Strona 6 z 6",
        "rodzina",
        "ewaluacji",
        "integracja społeczna",
        "Dębowa Wola",
        "Kępnica",
    ]:
        assert expected in text, expected
    assert "<5" in text


def test_a_large_region_pdf_sums_its_gminy_per_powiat_and_lists_only_the_late_ones(demo):
    full = report.effects(demo, ZARZAD, TODAY)
    copies = [full.gminy.assign(Gmina=[f"G{n}-{i}" for i in range(len(full.gminy))]) for n in range(6)]
    large = dataclasses.replace(full, gminy=pd.concat(copies, ignore_index=True))  # 72 > GMINY_LISTED
    reader = pypdf.PdfReader(io.BytesIO(report.to_pdf(large)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "podsumowanych według powiatów" in text and "Gminy opóźnione i zatrzymane" in text
    assert all(name in text for name in full.areas["Powiat"])
    late = large.gminy["Stan"] != "w terminie"
    assert 0 < late.sum() < len(large.gminy)
    listed = {name for name in large.gminy["Gmina"] if re.search(rf"\b{name}\b", text)}
    assert listed == set(large.gminy["Gmina"][late])
    assert len(reader.pages) == 6


def test_the_areas_sum_to_the_gminy(full):
    assert full.areas["Gminy"].sum() == len(full.gminy)
    assert full.areas["Podkroki zrobione"].sum() == full.gminy["Podkroki zrobione"].sum()
    states = full.gminy["Stan"].value_counts()
    assert full.areas["Opóźnione"].sum() == states.get("opóźniona", 0)


def test_the_xlsx_has_a_sheet_per_table(demo):
    effects = report.effects(demo, ADMIN, TODAY)
    book = openpyxl.load_workbook(io.BytesIO(report.to_xlsx(effects)))
    # Excel refuses ":" in a sheet name (xlsx writes "_")
    assert book.sheetnames == ["Raport", *[name[:31].replace(":", "_") for name in effects.tables()]]
    sheet = book["Osoby i rodziny objęte wsparciem"[:31]]
    assert [c.value for c in sheet[1]] == list(effects.cases.columns)
    assert sheet["B2"].value == int(effects.cases.iloc[0]["Zgłoszone"])


def test_the_cli_writes_the_pdf_and_the_xlsx(demo, demo_db, tmp_path):
    for name in ("raport.pdf", "raport.xlsx"):
        out = tmp_path / name
        assert cli.main(["report", "--db", str(demo_db), "--out", str(out), "--today", DEMO_TODAY]) == 0
        assert out.stat().st_size > 1000
    assert len(pypdf.PdfReader(tmp_path / "raport.pdf").pages) == 6
    terc = one(demo, "SELECT min(terc) FROM pilot_gmina")
    gmina = tmp_path / "gmina.xlsx"
    assert (
        cli.main(
            ["report", "--db", str(demo_db), "--out", str(gmina), "--gmina", terc, "--today", DEMO_TODAY]
        )
        == 0
    )
    assert cli.main(["report", "--db", str(demo_db), "--out", str(tmp_path / "x.txt")]) == 1
