"""Demo cooperation network: every pilot gmina past K2 has a baseline survey, those at K9 an endline.

Built from what the programme demo already wrote (pilot gminy, their step events, institutions and
PZK), so the same code serves the pilot and the national scale: frames drawn from one seeded
generator, inserted in bulk and validated through the records (every row at the pilot scale, a
sample at the national one), then each wave's measures kept in `wave_measure`.

A baseline network is sparse and runs through the OPS, with a few institutions nobody works with; an
endline is denser, more cross-sector, with fewer isolated institutions — except one gmina in
`STUCK_EVERY` (the pilot's second gmina at K9), whose endline is no better than its baseline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from kooperacja.demo.bulk import SAMPLE_EVERY, _bulk
from kooperacja.demo.common import workday
from kooperacja.model.records import ProblemMapEntry, ResourceEntry, SurveyAnswer, SurveyWave
from kooperacja.network.measures import is_ops
from kooperacja.network.queries import store_measures
from kooperacja.warehouse.store import reserve_ids

SEED = 17
MAX_INSTITUTIONS = 25
STUCK_EVERY = 12  # of the gminy with an endline, the 2nd, 14th, 26th… did not improve

# The gminy and the two dates a survey is due: the first K2 event (diagnosis) and the first K9 one.
STAGES = """
SELECT p.terc,
       min(e.event_on) FILTER (WHERE split_part(e.substep, '.', 1) = '2') AS k2_on,
       bool_or(split_part(e.substep, '.', 1)::INTEGER >= 3) AS past_k2,
       min(e.event_on) FILTER (WHERE split_part(e.substep, '.', 1) = '9') AS k9_on,
       min(e.event_on) FILTER (WHERE split_part(e.substep, '.', 1) = '7') AS k7_on
FROM pilot_gmina p JOIN step_event e USING (terc)
GROUP BY p.terc
ORDER BY p.terc
"""
# The institutions a gmina's survey asks: its PZK (ever) and the institutions seated in it.
INSTITUTIONS = """
WITH chosen AS (
    SELECT m.terc, m.institution_id FROM pzk_member m SEMI JOIN pilot_gmina p USING (terc)
    UNION
    SELECT i.seat_terc, i.institution_id FROM institution i SEMI JOIN pilot_gmina p ON p.terc = i.seat_terc
)
SELECT c.terc, i.institution_id, i.name, i.sector, i.level, i.seat_terc
FROM chosen c JOIN institution i USING (institution_id)
ORDER BY c.terc, i.institution_id
"""
FREQ_CODES = np.array(["sporadycznie", "co_miesiac", "co_tydzien"])
INITIATES = np.array(["my", "oni", "obie"])
NOTES = [
    "Dane z systemu POMOST i z rozmów z pracownikami socjalnymi",
    "Problem zgłaszany przez szkoły i pedagogów",
    "Wzrost liczby wniosków w ostatnim roku",
    "Szacunek zespołu OPS",
]


@dataclass(frozen=True)
class Climate:
    """How likely a tie is: with the OPS, between others of one sector, between sectors; isolates."""

    ops: float
    same: float
    cross: float
    isolated: tuple[int, int]
    frequency: tuple[float, float, float]  # sporadycznie, co miesiąc, co tydzień
    quality: tuple[int, int]


BASELINE = Climate(0.6, 0.15, 0.07, (1, 3), (0.6, 0.3, 0.1), (2, 4))
ENDLINE = Climate(0.75, 0.3, 0.2, (0, 1), (0.25, 0.45, 0.3), (3, 5))
EXTRA = Climate(0.7, 0.22, 0.12, (1, 2), (0.4, 0.4, 0.2), (3, 4))
STUCK = Climate(0.55, 0.12, 0.06, (2, 3), (0.6, 0.3, 0.1), (2, 4))


@dataclass(frozen=True)
class _Nodes:
    """A gmina's surveyed institutions as arrays."""

    ids: np.ndarray
    ops: np.ndarray
    sector: np.ndarray


