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
from kooperacja.model.formatting import plural, row_tuples
from kooperacja.model.records import (
    Meeting,
    Recommendation,
    WzkAttendance,
    WzkMember,
    correction_reason,
    label,
)
from kooperacja.model.vocab import RECOMMENDATION_KINDS, RECOMMENDATION_STATUSES
from kooperacja.programme import queries, together
from kooperacja.report import effects as report
from kooperacja.report import network_section, sections
from kooperacja.warehouse import audit, get_setting, transaction
from kooperacja.warehouse.store import delete, get_row, idempotent, insert, update

MEMBERS = """
SELECT m.member_id, m.full_name, m.role, m.institution_id, i.name AS institution, m.from_on, m.to_on,
       m.from_on <= $on AND (m.to_on IS NULL OR m.to_on >= $on) AS active, m.row_version
FROM wzk_member m LEFT JOIN institution i USING (institution_id)
ORDER BY active DESC, m.from_on, m.member_id
"""


def list_members(conn: duckdb.DuckDBPyConnection, on: date) -> pd.DataFrame:
    """Every member, those serving on `on` first."""
    return conn.cursor().execute(MEMBERS, {"on": on}).df()


# Meetings a member is on the attendance list of although not serving that day (after a change).
OUTSIDE_TERM = """
SELECT m.held_on FROM wzk_attendance a JOIN meeting m USING (meeting_id)
WHERE a.member_id = $id AND (m.held_on < $from_on OR m.held_on > coalesce($to_on, DATE '9999-12-31'))
ORDER BY m.held_on
"""


def _member_problems(
    cur: duckdb.DuckDBPyConnection, record: WzkMember, member_id: int | None = None
) -> list[str]:
    """A membership ends on or after it starts, at an institution of the registry; a saved member's
    new term still covers every meeting they are on the attendance list of."""
    problems = []
    if record.to_on is not None and record.to_on < record.from_on:
        problems.append(f"Do: nie może być wcześniej niż {record.from_on:%d.%m.%Y}")
    if (
        record.institution_id is not None
        and not cur.execute(
            "SELECT 1 FROM institution WHERE institution_id = ?", [record.institution_id]
        ).fetchall()
    ):
        problems.append(f"Instytucja: nie ma instytucji nr {record.institution_id}")
    if member_id is not None and not problems:
        held = [r[0] for r in cur.execute(OUTSIDE_TERM, {"id": member_id, "from_on": record.from_on,
                                                         "to_on": record.to_on}).fetchall()]  # fmt: skip
        if held:
            days = ", ".join(f"{d:%d.%m.%Y}" for d in held)
            field = "Od" if held[0] < record.from_on else "Do"
            problems.append(
                f"{field}: {record.full_name} jest na liście obecności posiedzeń spoza okresu członkostwa "
                f"({days}) — popraw najpierw listę obecności"
            )
    return problems


@idempotent
def add_member(
    conn: duckdb.DuckDBPyConnection, actor: Actor, data: dict[str, Any], *, form_token: str | None = None
) -> int:
    """A member of the WZK named in their role, with their institution (from the registry) and term."""
    require_admin(actor)
    record = WzkMember.parse({**data, "member_id": None})
    with transaction(conn) as cur:
        problems = _member_problems(cur, record)
        if problems:
            raise InvalidInput(problems)
        return insert(cur, actor.username, record)


def edit_member(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    member_id: int,
    changes: dict[str, Any],
    *,
    reason: str | None,
    expected_version: int | None = None,
) -> None:
    """Correct a member (name, role, institution, term) with a reason: the same checks as a new one."""
    require_admin(actor)
    reason = correction_reason(reason)
    _change_member(conn, actor, member_id, changes, reason, expected_version)


def end_membership(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    member_id: int,
    to_on: date,
    expected_version: int | None = None,
) -> None:
    """A member leaves the WZK on `to_on` (the last day they serve): from the next day they no longer
    count among the members of a meeting, and cannot be on its attendance list."""
    require_admin(actor)
    _change_member(conn, actor, member_id, {"to_on": to_on}, None, expected_version)


