"""The services registry and the gap analysis on a small region built by hand, today pinned."""

from __future__ import annotations

from datetime import date

import pytest

from kooperacja import lku, warehouse
from kooperacja.cases import core as cases
from kooperacja.model.access import Actor
from kooperacja.model.errors import AccessDenied, InvalidInput
from kooperacja.model.records import CaseFile, CaseProblem, Gmina, Institution
from kooperacja.model.vocab import PROBLEM_AREAS
from kooperacja.programme import services as programme
from kooperacja.warehouse.store import insert_many

TODAY = date(2026, 11, 24)
ADMIN = Actor("admin", "admin")
GMINA, NEIGHBOUR, FAR = "0201032", "0201011", "0202012"  # two gminy of powiat 0201, one of 0202
ANIMATOR = Actor("animator1", "animator", frozenset({GMINA}))


def service(institution_id, level, area, problems, valid_from=date(2025, 1, 1), valid_to=None):
    return {
        "institution_id": institution_id,
        "name": f"Usługa {level} {'/'.join(problems)}",
        "category": "poradnictwo",
        "target_groups": ["rodziny"],
        "problem_areas": problems,
        "level": level,
        "area_terc": area,
        "valid_from": valid_from,
        "valid_to": valid_to,
    }


@pytest.fixture
def region(conn):
    with warehouse.transaction(conn) as cur:
        kinds = {"2": "wiejska", "1": "miejska"}
        insert_many(cur, [Gmina.parse({"terc": t, "name": n, "kind": kinds[t[-1]]})
                          for t, n in [(GMINA, "Gromadka"), (NEIGHBOUR, "Bolesławiec"), (FAR, "Bielawa")]],
                    "test")  # fmt: skip
        cur.execute("INSERT INTO wojewodztwo VALUES ('02', 'dolnośląskie')")  # a service names a known area
        cur.execute(
            "INSERT INTO powiat VALUES ('0201', 'bolesławiecki', false), ('0202', 'dzierżoniowski', false)"
        )
        cur.execute("INSERT INTO app_user VALUES ('animator1', 'A', 'animator', 'x', true, now())")
        cur.executemany("INSERT INTO problem_area VALUES (?, ?)", list(PROBLEM_AREAS.items()))
        insert_many(cur, [Institution.parse({"institution_id": i, "name": f"Instytucja {i}",
                                             "sector": "pomoc_spoleczna", "level": lvl, "seat_terc": seat})
                          for i, lvl, seat in [(1, "powiat", "0201"), (2, "gmina", GMINA),
                                               (3, "region", "02")]], "test")  # fmt: skip
    for terc in (GMINA, FAR):
        programme.add_pilot_gmina(
            conn, ADMIN, terc, joined_on=date(2026, 1, 10), animator="animator1", plan_start=date(2026, 2, 1)
        )
    cases = [("P-0201032-0001", GMINA, ["bezdomnosc", "przemoc"]),
             ("P-0201032-0002", GMINA, ["bezdomnosc"]),
             ("P-0202012-0001", FAR, ["ubostwo"])]  # fmt: skip
    with warehouse.transaction(conn) as cur:
        insert_many(
            cur,
            [
                CaseFile.parse(
                    {"case_code": c, "terc": t, "kind": "rodzina", "referred_on": date(2026, 5, 1)}
                )
                for c, t, _ in cases
            ],
            "test",
        )
        insert_many(cur, [CaseProblem(case_code=c, problem_code=p) for c, _, ps in cases for p in ps], "test")
    lku.add_service(conn, ADMIN, service(1, "powiat", "0201", ["przemoc"]))
    return conn


def states(conn, terc):
    frame = lku.gaps(conn, TODAY, terc)
    return {r.problem_code: (r.state, r.cases, r.services) for r in frame.itertuples() if r.state != "none"}


