"""python -m kooperacja network: the measures of every wave, as lines or JSON for scripts."""

from __future__ import annotations

import json

import pytest

from kooperacja.cli import main


def test_the_json_lists_every_wave_with_its_measures_and_the_declared_graph(demo_copy, capsys):
    assert main(["network", "--db", str(demo_copy), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) >= 11
    for row in rows:
        assert {"terc", "wave_date", "wave_kind", "institutions", "links", "density", "isolated"} <= set(row)
        assert row["directed"] is True
        n = row["institutions"]
        assert row["density"] == pytest.approx(row["links"] / (n * (n - 1)))
    assert {r["wave_kind"] for r in rows} >= {"diagnoza", "ewaluacja"}


def test_one_gmina_in_polish_lines(demo_copy, capsys):
    assert main(["network", "--db", str(demo_copy), "--gmina", "3401011"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("3401011 Zawiśle — diagnoza (badanie wyjściowe)")
    assert "instytucji" in lines[0] and "gęstość 0," in lines[0] and "(sieć skierowana)" in lines[0]
