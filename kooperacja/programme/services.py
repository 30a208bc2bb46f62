"""Programme writes: pilot set-up, plan shifts, step events, notifications, PZK, meetings.

Each function takes the acting user, validates through a pydantic record, checks the model's
cross-record rules and the role, and writes in one audited transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from kooperacja.model import access, rules
from kooperacja.model.access import (
    Actor,
    can_write_data,
    require_admin,
    require_edit_gmina,
    require_edit_institution,
)
from kooperacja.model.checks import refuse
from kooperacja.model.errors import AccessDenied, InvalidInput
from kooperacja.model.formatting import plural
from kooperacja.model.records import (
    Gmina,
    Institution,
    Meeting,
    MeetingAttendee,
    PilotExit,
    PilotGmina,
    PlanShift,
    PzkMember,
    Record,
    StepEvent,
    Zgloszenie,
    correction_reason,
)
from kooperacja.model.vocab import DEFAULT_VARIANT
from kooperacja.programme.checks import (
    check_plan_shift,
    check_pzk_member,
    check_step_event,
    load_programme_context,
    seat_in_reach,
)
from kooperacja.programme.harmonogram import ensure_default_template, refresh_plan_dates
from kooperacja.warehouse import audit, fetch_dicts, one_row, transaction
from kooperacja.warehouse.store import delete, get_row, idempotent, insert, stale, update


def gmina_variant(cur: duckdb.DuckDBPyConnection, terc: str) -> str:
    """The variant a gmina follows: the admin's override, else the default for its type."""
    row = one_row(cur, "SELECT kind, variant_override FROM gmina WHERE terc = ?", [terc])
    if row is None:
        raise InvalidInput([f"Kod TERC gminy: nieznana gmina {terc}"])
    return row[1] or DEFAULT_VARIANT[row[0]]


def set_variant_override(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    terc: str,
    variant: str | None,
    reason: str | None = None,
) -> None:
    """An admin lets a gmina follow another variant (a small town, a gmina that chose another model)."""
    require_admin(actor)
    with transaction(conn) as cur:
        gmina_variant(cur, terc)
        update(cur, actor.username, Gmina, terc, {"variant_override": variant}, reason=reason)


# --- Pilot gminy: joining, the admin's changes after set-up, leaving (and rejoining) ---------------
# The pilot row is the one home of a gmina's plan and of "who cares for it" (its animator). Every
# change after set-up is a correction of a saved fact: it takes a reason and the row_version the
# admin's form was loaded with; leaving keeps the row as it was in pilot_exit.


def _require_carer(cur: duckdb.DuckDBPyConnection, username: str) -> None:
    """The account exists, is active and may care for a gmina (an animator, or an admin)."""
    row = one_row(cur, "SELECT role, active FROM app_user WHERE username = ?", [username])
    if row is None or not row[1] or not access.cares_for_gminy(row[0]):
        raise InvalidInput([f"Animator: nie ma aktywnego animatora {username}"])


def _pilot_row(cur: duckdb.DuckDBPyConnection, terc: str) -> dict[str, Any]:
    rows = fetch_dicts(
        cur, "SELECT p.*, g.name FROM pilot_gmina p JOIN gmina g USING (terc) WHERE p.terc = ?", [terc]
    )
    if not rows:
        raise InvalidInput([f"Gmina: {gmina_name(cur, terc)} nie jest w pilotażu"])
    return rows[0]


def gmina_name(cur: duckdb.DuckDBPyConnection, terc: str) -> str:
    """The gmina's name as the register has it (its TERC when the register does not know it)."""
    row = one_row(cur, "SELECT name FROM gmina WHERE terc = ?", [terc])
    return row[0] if row else terc


def _require_template(cur: duckdb.DuckDBPyConnection, template: tuple[int, int]) -> None:
    if one_row(cur, "SELECT 1 FROM template WHERE template_id = ? AND version = ?", list(template)) is None:
        raise InvalidInput([f"Szablon harmonogramu: nie ma wersji {template[1]} szablonu nr {template[0]}"])


