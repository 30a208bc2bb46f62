"""Deep links (`/gmina?terc=…`, `/sprawy?case=…`…): the page opens the record the URL names, once,
for a role that may see it; an unknown key or a forbidden record is said in Polish, never a crash."""

from __future__ import annotations

import pytest

GMINA, OTHER = "3403022", "3401011"  # Borowina (animator2), Zawiśle (animator1)


def _open(page_test, page, user, **params):
    at = page_test(page, user)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def _texts(at) -> str:
    return " ".join(str(e.value) for kind in ("markdown", "warning", "info", "caption") for e in at.get(kind))


@pytest.mark.parametrize("user", ["admin", "animator1", "wzk"])
def test_a_gmina_link_opens_that_gmina_not_the_one_picked_last(page_test, user):
    at = _open(page_test, "gmina", user, terc=GMINA)
    assert not at.exception
    assert at.selectbox(key="gmina_pick").value == GMINA
    assert "Borowina" in _texts(at)
    assert at.query_params["terc"] == [GMINA] or at.query_params["terc"] == GMINA


def test_the_picker_is_the_users_after_the_link_opened_and_the_url_follows_it(page_test):
    at = _open(page_test, "gmina", "admin", terc=GMINA)
    at.selectbox(key="gmina_pick").set_value(OTHER).run()
    assert at.selectbox(key="gmina_pick").value == OTHER
    assert OTHER in str(at.query_params["terc"])
    assert "Zawiśle" in _texts(at)


PICKERS = [("gmina", "gmina_pick"), ("pzk", "pzk_gmina_pick"), ("siec", "siec_gmina_pick")]


@pytest.mark.parametrize(("page", "key"), PICKERS)
def test_a_linked_pickers_own_default_is_the_linked_gmina(page_test, page, key):
    """A browser may draw a picker with the widget's own default, not the value the server set: after
    the login on `siec?terc=<Zawiśle>` under load the page drew Zawiśle while its picker showed the
    region's first gmina, and the next click moved the page there. The default must be what it shows."""
    at = _open(page_test, page, "admin", terc=OTHER)
    for _run in range(2):  # the run that opened the link, and the next one
        box = at.selectbox(key=key)
        assert box.value == OTHER
        assert "Zawiśle" in box.options[box.proto.default]
        at.run()


def test_a_gmina_link_carries_a_copyable_address(page_test):
    at = _open(page_test, "gmina", "animator1", terc=GMINA)
    codes = [c.value for c in at.code]
    assert any(c.endswith(f"gmina?terc={GMINA}") for c in codes), codes


@pytest.mark.parametrize("terc", ["9999999", "<b>x</b>"])
def test_an_unknown_gmina_link_is_said_in_polish_and_the_page_opens(page_test, terc):
    at = _open(page_test, "gmina", "animator1", terc=terc)
    assert not at.exception and not at.error
    (warning,) = at.warning
    assert "której nie ma w pilotażu" in warning.value
    assert at.selectbox(key="gmina_pick").value is not None


def test_a_pzk_link_opens_that_gminas_team(page_test):
    at = _open(page_test, "pzk", "wzk", terc=GMINA)
    assert not at.exception
    assert at.selectbox(key="pzk_gmina_pick").value == GMINA
    assert any("Borowina" in s.value for s in at.subheader)


def test_a_case_link_opens_the_case_for_rops_staff(page_test):
    at = _open(page_test, "sprawy", "animator2", case="P-3401011-0002")
    assert not at.exception
    assert at.selectbox(key="case_pick").value == "P-3401011-0002"
    assert at.selectbox(key="cases_gmina").value == "3401011"


@pytest.mark.parametrize("user", ["wzk", "zarzad"])
def test_a_case_link_is_refused_in_polish_to_the_aggregate_roles(page_test, user):
    at = _open(page_test, "sprawy", user, case="P-3401011-0002")
    assert not at.exception
    (warning,) = at.warning
    assert "tylko dla pracowników ROPS" in warning.value
    assert "P-3401011-0002" not in _texts(at)


def test_an_unknown_case_link_is_said(page_test):
    at = _open(page_test, "sprawy", "admin", case="P-0000000-0001")
    assert not at.exception
    assert "której nie ma w rejestrze" in at.warning[0].value


def test_a_service_link_shows_its_card(page_test):
    at = _open(page_test, "uslugi", "wzk", service="2")
    assert not at.exception
    assert any("Punkt konsultacyjny" in s.value for s in at.subheader)


UNKNOWN_SERVICES = [("99999", "nie ma usługi"), ("abc", "której nie ma w koszyku")]


@pytest.mark.parametrize(("value", "message"), UNKNOWN_SERVICES)
def test_an_unknown_service_link_is_said(page_test, value, message):
    at = _open(page_test, "uslugi", "admin", service=value)
    assert not at.exception
    assert message in " ".join(e.value for e in [*at.warning, *at.error])
    assert at.dataframe  # the registry is there all the same


def test_a_meeting_link_shows_that_meeting(page_test):
    at = _open(page_test, "wzk", "wzk", meeting="2")
    assert not at.exception
    assert "Posiedzenie WZK z 16.12.2025" in _texts(at)


def test_every_page_file_run_directly_goes_to_the_app_keeping_its_page_and_query():
    """A server's first request may run pages/x.py itself (legacy pages/): it must hand the page
    and the link's query to app.py (nav.back_to_app), or a link's record is lost."""
    from pathlib import Path

    from kooperacja.ui import nav

    root = Path(__file__).resolve().parents[2]
    for name in nav.PAGES:
        text = (root / "pages" / f"{name}.py").read_text(encoding="utf-8")
        assert text.rstrip().endswith(f'nav.back_to_app("{name}")'), name
