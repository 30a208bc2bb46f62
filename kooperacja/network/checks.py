"""Pure checks of the network's records (waves, answers, the diagnosis) against a small context.

The forms load the context of one gmina, the importer of all of them once per file (and grow it with
the file's accepted rows): both doors refuse the same rows with the same reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb

from kooperacja.model.checks import Problem, future
from kooperacja.model.records import ProblemMapEntry, ResourceEntry, SurveyAnswer, SurveyWave
from kooperacja.programme.checks import seat_in_reach


@dataclass
class NetworkContext:
    today: date
    pilots: set[str] = field(default_factory=set)
    names: dict[str, str] = field(default_factory=dict)  # TERC → "Zawiśle (miejska)", for the refusals
    institutions: dict[int, tuple[str, str]] = field(default_factory=dict)  # id → (name, seat TERC)
    waves: dict[int, tuple[str, date]] = field(default_factory=dict)  # wave → (gmina, held on)
    problem_areas: set[str] = field(default_factory=set)
    answered: set[tuple[int, int, int]] = field(default_factory=set)  # (wave, respondent, partner)

    def gmina(self, terc: str) -> str:
        return self.names.get(terc, terc)

    def institution(self, institution_id: int) -> str:
        found = self.institutions.get(institution_id)
        return found[0] if found else f"instytucja nr {institution_id}"

    def remember(self, record: Any) -> None:
        """A row accepted earlier in the same file counts for the rows after it."""
        table = getattr(record, "TABLE", "")
        if table == "pilot_gmina":
            self.pilots.add(record.terc)
        elif table == "institution" and record.institution_id is not None:
            self.institutions[record.institution_id] = (record.name, record.seat_terc)
        elif table == "problem_area":
            self.problem_areas.add(record.code)
        elif isinstance(record, SurveyWave) and record.wave_id is not None:
            self.waves[record.wave_id] = (record.terc, record.held_on)
        elif isinstance(record, SurveyAnswer):
            self.answered.add((record.wave_id, record.respondent_id, record.partner_id))


def load_network_context(
    cur: duckdb.DuckDBPyConnection,
    today: date,
    *,
    terc: str | None = None,
    wave_id: int | None = None,
    also: Sequence[int] = (),
) -> NetworkContext:
    """The context of one gmina (a form) or of all of them (an import: `terc=None`). `wave_id`: the
    wave whose answers are being replaced — its stored answers do not count as already given.
    `also`: institutions a form names, loaded wherever they are seated (for the refusal to name them)."""
    params: dict[str, Any] = {"terc": terc}
    pilots = {
        r[0]
        for r in cur.execute(
            "SELECT terc FROM pilot_gmina WHERE $terc IS NULL OR terc = $terc", params
        ).fetchall()
    }
    names = dict(
        cur.execute(
            "SELECT terc, name || ' (' || kind || ')' FROM gmina WHERE $terc IS NULL OR terc = $terc", params
        ).fetchall()
    )
    # a gmina's institutions are those of its powiat and województwo (seat_in_reach): load those only
    institutions = {
        i: (name, seat)
        for i, name, seat in cur.execute(
            "SELECT institution_id, name, seat_terc FROM institution WHERE $terc IS NULL "
            "OR left(seat_terc, 4) = left($terc, 4) OR seat_terc = left($terc, 2) "
            "OR list_contains($also, institution_id)",
            {**params, "also": [int(i) for i in also]},
        ).fetchall()
    }
    waves = {
        w: (t, held)
        for w, t, held in cur.execute(
            "SELECT wave_id, terc, held_on FROM survey_wave WHERE $terc IS NULL OR terc = $terc", params
        ).fetchall()
    }
    areas = {r[0] for r in cur.execute("SELECT code FROM problem_area").fetchall()}
    answered = set(
        cur.execute(
            "SELECT wave_id, respondent_id, partner_id FROM survey_answer a "
            "WHERE ($terc IS NULL OR terc = $terc) AND wave_id IS DISTINCT FROM $wave",
            {"terc": terc, "wave": wave_id},
        ).fetchall()
    )
    return NetworkContext(today, pilots, names, institutions, waves, areas, answered)


def _in_pilot(terc: str, ctx: NetworkContext) -> list[Problem]:
    if terc in ctx.pilots:
        return []
    return [Problem("terc", f"gmina {ctx.gmina(terc)} nie uczestniczy w pilotażu")]


def _reach(fld: str, institution_id: int, terc: str, ctx: NetworkContext) -> list[Problem]:
    """The institution exists and serves the gmina: seated in its powiat or its województwo."""
    found = ctx.institutions.get(institution_id)
    if found is None:
        return [Problem(fld, f"nie ma instytucji nr {institution_id} w powiecie ani województwie gminy")]
    name, seat = found
    if not seat_in_reach(seat, terc):
        return [
            Problem(
                fld,
                f"{name} ma siedzibę poza powiatem gminy {ctx.gmina(terc)} — w badaniu są instytucje "
                "gminy, jej powiatu i województwa",
            )
        ]
    return []


def check_wave(record: SurveyWave, ctx: NetworkContext) -> list[Problem]:
    """A wave: of a pilot gmina, not dated in the future."""
    return _in_pilot(record.terc, ctx) + future("held_on", record.held_on, ctx.today)


def check_answer(record: SurveyAnswer, ctx: NetworkContext) -> list[Problem]:
    """An answer: of a stored wave of its gmina, two different institutions of the gmina's reach,
    one answer per pair per wave."""
    wave = ctx.waves.get(record.wave_id)
    if wave is None:
        return [Problem("wave_id", f"nie ma badania nr {record.wave_id}")]
    problems = []
    if wave[0] != record.terc:
        problems.append(Problem("terc", f"badanie nr {record.wave_id} dotyczy gminy {ctx.gmina(wave[0])}"))
    if record.respondent_id == record.partner_id:
        problems.append(Problem("partner_id", "instytucja nie ocenia współpracy sama ze sobą"))
    problems += _reach("respondent_id", record.respondent_id, wave[0], ctx)
    problems += _reach("partner_id", record.partner_id, wave[0], ctx)
    if (record.wave_id, record.respondent_id, record.partner_id) in ctx.answered:
        problems.append(
            Problem(
                "partner_id",
                f"{ctx.institution(record.respondent_id)} już oceniła współpracę z "
                f"{ctx.institution(record.partner_id)} w tym badaniu",
            )
        )
    return problems


def check_problem_entry(record: ProblemMapEntry, ctx: NetworkContext) -> list[Problem]:
    """A line of the problem map: a pilot gmina, a known problem area, not dated in the future."""
    problems = _in_pilot(record.terc, ctx) + future("as_of", record.as_of, ctx.today)
    if record.problem_code not in ctx.problem_areas:
        problems.append(Problem("problem_code", f"nieznany obszar {record.problem_code}"))
    return problems


def check_resource_entry(record: ResourceEntry, ctx: NetworkContext) -> list[Problem]:
    """A line of the resources card: a pilot gmina, an institution of its reach, not in the future."""
    return (
        _in_pilot(record.terc, ctx)
        + future("as_of", record.as_of, ctx.today)
        + _reach("institution_id", record.institution_id, record.terc, ctx)
    )