def _change_member(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    member_id: int,
    changes: dict[str, Any],
    reason: str | None,
    expected_version: int | None,
) -> None:
    with transaction(conn) as cur:
        row = get_row(cur, WzkMember, member_id)
        record = WzkMember.parse({**{k: row[k] for k in WzkMember.model_fields}, **changes})
        problems = _member_problems(cur, record, member_id)
        if problems:
            raise InvalidInput(problems)
        update(cur, actor.username, WzkMember, member_id, changes, expected_version, reason=reason)


def withdraw_member(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    member_id: int,
    *,
    reason: str | None,
    expected_version: int | None = None,
) -> None:
    """Take out a member entered by mistake (audited with the reason); one on an attendance list is
    refused — a member who served and left gets an end of membership instead."""
    require_admin(actor)
    reason = correction_reason(reason)
    with transaction(conn) as cur:
        row = get_row(cur, WzkMember, member_id)
        held = cur.execute(
            "SELECT m.held_on FROM wzk_attendance a JOIN meeting m USING (meeting_id) "
            "WHERE a.member_id = ? ORDER BY m.held_on",
            [member_id],
        ).fetchall()
        if held:
            days = ", ".join(f"{r[0]:%d.%m.%Y}" for r in held)
            raise InvalidInput(
                [
                    f"Członek WZK: {row['full_name']} jest na liście obecności posiedzeń ({days}) — "
                    "nie można go wycofać; zapisz koniec członkostwa (Do)"
                ]
            )
        delete(cur, actor.username, WzkMember, member_id, reason=reason, expected_version=expected_version)


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


def meeting_members(conn: duckdb.DuckDBPyConnection, meeting_id: int) -> list[int]:
    """Ids of the members on the meeting's attendance list."""
    return _members_of(conn.cursor(), meeting_id)


def _members_of(cur: duckdb.DuckDBPyConnection, meeting_id: int) -> list[int]:
    rows = cur.execute("SELECT member_id FROM wzk_attendance WHERE meeting_id = ?", [meeting_id])
    return sorted(r[0] for r in rows.fetchall())


def _refuse_attendance(
    cur: duckdb.DuckDBPyConnection, held_on: date, member_ids: list[int], today: date
) -> None:
    """Attendance of a past meeting, of members serving on its day (a member who left does not count)."""
    if held_on > today and member_ids:
        raise InvalidInput(["Obecność: nie można odnotować obecności na przyszłym posiedzeniu"])
    serving = {r[0] for r in cur.execute(ACTIVE_ON, [held_on, held_on]).fetchall()}
    strangers = sorted(set(member_ids) - serving)
    if strangers:
        names = dict(
            cur.execute(
                "SELECT member_id, full_name FROM wzk_member WHERE list_contains(?, member_id)", [strangers]
            ).fetchall()
        )
        who = ", ".join(names.get(m, f"nr {m}") for m in strangers)
        raise InvalidInput([f"Obecność: {who} — nie byli członkami WZK w dniu {held_on:%d.%m.%Y}"])


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
    with transaction(conn) as cur:
        _refuse_attendance(cur, held_on, member_ids, today)
        meeting_id = insert(cur, actor.username, record)
        for member_id in sorted(set(member_ids)):
            insert(cur, actor.username, WzkAttendance(meeting_id=meeting_id, member_id=member_id))
        return meeting_id


def _wzk_meeting(cur: duckdb.DuckDBPyConnection, meeting_id: int) -> dict[str, Any]:
    row = get_row(cur, Meeting, meeting_id)
    if row["kind"] != "wzk":
        raise InvalidInput(["Posiedzenie WZK: nie ma takiego posiedzenia"])
    return row