def build_network(cur: duckdb.DuckDBPyConnection, today: date, national: bool = False) -> dict[str, int]:
    """Waves, answers, problem maps and resources cards of the demo's pilot gminy; returns counts."""
    g = np.random.default_rng(SEED)
    stages = cur.execute(STAGES).df()
    stages = stages[stages["past_k2"].fillna(False).astype(bool) & stages["k2_on"].notna()]
    by_gmina = _institutions(cur, g)
    waves: list[dict[str, Any]] = []
    answers: list[dict[str, np.ndarray]] = []
    problems: list[dict[str, Any]] = []
    cards: list[dict[str, Any]] = []
    areas = [r[0] for r in cur.execute("SELECT code FROM problem_area ORDER BY code").fetchall()]
    ends = 0
    extra_done = national
    for terc, k2_on, k9_on, k7_on in zip(
        stages.terc.tolist(), stages.k2_on.tolist(), stages.k9_on.tolist(), stages.k7_on.tolist(), strict=True
    ):
        nodes = by_gmina.get(terc)
        if nodes is None or len(nodes.ids) < 3:
            continue
        baseline_on = min(today, workday(_day(k2_on) + timedelta(days=14)))
        plan = [("diagnoza", baseline_on, BASELINE)]
        if pd.notna(k9_on):
            ends += 1
            end_on = min(today, workday(_day(k9_on) + timedelta(days=10)))
            if end_on > baseline_on:
                plan.append(("ewaluacja", end_on, STUCK if ends % STUCK_EVERY == 2 else ENDLINE))
        elif not extra_done and pd.notna(k7_on):
            extra_on = min(today, workday(_day(k7_on) + timedelta(days=60)))
            if extra_on > baseline_on:
                plan.append(("dodatkowa", extra_on, EXTRA))
                extra_done = True
        for kind, held_on, climate in plan:
            answers.append(_answers(nodes, climate, len(waves), g))
            waves.append({"terc": terc, "held_on": held_on, "kind": kind, "note": WAVE_NOTE})
        problems += _problem_map(terc, baseline_on, areas, g)
        cards += [{"terc": terc, "as_of": baseline_on, "institution_id": int(i)} for i in nodes.ids]
    return _write(cur, waves, answers, problems, cards, national)


WAVE_NOTE = "Karta oceny współpracy, część druga, wypełniona przez dyrektorów instytucji"


def _day(value: Any) -> date:
    return value.date() if isinstance(value, pd.Timestamp) else value


def _institutions(cur: duckdb.DuckDBPyConnection, g: np.random.Generator) -> dict[str, _Nodes]:
    """Per gmina at most MAX_INSTITUTIONS of its institutions, its OPS always among them."""
    people = cur.execute(INSTITUTIONS).df()
    people["is_ops"] = [
        is_ops(n, s, lv, seat, t)
        for n, s, lv, seat, t in zip(
            people.name.tolist(),
            people.sector.tolist(),
            people.level.tolist(),
            people.seat_terc.tolist(),
            people.terc.tolist(),
            strict=True,
        )
    ]
    people["key"] = np.where(people["is_ops"], -1.0, g.random(len(people)))
    people["rank"] = people.groupby("terc")["key"].rank(method="first")
    kept = people[people["rank"] <= MAX_INSTITUTIONS]
    kept = kept.sort_values(["terc", "institution_id"])
    sectors = {s: k for k, s in enumerate(sorted(set(kept.sector)))}
    terc = kept.terc.to_numpy()
    ids = kept.institution_id.to_numpy(dtype="int64")
    ops = kept.is_ops.to_numpy(dtype=bool)
    codes = kept.sector.map(sectors).to_numpy(dtype="int64")
    cuts = np.flatnonzero(terc[1:] != terc[:-1]) + 1
    starts, stops = np.r_[0, cuts], np.r_[cuts, len(terc)]
    return {
        str(terc[a]): _Nodes(ids[a:b], ops[a:b], codes[a:b])
        for a, b in zip(starts.tolist(), stops.tolist(), strict=True)
        if b > a
    }


def _answers(nodes: _Nodes, c: Climate, wave: int, g: np.random.Generator) -> dict[str, np.ndarray]:
    """Every institution's answer about every other: ties drawn per pair, each side reporting it."""
    n = len(nodes.ids)
    ops, sector = nodes.ops, nodes.sector
    r, p = np.where(~np.eye(n, dtype=bool))
    lo, hi = np.minimum(r, p), np.maximum(r, p)
    chance = np.where(ops[lo] | ops[hi], c.ops, np.where(sector[lo] == sector[hi], c.same, c.cross))
    alone = np.zeros(n, dtype=bool)
    candidates = np.flatnonzero(~ops)
    k = min(int(g.integers(c.isolated[0], c.isolated[1] + 1)), len(candidates))
    alone[g.choice(candidates, k, replace=False)] = True
    tie = (g.random((n, n))[lo, hi] < chance) & ~alone[lo] & ~alone[hi]
    yes = tie & (g.random(len(r)) < 0.8)  # each side reports a tie it has with this chance
    freq = (g.random(len(r))[:, None] > np.cumsum(c.frequency)[None, :-1]).sum(axis=1)
    who = np.where(ops[r], 0, np.where(ops[p], 1, g.integers(0, 3, len(r))))
    return {
        "wave": np.full(len(r), wave),
        "respondent_id": nodes.ids[r],
        "partner_id": nodes.ids[p],
        "cooperates": yes,
        "initiates": who,
        "frequency": freq,
        "quality": g.integers(c.quality[0], c.quality[1] + 1, len(r)),
    }