def _events_before(cur: duckdb.DuckDBPyConnection, terc: str, earliest: date) -> list[str]:
    rows = cur.execute(
        "SELECT count(*), min(event_on) FROM step_event WHERE terc = ? AND event_on < ?", [terc, earliest]
    ).fetchall()
    count, first = rows[0]
    if not count:
        return []
    events = plural(count, "zdarzenie kroku", "zdarzenia kroków", "zdarzeń kroków")
    return [
        f"Początek harmonogramu: przy tej dacie {events} (najwcześniejsze z {first:%d.%m.%Y}) "
        f"wypadłoby przed dopuszczalnym {earliest:%d.%m.%Y} — popraw je najpierw albo wybierz inną datę"
    ]


def _keep_variant_choice(
    cur: duckdb.DuckDBPyConnection, username: str, terc: str, variant: str, reason: str
) -> None:
    """A pilot variant other than the gmina type's default is the admin's choice: kept as its override
    (so that a later TERC re-import tells a deliberate choice from a changed type)."""
    kind = one_row(cur, "SELECT kind, variant_override FROM gmina WHERE terc = ?", [terc])
    if kind is None:
        return
    wanted = None if DEFAULT_VARIANT[kind[0]] == variant else variant
    if wanted != kind[1]:
        update(cur, username, Gmina, terc, {"variant_override": wanted}, reason=reason)


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
    """Bring a gmina into the pilot (or back into it), with its plan: a pinned template version and a
    start date."""
    require_admin(actor)
    with transaction(conn) as cur:
        default = gmina_variant(cur, terc)
        variant = variant or default
        _require_carer(cur, animator)
        if template is not None:
            _require_template(cur, template)
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
            raise InvalidInput([f"Kod TERC gminy: gmina {gmina_name(cur, terc)} jest już w pilotażu"])
        insert(cur, actor.username, record)
        refresh_plan_dates(cur, [terc])
        cur.execute("INSERT OR IGNORE INTO pilot_powiat VALUES (?, ?)", [terc[:4], joined_on])
        if variant != default:
            _keep_variant_choice(cur, actor.username, terc, variant, "wariant wybrany przy przystąpieniu")


def change_pilot_gmina(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    terc: str,
    *,
    reason: str,
    expected_version: int | None,
    animator: str | None = None,
    variant: str | None = None,
    plan_start: date | None = None,
    template: tuple[int, int] | None = None,
) -> list[str]:
    """An admin changes a pilot gmina's animator, variant, plan start or template version, with a
    reason (audited). Only what differs is written; returns the changed fields' names."""
    require_admin(actor)
    reason = correction_reason(reason)
    with transaction(conn) as cur:
        wanted = {"animator": animator, "variant": variant, "plan_start": plan_start, "template": template}
        return _change_pilot(cur, actor.username, terc, wanted, reason, expected_version)


def _change_pilot(
    cur: duckdb.DuckDBPyConnection,
    username: str,
    terc: str,
    wanted: dict[str, Any],
    reason: str,
    expected_version: int | None,
) -> list[str]:
    row = _pilot_row(cur, terc)
    changes: dict[str, Any] = {}
    if wanted.get("animator") is not None and wanted["animator"] != row["animator"]:
        _require_carer(cur, wanted["animator"])
        changes["animator"] = wanted["animator"]
    if wanted.get("variant") is not None and wanted["variant"] != row["variant"]:
        changes["variant"] = wanted["variant"]
    plan_start = wanted.get("plan_start")
    if plan_start is not None and plan_start != row["plan_start"]:
        problems = _events_before(cur, terc, rules.earliest_step_event(row["joined_on"], plan_start))
        if problems:
            raise InvalidInput(problems)
        changes["plan_start"] = plan_start
    template = wanted.get("template")
    if template is not None and tuple(template) != (row["template_id"], row["template_version"]):
        _require_template(cur, template)
        changes |= {"template_id": template[0], "template_version": template[1]}
    if not changes:
        raise InvalidInput([f"Gmina {row['name']}: nic się nie zmieniło — zmień co najmniej jedno pole"])
    update(cur, username, PilotGmina, terc, changes, expected_version, reason)
    if changes.keys() & {"plan_start", "template_id"}:
        refresh_plan_dates(cur, [terc])
    if "variant" in changes:
        _keep_variant_choice(cur, username, terc, changes["variant"], reason)
    return list(changes)


