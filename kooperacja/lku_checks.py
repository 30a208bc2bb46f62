"""Pure check of a service of the lokalny koszyk usług against a small context (the LKU form and the
import both call it)."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass

import duckdb

from kooperacja.model.checks import Problem
from kooperacja.model.records import Service
from kooperacja.model.vocab import SERVICE_CATEGORIES, TARGET_GROUPS


@dataclass(frozen=True)
class ServiceContext:
    problem_areas: Container[str]  # codes of the problem-area list cases and services share
    institutions: Container[int]  # ids of the institutions that may provide a service


def load_service_context(cur: duckdb.DuckDBPyConnection, institution_id: int | None = None) -> ServiceContext:
    """The problem areas and one institution (a form) or every institution (an import: `None`)."""
    areas = {r[0] for r in cur.execute("SELECT code FROM problem_area").fetchall()}
    found = cur.execute(
        "SELECT institution_id FROM institution WHERE $id IS NULL OR institution_id = $id",
        {"id": institution_id},
    ).fetchall()
    return ServiceContext(areas, {r[0] for r in found})


def check_service(record: Service, ctx: ServiceContext) -> list[Problem]:
    """Known category and target groups, at least one known problem area, an existing provider."""
    problems = []
    if record.category not in SERVICE_CATEGORIES:
        problems.append(Problem("category", f"nieznana kategoria {record.category}"))
    unknown = [g for g in record.target_groups if g not in TARGET_GROUPS]
    if unknown:
        problems.append(Problem("target_groups", f"nieznana grupa {', '.join(unknown)}"))
    unknown = [p for p in record.problem_areas if p not in ctx.problem_areas]
    if not record.problem_areas:
        problems.append(Problem("problem_areas", "wybierz co najmniej jeden obszar"))
    elif unknown:
        problems.append(Problem("problem_areas", f"nieznany obszar {', '.join(unknown)}"))
    if record.institution_id not in ctx.institutions:
        problems.append(Problem("institution_id", f"nie ma instytucji nr {record.institution_id}"))
    return problems