def edit_meeting(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    meeting_id: int,
    *,
    held_on: date,
    agenda: str,
    decisions: str | None,
    member_ids: list[int],
    today: date,
    reason: str | None,
) -> None:
    """Correct a WZK meeting and its attendance list (the same checks as a new one), with a reason.

    Each member added to or taken off the list is a row of the audit trail of its own.
    """
    require_admin(actor)
    reason = correction_reason(reason)
    changes = {"held_on": held_on, "agenda": agenda, "decisions": decisions}
    with transaction(conn) as cur:
        _wzk_meeting(cur, meeting_id)
        _refuse_attendance(cur, held_on, member_ids, today)
        update(cur, actor.username, Meeting, meeting_id, changes, reason=reason)
        before = set(_members_of(cur, meeting_id))
        for member_id in sorted(before - set(member_ids)):
            _drop_attendance(cur, actor, meeting_id, member_id, reason)
        for member_id in sorted(set(member_ids) - before):
            insert(cur, actor.username, WzkAttendance(meeting_id=meeting_id, member_id=member_id))


def _drop_attendance(
    cur: duckdb.DuckDBPyConnection, actor: Actor, meeting_id: int, member_id: int, reason: str
) -> None:
    row = {"meeting_id": meeting_id, "member_id": member_id}
    cur.execute("DELETE FROM wzk_attendance WHERE meeting_id = ? AND member_id = ?", [meeting_id, member_id])
    audit(
        cur, actor.username, "delete", "wzk_attendance", f"{meeting_id}/{member_id}", row, None, None, reason
    )


def withdraw_meeting(
    conn: duckdb.DuckDBPyConnection, actor: Actor, meeting_id: int, *, reason: str | None
) -> None:
    """Take out a meeting entered by mistake with its attendance list (audited with the reason); a
    meeting with recommendations is refused until they are linked elsewhere or unlinked."""
    require_admin(actor)
    reason = correction_reason(reason)
    with transaction(conn) as cur:
        row = _wzk_meeting(cur, meeting_id)
        linked = cur.execute(
            "SELECT count(*) FROM recommendation WHERE meeting_id = ?", [meeting_id]
        ).fetchall()[0][0]
        if linked:
            raise InvalidInput(
                [
                    f"Posiedzenie WZK {row['held_on']:%d.%m.%Y}: ma "
                    f"{plural(linked, 'rekomendację', 'rekomendacje', 'rekomendacji')} — odłącz je "
                    "najpierw (zmiana rekomendacji, pole „Posiedzenie WZK”)"
                ]
            )
        for member_id in _members_of(cur, meeting_id):
            _drop_attendance(cur, actor, meeting_id, member_id, reason)
        delete(cur, actor.username, Meeting, meeting_id, reason=reason)


RECOMMENDATIONS = """
SELECT r.recommendation_id, r.made_on, r.kind, r.text, r.owner, r.status, r.status_on,
       r.meeting_id, m.held_on AS meeting_on, r.row_version
FROM recommendation r LEFT JOIN meeting m USING (meeting_id)
WHERE $status IS NULL OR list_contains($status, r.status)
ORDER BY CASE r.status WHEN 'open' THEN 1 WHEN 'in_progress' THEN 2 ELSE 3 END, r.made_on DESC
"""
OPEN = ["open", "in_progress"]


def list_recommendations(conn: duckdb.DuckDBPyConnection, statuses: list[str] | None = None) -> pd.DataFrame:
    """Recommendations (K10.2), open ones first; `statuses` narrows to those statuses."""
    return conn.cursor().execute(RECOMMENDATIONS, {"status": statuses}).df()


def _refuse_unknown_meeting(cur: duckdb.DuckDBPyConnection, meeting_id: int | None) -> None:
    if (
        meeting_id is not None
        and not cur.execute(
            "SELECT 1 FROM meeting WHERE meeting_id = ? AND kind = 'wzk'", [meeting_id]
        ).fetchall()
    ):
        raise InvalidInput(["Posiedzenie WZK: nie ma takiego posiedzenia"])


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
        _refuse_unknown_meeting(cur, record.meeting_id)
        return insert(cur, actor.username, record)


EDITABLE = ("kind", "text", "owner", "meeting_id")


