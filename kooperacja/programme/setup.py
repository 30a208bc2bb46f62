"""The admin's first-run checklist: what a fresh installation still needs before the programme runs."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from kooperacja.model import access
from kooperacja.model.formatting import plural


@dataclass(frozen=True)
class SetupStep:
    """One item of the checklist: done or not, what to do and where (in Polish)."""

    title: str
    done: bool
    todo: str
    where: str
    optional: bool = False


@dataclass(frozen=True)
class SetupFacts:
    """The counts the checklist is decided on (read from the warehouse by `setup_facts`)."""

    gminy: int  # in the TERC register
    animators: int  # active animators
    pilot_gminy: int
    idle_animators: tuple[str, ...] = ()  # active animators with no pilot gmina
    uncared: tuple[str, ...] = ()  # pilot gminy whose carer is not an active animator
    boundaries: int = 0


def checklist(facts: SetupFacts) -> list[SetupStep]:
    """The checklist decided on the facts, in the order a ROPS sets up.

    >>> steps = checklist(SetupFacts(gminy=0, animators=0, pilot_gminy=0))
    >>> [s.done for s in steps]
    [False, False, False, False, False]
    >>> incomplete(checklist(SetupFacts(gminy=3, animators=1, pilot_gminy=1, boundaries=0)))
    False
    """
    assigned = facts.pilot_gminy > 0 and not facts.idle_animators and not facts.uncared
    if facts.uncared:
        assign = f"Gminy bez animatora: {', '.join(facts.uncared)} — przypisz je animatorom."
    elif facts.idle_animators:
        assign = f"Animatorzy bez gmin: {', '.join(facts.idle_animators)} — przypisz im gminy pilotażowe."
    else:
        assign = "Każda gmina pilotażowa ma animatora, a każdy animator swoje gminy."
    return [
        SetupStep(
            "Wczytaj rejestr terytorialny (TERYT TERC)",
            facts.gminy > 0,
            f"W rejestrze: {plural(facts.gminy, 'gmina', 'gminy', 'gmin')}."
            if facts.gminy
            else "Wybierz swoje województwo z rejestru TERC 2025 dołączonego do programu (gminy, powiaty "
            "i granice za jednym razem) albo wczytaj nowszy plik TERC z eteryt.stat.gov.pl.",
            "Wprowadzanie danych → Województwo z dołączonego rejestru (albo → Rejestr TERC)",
        ),
        SetupStep(
            "Dodaj użytkowników (co najmniej jednego animatora)",
            facts.animators > 0,
            f"Aktywni animatorzy: {facts.animators}."
            if facts.animators
            else "Dodaj konto z rolą „animator współpracy” dla każdej osoby prowadzącej gminy.",
            "Użytkownicy → Dodaj użytkownika",
        ),
        SetupStep(
            "Dodaj gminy pilotażowe",
            facts.pilot_gminy > 0,
            f"W pilotażu: {plural(facts.pilot_gminy, 'gmina', 'gminy', 'gmin')}."
            if facts.pilot_gminy
            else "Wybierz gminę z rejestru TERC, jej animatora, datę przystąpienia i początek harmonogramu.",
            "Wprowadzanie danych → Gmina w pilotażu",
        ),
        SetupStep(
            "Przypisz animatorów do gmin",
            assigned,
            assign if facts.pilot_gminy else "Najpierw dodaj gminy pilotażowe.",
            "Użytkownicy → Gminy animatora",
        ),
        SetupStep(
            "Wczytaj granice gmin (nieobowiązkowe: mapa zamiast diagramu)",
            facts.boundaries > 0,
            f"Granice: {plural(facts.boundaries, 'gmina', 'gminy', 'gmin')}."
            if facts.boundaries
            else "Granice przychodzą z województwem z dołączonego rejestru; nowsze (GeoJSON, PRG w "
            "shapefile albo GeoPackage) można wczytać osobno. Bez nich Przegląd pokazuje diagram.",
            "Wprowadzanie danych → Granice gmin",
            optional=True,
        ),
    ]


def incomplete(steps: list[SetupStep]) -> bool:
    """Whether a required item is still open (the checklist is shown until none is)."""
    return any(not s.done and not s.optional for s in steps)


IDLE_ANIMATORS = """
SELECT u.display_name FROM app_user u
WHERE u.active AND list_contains($animator, u.role)
  AND NOT EXISTS (SELECT 1 FROM pilot_gmina p WHERE p.animator = u.username)
ORDER BY 1
"""
UNCARED = """
SELECT g.name FROM pilot_gmina p JOIN gmina g USING (terc)
LEFT JOIN app_user u ON u.username = p.animator
WHERE u.username IS NULL OR NOT u.active OR NOT list_contains($animator, u.role)
ORDER BY 1
"""


def setup_facts(conn: duckdb.DuckDBPyConnection) -> SetupFacts:
    cur = conn.cursor()
    animator = {"animator": [access.ANIMATOR]}

    def count(sql: str, params: dict | None = None) -> int:
        return int(cur.execute(sql, params or {}).fetchall()[0][0])

    return SetupFacts(
        gminy=count("SELECT count(*) FROM gmina"),
        animators=count(
            "SELECT count(*) FROM app_user WHERE active AND list_contains($animator, role)", animator
        ),
        pilot_gminy=count("SELECT count(*) FROM pilot_gmina"),
        idle_animators=tuple(r[0] for r in cur.execute(IDLE_ANIMATORS, animator).fetchall()),
        uncared=tuple(r[0] for r in cur.execute(UNCARED, animator).fetchall()),
        boundaries=count("SELECT count(*) FROM gmina_boundary"),
    )


def setup_checklist(conn: duckdb.DuckDBPyConnection) -> list[SetupStep]:
    """The first-run checklist of this warehouse."""
    return checklist(setup_facts(conn))
