"""The territory shipped in kooperacja/data: TERC 2025 and PRG boundaries, `init --woj`, the admin's load."""

from __future__ import annotations

import json
import subprocess
from collections import Counter

import pytest
import shapely
from shapely.geometry import shape

from kooperacja import cli, warehouse
from kooperacja.model.access import Actor
from kooperacja.model.errors import AccessDenied, InvalidInput
from kooperacja.territory import geo, reference, terc

# Gminy of the TERC 2025 register per województwo (the register's own count, not ours).
GMINY_2025 = {
    "02": 169, "04": 144, "06": 213, "08": 82, "10": 177, "12": 183, "14": 314, "16": 71,
    "18": 160, "20": 119, "22": 123, "24": 167, "26": 102, "28": 116, "30": 226, "32": 113,
}  # fmt: skip
# Created after the state of the shipped boundaries (about 2019): no shape of their own.
NO_SHAPE = {"12": ["Szczawa"], "20": ["Grabówka"]}
ADMIN = Actor("admin", "admin")


def test_shipped_files_are_in_the_package_and_not_git_ignored():
    files = [reference.TERC_FILE, reference.GMINY_FILE, reference.POWIATY_FILE, reference.WOJEWODZTWA_FILE]
    files.append(reference.DATA / "README.md")
    assert all(f.is_file() for f in files)
    ignored = subprocess.run(
        ["git", "check-ignore", *map(str, files)], cwd=reference.DATA, capture_output=True, text=True
    )
    assert ignored.stdout == ""  # check-ignore prints the ignored paths
    # the whole country is a few MB
    assert sum(f.stat().st_size for f in files) < 3_000_000


def test_the_shipped_register_is_the_whole_of_terc_2025():
    register = terc.parse_terc(reference.terc_bytes())
    assert (len(register.wojewodztwa), len(register.powiaty), len(register.gminy)) == (16, 380, 2479)
    assert Counter(g.terc[:2] for g in register.gminy) == GMINY_2025
    assert reference.wojewodztwa()["04"] == "kujawsko-pomorskie"


def test_every_shipped_gmina_is_a_valid_shape_within_the_budget_of_its_wojewodztwo():
    doc = json.loads(reference.GMINY_FILE.read_bytes())
    shapes = [(f["properties"]["terc"], shape(f["geometry"])) for f in doc["features"]]
    assert len(shapes) == 2477
    assert [t for t, s in shapes if not s.is_valid or s.is_empty] == []
    sizes = Counter()
    for f in doc["features"]:
        sizes[f["properties"]["terc"][:2]] += len(json.dumps(f["geometry"], separators=(",", ":")))
    assert max(sizes.values()) <= geo.BUDGET
    # the 7-digit codes and names are those of TERC 2025 (joined on 6 digits)
    current = {g.terc[:6]: g for g in terc.parse_terc(reference.terc_bytes()).gminy}
    assert all(current[t[:6]].terc == t for t, _ in shapes if t[:6] in current)


def test_simplifying_keeps_every_gmina_valid_and_fits_a_dense_file_into_the_budget():
    # a dense gmina: a circle of 20,000 points
    dense = shapely.Point(18.6, 53.0).buffer(0.1, quad_segs=5000)
    shapes = {f"0401{i:02d}": shapely.affinity.translate(dense, 0.21 * i) for i in range(1, 11)}
    out = geo.simplify(shapes, budget=20_000)
    assert sum(len(json.dumps(g, separators=(",", ":"))) for g in out.values()) <= 20_000
    assert all(shape(g).is_valid and not shape(g).is_empty for g in out.values())
    assert all(abs(shape(g).area - dense.area) / dense.area < 0.01 for g in out.values())


@pytest.fixture(scope="module")
def country(tmp_path_factory):
    """One warehouse with every województwo loaded one by one, as an admin would."""
    conn = warehouse.connect(tmp_path_factory.mktemp("ref") / "kraj.duckdb")
    summaries = {woj: reference.load_wojewodztwo(conn, ADMIN, woj) for woj in GMINY_2025}
    yield conn, summaries
    conn.close()


