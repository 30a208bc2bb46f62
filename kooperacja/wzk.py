"""The WZK: members, quarterly meetings with attendance, recommendations, and the meeting slides."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from kooperacja import lku
from kooperacja.model import disclosure
from kooperacja.model.access import Actor, require_admin
from kooperacja.model.errors import InvalidInput
from kooperacja.model.formatting import row_tuples
from kooperacja.model.records import Meeting, Recommendation, WzkAttendance, WzkMember
from kooperacja.model.vocab import RECOMMENDATION_KINDS, RECOMMENDATION_STATUSES
from kooperacja.programme import queries
from kooperacja.report import effects as report
from kooperacja.warehouse import get_setting, transaction
from kooperacja.warehouse.store import get_row, idempotent, insert, update

MEMBERS = """
SELECT m.member_id, m.full_name, m.role, i.name AS institution, m.from_on, m.to_on,
       m.from_on <= $on AND (m.to_on IS NULL OR m.to_on >= $on) AS active
FROM wzk_member m LEFT JOIN institution i USING (institution_id)
ORDER BY active DESC, m.from_on, m.member_id
"""


def list_members(conn: duckdb.DuckDBPyConnection, on: date) -> pd.DataFrame:
    """Every member, those serving on `on` first."""
    return conn.cursor().execute(MEMBERS, {"on": on}).df()


@idempotent
def add_member(
    conn: duckdb.DuckDBPyConnection, actor: Actor, data: dict[str, Any], *, form_token: str | None = None
) -> int:
    require_admin(actor)
    record = WzkMember.parse({**data, "member_id": None})
    with transaction(conn) as cur:
        return insert(cur, actor.username, record)


def end_membership(conn: duckdb.DuckDBPyConnection, actor: Actor, member_id: int, to_on: date) -> None:
    """A member leaves the WZK on `to_on` (the last day they serve)."""
    require_admin(actor)
    with transaction(conn) as cur:
        row = get_row(cur, WzkMember, member_id)
        if to_on < row["from_on"]:
            raise InvalidInput([f"Do: nie może być wcześniej niż {row['from_on']:%d.%m.%Y}"])
        update(cur, actor.username, WzkMember, member_id, {"to_on": to_on})


MEETINGS = """
SELECT m.meeting_id, m.held_on, m.agenda, m.decisions,
       (SELECT count(*) FROM wzk_attendance a WHERE a.meeting_id = m.meeting_id) AS present,
       (SELECT count(*) FROM wzk_member w WHERE w.from_on <= m.held_on
            AND (w.to_on IS NULL OR w.to_on >= m.held_on)) AS members,
       (SELECT count(*) FROM recommendation r WHERE r.meeting_id = m.meeting_id) AS recommendations
FROM meeting m WHERE m.kind = 'wzk' ORDER BY m.held_on DESC
"""
ATTENDANCE = """
SELECT w.member_id, w.full_name, w.role FROM wzk_attendance a JOIN wzk_member w USING (member_id)
WHERE a.meeting_id = ? ORDER BY w.full_name
"""
ACTIVE_ON = "SELECT member_id FROM wzk_member WHERE from_on <= ? AND (to_on IS NULL OR to_on >= ?)"


def list_meetings(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """WZK meetings, newest first, with attendance (present of members serving) and recommendations."""
    return conn.cursor().execute(MEETINGS).df()


def attendance(conn: duckdb.DuckDBPyConnection, meeting_id: int) -> pd.DataFrame:
    return conn.cursor().execute(ATTENDANCE, [meeting_id]).df()


@idempotent
def record_meeting(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    held_on: date,
    agenda: str,
    decisions: str | None,
    member_ids: list[int],
    today: date,
    form_token: str | None = None,
) -> int:
    """A WZK meeting (K8) with its agenda, decisions and the members who attended."""
    require_admin(actor)
    record = Meeting.parse({"kind": "wzk", "held_on": held_on, "agenda": agenda, "decisions": decisions})
    if held_on > today and member_ids:
        raise InvalidInput(["Obecność: nie można odnotować obecności na przyszłym posiedzeniu"])
    with transaction(conn) as cur:
        serving = {r[0] for r in cur.execute(ACTIVE_ON, [held_on, held_on]).fetchall()}
        strangers = sorted(set(member_ids) - serving)
        if strangers:
            raise InvalidInput(
                [
                    f"Obecność: osoby nr {', '.join(map(str, strangers))} nie były "
                    f"członkami WZK w dniu {held_on:%d.%m.%Y}"
                ]
            )
        meeting_id = insert(cur, actor.username, record)
        for member_id in sorted(set(member_ids)):
            insert(cur, actor.username, WzkAttendance(meeting_id=meeting_id, member_id=member_id))
        return meeting_id


RECOMMENDATIONS = """
SELECT r.recommendation_id, r.made_on, r.kind, r.text, r.owner, r.status, r.status_on,
       m.held_on AS meeting_on, r.row_version
