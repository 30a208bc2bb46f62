"""What `python -m kooperacja network` prints: the measures of every wave of every gmina."""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from kooperacja.model.formatting import fmt_date, fmt_number, plural
from kooperacja.model.vocab import SECTORS, WAVE_KINDS
from kooperacja.network.measures import DIRECTED
from kooperacja.network.queries import measures_of, waves


def network_rows(conn: duckdb.DuckDBPyConnection, terc: str | None = None) -> list[dict[str, Any]]:
    """One object per wave (oldest first by gmina): its gmina, date, kind and every measure."""
    found = waves(conn, terc)
    names = dict(conn.cursor().execute("SELECT terc, name FROM gmina").fetchall())
    measures = measures_of(conn.cursor(), [int(w) for w in found.wave_id])
    out = []
    for wave_id, t, held_on, kind in zip(found.wave_id, found.terc, found.held_on, found.kind, strict=True):
        m = measures[int(wave_id)]
        out.append(
            {
                "terc": t,
                "gmina": names.get(t),
                "wave_id": int(wave_id),
                "wave_date": held_on.date().isoformat(),
                "wave_kind": kind,
                "directed": DIRECTED,
                **m.scalars(),
                "isolated_names": list(m.isolated_names),
                "ops": m.ops_name,
                "sectors_never_linked": list(m.sectors_never_linked),
            }
        )
    return out


def _share(value: float | None) -> str:
    return "—" if value is None else f"{fmt_number(100 * value, 0)}%"


def network_lines(rows: list[dict[str, Any]]) -> list[str]:
    """The rows as Polish lines, one per wave."""
    if not rows:
        return ["Brak badań współpracy."]
    lines = []
    for r in rows:
        never = ", ".join(SECTORS.get(s, s) for s in r["sectors_never_linked"]) or "brak"
        held = fmt_date(date.fromisoformat(r["wave_date"]))
        lines.append(
            f"{r['terc']} {r['gmina'] or ''} — {WAVE_KINDS[r['wave_kind']]} {held}: "
            f"{plural(r['institutions'], 'instytucja', 'instytucje', 'instytucji')}, "
            f"{plural(r['links'], 'powiązanie', 'powiązania', 'powiązań')} (sieć skierowana), "
            f"gęstość {fmt_number(r['density'], 3)}, wzajemność {_share(r['reciprocity'])}, "
            f"izolowane {r['isolated']}, udział OPS {_share(r['ops_share'])}, "
            f"międzysektorowe {r['cross_sector_links']}; sektory bez powiązań z innymi: {never}"
        )
    return lines
