"""The cooperation network: waves, answers and the diagnosis written through the services, read back."""

from __future__ import annotations

import random
from datetime import date

import networkx as nx
import pandas as pd
import pytest

from kooperacja.model.access import SYSTEM, Actor
from kooperacja.model.errors import AccessDenied, InvalidInput, StaleRecord
from kooperacja.network import queries as Q
from kooperacja.network import services as S

TODAY = date(2026, 11, 24)
TERC = "3401011"  # Zawiśle, a pilot gmina of the demo


def _row(ids: list[int], respondent: int, rng: random.Random, p: float) -> list[dict]:
    out = []
    for partner in ids:
        if partner == respondent:
            continue
        yes = rng.random() < p
        out.append(
            {
                "partner_id": partner,
                "cooperates": yes,
                "initiates": rng.choice(["my", "oni", "obie"]) if yes else None,
                "frequency": rng.choice(["sporadycznie", "co_miesiac", "co_tydzien"]) if yes else "nigdy",
                "quality": rng.randint(1, 5) if yes else None,
            }
        )
    return out


@pytest.fixture
def wave(demo_conn):
    """An extra wave of Zawiśle with six of its institutions answering (seeded)."""
    wave_id = S.create_wave(
        demo_conn, SYSTEM, {"terc": TERC, "held_on": date(2026, 3, 3), "kind": "dodatkowa"}, TODAY
    )
    ids = [int(i) for i in Q.wave_institutions(demo_conn, wave_id)["institution_id"]][:6]
    rng = random.Random(7)
    for r in ids:
        S.save_answers(demo_conn, SYSTEM, wave_id, r, _row(ids, r, rng, 0.4), TODAY)
    return wave_id, ids


def test_the_measures_agree_with_networkx_on_the_stored_pairs(demo_conn, wave):
    wave_id, ids = wave
    pairs = Q.pairs(demo_conn, wave_id)
    g = nx.DiGraph()
    g.add_nodes_from(set(pairs.respondent_id) | set(pairs.partner_id))
    g.add_edges_from(
        zip(pairs[pairs.cooperates].respondent_id, pairs[pairs.cooperates].partner_id, strict=True)
    )
    m = Q.wave_measures(demo_conn, wave_id)
    n, links = g.number_of_nodes(), g.number_of_edges()
    assert (m.institutions, m.links) == (n, links) == (len(ids), int(pairs.cooperates.sum()))
    assert m.density == pytest.approx(links / (n * (n - 1))) == pytest.approx(nx.density(g))
    assert m.reciprocity == pytest.approx(nx.reciprocity(g))
    assert m.isolated == len(list(nx.isolates(g)))
    assert m.ops_name and "Ośrodek Pomocy Społecznej" in m.ops_name


def test_the_kept_measures_equal_a_recomputation(demo_conn, wave):
    wave_id, _ = wave
    kept = demo_conn.execute("SELECT * FROM wave_measure WHERE wave_id = ?", [wave_id]).df().iloc[0]
    m = Q.wave_measures(demo_conn, wave_id)
    for name, value in m.scalars().items():
        assert kept[name] == pytest.approx(value, nan_ok=True) if value is not None else pd.isna(kept[name])
    row = Q.region_table(demo_conn).set_index("terc").loc[TERC]
    assert list(Q.waves(demo_conn, TERC)["kind_label"]).count("badanie dodatkowe") == 1
    assert row.gmina == "Zawiśle"


def test_a_wave_changed_without_its_measures_is_recomputed_by_the_region_table(demo_conn):
    baseline = int(Q.waves(demo_conn, TERC).query("kind == 'diagnoza'").wave_id.iloc[0])
    # what an import does: answers written, the wave's version moved, its kept measures left behind
    demo_conn.execute(
        "DELETE FROM survey_answer WHERE wave_id = ? AND cooperates AND quality < 4", [baseline]
    )
    demo_conn.execute("UPDATE survey_wave SET row_version = row_version + 1 WHERE wave_id = ?", [baseline])
    expected = Q.wave_measures(demo_conn, int(baseline))
    row = Q.region_table(demo_conn).set_index("terc").loc[TERC]
    assert row.density_before == pytest.approx(expected.density)
    assert row.isolated_before == expected.isolated