@pytest.mark.parametrize("woj", sorted(GMINY_2025))
def test_loading_a_wojewodztwo_gives_its_gminy_powiaty_and_boundaries(country, woj):
    conn, summaries = country
    summary = summaries[woj]
    assert summary.gminy == GMINY_2025[woj]
    counted = conn.execute("SELECT count(*) FROM gmina WHERE starts_with(terc, ?)", [woj]).fetchall()
    assert counted == [(GMINY_2025[woj],)]
    assert summary.boundaries == GMINY_2025[woj] - len(NO_SHAPE.get(woj, []))
    assert [n.split(" (")[0] for n in summary.without_boundary] == NO_SHAPE.get(woj, [])
    tercs = [
        r[0] for r in conn.execute("SELECT terc FROM gmina WHERE starts_with(terc, ?)", [woj]).fetchall()
    ]
    payload = json.dumps(geo.boundaries_geojson(conn, tercs), separators=(",", ":"))
    assert len(payload) <= 300_000
    assert summary.lines()[0].startswith(f"Województwo {reference.wojewodztwa()[woj]}: wczytano ")


def test_only_the_admin_loads_a_wojewodztwo_and_an_unknown_code_is_refused(conn):
    with pytest.raises(AccessDenied):
        reference.load_wojewodztwo(conn, Actor("animator1", "animator"), "04")
    with pytest.raises(InvalidInput, match="nie ma województwa '99'; dostępne: 02 dolnośląskie"):
        reference.load_wojewodztwo(conn, ADMIN, "99")
    assert conn.execute("SELECT count(*) FROM gmina").fetchall() == [(0,)]


def test_init_with_woj_creates_a_real_installation(db_file, capsys):
    assert cli.main(["init", "--woj", "04", "--db", str(db_file)]) == 0
    out = capsys.readouterr().out
    assert "Województwo kujawsko-pomorskie: wczytano 144 gminy, 23 powiaty, granice 144 gmin." in out
    conn = warehouse.connect(db_file, read_only=True)
    try:
        counts = warehouse.table_counts(conn)
        assert (counts["gmina"], counts["powiat"], counts["gmina_boundary"], counts["app_user"]) == (
            144, 23, 144, 1,
        )  # fmt: skip
    finally:
        conn.close()
    assert cli.main(["check", "--db", str(db_file)]) == 0


def test_init_without_woj_loads_nothing_and_a_bad_code_creates_nothing(db_file, tmp_path, capsys):
    assert cli.main(["init", "--db", str(db_file)]) == 0
    conn = warehouse.connect(db_file, read_only=True)
    assert conn.execute(
        "SELECT (SELECT count(*) FROM gmina), (SELECT count(*) FROM gmina_boundary)"
    ).fetchall() == [(0, 0)]
    conn.close()
    other = tmp_path / "inna.duckdb"
    assert cli.main(["init", "--woj", "4", "--db", str(other)]) == 1
    assert "nie ma województwa '4'" in capsys.readouterr().err
    assert not other.exists()


def _figure_bytes(conn, woj: str | None) -> int:
    """The overview map's figure JSON with every gmina of `woj` (or the country) in the pilot."""
    import pandas as pd

    from kooperacja.charts import programme as charts

    where = "WHERE starts_with(g.terc, ?)" if woj else "WHERE ? IS NULL"
    sql = "SELECT g.terc, g.name, p.name AS powiat FROM gmina g JOIN powiat p ON p.terc = left(g.terc, 4) "
    pilot = conn.execute(sql + where, [woj]).df()
    states = ["on_time", "late", "stalled"]
    n = range(len(pilot))
    overview = pilot.assign(
        progress_state=[states[i % 3] for i in n], delay_days=[(i % 3) * 17 for i in n],
        powiat_terc=pilot.terc.str[:4], current_step="7.1", variant="urban_rural", animator="animator1",
    )  # fmt: skip
    assert isinstance(overview, pd.DataFrame)
    shapes = geo.boundaries_geojson(conn, list(overview.terc))
    drawn = [f["id"] for f in shapes["features"]]
    return len(charts.choropleth(overview, shapes, drawn, reference.outlines(drawn)).to_json().encode())


def test_the_overview_map_of_the_country_stays_under_1_5_mb_and_of_a_wojewodztwo_under_300_kb(country):
    conn, _ = country
    assert _figure_bytes(conn, None) <= 1_500_000, _figure_bytes(conn, None)  # 1.7 MB at 0.005°
    assert _figure_bytes(conn, "14") <= 300_000  # mazowieckie, the largest
