"""Harmonogram templates (versioned, editable per ROPS) and each pilot gmina's plan derived from one."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from kooperacja.model.access import Actor, require_admin
from kooperacja.model.errors import InvalidInput
from kooperacja.model.formatting import row_tuples
from kooperacja.model.records import TemplateStep
from kooperacja.programme import queries
from kooperacja.warehouse import audit, transaction
from kooperacja.warehouse.store import insert_many

DEFAULT_TEMPLATE_CSV = Path(__file__).parents[1] / "data" / "harmonogram_18m.csv"
DEFAULT_TEMPLATE_NAME = "Harmonogram 18 miesięcy (K1–K10)"
CSV_COLUMNS = [
    "step",
    "substep",
    "title_pl",
    "level",
    "responsible",
    "start_month",
    "end_month",
    "every_months",
]


def parse_template_csv(text: str, template_id: int = 0, version: int = 1) -> list[TemplateStep]:
    """Rows of a template CSV (the shape of harmonogram_18m.csv) as validated steps.

    Every bad row is reported as "Wiersz N, pole: powód"; nothing is returned until all pass.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput([f"Brak kolumn w pliku harmonogramu: {', '.join(missing)}"])
    steps, problems, seen = [], [], set()
    for n, raw in enumerate(reader, start=2):
        data = {
            "template_id": template_id,
            "version": version,
            "step": raw["step"],
            "substep": raw["substep"],
            "title": raw["title_pl"],
            "level": raw["level"],
            "responsible": raw["responsible"],
            "start_month": raw["start_month"],
            "end_month": raw["end_month"],
            "every_months": raw["every_months"] or None,
        }
        try:
            step = TemplateStep.parse(data)
        except InvalidInput as exc:
            problems += [f"Wiersz {n}, {p}" for p in exc.problems]
            continue
        if step.end_month < step.start_month:
            problems.append(f"Wiersz {n}, Miesiąc końca: wcześniejszy niż miesiąc początku")
        if step.substep in seen:
            problems.append(f"Wiersz {n}, Podkrok: {step.substep} występuje dwa razy")
        if step.substep.split(".")[0] != step.step[1:]:
            problems.append(f"Wiersz {n}, Podkrok: {step.substep} nie należy do kroku {step.step}")
        seen.add(step.substep)
        steps.append(step)
    if not steps and not problems:
        problems.append("Plik harmonogramu nie zawiera żadnego kroku")
    if problems:
        raise InvalidInput(problems)
    return steps


def save_template(
    cur: duckdb.DuckDBPyConnection,
    username: str,
    name: str,
    steps: list[TemplateStep],
    template_id: int | None = None,
) -> tuple[int, int]:
    """Store steps as a new template, or as the next version of `template_id`.

    Plans pin the version they were made with, so editing a template never rewrites history.
    """
    if template_id is None:
        template_id = cur.execute("SELECT nextval('template_seq')").fetchall()[0][0]
        version = 1
    else:
        version = cur.execute(
            "SELECT coalesce(max(version), 0) + 1 FROM template WHERE template_id = ?", [template_id]
        ).fetchall()[0][0]
    cur.execute(
        "INSERT INTO template (template_id, version, name, created_by) VALUES (?, ?, ?, ?)",
        [template_id, version, name, username],
    )
    pinned = [s.model_copy(update={"template_id": template_id, "version": version}) for s in steps]
    insert_many(cur, pinned, username, audited=False)
    refresh_template_plans(cur, template_id, version)
    audit(
        cur,
        username,
        "insert",
        "template",
        f"{template_id}/{version}",
        None,
        {"name": name, "steps": len(steps)},
    )
    return template_id, version


def ensure_default_template(cur: duckdb.DuckDBPyConnection, username: str = "system") -> tuple[int, int]:
    """The (template_id, latest version) of the default template, loading it on first use."""
    rows = cur.execute(
        "SELECT template_id, max(version) FROM template WHERE name = ? "
        "GROUP BY template_id ORDER BY template_id LIMIT 1",
        [DEFAULT_TEMPLATE_NAME],
    ).fetchall()
    if rows:
        return rows[0][0], rows[0][1]
    steps = parse_template_csv(DEFAULT_TEMPLATE_CSV.read_text(encoding="utf-8"))
    return save_template(cur, username, DEFAULT_TEMPLATE_NAME, steps)


def template_steps(cur: duckdb.DuckDBPyConnection, template_id: int, version: int) -> pd.DataFrame:
    return cur.execute(
        "SELECT * FROM template_step WHERE template_id = ? AND version = ? "
        "ORDER BY start_month, string_split(substep, '.')[1]::INT, substep",
        [template_id, version],
    ).df()