def move_to_template(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    tercs: list[str],
    template: tuple[int, int],
    *,
    reason: str,
    expected_versions: dict[str, int] | None = None,
) -> int:
    """Move running gminy to another template version in one audited transaction (what
    `harmonogram.template_move_preview` showed); returns how many gminy moved."""
    require_admin(actor)
    reason = correction_reason(reason)
    if not tercs:
        raise InvalidInput(["Gminy: wybierz co najmniej jedną gminę"])
    seen = expected_versions or {}
    with transaction(conn) as cur:
        _require_template(cur, template)
        for terc in tercs:
            _change_pilot(cur, actor.username, terc, {"template": template}, reason, seen.get(terc))
        return len(tercs)


def assign_gminy(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    animator: str,
    tercs: list[str],
    *,
    reason: str,
    expected_versions: dict[str, int] | None = None,
) -> list[str]:
    """The pilot gminy `animator` cares for become exactly `tercs` (pilot_gmina.animator, the one home
    of who cares for a gmina). A gmina taken away must go to another animator first: none is left
    without one. Returns the TERC codes that changed hands."""
    require_admin(actor)
    reason = correction_reason(reason)
    seen = expected_versions or {}
    with transaction(conn) as cur:
        _require_carer(cur, animator)
        now = dict(cur.execute("SELECT terc, animator FROM pilot_gmina").fetchall())
        unknown = [t for t in tercs if t not in now]
        if unknown:
            raise InvalidInput([f"Gminy: {gmina_name(cur, t)} nie jest w pilotażu" for t in unknown])
        dropped = sorted(t for t, who in now.items() if who == animator and t not in tercs)
        if dropped:
            names = ", ".join(gmina_name(cur, t) for t in dropped)
            raise InvalidInput(
                [
                    f"Gminy: {names} zostałyby bez animatora — przypisz je najpierw innemu animatorowi "
                    "(wybierz tamtego animatora i dodaj mu te gminy)"
                ]
            )
        moved = [t for t in tercs if now[t] != animator]
        if not moved:
            raise InvalidInput(
                ["Gminy: nic się nie zmieniło — dodaj gminę, aby przypisać ją temu animatorowi"]
            )
        for terc in moved:
            update(cur, actor.username, PilotGmina, terc, {"animator": animator}, seen.get(terc), reason)
        return moved


def leave_pilot(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    terc: str,
    *,
    left_on: date,
    reason: str,
    today: date,
    expected_version: int | None = None,
) -> int:
    """Take a gmina out of the pilot: its pilot row is kept as it was in pilot_exit (with the day and
    the reason), its plan shifts are withdrawn with the same reason (audited), and its step events,
    notifications, PZK and cases stay. The gmina may rejoin (add_pilot_gmina). Returns the exit's id."""
    require_admin(actor)
    reason = correction_reason(reason)
    with transaction(conn) as cur:
        row = _pilot_row(cur, terc)
        if today < left_on:
            raise InvalidInput([f"Data wyjścia z pilotażu: {left_on:%d.%m.%Y} jest w przyszłości"])
        stay = {k: row[k] for k in PilotGmina.model_fields}
        record = PilotExit.parse(
            {**stay, "left_on": left_on, "reason": reason, "recorded_by": actor.username}
        )
        delete(cur, actor.username, PilotGmina, terc, reason, expected_version)
        for (shift_id,) in cur.execute("SELECT shift_id FROM plan_shift WHERE terc = ?", [terc]).fetchall():
            delete(cur, actor.username, PlanShift, shift_id, reason)
        refresh_plan_dates(cur, [terc])
        return insert(cur, actor.username, record)


