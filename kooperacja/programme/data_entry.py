"""What the data-entry forms offer (limited to the actor's gminy) and the admin's register imports."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from kooperacja.model import access, rules
from kooperacja.model.access import Actor, require_admin
from kooperacja.model.errors import InvalidInput
from kooperacja.programme import harmonogram
from kooperacja.programme.services import gmina_variant
from kooperacja.territory import geo
from kooperacja.territory import terc as territory
from kooperacja.warehouse import fetch_dicts, transaction

PILOT_CHOICES = """
SELECT p.terc, g.name || ' (' || coalesce(pw.name, left(p.terc, 4)) || ')' AS label
FROM pilot_gmina p JOIN gmina g USING (terc) LEFT JOIN powiat pw ON pw.terc = left(p.terc, 4)
WHERE $admin OR p.animator = $username
ORDER BY g.name
"""
REGISTER_CHOICES = """
SELECT g.terc, g.name || ' (' || g.kind || ', ' || coalesce(pw.name, left(g.terc, 4)) || ')' AS label
FROM gmina g LEFT JOIN powiat pw ON pw.terc = left(g.terc, 4)
WHERE NOT $outside_pilot OR g.terc NOT IN (SELECT terc FROM pilot_gmina)
ORDER BY g.name
"""
SUBSTEPS = """
SELECT s.substep, s.substep || ' ' || s.title AS label
FROM pilot_gmina p JOIN template_step s ON s.template_id = p.template_id AND s.version = p.template_version
WHERE p.terc = $terc AND s.level = 'gmina'
ORDER BY string_split(s.substep, '.')[1]::INT, s.substep
"""
OPEN_ZGLOSZENIA = """
SELECT z.zgloszenie_id, g.name || ': wpływ ' || strftime(z.received_on, '%d.%m.%Y') AS label
FROM zgloszenie z JOIN gmina g USING (terc)
WHERE z.first_contact_on IS NULL
  AND ($admin OR z.terc NOT IN (SELECT terc FROM pilot_gmina) OR list_contains($gminy::VARCHAR[], z.terc))
ORDER BY z.received_on
"""
NEAR_INSTITUTIONS = """
SELECT institution_id, name || ' (' || seat_terc || ')' AS label FROM institution
WHERE left(seat_terc, 4) = left($terc, 4) OR seat_terc = left($terc, 2)
ORDER BY name
"""
CURRENT_MEMBERS = """
SELECT m.membership_id, i.name || ', od ' || strftime(m.signed_on, '%d.%m.%Y') AS label
FROM pzk_member m JOIN institution i USING (institution_id)
WHERE m.terc = $terc AND m.left_on IS NULL
ORDER BY i.name
"""
TEMPLATES = """
SELECT t.template_id, t.version, t.name, t.created_at, t.created_by, count(s.substep) AS steps
FROM template t LEFT JOIN template_step s USING (template_id, version)
GROUP BY ALL ORDER BY t.template_id, t.version DESC
"""


def _pairs(conn: duckdb.DuckDBPyConnection, sql: str, params: dict) -> dict:
    return dict(conn.cursor().execute(sql, params).fetchall())


def pilot_choices(conn: duckdb.DuckDBPyConnection, actor: Actor) -> dict[str, str]:
    """TERC → label of the pilot gminy the actor may edit (an animator: their own)."""
    return _pairs(conn, PILOT_CHOICES, {"admin": actor.is_admin, "username": actor.username})


def register_choices(conn: duckdb.DuckDBPyConnection, outside_pilot: bool = False) -> dict[str, str]:
    """TERC → label of the register's gminy (optionally only those not yet in the pilot)."""
    return _pairs(conn, REGISTER_CHOICES, {"outside_pilot": outside_pilot})


def area_choices(conn: duckdb.DuckDBPyConnection, actor: Actor, level: str) -> dict[str, str]:
    """Seats an institution of `level` may have: the register's gminy, powiaty or województwa
    (an animator: their own gminy and those gminy's powiaty)."""
    if level == "gmina":
        found = register_choices(conn)
    else:
        table = "powiat" if level == "powiat" else "wojewodztwo"
        found = _pairs(conn, f"SELECT terc, name || ' (' || terc || ')' FROM {table} ORDER BY name", {})
    if actor.is_admin:
        return found
    mine = {t[: len(next(iter(found), ""))] for t in actor.gminy} if found else set()
    return {k: v for k, v in found.items() if k in mine}


def earliest_step_event(conn: duckdb.DuckDBPyConnection, terc: str) -> date | None:
    """The first date a step event of the gmina may carry (the rule the save checks), else None."""
    rows = (
        conn.cursor()
        .execute("SELECT joined_on, plan_start FROM pilot_gmina WHERE terc = ?", [terc])
        .fetchall()
    )
    return rules.earliest_step_event(*rows[0]) if rows else None