def test_a_second_save_of_a_respondent_replaces_its_row_and_takes_a_reason(demo_conn, wave):
    wave_id, ids = wave
    version = int(Q.waves(demo_conn, TERC).set_index("wave_id").loc[wave_id, "row_version"])
    one = [
        {
            "partner_id": ids[1],
            "cooperates": True,
            "initiates": "obie",
            "frequency": "co_tydzien",
            "quality": 5,
        }
    ]
    with pytest.raises(InvalidInput, match="Powód zmiany"):
        S.save_answers(demo_conn, SYSTEM, wave_id, ids[0], one, TODAY, expected_version=version)
    S.save_answers(
        demo_conn, SYSTEM, wave_id, ids[0], one, TODAY, expected_version=version, reason="pomyłka w arkuszu"
    )
    grid = Q.answers_grid(demo_conn, wave_id, ids[0])
    assert int(grid["answered"].sum()) == 1
    with pytest.raises(StaleRecord):
        S.save_answers(
            demo_conn, SYSTEM, wave_id, ids[0], one, TODAY, expected_version=version, reason="znowu"
        )
    reasons = demo_conn.execute(
        "SELECT DISTINCT reason FROM audit_log WHERE table_name = 'survey_answer' AND action = 'delete'"
    ).fetchall()
    assert reasons == [("pomyłka w arkuszu",)]


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"partner_id": "self", "cooperates": False}, "sama ze sobą"),
        ({"partner_id": 999_999, "cooperates": False}, "nie ma instytucji nr 999999"),
        ({"partner_id": "other", "cooperates": True}, "częstotliwość"),
        ({"partner_id": "other", "cooperates": False, "quality": 3}, "nie ocenia się"),
    ],
)
def test_a_bad_answer_is_refused_naming_the_partner(demo_conn, wave, answer, message):
    wave_id, ids = wave
    partner = {"self": ids[0], "other": ids[1]}.get(answer["partner_id"], answer["partner_id"])
    with pytest.raises(InvalidInput, match=message):
        S.save_answers(
            demo_conn, SYSTEM, wave_id, ids[0], [{**answer, "partner_id": partner}], TODAY, reason="x"
        )


def test_an_institution_outside_the_gminas_powiat_is_refused(demo_conn, wave):
    wave_id, ids = wave
    far = demo_conn.execute(
        "SELECT institution_id FROM institution WHERE level = 'gmina' "
        "AND left(seat_terc, 4) <> '3401' LIMIT 1"
    ).fetchall()[0][0]
    with pytest.raises(InvalidInput, match="poza powiatem"):
        S.save_answers(demo_conn, SYSTEM, wave_id, far, [{"partner_id": ids[0], "cooperates": False}], TODAY)


def test_a_wave_in_the_future_or_outside_the_pilot_is_refused(demo_conn):
    with pytest.raises(InvalidInput, match="w przyszłości"):
        S.create_wave(
            demo_conn, SYSTEM, {"terc": TERC, "held_on": date(2026, 12, 1), "kind": "dodatkowa"}, TODAY
        )
    outside = demo_conn.execute(
        "SELECT terc FROM gmina WHERE terc NOT IN (SELECT terc FROM pilot_gmina) LIMIT 1"
    ).fetchall()[0][0]
    with pytest.raises(InvalidInput, match="nie uczestniczy w pilotażu"):
        S.create_wave(
            demo_conn, SYSTEM, {"terc": outside, "held_on": date(2026, 1, 1), "kind": "diagnoza"}, TODAY
        )


