"""Programme writes: pilot set-up, plan shifts, step events, notifications, PZK, meetings.

Each function takes the acting user, validates through a pydantic record, checks the model's
cross-record rules and the role, and writes in one audited transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from kooperacja.model import access
from kooperacja.model.access import (
    Actor,
    can_write_data,
    require_admin,
    require_edit_gmina,
    require_edit_institution,
)
from kooperacja.model.checks import refuse
from kooperacja.model.errors import InvalidInput
from kooperacja.model.records import (
    Gmina,
    Institution,
    Meeting,
    MeetingAttendee,
    PilotGmina,
    PlanShift,
    PzkMember,
    StepEvent,
    Zgloszenie,
)
from kooperacja.model.vocab import DEFAULT_VARIANT
from kooperacja.programme.checks import (
    check_plan_shift,
    check_pzk_member,
    check_step_event,
    load_programme_context,
)
from kooperacja.programme.harmonogram import ensure_default_template
from kooperacja.warehouse import one_row, transaction
from kooperacja.warehouse.store import get_row, idempotent, insert, update


def gmina_variant(cur: duckdb.DuckDBPyConnection, terc: str) -> str:
    """The variant a gmina follows: the admin's override, else the default for its type."""
    row = one_row(cur, "SELECT kind, variant_override FROM gmina WHERE terc = ?", [terc])
    if row is None:
        raise InvalidInput([f"Kod TERC gminy: nieznana gmina {terc}"])
    return row[1] or DEFAULT_VARIANT[row[0]]


def set_variant_override(
    conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str, variant: str | None
) -> None:
    """An admin lets a gmina follow another variant (a small town, a gmina that chose another model)."""
    require_admin(actor)
    with transaction(conn) as cur:
        gmina_variant(cur, terc)
        update(cur, actor.username, Gmina, terc, {"variant_override": variant})


@idempotent
def add_pilot_gmina(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    terc: str,
    *,
    joined_on: date,
    animator: str,
    plan_start: date,
    variant: str | None = None,
    template: tuple[int, int] | None = None,
    form_token: str | None = None,
) -> None:
    """Bring a gmina into the pilot, with its plan: a pinned template version and a start date."""
    require_admin(actor)
    with transaction(conn) as cur:
        variant = variant or gmina_variant(cur, terc)
        carer = "SELECT 1 FROM app_user WHERE username = ? AND list_contains(?, role)"
        if one_row(cur, carer, [animator, list(access.GMINA_CARERS)]) is None:
            raise InvalidInput([f"Animator: nie ma animatora {animator}"])
        template_id, version = template or ensure_default_template(cur, actor.username)
        record = PilotGmina.parse(
            {
                "terc": terc,
                "joined_on": joined_on,
                "animator": animator,
                "variant": variant,
                "template_id": template_id,
                "template_version": version,
                "plan_start": plan_start,
            }
        )
        if one_row(cur, "SELECT 1 FROM pilot_gmina WHERE terc = ?", [terc]):
            raise InvalidInput([f"Kod TERC gminy: gmina {terc} jest już w pilotażu"])
        insert(cur, actor.username, record)
        cur.execute("INSERT OR IGNORE INTO pilot_powiat VALUES (?, ?)", [terc[:4], joined_on])


@idempotent
def record_step_event(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    terc: str | None,
    substep: str,
    kind: str,
    event_on: date,
    today: date,
    evidence: str | None = None,
    note: str | None = None,
    recorded_by: str | None = None,
    form_token: str | None = None,
) -> int:
    """Record that a sub-step started or was completed, with its evidence (protocol, agreement).

    `terc=None` records a region-level step done once by the ROPS (admins only). `recorded_by` is the
    actor unless an admin enters what another user recorded.
    """
    require_edit_gmina(actor, terc) if terc else require_admin(actor)
    record = StepEvent.parse(
        {
            "terc": terc,
            "substep": substep,
            "kind": kind,
            "event_on": event_on,
            "evidence": evidence,
            "note": note,
            "recorded_by": recorded_by or actor.username,
        }
    )
    with transaction(conn) as cur:
        ctx = load_programme_context(cur, today, terc=terc or "", institution_id=0)
        refuse(StepEvent, check_step_event(record, ctx, actor))
        return insert(cur, actor.username, record)


@idempotent
def shift_plan(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    terc: str,
    days: int,
    reason: str,
    today: date,
    substep: str | None = None,
    form_token: str | None = None,
) -> int:
    """Move a gmina's plan by `days`: from `substep` on (it and every later-starting one), or all."""
    require_edit_gmina(actor, terc)
    record = PlanShift.parse(
        {"terc": terc, "substep": substep, "days": days, "reason": reason, "shifted_on": today}
    )
    with transaction(conn) as cur:
        ctx = load_programme_context(cur, today, terc=terc, institution_id=0)
        refuse(PlanShift, check_plan_shift(record, ctx))
        return insert(cur, actor.username, record)


