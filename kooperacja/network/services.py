"""Network writes: survey waves, one respondent's answers, the problem map and the resources card.

Each function takes the acting user, validates through pydantic records, runs the pure checks of
network.checks, checks the role (model.access) and writes in one audited transaction. Every write of a
wave or its answers refreshes the wave's row of `wave_measure` in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import duckdb

from kooperacja.model.access import Actor, require_edit_gmina
from kooperacja.model.checks import Problem, refuse, texts
from kooperacja.model.errors import InvalidInput
from kooperacja.model.records import (
    ProblemMapEntry,
    Record,
    ResourceEntry,
    SurveyAnswer,
    SurveyWave,
    correction_reason,
)
from kooperacja.network.checks import (
    NetworkContext,
    check_answer,
    check_problem_entry,
    check_resource_entry,
    check_wave,
    load_network_context,
)
from kooperacja.network.queries import store_measure
from kooperacja.warehouse import audit, fetch_dicts, ident, transaction
from kooperacja.warehouse.store import delete, get_row, idempotent, insert, insert_many, stale, update

WAVE_EDITS = {"held_on", "kind", "note"}
VERSION_NAMES = {"problem_map": "mapa problemów", "resource_card": "karta zasobów"}


def _wave(data: dict[str, Any] | SurveyWave) -> SurveyWave:
    return data if isinstance(data, SurveyWave) else SurveyWave.parse(data)


def _duplicate_wave(cur: duckdb.DuckDBPyConnection, record: SurveyWave, wave_id: int | None = None) -> None:
    found = cur.execute(
        "SELECT 1 FROM survey_wave WHERE terc = ? AND held_on = ? AND kind = ? "
        "AND wave_id IS DISTINCT FROM ?",
        [record.terc, record.held_on, record.kind, wave_id],
    ).fetchall()
    if found:
        raise InvalidInput(
            [f"Data badania: badanie tego rodzaju z {record.held_on:%d.%m.%Y} już jest zapisane"]
        )


@idempotent
def create_wave(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    record: dict[str, Any] | SurveyWave,
    today: date,
    *,
    form_token: str | None = None,
) -> int:
    """A new survey wave of a pilot gmina (the animator's own, or any for the admin); returns its id."""
    wave = _wave(record)
    require_edit_gmina(actor, wave.terc)
    with transaction(conn) as cur:
        refuse(SurveyWave, check_wave(wave, load_network_context(cur, today, terc=wave.terc)))
        _duplicate_wave(cur, wave)
        wave_id = int(insert(cur, actor.username, wave))
        store_measure(cur, wave_id)
        return wave_id


def _answer_problems(records: Sequence[SurveyAnswer], ctx: NetworkContext) -> list[str]:
    """The refusals of a respondent's row, each naming the partner it is about."""
    lines: list[str] = []
    seen: set[int] = set()
    for rec in records:
        problems: list[Problem] = check_answer(rec, ctx)
        if rec.partner_id in seen:
            problems.append(Problem("partner_id", "ta instytucja partnerska jest w wierszu dwa razy"))
        seen.add(rec.partner_id)
        own = [p for p in problems if p.field == "respondent_id"]
        lines += texts(SurveyAnswer, own)
        about = [p for p in problems if p.field != "respondent_id"]
        lines += [f"{ctx.institution(rec.partner_id)} — {t}" for t in texts(SurveyAnswer, about)]
    return list(dict.fromkeys(lines))


def _delete_where(
    cur: duckdb.DuckDBPyConnection,
    username: str,
    cls: type[Record],
    where: str,
    params: list[Any],
    reason: str | None,
) -> int:
    """Delete the rows `where` (SQL written in this module) of one table, each kept in the audit trail."""
    rows = fetch_dicts(cur, f"SELECT * FROM {ident(cls.TABLE)} WHERE {where}", params)
    cur.execute(f"DELETE FROM {ident(cls.TABLE)} WHERE {where}", params)
    for row in rows:
        audit(cur, username, "delete", cls.TABLE, row[cls.KEY], row, None, row.get("terc"), reason)
    return len(rows)


def _reason(reason: str | None, saved: str) -> str:
    """The reason of a correction of saved answers or a saved version: required, guarded."""
    if not (reason or "").strip():
        raise InvalidInput([f"Powód zmiany: {saved} — podaj powód poprawki"])
    return correction_reason(reason)


def _bump(cur: duckdb.DuckDBPyConnection, wave_id: int, expected_version: int | None) -> None:
    """A change of a wave's answers is a new version of the wave (a grid read before it is stale)."""
    version = cur.execute("SELECT row_version FROM survey_wave WHERE wave_id = ?", [wave_id]).fetchall()
    if expected_version is not None and version and version[0][0] != expected_version:
        raise stale(cur, "survey_wave", wave_id)
    cur.execute("UPDATE survey_wave SET row_version = row_version + 1 WHERE wave_id = ?", [wave_id])


def save_answers(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    wave_id: int,
    respondent_id: int,
    answers: Sequence[dict[str, Any]],
    today: date,
    *,
    expected_version: int | None = None,
    reason: str | None = None,
) -> int:
    """One responding institution's whole row of a wave: its answers replace the ones it gave before.

    `answers`: one dict per partner (partner_id, cooperates, initiates, frequency, quality).
    `expected_version`: the wave's row_version the grid was read with. Replacing saved answers is a
    correction: it takes a `reason` (required then). Returns the number of answers saved.
    """
    with transaction(conn) as cur:
        wave = get_row(cur, SurveyWave, wave_id)
        require_edit_gmina(actor, wave["terc"])
        base = {"wave_id": wave_id, "terc": wave["terc"], "respondent_id": respondent_id}
        named = [respondent_id, *(g["partner_id"] for g in answers if isinstance(g.get("partner_id"), int))]
        ctx = load_network_context(cur, today, terc=wave["terc"], wave_id=wave_id, also=named)
        records: list[SurveyAnswer] = []
        errors: list[str] = []
        for given in answers:
            try:
                records.append(SurveyAnswer.parse({**given, **base}))
            except InvalidInput as exc:
                pid = given.get("partner_id")
                who = ctx.institution(pid) if isinstance(pid, int) else f"instytucja {pid}"
                errors += [f"{who} — {p}" for p in exc.problems]
        if errors:
            raise InvalidInput(errors)
        if not records:
            raise InvalidInput(["Odpowiedzi: podaj co najmniej jedną instytucję partnerską"])
        if problems := _answer_problems(records, ctx):
            raise InvalidInput(problems)
        _bump(cur, wave_id, expected_version)
        previous = cur.execute(
            "SELECT count(*) FROM survey_answer WHERE wave_id = ? AND respondent_id = ?",
            [wave_id, respondent_id],
        ).fetchall()[0][0]
        why = correction_reason(reason) if previous else None
        _delete_where(
            cur,
            actor.username,
            SurveyAnswer,
            "wave_id = ? AND respondent_id = ?",
            [wave_id, respondent_id],
            why,
        )
        insert_many(cur, records, actor.username)
        store_measure(cur, wave_id)
        return len(records)


def correct_wave(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    wave_id: int,
    changes: dict[str, Any],
    today: date,
    *,
    reason: str,
    expected_version: int | None = None,
) -> None:
    """Correct a wave's date, kind or note (with a reason); its answers stay."""
    unknown = sorted(set(changes) - WAVE_EDITS)
    if unknown:
        raise InvalidInput([f"{k}: tego pola nie poprawia się w tym formularzu" for k in unknown])
    reason = correction_reason(reason)
    with transaction(conn) as cur:
        row = get_row(cur, SurveyWave, wave_id)
        require_edit_gmina(actor, row["terc"])
        record = SurveyWave.parse({**{k: row[k] for k in SurveyWave.model_fields}, **changes})
        refuse(SurveyWave, check_wave(record, load_network_context(cur, today, terc=row["terc"])))
        _duplicate_wave(cur, record, wave_id)
        update(cur, actor.username, SurveyWave, wave_id, changes, expected_version, reason=reason)
        store_measure(cur, wave_id)


def withdraw_wave(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    wave_id: int,
    *,
    reason: str,
    expected_version: int | None = None,
) -> None:
    """Withdraw a wave entered by mistake, with its answers; the audit trail keeps them all."""
    reason = correction_reason(reason)
    with transaction(conn) as cur:
        row = get_row(cur, SurveyWave, wave_id)
        require_edit_gmina(actor, row["terc"])
        if expected_version is not None and row["row_version"] != expected_version:
            raise stale(cur, "survey_wave", wave_id)
        _delete_where(cur, actor.username, SurveyAnswer, "wave_id = ?", [wave_id], reason)
        cur.execute("DELETE FROM wave_measure WHERE wave_id = ?", [wave_id])
        delete(cur, actor.username, SurveyWave, wave_id, reason=reason)


def _replace_version(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    cls: type[ProblemMapEntry] | type[ResourceEntry],
    records: Sequence[Record],
    terc: str,
    as_of: date,
    reason: str | None,
) -> int:
    previous = cur.execute(
        f"SELECT count(*) FROM {ident(cls.TABLE)} WHERE terc = ? AND as_of = ?", [terc, as_of]
    ).fetchall()[0][0]
    why = (
        _reason(reason, f"{VERSION_NAMES[cls.TABLE]} z {as_of:%d.%m.%Y} jest już zapisana")
        if previous
        else None
    )
    _delete_where(cur, actor.username, cls, "terc = ? AND as_of = ?", [terc, as_of], why)
    return insert_many(cur, records, actor.username)


def _rows(cls: type[Record], entries: Sequence[dict[str, Any]], base: dict[str, Any], key: str) -> list[Any]:
    records, errors = [], []
    for given in entries:
        try:
            records.append(cls.parse({**given, **base}))
        except InvalidInput as exc:
            errors += [f"{given.get(key)} — {p}" for p in exc.problems]
    if errors:
        raise InvalidInput(errors)
    return records


def save_problem_map(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    terc: str,
    as_of: date,
    entries: Sequence[dict[str, Any]],
    today: date,
    *,
    reason: str | None = None,
) -> int:
    """The gmina's problem map as of a date (one dict per problem area: problem_code, families or
    rating, trend, note); it replaces a map of the same date (a correction: `reason` required)."""
    require_edit_gmina(actor, terc)
    records: list[ProblemMapEntry] = _rows(
        ProblemMapEntry, entries, {"terc": terc, "as_of": as_of}, "problem_code"
    )
    codes = [r.problem_code for r in records]
    if len(set(codes)) != len(codes):
        raise InvalidInput(["Obszar problemowy: każdy obszar podaj raz"])
    with transaction(conn) as cur:
        ctx = load_network_context(cur, today, terc=terc)
        problems = [p for r in records for p in check_problem_entry(r, ctx)]
        refuse(ProblemMapEntry, list(dict.fromkeys(problems)))
        return _replace_version(cur, actor, ProblemMapEntry, records, terc, as_of, reason)


def save_resources(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    terc: str,
    as_of: date,
    entries: Sequence[dict[str, Any] | int],
    today: date,
    *,
    reason: str | None = None,
) -> int:
    """The gmina's resources card as of a date: the institutions that serve it (ids, or dicts with
    institution_id and note); it replaces a card of the same date (a correction: `reason` required)."""
    require_edit_gmina(actor, terc)
    given = [e if isinstance(e, dict) else {"institution_id": e} for e in entries]
    records: list[ResourceEntry] = _rows(
        ResourceEntry, given, {"terc": terc, "as_of": as_of}, "institution_id"
    )
    ids = [r.institution_id for r in records]
    if len(set(ids)) != len(ids):
        raise InvalidInput(["Instytucja: każdą instytucję podaj raz"])
    with transaction(conn) as cur:
        ctx = load_network_context(cur, today, terc=terc, also=ids)
        problems = [p for r in records for p in check_resource_entry(r, ctx)]
        refuse(ResourceEntry, list(dict.fromkeys(problems)))
        return _replace_version(cur, actor, ResourceEntry, records, terc, as_of, reason)