def variant_notices(conn: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Pilot gminy whose variant no longer matches their type (e.g. a TERC re-import made a wiejska
    gmina miejsko-wiejska) and that no admin chose deliberately: terc, name, kind, variant, the
    variant of the type (`expected`) and row_version, for the admin's notice and its one-click fix."""
    rows = fetch_dicts(
        conn.cursor(),
        "SELECT p.terc, g.name, g.kind, g.variant_override, p.variant, p.row_version "
        "FROM pilot_gmina p JOIN gmina g USING (terc) ORDER BY g.name",
    )
    found = []
    for row in rows:
        expected = row.pop("variant_override") or DEFAULT_VARIANT[row["kind"]]
        if expected != row["variant"]:
            found.append({**row, "expected": expected})
    return found


def fix_variant(
    conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str, expected_version: int | None = None
) -> None:
    """The notice's one click: the pilot variant becomes the variant of the gmina's type, through the
    same change as the admin's form, with an automatic reason."""
    cur = conn.cursor()
    row = one_row(cur, "SELECT kind FROM gmina WHERE terc = ?", [terc])
    if row is None:
        raise InvalidInput([f"Kod TERC gminy: nieznana gmina {terc}"])
    reason = f"rodzaj gminy w rejestrze TERC: {row[0]} — wariant według rodzaju gminy"
    change_pilot_gmina(
        conn,
        actor,
        terc,
        variant=DEFAULT_VARIANT[row[0]],
        reason=reason,
        expected_version=expected_version,
    )


def keep_variant(conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str, reason: str) -> None:
    """The notice's other answer: the gmina keeps its pilot variant, recorded as the admin's choice."""
    require_admin(actor)
    reason = correction_reason(reason)
    with transaction(conn) as cur:
        row = _pilot_row(cur, terc)
        update(cur, actor.username, Gmina, terc, {"variant_override": row["variant"]}, reason=reason)


# --- end of the pilot gminy block ----------------------------------------------------------------


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
        shift_id = insert(cur, actor.username, record)
        refresh_plan_dates(cur, [terc])
        return shift_id


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
    with transaction(conn) as cur:
        _require_edit_or_candidate(cur, actor, record.terc)
        _refuse_zgloszenie(record, today)
        gmina_variant(cur, record.terc)
        return insert(cur, actor.username, record)


def _refuse_zgloszenie(record: Zgloszenie, today: date) -> None:
    """The dates of a notification (a new one or its correction) in order, none in the future."""
    problems = []
    if record.received_on > today:
        problems.append("Data wpływu: jest w przyszłości")
    if record.route == "self_formed" and record.signed_on is None:
        problems.append("Data podpisania porozumienia: wymagana dla samodzielnie zawiązanej współpracy")
    if record.signed_on and record.signed_on > record.received_on:
        problems.append("Data podpisania porozumienia: późniejsza niż data wpływu")
    if record.first_contact_on and record.first_contact_on > today:
        problems.append(
            f"Data pierwszego kontaktu ROPS: {record.first_contact_on:%d.%m.%Y} jest w przyszłości"
        )
    if record.first_contact_on and record.first_contact_on < record.received_on:
        problems.append("Data pierwszego kontaktu ROPS: wcześniejsza niż data wpływu")
    if problems:
        raise InvalidInput(problems)


def _require_edit_or_candidate(cur: duckdb.DuckDBPyConnection, actor: Actor, terc: str) -> None:
    """Outside the pilot a gmina is a candidate any ROPS staff may record; in it, its animator's."""
    in_pilot = one_row(cur, "SELECT 1 FROM pilot_gmina WHERE terc = ?", [terc]) is not None
    if in_pilot or not can_write_data(actor):
        _require_gmina(cur, actor, terc)


def _person(cur: duckdb.DuckDBPyConnection, username: str) -> str:
    row = one_row(cur, "SELECT display_name FROM app_user WHERE username = ?", [username])
    return row[0] if row else username


def _require_gmina(cur: duckdb.DuckDBPyConnection, actor: Actor, terc: str | None) -> None:
    """access.can_edit_gmina, refused naming the gmina and the people (not a TERC or a role code)."""
    if access.can_edit_gmina(actor, terc):
        return
    who = _person(cur, actor.username)
    if terc is None:
        raise AccessDenied(f"{who} nie może zmieniać danych regionu — robi to koordynator ROPS.")
    row = one_row(
        cur,
        "SELECT g.name || ' (' || g.kind || ')', p.animator FROM gmina g "
        "LEFT JOIN pilot_gmina p USING (terc) WHERE g.terc = ?",
        [terc],
    )
    gmina, carer = row if row else (terc, None)
    by = f" — opiekuje się nią {_person(cur, carer)}" if carer else ""
    raise AccessDenied(f"{who} nie może zmieniać danych gminy {gmina}{by}.")


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
        _require_edit_or_candidate(cur, actor, row["terc"])
        _refuse_zgloszenie(
            Zgloszenie.parse({**_fields(Zgloszenie, row), "first_contact_on": contact_on}), today
        )
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
    expected_version: int | None = None,
) -> None:
    """An institution leaves the gmina's PZK (not before it signed, not in the future)."""
    with transaction(conn) as cur:
        row = get_row(cur, PzkMember, membership_id)
        _require_gmina(cur, actor, row["terc"])
        if row["left_on"] is not None:
            name = _institution_name(cur, row["institution_id"])
            raise InvalidInput([f"Data wystąpienia: {name} już wystąpiła z PZK ({row['left_on']:%d.%m.%Y})"])
        record = PzkMember.parse({**_fields(PzkMember, row), "left_on": left_on})
        ctx = load_programme_context(
            cur, today or date.today(), terc=row["terc"], institution_id=row["institution_id"]
        )
        refuse(PzkMember, check_pzk_member(record, ctx), only={"left_on"})
        update(cur, actor.username, PzkMember, membership_id, {"left_on": left_on}, expected_version)


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