def test_the_gap_is_the_diagnosed_problem_no_service_nearby_addresses(region):
    assert states(region, GMINA) == {"bezdomnosc": ("gap", 2, 0), "przemoc": ("covered", 1, 1)}
    gaps = lku.gap_list(lku.gaps(region, TODAY))
    assert [(g.terc, g.problem_code, g.cases) for g in gaps.itertuples()] == [
        (GMINA, "bezdomnosc", 2),
        (FAR, "ubostwo", 1),
    ]


def test_an_expired_service_does_not_close_a_gap(region):
    lku.add_service(region, ADMIN, service(2, "gmina", GMINA, ["bezdomnosc"], valid_to=date(2026, 10, 31)))
    assert states(region, GMINA)["bezdomnosc"] == ("gap", 2, 0)
    lku.add_service(region, ADMIN, service(2, "gmina", GMINA, ["bezdomnosc"], valid_from=date(2026, 12, 1)))
    assert states(region, GMINA)["bezdomnosc"][0] == "gap"  # not yet valid either


def test_a_region_service_counts_for_every_gmina(region):
    lku.add_service(region, ADMIN, service(3, "region", "02", ["bezdomnosc", "ubostwo"]))
    assert states(region, GMINA)["bezdomnosc"] == ("covered", 2, 1)
    assert states(region, FAR)["ubostwo"] == ("covered", 1, 1)
    assert lku.gap_list(lku.gaps(region, TODAY)).empty


def test_a_powiat_service_reaches_only_the_gminy_of_that_powiat(region):
    assert states(region, FAR).get("przemoc") is None
    available = lku.available_to(region, GMINA, TODAY)
    assert list(available.level) == ["powiat"]
    assert lku.available_to(region, FAR, TODAY).empty


def test_search_filters_and_the_activity_list_shape(region):
    lku.add_service(region, ADMIN, service(3, "region", "02", ["ubostwo"]))
    found = lku.search(region, lku.ServiceFilter(problem="ubostwo", on=TODAY))
    assert list(found.level) == ["region"]
    assert lku.search(region, lku.ServiceFilter(text="przemoc")).shape[0] == 1
    listing = lku.activity_list(lku.search(region, lku.ServiceFilter()))
    assert list(listing.columns) == lku.LIST_COLUMNS
    assert listing["Lp."].tolist() == [1, 2]
    assert listing.iloc[0]["Obszary problemowe"] == "przemoc w rodzinie"


def test_animators_edit_services_of_their_gminy_and_powiaty_only(region):
    sid = lku.add_service(region, ANIMATOR, service(2, "gmina", GMINA, ["bezdomnosc"]))
    lku.update_service(region, ANIMATOR, sid, {"valid_to": date(2026, 12, 31)}, reason="koniec umowy")
    assert lku.service_card(region, sid)["valid_to"] == date(2026, 12, 31)
    for level, area in [("gmina", FAR), ("region", "02"), ("powiat", "0202")]:
        with pytest.raises(AccessDenied):
            lku.add_service(region, ANIMATOR, service(3, level, area, ["ubostwo"]))
    with pytest.raises(AccessDenied):
        lku.update_service(region, ANIMATOR, sid, {"level": "powiat", "area_terc": "0202"}, reason="x")
    with pytest.raises(AccessDenied):
        lku.add_service(region, Actor("wzk", "wzk"), service(2, "gmina", GMINA, ["bezdomnosc"]))
    with pytest.raises(InvalidInput, match="Kategoria"):
        lku.add_service(region, ADMIN, {**service(2, "gmina", GMINA, ["ubostwo"]), "category": "xx"})


def test_a_problem_area_the_admin_added_is_accepted_for_services(region):
    with pytest.raises(InvalidInput, match="nieznany obszar wykluczenie_cyfrowe"):
        lku.add_service(region, ADMIN, service(1, "region", "02", ["wykluczenie_cyfrowe"]))
    cases.add_problem_area(region, ADMIN, "wykluczenie_cyfrowe", "wykluczenie cyfrowe")
    assert lku.add_service(region, ADMIN, service(1, "region", "02", ["wykluczenie_cyfrowe"])) > 0
    assert "wykluczenie_cyfrowe" in set(lku.gaps(region, date(2026, 11, 24)).problem_code)