def edit_recommendation(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    recommendation_id: int,
    changes: dict[str, Any],
    *,
    reason: str | None,
    expected_version: int | None = None,
) -> None:
    """Correct a recommendation's text, kind, owner or its meeting (`meeting_id` None: unlinked), with a
    reason; the status moves through `set_recommendation_status`."""
    require_admin(actor)
    reason = correction_reason(reason)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InvalidInput([f"{label(Recommendation, f)}: zmienia się ją zmianą statusu" for f in unknown])
    with transaction(conn) as cur:
        get_row(cur, Recommendation, recommendation_id)
        _refuse_unknown_meeting(cur, changes.get("meeting_id"))
        version = expected_version
        update(cur, actor.username, Recommendation, recommendation_id, changes, version, reason=reason)


def withdraw_recommendation(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    recommendation_id: int,
    *,
    reason: str | None,
    expected_version: int | None = None,
) -> None:
    """Take out a recommendation entered by mistake (audited with the reason; a rejected one keeps its
    place with the status "odrzucona" instead)."""
    require_admin(actor)
    reason = correction_reason(reason)
    with transaction(conn) as cur:
        version = expected_version
        delete(
            cur, actor.username, Recommendation, recommendation_id, reason=reason, expected_version=version
        )


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
    """The WZK meeting's agenda as slides: progress, late gminy, cases, services gaps, the cooperation
    network, recommendations.

    `overview`, `effects` (the region's, for `actor`) and `gaps` (on `today`) may be passed in when
    the caller already has them; otherwise they are read here.
    """
    hidden = disclosure.hides(actor) if effects is None else effects.suppressed
    reads: dict[str, together.Read] = {
        "region": lambda c: get_setting(c, "region_name"),
        "recs": lambda c: list_recommendations(c, OPEN),
    }
    if overview is None:
        reads["overview"] = lambda c: queries.region_overview(c, today)
    if gaps is None:
        reads["gaps"] = lambda c: lku.gaps(c, today)
    if effects is None:  # the slides need the report's case figures only, and its network
        reads["cases"] = lambda c: report.case_figures(c, today, None, hidden, baskets=False)
        reads["network"] = lambda c: network_section.load(c)
    # the heaviest first (the overview's plan rated, the service gaps), two at a time
    order = sorted(reads, key=["overview", "gaps", "cases", "network", "recs", "region"].index)
    read = dict(zip(order, together.read_together(conn, [reads[k] for k in order]), strict=True))
    overview = read["overview"] if overview is None else overview
    states = overview.progress_state.value_counts()
    region = read["region"] or "Region"
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
            "Podkroki zrobione", ascending=False, kind="stable"
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
        _, closures, _, _, head = read["cases"]
    else:
        head, closures = effects.headline, effects.closures
    cases = Slide(
        "Sprawy osób i rodzin",
        [
            ("zgłoszone", str(head["Sprawy zgłoszone"])),
            ("zakończone", str(head["Sprawy zakończone"])),
            ("cele osiągnięte", str(head["Cele osiągnięte w pełni"])),
        ],
        [f"{r[0]}: {r[1]}" for r in closures.itertuples(index=False)],
    )
    found = lku.gap_list(read["gaps"] if gaps is None else gaps)
    gap_slide = Slide(
        "Luki w koszyku usług",
        [("luk", str(len(found))), ("gmin z luką", str(found.terc.nunique()))],
        [
            f"{r.name}: {r.problem} ({disclosure.suppress_text(int(r.cases), hidden)} spraw)"
            for r in row_tuples(found.head(6))
        ]
        or ["Każdy rozpoznany problem ma usługę w pobliżu"],
    )
    recs = read["recs"]
    recommendations = Slide(
        "Rekomendacje otwarte",
        [(RECOMMENDATION_STATUSES[s], str(int((recs.status == s).sum()))) for s in OPEN],
        [f"{RECOMMENDATION_KINDS[r.kind]}: {_short(r.text)} — {r.owner}" for r in row_tuples(recs.head(5))],
    )
    network = effects.network if effects is not None else read["network"]
    return [progress, late_slide, cases, gap_slide, network_slide(network), recommendations]


def network_slide(network: pd.DataFrame) -> Slide:
    """The cooperation network before and after: the table of `report.network_section.load`."""
    numbers, lines, chart = network_section.slide(network)
    title = next(s.title for s in sections.sections() if s.key == "network")
    return Slide(title, numbers, lines, chart)


def _short(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"