# Corrections of saved facts: each edit runs the checks of the create path, each edit and withdrawal
# takes a reason (required, guarded like any free text) and is one audited transaction; a withdrawal
# is a delete whose before-image and reason stay in the audit trail.


def _fields(cls: type[Record], row: dict[str, Any]) -> dict[str, Any]:
    """A stored row as the record's fields (without row_version and other stored extras)."""
    return {k: row[k] for k in cls.model_fields if k in row}


def _changes(allowed: set[str], given: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(given) - allowed)
    if unknown:
        raise InvalidInput([f"{k}: tego pola nie poprawia się w tym formularzu" for k in unknown])
    return given


STEP_EVENT_EDITS = {"kind", "event_on", "evidence", "note"}


def edit_step_event(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    event_id: int,
    *,
    kind: str,
    event_on: date,
    evidence: str | None,
    note: str | None,
    reason: str,
    today: date,
    expected_version: int | None = None,
) -> None:
    """Correct a recorded step event; the event must meet every rule a new one meets."""
    reason = correction_reason(reason)
    changes = {"kind": kind, "event_on": event_on, "evidence": evidence, "note": note}
    with transaction(conn) as cur:
        row = get_row(cur, StepEvent, event_id)
        _require_gmina(cur, actor, row["terc"])
        saved = StepEvent.parse(_fields(StepEvent, row))
        record = StepEvent.parse({**_fields(StepEvent, row), **changes})
        ctx = load_programme_context(cur, today, terc=row["terc"] or "", institution_id=0)
        refuse(StepEvent, check_step_event(record, ctx, actor, saved=saved))
        update(cur, actor.username, StepEvent, event_id, changes, expected_version, reason=reason)


def withdraw_step_event(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    event_id: int,
    *,
    reason: str,
    expected_version: int | None = None,
) -> None:
    """Withdraw a step event entered by mistake: it leaves the plan; the audit trail keeps it."""
    reason = correction_reason(reason)
    with transaction(conn) as cur:
        _require_gmina(cur, actor, get_row(cur, StepEvent, event_id)["terc"])
        delete(cur, actor.username, StepEvent, event_id, reason=reason, expected_version=expected_version)


