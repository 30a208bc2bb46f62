"""The page "Sieć współpracy" through AppTest on the demo: every role opens it, a coordinator enters one
respondent's answers in the grid and the measures follow, the region table leads to each gmina."""

from __future__ import annotations

import json
from datetime import date

import pytest

from kooperacja import warehouse
from kooperacja.model.access import SYSTEM
from kooperacja.network import queries, services
from kooperacja.programme import pzk
from tests.conftest import DEMO_TODAY

TODAY = date.fromisoformat(DEMO_TODAY)
ZAWISLE = "3401011"  # animator1's gmina: a baseline and an endline in the demo


def demo_waves(path, terc: str = ZAWISLE) -> tuple[int, int]:
    """The gmina's first baseline (diagnoza) and last endline (ewaluacja) wave in a warehouse file."""
    conn = warehouse.connect(path, read_only=True)
    try:
        waves = queries.waves(conn, terc).sort_values(["held_on", "wave_id"])
    finally:
        conn.close()
    base = waves[waves.kind == "diagnoza"].wave_id.iloc[0]
    end = waves[waves.kind == "ewaluacja"].wave_id.iloc[-1]
    return int(base), int(end)


def _open(page_test, user: str, terc: str = ZAWISLE):
    at = page_test("siec", user)
    at.query_params["terc"] = terc
    return at.run(timeout=60)


def _links_before(at) -> int:
    """The baseline's number of links, as the change table shows it."""
    change = _table(at, "net_change_table")
    return int(change.loc[change["Miara"].str.startswith("Powiązania ("), "Przed (diagnoza)"].iloc[0])


def _table(at, key: str):
    """The table of widgets.table(key=...): each is followed by its download button (grids are not)."""
    keys = [b.key for b in at.get("download_button")]
    shown = [d for d in at.dataframe if not d.proto.editing_mode]  # the answers grid is an editor
    return shown[keys.index(f"{key}_xlsx")].value


@pytest.fixture(scope="module")
def seeded_db(demo_db):
    """The demo warehouse (read-only) and Zawiśle's (baseline, endline) waves in it."""
    return demo_db, demo_waves(demo_db)


@pytest.fixture
def seeded(seeded_db, app_db):
    """The app under test opens its copy of the demo; returns Zawiśle's waves (baseline, endline)."""
    return seeded_db[1]


@pytest.mark.parametrize("user", ["admin", "animator1", "wzk", "zarzad"])
def test_the_network_page_opens_for_every_role_side_by_side_and_the_region_links_each_gmina(
    page_test, seeded, user
):
    at = _open(page_test, user)
    assert not at.exception, at.exception
    assert not at.error
    assert at.title[0].value == "Sieć współpracy"
    assert at.selectbox(key="siec_gmina_pick").value == ZAWISLE
    assert at.radio(key=f"net_show_{ZAWISLE}").value == "both"
    figures = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    sectors = [t for t in figures[0]["data"] if t.get("mode") == "markers+text"]
    assert len(figures) == 3 and sectors and all(t["name"] for t in sectors)  # two graphs, the change
    change = _table(at, "net_change_table")
    assert list(change.columns) == ["Miara", "Przed (diagnoza)", "Po (ewaluacja)", "Zmiana", "Co to znaczy"]
    assert change.loc[change["Miara"] == "Gęstość sieci", "Zmiana"].iloc[0].startswith("+")
    editing = any(b.label == "Zapisz odpowiedzi" for b in at.button)
    assert editing == (user in {"admin", "animator1"})
    # the tab "Region": each gmina's row leads to its network
    region = _table(at, "net_region_table")
    row = region[region["Sieć gminy"] == f"siec?terc={ZAWISLE}"].iloc[0]
    assert row["Gmina"] == "Zawiśle"
    assert "→" in row["Gęstość: przed → po"] and "—" not in row["Gęstość: przed → po"]
    assert region["Sieć gminy"].str.fullmatch(r"siec\?terc=\d{7}").all()


def test_a_coordinator_enters_one_respondents_row_and_the_measures_change(page_test, seeded):
    base, _ = seeded
    at = _open(page_test, "animator1")
    before = _links_before(at)
    at.selectbox(key=f"f_net_wave_{ZAWISLE}").set_value(base).run(timeout=60)
    respondents = at.selectbox(key="f_net_respondent")
    assert respondents.options[0].endswith("odpowiedzi zapisane")
    first = respondents.value
    grid_key = f"f_net_grid_{base}_{first}"
    partners = len(respondents.options) - 1
    at.session_state[grid_key] = {
        "edited_rows": {
            str(n): {"Współpracujemy": True, "Kto inicjuje": "my", "Jak często": "co tydzień lub częściej",
                     "Jakość 1–5": "5 — bardzo dobra"}
            for n in range(partners)
        },
        "added_rows": [],
        "deleted_rows": [],
    }  # fmt: skip
    at.run(timeout=60)
    at.text_input(key="f_net_grid_reason").input("uzupełnienie ankiety")
    at.button(key="f_net_grid_save").click().run(timeout=60)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.success[0].value.startswith("Zapisano odpowiedzi:")
    assert _links_before(at) > before
    # the picker went on to the next institution, its grid fresh
    assert at.selectbox(key="f_net_respondent__1").value != first


