"""The page "Sieć współpracy" through AppTest on the demo: every role opens it, a coordinator enters one
respondent's answers in the grid and the measures follow, the region table leads to each gmina."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest

from kooperacja import warehouse
from kooperacja.model.access import SYSTEM
from kooperacja.network import queries, services
from kooperacja.programme import pzk
from tests.conftest import DEMO_TODAY

TODAY = date.fromisoformat(DEMO_TODAY)
ZAWISLE = "3401011"  # animator1's gmina
BASE_ON, END_ON = date(2025, 2, 3), date(2026, 9, 7)


def _answer(partner: int, cooperates: bool, frequency: str = "co_miesiac") -> dict:
    if not cooperates:
        return {"partner_id": partner, "cooperates": False, "frequency": "nigdy"}
    return {
        "partner_id": partner,
        "cooperates": True,
        "initiates": "obie",
        "frequency": frequency,
        "quality": 4,
    }


def _seed(path, terc: str = ZAWISLE) -> tuple[int, int]:
    """A baseline with a ring of links and an endline with more of them, written through the services."""
    conn = warehouse.connect(path)
    try:
        made = []
        members = pzk.list_members(conn, terc)
        current = {int(i) for i in members[members.left_on.isna()].institution_id}
        for kind, held_on, step in (("diagnoza", BASE_ON, 1), ("ewaluacja", END_ON, 2)):
            wave = services.create_wave(conn, SYSTEM, {"terc": terc, "held_on": held_on, "kind": kind}, TODAY)
            ids = [int(i) for i in queries.wave_institutions(conn, wave).institution_id]
            member = next(i for i in ids if i in current)  # the isolated one sits in the PZK
            ids = [i for i in ids if i != member] + [member]
            for n, who in enumerate(ids[:-1]):  # the last institution answers nothing and is named by none
                near = {ids[(n + k) % (len(ids) - 1)] for k in range(1, step + 1)}
                answers = [_answer(p, p in near) for p in ids if p != who]
                services.save_answers(conn, SYSTEM, wave, who, answers, TODAY)
            made.append(wave)
        return made[0], made[1]
    finally:
        conn.close()


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
def seeded_db(demo_db, tmp_path_factory):
    """The demo with Zawiśle's two waves, seeded once for the module (the services take a few seconds)."""
    path = tmp_path_factory.mktemp("network") / "seeded.duckdb"
    shutil.copy(demo_db, path)
    return path, _seed(path)


@pytest.fixture
def seeded(seeded_db, app_db):
    """The app under test opens a fresh copy of the seeded demo; returns the waves (baseline, endline)."""
    shutil.copy(seeded_db[0], app_db)
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
    at.session_state[grid_key] = {
        "edited_rows": {
            str(n): {"Współpracujemy": True, "Kto inicjuje": "my", "Jak często": "co tydzień lub częściej",
                     "Jakość 1–5": "5 — bardzo dobra"}
            for n in range(3)
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
    from kooperacja.model.formatting import fmt_number
    from kooperacja.report import effects

    path, (base, end) = seeded_db
    conn = warehouse.connect(path, read_only=True)
    try:
        before, after = queries.wave_measures(conn, base), queries.wave_measures(conn, end)
        report = effects.effects(conn, Actor("zarzad", "zarzad"), TODAY)
        slides = wzk.meeting_slides(conn, Actor("wzk", "wzk"), TODAY, effects=report)
    finally:
        conn.close()
    pct = [round(100 * m.density, 1) for m in (before, after)]
    density = [fmt_number(v, 0 if v.is_integer() else 1) for v in pct]
    assert after.density > before.density
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(effects.to_pdf(report))).pages)
    assert "Współpraca instytucji w gminach: przed i po" in text
    assert "Region: 1 gmina zbadana przed i po" in text and "Największa poprawa: Zawiśle" in text
    assert f"gęstość sieci {density[0]}% → {density[1]}%" in " ".join(text.split())
    book = openpyxl.load_workbook(io.BytesIO(effects.to_xlsx(report)))
    assert book.sheetnames[-1].startswith("Współpraca instytucji")
    rows = [[c.value for c in row] for row in book[book.sheetnames[-1]].iter_rows()]
    assert rows[0] == ["Gmina", "Gęstość przed (%)", "Gęstość po (%)", "Zmiana gęstości (pp)",
                       "Bez powiązań przed", "Bez powiązań po"]  # fmt: skip
    assert rows[1][1:3] == pct
    assert rows[1][4:] == [before.isolated, after.isolated]
    (slide,) = [s for s in slides if s.title == "Współpraca instytucji: przed i po"]
    assert ("gminy zbadane przed i po", "1") in slide.numbers


def test_the_pzk_page_names_the_members_isolated_in_the_latest_wave(page_test, seeded, app_db):
    at = page_test("pzk", "animator1")
    at.query_params["terc"] = ZAWISLE
    at.run(timeout=60)
    assert not at.exception
    (note,) = [m.value for m in at.markdown if m.value.startswith("**Bez powiązań w ostatnim badaniu")]
    assert "(1 instytucja)" in note and f"(siec?terc={ZAWISLE})" in note