ZGLOSZENIE_EDITS = set(Zgloszenie.model_fields) - {"zgloszenie_id"}


def edit_zgloszenie(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    zgloszenie_id: int,
    changes: dict[str, Any],
    *,
    reason: str,
    today: date,
    expected_version: int | None = None,
) -> None:
    """Correct a notification (its gmina, route, dates, attachments, note) by the rules of a new one."""
    reason = correction_reason(reason)
    _changes(ZGLOSZENIE_EDITS, changes)
    with transaction(conn) as cur:
        row = get_row(cur, Zgloszenie, zgloszenie_id)
        _require_edit_or_candidate(cur, actor, row["terc"])
        record = Zgloszenie.parse({**_fields(Zgloszenie, row), **changes})
        if record.terc != row["terc"]:
            _require_edit_or_candidate(cur, actor, record.terc)
            gmina_variant(cur, record.terc)
        _refuse_zgloszenie(record, today)
        update(cur, actor.username, Zgloszenie, zgloszenie_id, changes, expected_version, reason=reason)


def correct_first_contact(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    zgloszenie_id: int,
    contact_on: date | None,
    *,
    reason: str,
    today: date,
    expected_version: int | None = None,
) -> None:
    """Correct the date of the ROPS's first contact, or withdraw it (`None`: the clock runs again)."""
    edit_zgloszenie(
        conn,
        actor,
        zgloszenie_id,
        {"first_contact_on": contact_on},
        reason=reason,
        today=today,
        expected_version=expected_version,
    )


def withdraw_zgloszenie(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    zgloszenie_id: int,
    *,
    reason: str,
    expected_version: int | None = None,
) -> None:
    """Withdraw a notification entered by mistake (a duplicate, the wrong gmina)."""
    reason = correction_reason(reason)
    with transaction(conn) as cur:
        _require_edit_or_candidate(cur, actor, get_row(cur, Zgloszenie, zgloszenie_id)["terc"])
        delete(
            cur, actor.username, Zgloszenie, zgloszenie_id, reason=reason, expected_version=expected_version
        )


MEETING_EDITS = {"held_on", "agenda", "decisions", "family_present"}
ATTENDEES = "SELECT * FROM meeting_attendee WHERE meeting_id = ? ORDER BY institution_id"


def _programme_meeting(
    cur: duckdb.DuckDBPyConnection, actor: Actor, meeting_id: int, expected_version: int | None
) -> dict[str, Any]:
    """A programme meeting the actor may correct, as it is stored on the screen the user saw.

    A case team's meeting (its PZK attendees, the 5-day notice) and a WZK sitting have their own
    rules and forms; the meeting's row_version covers its attendance too.
    """
    row = get_row(cur, Meeting, meeting_id)
    _require_gmina(cur, actor, row["terc"])  # a WZK sitting (no gmina) is the region's: the admin's
    if row["case_code"] is not None:
        raise InvalidInput(
            [
                f"Spotkanie: to spotkanie zespołu sprawy {row['case_code']}, "
                "nie spotkanie gminy — tu go nie zmienisz"
            ]
        )
    if row["kind"] == "wzk":
        raise InvalidInput(["Spotkanie: to posiedzenie WZK, nie spotkanie gminy — tu go nie zmienisz"])
    if expected_version is not None and row["row_version"] != expected_version:
        raise stale(cur, Meeting.TABLE, meeting_id)
    return row


def _refuse_notices(held_on: date, notices: list[date | None]) -> None:
    if any(n and n > held_on for n in notices):
        raise InvalidInput(["Data powiadomienia: późniejsza niż data spotkania"])


def _touch(cur: duckdb.DuckDBPyConnection, meeting_id: int) -> None:
    """A change of attendance is a new version of the meeting (a screen read before it is stale)."""
    cur.execute("UPDATE meeting SET row_version = row_version + 1 WHERE meeting_id = ?", [meeting_id])