# --- The plan dates kept in plan_date -------------------------------------------------------------
# A gmina's planned windows change only with its pilot row (plan start, template version), its plan
# shifts and its template's steps: every write of those calls refresh_plan_dates in its transaction,
# so that the region's reads need not rate ~70,000 windows each time.
PLAN_INPUTS = frozenset({"pilot_gmina", "plan_shift", "template_step"})  # the tables they derive from


def refresh_plan_dates(cur: duckdb.DuckDBPyConnection, tercs: list[str] | None = None) -> None:
    """Recompute plan_date for the gminy `tercs` (None: every pilot gmina), inside the caller's
    transaction; a gmina no longer in the pilot loses its rows."""
    if tercs is None:
        cur.execute("DELETE FROM plan_date")
    else:
        cur.execute("DELETE FROM plan_date WHERE list_contains(?, terc)", [list(tercs)])
    cur.execute(
        f"INSERT INTO plan_date BY NAME {queries.PLAN_DATES}",
        {"tercs": None if tercs is None else list(tercs)},
    )


def refresh_template_plans(cur: duckdb.DuckDBPyConnection, template_id: int, version: int) -> None:
    """Recompute plan_date of every gmina following one template version (its steps changed)."""
    tercs = cur.execute(
        "SELECT terc FROM pilot_gmina WHERE template_id = ? AND template_version = ?", [template_id, version]
    ).fetchall()
    if tercs:
        refresh_plan_dates(cur, [t[0] for t in tercs])


# --- Moving running gminy to another template version -------------------------------------------


@dataclass(frozen=True)
class WindowChange:
    """A sub-step (one occurrence of a recurring one) whose planned window moves."""

    substep: str
    title: str
    occurrence: int | None
    before: tuple[date, date]
    after: tuple[date, date]


@dataclass(frozen=True)
class MovePreview:
    """What moving one gmina to another template version changes in its plan."""

    terc: str
    changed: list[WindowChange] = field(default_factory=list)
    added: list[str] = field(default_factory=list)  # "substep title"
    removed: list[str] = field(default_factory=list)
    events_under_removed: int = 0  # step events recorded under removed sub-steps (they stay stored)


class _DryRun(Exception):
    def __init__(self, before: pd.DataFrame, after: pd.DataFrame) -> None:
        self.before, self.after = before, after


def _windows(plan: pd.DataFrame, terc: str) -> dict[tuple[str, int], tuple[str, tuple[date, date]]]:
    rows = plan[plan.terc == terc]
    return {
        (r.substep, -1 if pd.isna(r.occurrence) else int(r.occurrence)): (
            r.title,
            (pd.Timestamp(r.planned_start).date(), pd.Timestamp(r.planned_due).date()),
        )
        for r in row_tuples(rows, index=False)
    }


def template_move_preview(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    tercs: list[str],
    template: tuple[int, int],
    today: date,
) -> list[MovePreview]:
    """Per gmina, what moving it to `template` (template_id, version) changes: sub-steps whose planned
    window moves (from→to, shifts included), sub-steps added and removed, and the step events recorded
    under removed ones.

    The move itself is made and rolled back (a dry run of the plan query), so the preview is exactly
    what `services.move_to_template` then does. For admins, like the move.
    """
    require_admin(actor)
    if not tercs:
        return []
    try:
        with transaction(conn) as cur:
            before = cur.execute(queries.PLAN, {"terc": None, "today": today}).df()
            cur.execute(
                "UPDATE pilot_gmina SET template_id = ?, template_version = ? WHERE list_contains(?, terc)",
                [template[0], template[1], list(tercs)],
            )
            refresh_plan_dates(cur, list(tercs))
            after = cur.execute(queries.PLAN, {"terc": None, "today": today}).df()
            raise _DryRun(before, after)
    except _DryRun as run:
        before, after = run.before, run.after
    return [_preview(conn, terc, before, after) for terc in tercs]


def _preview(
    conn: duckdb.DuckDBPyConnection, terc: str, before: pd.DataFrame, after: pd.DataFrame
) -> MovePreview:
    old, new = _windows(before, terc), _windows(after, terc)
    changed = [
        WindowChange(key[0], new[key][0], None if key[1] < 0 else key[1], old[key][1], new[key][1])
        for key in old
        if key in new and old[key][1] != new[key][1]
    ]
    old_steps = {k[0]: v[0] for k, v in old.items()}
    new_steps = {k[0]: v[0] for k, v in new.items()}
    removed = [s for s in old_steps if s not in new_steps]
    events = conn.cursor().execute(
        "SELECT count(*) FROM step_event WHERE terc = ? AND list_contains(?, substep)", [terc, removed]
    )
    return MovePreview(
        terc=terc,
        changed=changed,
        added=[f"{s} {t}" for s, t in new_steps.items() if s not in old_steps],
        removed=[f"{s} {old_steps[s]}" for s in removed],
        events_under_removed=int(events.fetchall()[0][0]),
    )