FROM recommendation r LEFT JOIN meeting m USING (meeting_id)
WHERE $status IS NULL OR list_contains($status, r.status)
ORDER BY CASE r.status WHEN 'open' THEN 1 WHEN 'in_progress' THEN 2 ELSE 3 END, r.made_on DESC
"""
OPEN = ["open", "in_progress"]


def list_recommendations(conn: duckdb.DuckDBPyConnection, statuses: list[str] | None = None) -> pd.DataFrame:
    """Recommendations (K10.2), open ones first; `statuses` narrows to those statuses."""
    return conn.cursor().execute(RECOMMENDATIONS, {"status": statuses}).df()


@idempotent
def add_recommendation(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    data: dict[str, Any],
    today: date,
    *,
    form_token: str | None = None,
) -> int:
    """A new recommendation, open from the day it was made."""
    require_admin(actor)
    made_on = data.get("made_on") or today
    record = Recommendation.parse(
        {**data, "recommendation_id": None, "made_on": made_on, "status": "open", "status_on": made_on}
    )
    if made_on > today:
        raise InvalidInput([f"Data: {made_on:%d.%m.%Y} jest w przyszłości"])
    with transaction(conn) as cur:
        if record.meeting_id is not None:
            found = cur.execute(
                "SELECT 1 FROM meeting WHERE meeting_id = ? AND kind = 'wzk'", [record.meeting_id]
            ).fetchall()
            if not found:
                raise InvalidInput(["Posiedzenie WZK: nie ma takiego posiedzenia"])
        return insert(cur, actor.username, record)


def set_recommendation_status(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    recommendation_id: int,
    status: str,
    on: date,
    today: date,
    expected_version: int | None = None,
) -> None:
    """Move a recommendation to `status` as of `on`; the change is audited."""
    require_admin(actor)
    if on > today:
        raise InvalidInput([f"Data statusu: {on:%d.%m.%Y} jest w przyszłości"])
    with transaction(conn) as cur:
        row = get_row(cur, Recommendation, recommendation_id)
        if on < row["made_on"]:
            raise InvalidInput(["Data statusu: wcześniejsza niż data rekomendacji"])
        update(
            cur,
            actor.username,
            Recommendation,
            recommendation_id,
            {"status": status, "status_on": on},
            expected_version,
        )


@dataclass
class Slide:
    """One screen of the meeting mode: a title, big numbers, a few short lines, maybe a chart."""

    title: str
    numbers: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    lines: list[str] = field(default_factory=list)
    chart: pd.DataFrame | None = None  # first column: label, others: series to draw as bars


def meeting_slides(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    today: date,
    *,
    overview: pd.DataFrame | None = None,
    effects: report.EffectsReport | None = None,
    gaps: pd.DataFrame | None = None,
) -> list[Slide]:
    """The WZK meeting's agenda as slides: progress, late gminy, cases, services gaps, recommendations.

    `overview`, `effects` (the region's, for `actor`) and `gaps` (on `today`) may be passed in when
    the caller already has them; otherwise they are read here.
    """
    if overview is None:
        overview = queries.region_overview(conn, today)
    states = overview.progress_state.value_counts()
    region = get_setting(conn, "region_name") or "Region"
    progress = Slide(
        f"Postęp wdrażania — {region}",
        [
            ("gmin w pilotażu", str(len(overview))),
            ("w terminie", str(int(states.get("on_time", 0)))),
            ("opóźnione", str(int(states.get("late", 0)))),
            ("zatrzymane", str(int(states.get("stalled", 0)))),
        ],
        [f"Stan na {today:%d.%m.%Y}"],
        pd.DataFrame({"Gmina": overview.name, "Podkroki zrobione": overview.done}).sort_values(
            "Podkroki zrobione", ascending=False
        ),
    )
    late = overview[overview.progress_state != "on_time"].sort_values("delay_days", ascending=False)
    late_slide = Slide(
        "Gminy opóźnione",
        [("gmin z opóźnieniem", str(len(late)))],
        [
            f"{r.name}: krok {r.current_step or '—'}, {int(r.delay_days)} dni"
            + (" (zatrzymana)" if r.progress_state == "stalled" else "")
            for r in row_tuples(late.head(6))
        ]
        or ["Wszystkie gminy w terminie"],
    )
    if effects is None:
        effects = report.effects(conn, actor, today)
    head = effects.headline
    cases = Slide(
        "Sprawy osób i rodzin",
        [
            ("zgłoszone", str(head["Sprawy zgłoszone"])),
            ("zakończone", str(head["Sprawy zakończone"])),
            ("cele osiągnięte", str(head["Cele osiągnięte w pełni"])),
        ],
        [f"{r[0]}: {r[1]}" for r in effects.closures.itertuples(index=False)],
    )
    hidden = effects.suppressed
    found = lku.gap_list(lku.gaps(conn, today) if gaps is None else gaps)
    gap_slide = Slide(
        "Luki w koszyku usług",
        [("luk", str(len(found))), ("gmin z luką", str(found.terc.nunique()))],
        [
            f"{r.name}: {r.problem} ({disclosure.suppress_text(int(r.cases), hidden)} spraw)"
            for r in row_tuples(found.head(6))
        ]
        or ["Każdy rozpoznany problem ma usługę w pobliżu"],
    )
    recs = list_recommendations(conn, OPEN)
    recommendations = Slide(
        "Rekomendacje otwarte",
        [(RECOMMENDATION_STATUSES[s], str(int((recs.status == s).sum()))) for s in OPEN],
        [f"{RECOMMENDATION_KINDS[r.kind]}: {_short(r.text)} — {r.owner}" for r in row_tuples(recs.head(5))],
    )
    return [progress, late_slide, cases, gap_slide, recommendations]


def _short(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"