def edit_meeting(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    meeting_id: int,
    changes: dict[str, Any],
    *,
    reason: str,
    expected_version: int | None = None,
) -> None:
    """Correct a meeting's date, agenda, decisions or the family's presence."""
    reason = correction_reason(reason)
    _changes(MEETING_EDITS, changes)
    with transaction(conn) as cur:
        row = _programme_meeting(cur, actor, meeting_id, expected_version)
        record = Meeting.parse({**_fields(Meeting, row), **changes})
        notices = [a["notified_on"] for a in fetch_dicts(cur, ATTENDEES, [meeting_id])]
        _refuse_notices(record.held_on, notices)
        update(cur, actor.username, Meeting, meeting_id, changes, expected_version, reason=reason)


def withdraw_meeting(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    meeting_id: int,
    *,
    reason: str,
    expected_version: int | None = None,
) -> int:
    """Withdraw a meeting with its attendance (each attendee's row audited); returns how many went."""
    reason = correction_reason(reason)
    with transaction(conn) as cur:
        row = _programme_meeting(cur, actor, meeting_id, expected_version)
        attendees = fetch_dicts(cur, ATTENDEES, [meeting_id])
        for att in attendees:
            _delete_attendee(cur, actor, row, att, reason)
        delete(cur, actor.username, Meeting, meeting_id, reason=reason, expected_version=expected_version)
        return len(attendees)


def _attendee(cur: duckdb.DuckDBPyConnection, meeting_id: int, institution_id: int) -> dict[str, Any]:
    found = fetch_dicts(
        cur,
        "SELECT * FROM meeting_attendee WHERE meeting_id = ? AND institution_id = ?",
        [meeting_id, institution_id],
    )
    if not found:
        raise InvalidInput(
            [f"Instytucja: {_institution_name(cur, institution_id)} nie jest na liście obecności"]
        )
    return found[0]


def _institution_name(cur: duckdb.DuckDBPyConnection, institution_id: int) -> str:
    row = one_row(cur, "SELECT name FROM institution WHERE institution_id = ?", [institution_id])
    return row[0] if row else f"nr {institution_id}"


def _delete_attendee(
    cur: duckdb.DuckDBPyConnection, actor: Actor, meeting: dict[str, Any], att: dict[str, Any], reason: str
) -> None:
    # meeting_attendee's key is a pair: written here, not by store.delete (which deletes by one column)
    cur.execute(
        "DELETE FROM meeting_attendee WHERE meeting_id = ? AND institution_id = ?",
        [att["meeting_id"], att["institution_id"]],
    )
    audit(
        cur,
        actor.username,
        "delete",
        MeetingAttendee.TABLE,
        att["meeting_id"],
        att,
        None,
        meeting["terc"],
        reason,
    )


def add_attendee(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    meeting_id: int,
    institution_id: int,
    notified_on: date | None,
    *,
    reason: str,
    expected_version: int | None = None,
) -> None:
    """An institution missing from a saved meeting's attendance (with when it was notified)."""
    reason = correction_reason(reason)
    with transaction(conn) as cur:
        row = _programme_meeting(cur, actor, meeting_id, expected_version)
        att = MeetingAttendee.parse(
            {"meeting_id": meeting_id, "institution_id": institution_id, "notified_on": notified_on}
        )
        name = _institution_name(cur, institution_id)
        if one_row(cur, "SELECT 1 FROM institution WHERE institution_id = ?", [institution_id]) is None:
            raise InvalidInput([f"Instytucja: nie ma instytucji {name}"])
        if fetch_dicts(cur, "SELECT 1 FROM meeting_attendee WHERE meeting_id = ? AND institution_id = ?",
                       [meeting_id, institution_id]):  # fmt: skip
            raise InvalidInput([f"Instytucja: {name} już jest na liście obecności"])
        _refuse_notices(row["held_on"], [notified_on])
        cur.execute(
            "INSERT INTO meeting_attendee VALUES (?, ?, ?)", [meeting_id, institution_id, notified_on]
        )
        audit(
            cur, actor.username, "insert", att.TABLE, meeting_id, None, att.model_dump(), row["terc"], reason
        )
        _touch(cur, meeting_id)


