"""A 25-institution survey wave exported to XLSX and imported into a fresh warehouse keeps its measures."""

from __future__ import annotations

import io
import random
from datetime import date

import networkx as nx
import openpyxl
import pytest

from kooperacja import warehouse
from kooperacja.cli import main
from kooperacja.exchange import workbook as exchange
from kooperacja.exchange.apply import apply_import
from kooperacja.model.access import IMPORTER, SYSTEM
from kooperacja.model.records import SurveyAnswer
from kooperacja.network import queries as Q
from kooperacja.network import services as S
from kooperacja.warehouse.store import insert_many

TODAY = date(2026, 11, 24)
TERC = "3401011"
TABLES = [
    "wojewodztwo", "powiat", "gmina", "app_user", "template", "template_step", "pilot_gmina",
    "institution", "survey_wave", "survey_answer",
]  # fmt: skip


FREQUENT = ["sporadycznie", "co_miesiac", "co_tydzien"]


def _wave_of_25(conn) -> int:
    wave_id = S.create_wave(
        conn, SYSTEM, {"terc": TERC, "held_on": date(2026, 2, 2), "kind": "dodatkowa"}, TODAY
    )
    ids = [
        int(r[0])
        for r in conn.execute(
            "SELECT institution_id FROM institution WHERE left(seat_terc, 4) = '3401' OR seat_terc = '34' "
            "ORDER BY institution_id LIMIT 25"
        ).fetchall()
    ]
    assert len(ids) == 25
    rng = random.Random(25)
    rows = []
    for r in ids:
        for p in ids:
            if p != r:
                yes = rng.random() < 0.2
                rows.append(
                    SurveyAnswer(
                        wave_id=wave_id,
                        terc=TERC,
                        respondent_id=r,
                        partner_id=p,
                        cooperates=yes,
                        initiates=rng.choice(["my", "oni", "obie"]) if yes else None,
                        frequency=rng.choice(["sporadycznie", "co_miesiac", "co_tydzien"])
                        if yes
                        else "nigdy",
                        quality=rng.randint(1, 5) if yes else None,
                    )
                )
    with warehouse.transaction(conn) as cur:  # the 25 rows of the grid at once (the form saves one each)
        insert_many(cur, rows, "animator1")
        Q.store_measures(cur, [wave_id])
    return wave_id


def test_a_25_institution_wave_exported_and_imported_into_a_fresh_warehouse_has_the_same_measures(
    demo_conn, tmp_path
):
    wave_id = _wave_of_25(demo_conn)
    for table in ("survey_answer", "survey_wave"):  # this wave alone travels (a smaller file, a quicker test)
        demo_conn.execute(f"DELETE FROM {table} WHERE wave_id <> ?", [wave_id])
    before = Q.wave_measures(demo_conn, wave_id)
    data = exchange.export_registries(demo_conn, TABLES)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Odpowiedzi o współpracy"]
    headers = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert headers[:8] == [
        "ID badania", "Kod TERC gminy", "Instytucja odpowiadająca", "Instytucja partnerska",
        "Współpraca (tak/nie)", "Kto inicjuje", "Jak często", "Jakość (1–5)",
    ]  # fmt: skip
    pairs = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == wave_id]
    assert len(pairs) == 25 * 24
    # networkx on the exported pairs, independently of the app's measures
    g = nx.DiGraph()
    g.add_nodes_from({r[2] for r in pairs} | {r[3] for r in pairs})
    g.add_edges_from((r[2], r[3]) for r in pairs if r[4] == "tak")
    assert before.institutions == 25 and before.links == g.number_of_edges()
    assert before.density == pytest.approx(nx.density(g)) == pytest.approx(g.number_of_edges() / (25 * 24))
    assert before.reciprocity == pytest.approx(nx.reciprocity(g))

    fresh = tmp_path / "nowa.duckdb"
    assert main(["init", "--db", str(fresh)]) == 0
    conn = warehouse.connect(fresh)
    try:
        parsed = exchange.parse_file(data, "siec.xlsx")
        result = apply_import(conn, IMPORTER, parsed, today=TODAY)
        assert not result.errors, result.errors[:3]
        after = Q.wave_measures(conn, wave_id)
        assert after == before
        kept = conn.execute("SELECT density, links FROM wave_measure WHERE wave_id = ?", [wave_id]).fetchall()
        assert kept == [(pytest.approx(before.density), before.links)]
    finally:
        conn.close()


def test_an_imported_answer_about_the_respondent_itself_is_refused_in_its_row(demo_conn):
    wave_id = S.create_wave(
        demo_conn, SYSTEM, {"terc": TERC, "held_on": date(2026, 2, 3), "kind": "dodatkowa"}, TODAY
    )
    ops = demo_conn.execute(
        "SELECT min(institution_id) FROM institution WHERE seat_terc = ?", [TERC]
    ).fetchall()[0][0]
    text = (
        "ID badania;Kod TERC gminy;Instytucja odpowiadająca;Instytucja partnerska;Współpraca (tak/nie)\n"
        f"{wave_id};{TERC};{ops};{ops};nie\n"
    ).encode()
    parsed = exchange.parse_file(text, "odpowiedzi.csv", table="survey_answer")
    result = apply_import(demo_conn, IMPORTER, parsed, today=TODAY)
    assert [e.reason for e in result.errors] == ["instytucja nie ocenia współpracy sama ze sobą"]
