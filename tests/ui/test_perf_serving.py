"""The served app at national scale (issue 16): DuckDB's memory is capped, spilling stays beside the file."""

from __future__ import annotations

from pathlib import Path

from kooperacja import warehouse


def _mib(conn) -> float:
    text = conn.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    number, unit = text.split()
    return float(number) * {"KiB": 1 / 1024, "MiB": 1, "GiB": 1024, "TiB": 1024 * 1024}[unit]


def test_connections_cap_duckdbs_memory_and_spill_beside_the_file(db_file):
    # DuckDB's default is 80 % of the RAM: a served app grew past 800 MB at national scale.
    conn = warehouse.connect(db_file)
    try:
        assert _mib(conn) <= 256
        spill = conn.execute("SELECT current_setting('temp_directory')").fetchall()[0][0]
        assert Path(spill).parent == db_file.parent
    finally:
        conn.close()
    reader = warehouse.connect(db_file, read_only=True)
    try:
        assert _mib(reader) <= 256
    finally:
        reader.close()


def test_the_memory_cap_can_be_raised(monkeypatch):
    monkeypatch.setenv("KOOPERACJA_DUCKDB_MEMORY", "1GB")
    assert warehouse.memory_limit() == "1GB"
    monkeypatch.delenv("KOOPERACJA_DUCKDB_MEMORY")
    assert warehouse.memory_limit() == warehouse.DEFAULT_MEMORY_LIMIT == "256MB"
