"""Harmonogram templates (versioned, editable per ROPS) and each pilot gmina's plan derived from one."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pandas as pd

from kooperacja.model.errors import InvalidInput
from kooperacja.model.records import TemplateStep
from kooperacja.warehouse import audit
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