def substep_choices(conn: duckdb.DuckDBPyConnection, terc: str) -> dict[str, str]:
    """The gmina-level sub-steps of the template version the gmina's plan is pinned to."""
    return _pairs(conn, SUBSTEPS, {"terc": terc})


def open_zgloszenia(conn: duckdb.DuckDBPyConnection, actor: Actor) -> dict[int, str]:
    """Notifications still waiting for the ROPS's first contact that the actor may record."""
    return _pairs(conn, OPEN_ZGLOSZENIA, {"admin": actor.is_admin, "gminy": sorted(actor.gminy)})


def institution_choices(conn: duckdb.DuckDBPyConnection, terc: str) -> dict[int, str]:
    """Institutions that may sit in the gmina's PZK: seated in its powiat or at the region."""
    return _pairs(conn, NEAR_INSTITUTIONS, {"terc": terc})


def member_choices(conn: duckdb.DuckDBPyConnection, terc: str) -> dict[int, str]:
    return _pairs(conn, CURRENT_MEMBERS, {"terc": terc})


def default_variant(conn: duckdb.DuckDBPyConnection, terc: str) -> str:
    return gmina_variant(conn.cursor(), terc)


ANIMATORS = """
SELECT username, display_name || ' (' || username || ')' FROM app_user
WHERE active AND list_contains(?, role) ORDER BY display_name, username
"""


def animator_choices(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Login → "Name (login)" of the active animators, whom a pilot gmina is assigned to."""
    return dict(conn.cursor().execute(ANIMATORS, [[access.ANIMATOR]]).fetchall())


PILOT_REGISTER = """
SELECT g.name, p.terc, 'w pilotażu' AS stan, p.joined_on, NULL::DATE AS left_on,
       coalesce(u.display_name, p.animator) AS animator, p.variant,
       t.name || ', wersja ' || p.template_version AS template, p.plan_start, NULL AS reason
FROM pilot_gmina p JOIN gmina g USING (terc)
LEFT JOIN app_user u ON u.username = p.animator
LEFT JOIN template t ON t.template_id = p.template_id AND t.version = p.template_version
UNION ALL
SELECT coalesce(g.name, x.terc), x.terc, 'poza pilotażem', x.joined_on, x.left_on,
       coalesce(u.display_name, x.animator), x.variant,
       t.name || ', wersja ' || x.template_version, x.plan_start, x.reason
FROM pilot_exit x LEFT JOIN gmina g USING (terc)
LEFT JOIN app_user u ON u.username = x.animator
LEFT JOIN template t ON t.template_id = x.template_id AND t.version = x.template_version
ORDER BY 1, 4 DESC
"""


def pilot_register(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Current and former pilot gminy (each stay a row; a gmina that rejoined has several)."""
    return conn.cursor().execute(PILOT_REGISTER).df()


def pilot_rows(conn: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """TERC → the pilot row (with the gmina's name) as the admin's change form shows and sends back."""
    sql = "SELECT p.*, g.name FROM pilot_gmina p JOIN gmina g USING (terc) ORDER BY g.name"
    return {r["terc"]: r for r in fetch_dicts(conn.cursor(), sql)}


def templates(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every template version, newest version of each template first."""
    return conn.cursor().execute(TEMPLATES).df()


def template_csv(conn: duckdb.DuckDBPyConnection, template_id: int, version: int) -> str:
    """A template version in the CSV shape `harmonogram.parse_template_csv` reads back."""
    steps = harmonogram.template_steps(conn.cursor(), template_id, version)
    frame = steps.rename(columns={"title": "title_pl"})[harmonogram.CSV_COLUMNS]
    frame = frame.astype({"every_months": "Int64"})
    return frame.to_csv(index=False)


def save_template_version(
    conn: duckdb.DuckDBPyConnection, actor: Actor, text: str, template_id: int
) -> tuple[int, int]:
    """An edited CSV as the template's next version; plans keep the version they were made with."""
    require_admin(actor)
    steps = harmonogram.parse_template_csv(text)
    with transaction(conn) as cur:
        rows = cur.execute(
            "SELECT name FROM template WHERE template_id = ? LIMIT 1", [template_id]
        ).fetchall()
        if not rows:
            raise InvalidInput([f"Szablon: nie ma szablonu nr {template_id}"])
        return harmonogram.save_template(cur, actor.username, rows[0][0], steps, template_id)


def import_terc_register(
    conn: duckdb.DuckDBPyConnection, actor: Actor, data: bytes, woj: str | None
) -> list[str]:
    """The official TERC register (CSV or XML from GUS); returns the summary lines."""
    require_admin(actor)
    return territory.import_terc(conn, data, woj, actor.username).lines()


def import_gmina_boundaries(conn: duckdb.DuckDBPyConnection, actor: Actor, data: bytes) -> int:
    """Gmina boundaries (GeoJSON keyed by TERYT); returns how many were stored."""
    require_admin(actor)
    return geo.import_boundaries(conn, data, actor.username)