def change_notice(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    meeting_id: int,
    institution_id: int,
    notified_on: date | None,
    *,
    reason: str,
    expected_version: int | None = None,
) -> None:
    """Correct when an attendee was notified of the meeting (`None`: not known)."""
    reason = correction_reason(reason)
    with transaction(conn) as cur:
        row = _programme_meeting(cur, actor, meeting_id, expected_version)
        before = _attendee(cur, meeting_id, institution_id)
        after = MeetingAttendee.parse({**before, "notified_on": notified_on}).model_dump()
        _refuse_notices(row["held_on"], [notified_on])
        cur.execute(
            "UPDATE meeting_attendee SET notified_on = ? WHERE meeting_id = ? AND institution_id = ?",
            [notified_on, meeting_id, institution_id],
        )
        audit(
            cur,
            actor.username,
            "update",
            MeetingAttendee.TABLE,
            meeting_id,
            before,
            after,
            row["terc"],
            reason,
        )
        _touch(cur, meeting_id)


def remove_attendee(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    meeting_id: int,
    institution_id: int,
    *,
    reason: str,
    expected_version: int | None = None,
) -> None:
    """Take an institution off a saved meeting's attendance (it was not there)."""
    reason = correction_reason(reason)
    with transaction(conn) as cur:
        row = _programme_meeting(cur, actor, meeting_id, expected_version)
        _delete_attendee(cur, actor, row, _attendee(cur, meeting_id, institution_id), reason)
        _touch(cur, meeting_id)


INSTITUTION_EDITS = {"name", "sector", "level", "seat_terc"}


def edit_institution(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    institution_id: int,
    changes: dict[str, Any],
    *,
    reason: str,
    today: date | None = None,
    expected_version: int | None = None,
) -> None:
    """Correct an institution; its new seat must be the actor's and keep it within reach of its PZKs."""
    reason = correction_reason(reason)
    _changes(INSTITUTION_EDITS, changes)
    with transaction(conn) as cur:
        row = get_row(cur, Institution, institution_id)
        require_edit_institution(actor, row["seat_terc"])
        record = Institution.parse({**_fields(Institution, row), **changes})
        require_edit_institution(actor, record.seat_terc)
        ctx = load_programme_context(cur, today or date.today(), institution_id=institution_id)
        for terc in sorted({t for t, i in ctx.active if i == institution_id}):
            if not seat_in_reach(record.seat_terc, terc):
                raise InvalidInput(
                    [
                        f"Siedziba (TERC): {record.name} ma siedzibę poza powiatem gminy {ctx.gmina(terc)}, "
                        "do której PZK należy — najpierw zapisz jej wystąpienie"
                    ]
                )
        update(cur, actor.username, Institution, institution_id, changes, expected_version, reason=reason)


def correct_membership(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    membership_id: int,
    *,
    signed_on: date,
    left_on: date | None,
    reason: str,
    today: date,
    expected_version: int | None = None,
) -> None:
    """Correct when an institution signed (or left) the gmina's PZK, by the rules of a new membership."""
    reason = correction_reason(reason)
    changes = {"signed_on": signed_on, "left_on": left_on}
    with transaction(conn) as cur:
        row = get_row(cur, PzkMember, membership_id)
        _require_gmina(cur, actor, row["terc"])
        record = PzkMember.parse({**_fields(PzkMember, row), **changes})
        ctx = load_programme_context(
            cur, today, terc=row["terc"], institution_id=row["institution_id"], excluding=membership_id
        )
        refuse(PzkMember, check_pzk_member(record, ctx))
        update(cur, actor.username, PzkMember, membership_id, changes, expected_version, reason=reason)


def withdraw_membership(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    membership_id: int,
    *,
    reason: str,
    expected_version: int | None = None,
) -> None:
    """Withdraw a membership entered by mistake (an institution that never signed): the audit keeps it."""
    reason = correction_reason(reason)
    with transaction(conn) as cur:
        _require_gmina(cur, actor, get_row(cur, PzkMember, membership_id)["terc"])
        delete(
            cur, actor.username, PzkMember, membership_id, reason=reason, expected_version=expected_version
        )