def test_an_animator_writes_only_the_waves_of_their_own_gminy(demo_conn):
    other = Actor("obcy", "animator", frozenset({"3401032"}))
    with pytest.raises(AccessDenied):
        S.create_wave(
            demo_conn, other, {"terc": TERC, "held_on": date(2026, 1, 7), "kind": "dodatkowa"}, TODAY
        )
    own = Actor("swoj", "animator", frozenset({TERC}))
    assert S.create_wave(
        demo_conn, own, {"terc": TERC, "held_on": date(2026, 1, 7), "kind": "dodatkowa"}, TODAY
    )


def test_a_withdrawn_wave_leaves_with_its_answers_and_a_reason(demo_conn, wave):
    wave_id, _ = wave
    with pytest.raises(InvalidInput, match="Powód zmiany"):
        S.withdraw_wave(demo_conn, SYSTEM, wave_id, reason="")
    S.withdraw_wave(demo_conn, SYSTEM, wave_id, reason="badanie wpisane dwa razy")
    for table in ("survey_wave", "survey_answer", "wave_measure"):
        assert (
            demo_conn.execute(f"SELECT count(*) FROM {table} WHERE wave_id = ?", [wave_id]).fetchall()[0][0]
            == 0
        )
    assert (
        demo_conn.execute(
            "SELECT count(*) FROM audit_log WHERE table_name IN ('survey_wave', 'survey_answer') "
            "AND action = 'delete' AND reason = 'badanie wpisane dwa razy'"
        ).fetchall()[0][0]
        > 1
    )


def test_a_corrected_wave_keeps_its_answers(demo_conn, wave):
    wave_id, _ = wave
    S.correct_wave(demo_conn, SYSTEM, wave_id, {"held_on": date(2026, 3, 4)}, TODAY, reason="zła data")
    row = Q.waves(demo_conn, TERC).set_index("wave_id").loc[wave_id]
    assert row.held_on.date() == date(2026, 3, 4) and row.answers > 0


def test_the_problem_map_and_resources_card_are_versioned_by_date(demo_conn):
    S.save_problem_map(
        demo_conn,
        SYSTEM,
        TERC,
        date(2025, 6, 1),
        [
            {"problem_code": "ubostwo", "families": 120, "trend": "maleje"},
            {"problem_code": "przemoc", "rating": 4, "trend": "rosnie", "note": "więcej interwencji"},
        ],
        TODAY,
    )
    S.save_problem_map(
        demo_conn,
        SYSTEM,
        TERC,
        date(2026, 6, 1),
        [{"problem_code": "ubostwo", "rating": 2, "trend": "stabilny"}],
        TODAY,
    )
    assert len(Q.problem_map(demo_conn, TERC, as_of=date(2025, 6, 30))) == 2
    latest = Q.problem_map(demo_conn, TERC)
    assert list(latest["trend_label"]) == ["stabilny"]
    with pytest.raises(InvalidInput, match="jedno z dwóch"):
        S.save_problem_map(
            demo_conn, SYSTEM, TERC, date(2026, 7, 1), [{"problem_code": "ubostwo", "trend": "maleje"}], TODAY
        )
    with pytest.raises(InvalidInput, match="dane osobowe"):
        S.save_problem_map(
            demo_conn, SYSTEM, TERC, date(2026, 7, 1),
            [{"problem_code": "ubostwo", "rating": 1, "trend": "maleje", "note": "PESEL 44051401359"}], TODAY,
        )  # fmt: skip
    seated = [
        int(i)
        for i in demo_conn.execute(
            "SELECT institution_id FROM institution WHERE seat_terc = ?", [TERC]
        ).fetchall()[0]
    ]
    S.save_resources(demo_conn, SYSTEM, TERC, date(2025, 6, 1), seated, TODAY)
    card = Q.resources(demo_conn, TERC, as_of=date(2025, 6, 30))
    assert list(card["institution_id"]) == seated and card["sector_label"].notna().all()
    with pytest.raises(InvalidInput, match="Powód zmiany"):
        S.save_resources(demo_conn, SYSTEM, TERC, date(2025, 6, 1), seated, TODAY)