@idempotent
def record_zgloszenie(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    data: dict[str, Any],
    today: date,
    *,
    form_token: str | None = None,
) -> int:
    """A notification to the ROPS: through the ROPS, or a self-formed cooperation after signing."""
    record = Zgloszenie.parse(data)
    _require_edit_or_candidate(conn, actor, record.terc)
    problems = []
    if record.received_on > today:
        problems.append("Data wpływu: jest w przyszłości")
    if record.route == "self_formed" and record.signed_on is None:
        problems.append("Data podpisania porozumienia: wymagana dla samodzielnie zawiązanej współpracy")
    if record.signed_on and record.signed_on > record.received_on:
        problems.append("Data podpisania porozumienia: późniejsza niż data wpływu")
    if record.first_contact_on and record.first_contact_on < record.received_on:
        problems.append("Data pierwszego kontaktu ROPS: wcześniejsza niż data wpływu")
    if problems:
        raise InvalidInput(problems)
    with transaction(conn) as cur:
        gmina_variant(cur, record.terc)
        return insert(cur, actor.username, record)


def _require_edit_or_candidate(conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str) -> None:
    """Outside the pilot a gmina is a candidate any ROPS staff may record; in it, its animator's."""
    in_pilot = one_row(conn.cursor(), "SELECT 1 FROM pilot_gmina WHERE terc = ?", [terc]) is not None
    if in_pilot or not can_write_data(actor):
        require_edit_gmina(actor, terc)


def record_first_contact(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    zgloszenie_id: int,
    contact_on: date,
    today: date,
    expected_version: int | None = None,
) -> None:
    """The ROPS's first contact with the gmina (the 7-day clock stops here)."""
    with transaction(conn) as cur:
        row = get_row(cur, Zgloszenie, zgloszenie_id)
        _require_edit_or_candidate(conn, actor, row["terc"])
        if contact_on > today:
            raise InvalidInput([f"Data pierwszego kontaktu ROPS: {contact_on:%d.%m.%Y} jest w przyszłości"])
        if contact_on < row["received_on"]:
            raise InvalidInput(["Data pierwszego kontaktu ROPS: wcześniejsza niż data wpływu"])
        update(
            cur, actor.username, Zgloszenie, zgloszenie_id, {"first_contact_on": contact_on}, expected_version
        )


@idempotent
def add_institution(
    conn: duckdb.DuckDBPyConnection, actor: Actor, data: dict[str, Any], *, form_token: str | None = None
) -> int:
    """An institution that may join PZKs; animators add those seated in their gminy or powiaty."""
    record = Institution.parse(data)
    require_edit_institution(actor, record.seat_terc)
    with transaction(conn) as cur:
        return insert(cur, actor.username, record)


@idempotent
def add_pzk_member(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    terc: str,
    institution_id: int,
    signed_on: date,
    today: date | None = None,
    form_token: str | None = None,
) -> int:
    """An institution signs the gmina's PZK agreement (at its formation or joining later)."""
    require_edit_gmina(actor, terc)
    record = PzkMember.parse({"terc": terc, "institution_id": institution_id, "signed_on": signed_on})
    with transaction(conn) as cur:
        ctx = load_programme_context(cur, today or date.today(), terc=terc, institution_id=institution_id)
        refuse(PzkMember, check_pzk_member(record, ctx))
        return insert(cur, actor.username, record)


def leave_pzk(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    membership_id: int,
    left_on: date,
    today: date | None = None,
) -> None:
    with transaction(conn) as cur:
        row = get_row(cur, PzkMember, membership_id)
        require_edit_gmina(actor, row["terc"])
        if row["left_on"] is not None:
            raise InvalidInput(["Data wystąpienia: instytucja już wystąpiła z PZK"])
        record = PzkMember.parse({**{k: row[k] for k in PzkMember.model_fields}, "left_on": left_on})
        ctx = load_programme_context(
            cur, today or date.today(), terc=row["terc"], institution_id=row["institution_id"]
        )
        refuse(PzkMember, check_pzk_member(record, ctx), only={"left_on"})
        update(cur, actor.username, PzkMember, membership_id, {"left_on": left_on})


@idempotent
def record_meeting(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    data: dict[str, Any],
    attendees: list[tuple[int, date | None]],
    *,
    form_token: str | None = None,
) -> int:
    """A meeting with the institutions that attended and when each was notified."""
    record = Meeting.parse(data)
    if record.kind == "wzk":
        require_admin(actor)
    else:
        require_edit_gmina(actor, record.terc)
    with transaction(conn) as cur:
        meeting_id = insert(cur, actor.username, record)
        for institution_id, notified_on in attendees:
            att = MeetingAttendee.parse(
                {"meeting_id": meeting_id, "institution_id": institution_id, "notified_on": notified_on}
            )
            if notified_on and notified_on > record.held_on:
                raise InvalidInput(["Data powiadomienia: późniejsza niż data spotkania"])
            insert(cur, actor.username, att, terc=record.terc)
        return meeting_id
