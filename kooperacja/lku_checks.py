"""Pure check of a service of the lokalny koszyk usług against a small context (the LKU form and the
import both call it)."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass

import duckdb

from kooperacja.model.checks import Problem
from kooperacja.model.records import Service
from kooperacja.model.vocab import SERVICE_CATEGORIES, TARGET_GROUPS

AREAS = "SELECT terc FROM gmina UNION ALL SELECT terc FROM powiat UNION ALL SELECT terc FROM wojewodztwo"


@dataclass(frozen=True)
class ServiceContext:
    problem_areas: Container[str]  # codes of the problem-area list cases and services share
    institutions: Container[int]  # ids of the institutions that may provide a service
    # TERC codes of the register (gminy, powiaty, województwa); None: checked by the caller (the
    # import's reference check, which says the same "nieznany kod TERC …")
    areas: Container[str] | None = None


def load_service_context(cur: duckdb.DuckDBPyConnection, institution_id: int | None = None) -> ServiceContext:
    """The problem areas, the register's areas and one institution (a form) or every one (`None`)."""
    areas = {r[0] for r in cur.execute("SELECT code FROM problem_area").fetchall()}
    found = cur.execute(
        "SELECT institution_id FROM institution WHERE $id IS NULL OR institution_id = $id",
        {"id": institution_id},
    ).fetchall()
    register = {r[0] for r in cur.execute(AREAS).fetchall()}
    return ServiceContext(areas, {r[0] for r in found}, register)


def check_service(record: Service, ctx: ServiceContext) -> list[Problem]:
    """Known category and target groups, at least one known problem area, an existing provider, an area
    of the register, and a validity that does not end before it starts.

    >>> from datetime import date
    >>> row = Service(institution_id=1, name="Poradnictwo", category="poradnictwo",
    ...               target_groups=["rodziny"], problem_areas=["ubostwo"], level="gmina",
    ...               area_terc="0201011", valid_from=date(2026, 3, 1), valid_to=date(2026, 2, 1))
    >>> [p.message for p in check_service(row, ServiceContext({"ubostwo"}, {1}, {"0201011"}))]
    ['wcześniej niż początek ważności (01.03.2026)']
    """
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
    if ctx.areas is not None and record.area_terc not in ctx.areas:
        problems.append(Problem("area_terc", f"nieznany kod TERC {record.area_terc}"))
    if record.valid_to is not None and record.valid_to < record.valid_from:
        since = f"{record.valid_from:%d.%m.%Y}"
        problems.append(Problem("valid_to", f"wcześniej niż początek ważności ({since})"))
    return problems
