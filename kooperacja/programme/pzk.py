"""Read side of the PZK: member institutions, joins and leaves over time, sector coverage."""

from __future__ import annotations

from datetime import date
from typing import cast

import duckdb
import pandas as pd

from kooperacja.model import rules, vocab
from kooperacja.programme.queries import frame, to_date

SECTOR_ORDER = list(vocab.SECTORS)

MEMBERS = """
SELECT m.membership_id, i.institution_id, i.name, i.sector, i.level, i.seat_terc, m.signed_on, m.left_on
FROM pzk_member m JOIN institution i USING (institution_id)
WHERE m.terc = $terc
ORDER BY m.signed_on, i.name
"""


def list_members(conn: duckdb.DuckDBPyConnection, terc: str) -> pd.DataFrame:
    """Every membership of a gmina's PZK, current and past, in signing order."""
    return conn.cursor().execute(MEMBERS, {"terc": terc}).df()


def members_on(members: pd.DataFrame, on: date) -> pd.DataFrame:
    """The rows of `list_members` that count in the PZK on day `on` (rules.is_pzk_member)."""
    keep = [
        rules.is_pzk_member(cast(date, to_date(s)), to_date(left), on)
        for s, left in zip(members.signed_on, members.left_on, strict=True)
    ]
    return members[pd.Series(keep, index=members.index, dtype=bool)]


HISTORY = """
WITH changes AS (
    SELECT terc, signed_on AS on_day, 1 AS joined, 0 AS left_ FROM pzk_member
    WHERE $terc IS NULL OR terc = $terc
    UNION ALL
    SELECT terc, left_on, 0, 1 FROM pzk_member
    WHERE left_on IS NOT NULL AND ($terc IS NULL OR terc = $terc)
), daily AS (
    SELECT terc, on_day, sum(joined)::INTEGER AS joined, sum(left_)::INTEGER AS "left"
    FROM changes GROUP BY ALL
)
SELECT d.terc, g.name AS gmina, d.on_day, d.joined, d."left",
       sum(d.joined - d."left") OVER (PARTITION BY d.terc ORDER BY d.on_day)::INTEGER AS members
FROM daily d LEFT JOIN gmina g USING (terc)
ORDER BY d.terc, d.on_day
"""


def membership_history(conn: duckdb.DuckDBPyConnection, terc: str | None = None) -> pd.DataFrame:
    """Per gmina and day of change: institutions that joined, left, and the PZK size after that day.

    A membership counts from its signing day until the day before it left (as in `queries.pzk_on`).
    """
    return conn.cursor().execute(HISTORY, {"terc": terc}).df()


COVERAGE = f"""
WITH members AS (
    SELECT m.terc, i.sector, count(*)::INTEGER AS members
    FROM pzk_member m JOIN institution i USING (institution_id)
    WHERE {rules.PZK_MEMBER_SQL.format(m="m", on="$on")}
    GROUP BY ALL
)
SELECT p.terc, g.name AS gmina, s.sector, coalesce(m.members, 0) AS members
FROM pilot_gmina p
JOIN gmina g USING (terc)
CROSS JOIN (SELECT unnest($sectors) AS sector) s
LEFT JOIN members m ON m.terc = p.terc AND m.sector = s.sector
ORDER BY g.name, list_position($sectors, s.sector), p.terc
"""


def coverage_matrix(conn: duckdb.DuckDBPyConnection, on: date) -> pd.DataFrame:
    """Long table (terc, gmina, sector, members) of every pilot gmina × every sector of vocab.SECTORS.

    A sector with members = 0 is missing from that gmina's PZK on the date. Sectors outside the
    vocabulary are kept too, after the known ones.
    """
    cur = conn.cursor()
    extra = [
        r[0]
        for r in cur.execute(
            "SELECT DISTINCT sector FROM institution WHERE sector NOT IN (SELECT unnest(?)) ORDER BY 1",
            [SECTOR_ORDER],
        ).fetchall()
    ]
    order = SECTOR_ORDER + extra
    return frame(cur, COVERAGE, {"on": on, "sectors": order})  # sorted in SQL (namesakes by TERC)


def sector_counts(composition: pd.DataFrame) -> pd.DataFrame:
    """Members per sector of a PZK composition (e.g. `queries.pzk_on`), every vocabulary sector listed.

    >>> counts = sector_counts(pd.DataFrame({"sector": ["zdrowie", "zdrowie"]})).set_index("sector")
    >>> int(counts.members["zdrowie"]), int(counts.members.sum())
    (2, 2)
    """
    counts = composition["sector"].value_counts() if len(composition) else pd.Series(dtype=int)
    order = SECTOR_ORDER + sorted(set(counts.index) - set(SECTOR_ORDER))
    return pd.DataFrame({"sector": order, "members": [int(counts.get(s, 0)) for s in order]})


def missing_sectors(coverage: pd.DataFrame) -> pd.DataFrame:
    """Rows of a coverage matrix where a gmina's PZK has nobody from a vocabulary sector."""
    known = coverage[coverage.sector.isin(SECTOR_ORDER)]
    return known[known.members == 0].reset_index(drop=True)


def coverage_table(coverage: pd.DataFrame) -> pd.DataFrame:
    """The coverage matrix as a table: a row per gmina (name, TERC), a column per sector (Polish name).

    A row per gmina, not a column: the national region has ~2,500 gminy (and namesakes, told
    apart by TERC), and a grid draws and sends its first rows only.
    """
    wide = coverage.pivot_table(
        index=["gmina", "terc"], columns="sector", values="members", aggfunc="sum", sort=False, fill_value=0
    )
    wide.columns = [vocab.SECTORS.get(s, s) for s in wide.columns]
    wide = wide.rename_axis(index=["Gmina", "TERC"], columns=None).reset_index()
    return wide.sort_values(["Gmina", "TERC"], ignore_index=True)


MEETINGS = """
SELECT m.meeting_id, m.kind, m.held_on, m.agenda, m.decisions, m.family_present, m.row_version,
       count(a.institution_id)::INTEGER AS attendees
FROM meeting m LEFT JOIN meeting_attendee a USING (meeting_id)
WHERE m.terc = $terc AND m.case_code IS NULL AND m.kind <> 'wzk'
GROUP BY ALL
ORDER BY m.held_on DESC, m.meeting_id DESC
"""


def meetings(conn: duckdb.DuckDBPyConnection, terc: str) -> pd.DataFrame:
    """The gmina's cooperation meetings (authorities, institutions, PZK), newest first, with attendance.

    A case team's meetings belong to their case and the WZK's sittings to the region: not listed here.
    """
    return conn.cursor().execute(MEETINGS, {"terc": terc}).df()


ATTENDANCE = """
SELECT a.institution_id, i.name AS institution, a.notified_on
FROM meeting_attendee a JOIN institution i USING (institution_id)
WHERE a.meeting_id = $meeting
ORDER BY i.name
"""


def attendance(conn: duckdb.DuckDBPyConnection, meeting_id: int) -> pd.DataFrame:
    """Who attended a meeting and when each was notified, by institution name."""
    return conn.cursor().execute(ATTENDANCE, {"meeting": meeting_id}).df()


INSTITUTIONS = (
    "SELECT institution_id, name, sector, level, seat_terc FROM institution ORDER BY name, institution_id"
)


def institutions(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every institution that may join PZKs, by name."""
    return conn.cursor().execute(INSTITUTIONS).df()