TRENDS = np.array(["rosnie", "stabilny", "maleje"])
COUNTED = {"ubostwo", "bezrobocie", "niepelnosprawnosc", "choroba", "bezradnosc"}  # OPS counts families


def _problem_map(terc: str, as_of: date, areas: list[str], g: np.random.Generator) -> list[dict[str, Any]]:
    """6–9 problem areas of the gmina: families counted for some, a 1–5 rating for the rest."""
    k = min(len(areas), int(g.integers(6, 10)))
    codes = sorted(str(c) for c in g.choice(areas, k, replace=False))
    families, rating = g.integers(8, 160, k).tolist(), g.integers(1, 6, k).tolist()
    trend = TRENDS[np.searchsorted([0.35, 0.8], g.random(k))].tolist()
    picks, rolls = g.integers(0, len(NOTES), k).tolist(), g.random(k).tolist()
    notes = [NOTES[i] if roll < 0.3 else None for i, roll in zip(picks, rolls, strict=True)]
    return [
        {
            "terc": terc,
            "as_of": as_of,
            "problem_code": code,
            "families": families[j] if code in COUNTED else None,
            "rating": None if code in COUNTED else rating[j],
            "trend": trend[j],
            "note": notes[j],
        }
        for j, code in enumerate(codes)
    ]


# The answers arrive as codes (a million strings would take most of the build to hand to DuckDB);
# the gmina comes from the wave.
ANSWERS_SQL = """
INSERT INTO survey_answer
    (wave_id, terc, respondent_id, partner_id, cooperates, initiates, frequency, quality)
SELECT a.wave_id, w.terc, a.respondent_id, a.partner_id, a.cooperates,
       CASE WHEN a.cooperates THEN ['my', 'oni', 'obie'][a.initiates + 1] END,
       CASE WHEN a.cooperates THEN ['sporadycznie', 'co_miesiac', 'co_tydzien'][a.frequency + 1]
            ELSE 'nigdy' END,
       CASE WHEN a.cooperates THEN a.quality END
FROM _answers a JOIN survey_wave w USING (wave_id)
"""


def _insert_answers(
    cur: duckdb.DuckDBPyConnection, answers: list[dict[str, np.ndarray]], ids: list[int], every: int
) -> int:
    """Insert every wave's answers in one statement, a sample of them validated by the record first."""
    a = {k: np.concatenate([x[k] for x in answers]) for k in answers[0]}
    frame = pd.DataFrame({"wave_id": np.asarray(ids, dtype="int64")[a.pop("wave")], **a})
    terc = dict(cur.execute("SELECT wave_id, terc FROM survey_wave").fetchall())
    sample = frame.iloc[::every]
    cols = [sample[c].tolist() for c in ("wave_id", "respondent_id", "partner_id", "cooperates")]
    codes = [sample[c].tolist() for c in ("initiates", "frequency", "quality")]
    for (w, r, p, yes), (i, f, q) in zip(zip(*cols, strict=True), zip(*codes, strict=True), strict=True):
        SurveyAnswer(
            wave_id=w,
            terc=terc[w],
            respondent_id=r,
            partner_id=p,
            cooperates=yes,
            initiates=str(INITIATES[i]) if yes else None,
            frequency=str(FREQ_CODES[f]) if yes else "nigdy",
            quality=q if yes else None,
        )
    cur.register("_answers", frame)
    try:
        cur.execute(ANSWERS_SQL)
    finally:
        cur.unregister("_answers")
    return len(frame)


def _write(
    cur: duckdb.DuckDBPyConnection,
    waves: list[dict[str, Any]],
    answers: list[dict[str, np.ndarray]],
    problems: list[dict[str, Any]],
    cards: list[dict[str, Any]],
    national: bool,
) -> dict[str, int]:
    if not waves:
        return {"survey_wave": 0}
    every = SAMPLE_EVERY if national else 1
    ids = reserve_ids(cur, "survey_wave", len(waves))
    frame = pd.DataFrame(waves)
    frame.insert(0, "wave_id", ids)
    _bulk(cur, SurveyWave, frame, every)
    counts = {"survey_wave": len(frame), "survey_answer": _insert_answers(cur, answers, ids, every)}
    counts["problem_map"] = _bulk(cur, ProblemMapEntry, pd.DataFrame(problems), every)
    counts["resource_card"] = _bulk(cur, ResourceEntry, pd.DataFrame(cards), every)
    counts["wave_measure"] = store_measures(cur, ids)
    return counts