def test_a_refused_row_is_said_in_polish_and_the_grid_keeps_what_was_typed(page_test, seeded):
    base, _ = seeded
    at = _open(page_test, "admin")
    at.selectbox(key=f"f_net_wave_{ZAWISLE}").set_value(base).run(timeout=60)
    grid_key = f"f_net_grid_{base}_{at.selectbox(key='f_net_respondent').value}"
    at.session_state[grid_key] = {
        "edited_rows": {"0": {"Współpracujemy": True, "Jak często": None}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run(timeout=60)
    at.text_input(key="f_net_grid_reason").input("poprawka")
    at.button(key="f_net_grid_save").click().run(timeout=60)
    assert not at.exception
    assert any("Jak często" in e.value for e in at.error), [e.value for e in at.error]
    assert at.session_state[grid_key]["edited_rows"]


def test_the_effects_report_has_the_network_section_with_real_numbers(seeded_db):
    """The report's section "Współpraca instytucji: przed i po": the same figures in PDF, XLSX, slide."""
    import io

    import openpyxl
    import pypdf

    from kooperacja import wzk
    from kooperacja.model.access import Actor
    from kooperacja.report import effects, network_section

    path, (base, end) = seeded_db
    conn = warehouse.connect(path, read_only=True)
    try:
        before, after = queries.wave_measures(conn, base), queries.wave_measures(conn, end)
        both = network_section.measured(queries.region_table(conn))
        report = effects.effects(conn, Actor("zarzad", "zarzad"), TODAY)
        slides = wzk.meeting_slides(conn, Actor("wzk", "wzk"), TODAY, effects=report)
    finally:
        conn.close()
    frame = report.network
    zawisle = frame[frame["Gmina"].str.endswith(": Zawiśle")].iloc[0]
    assert [zawisle["Gęstość przed (%)"], zawisle["Gęstość po (%)"]] == [
        round(100 * before.density, 1),
        round(100 * after.density, 1),
    ]  # the measures of the two waves, computed by the network package
    assert [zawisle["Bez powiązań przed"], zawisle["Bez powiązań po"]] == [before.isolated, after.isolated]
    assert frame["Gmina"].iloc[0].startswith(f"Region: {len(both)} gmin")
    best, worst = both.iloc[0], both.iloc[-1]
    text = " ".join(
        " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(effects.to_pdf(report))).pages).split()
    )
    assert "Współpraca instytucji w gminach: przed i po" in text
    assert f"Największa poprawa: {best.gmina}" in text and f"Najmniejsza poprawa: {worst.gmina}" in text
    assert network_section.summary(frame)[0] in text  # the region's density and isolated, before → after
    book = openpyxl.load_workbook(io.BytesIO(effects.to_xlsx(report)))
    assert book.sheetnames[-1].startswith("Współpraca instytucji")
    rows = [[c.value for c in row] for row in book[book.sheetnames[-1]].iter_rows()]
    assert rows[0] == list(frame.columns) and len(rows) == len(frame) + 1
    (slide,) = [s for s in slides if s.title == "Współpraca instytucji: przed i po"]
    assert ("gminy zbadane przed i po", str(len(both))) in slide.numbers


def test_the_pzk_page_names_the_members_isolated_in_the_latest_wave(page_test, seeded, app_db):
    conn = warehouse.connect(app_db)
    try:  # a later, extra wave: one member answers and names one partner; the other members are isolated
        members = pzk.list_members(conn, ZAWISLE)
        current = [int(i) for i in members[members.left_on.isna()].institution_id]
        record = {"terc": ZAWISLE, "held_on": date(2026, 11, 20), "kind": "dodatkowa"}
        wave = services.create_wave(conn, SYSTEM, record, TODAY)
        ids = [int(i) for i in queries.wave_institutions(conn, wave).institution_id]
        who, partner = current[0], next(i for i in ids if i != current[0])
        answers = [
            {"partner_id": p, "cooperates": True, "initiates": "my", "frequency": "co_miesiac", "quality": 3}
            if p == partner
            else {"partner_id": p, "cooperates": False, "frequency": "nigdy"}
            for p in ids
            if p != who
        ]
        services.save_answers(conn, SYSTEM, wave, who, answers, TODAY)
        isolated = queries.isolated_members(conn, ZAWISLE)
    finally:
        conn.close()
    assert len(isolated) > 0
    at = page_test("pzk", "animator1")
    at.query_params["terc"] = ZAWISLE
    at.run(timeout=60)
    assert not at.exception
    (note,) = [m.value for m in at.markdown if m.value.startswith("**Bez powiązań w ostatnim badaniu")]
    assert all(name in note for name in isolated.name) and f"(siec?terc={ZAWISLE})" in note
