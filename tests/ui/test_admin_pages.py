"""The admin's set-up and management forms on a fresh `init` warehouse (issue 13): an animator added
in Użytkownicy is offered by the pilot form, three gminy join, one is reassigned, one leaves the
pilot; the first-run checklist follows; a TERC re-import's notice is fixed in one click."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kooperacja import cli, warehouse
from kooperacja.accounts import users
from kooperacja.model.access import Actor
from kooperacja.territory.terc import import_terc
from tests.ui.rounds import keyed

TODAY = "2026-11-24"
ADMIN = Actor("admin", "admin")
TERC = (
    "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\r\n02;;;;DOLNOŚLĄSKIE;województwo;2026-01-01\r\n"
    "02;01;;;bolesławiecki;powiat;2026-01-01\r\n02;01;01;1;Bolesławiec;gmina miejska;2026-01-01\r\n"
    "02;01;03;2;Gromadka;gmina wiejska;2026-01-01\r\n"
    "02;01;04;2;Nowogrodziec;gmina wiejska;2026-01-01\r\n"
    "02;01;05;2;Osiecznica;gmina wiejska;2026-01-01\r\n"
)
GMINY = {"0201011": "Bolesławiec", "0201032": "Gromadka", "0201042": "Nowogrodziec"}


@pytest.fixture
def fresh(tmp_path, monkeypatch, capsys):
    """A warehouse made by `init`, with the TERC register loaded; the app opens it."""
    db = tmp_path / "fresh.duckdb"
    assert cli.main(["init", "--db", str(db)]) == 0
    capsys.readouterr()
    monkeypatch.setenv("KOOPERACJA_DB", str(db))
    monkeypatch.setenv("KOOPERACJA_TODAY", TODAY)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield db
    st.cache_data.clear()
    st.cache_resource.clear()


def with_terc(db: Path) -> None:
    conn = warehouse.connect(db)
    try:
        import_terc(conn, TERC.encode(), "02", "admin")
    finally:
        conn.close()


def page(module: str, username: str = "admin", role: str = "admin") -> AppTest:
    at = AppTest.from_string(f"from pages.{module} import render\nrender()\n", default_timeout=30)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.session_state["name"] = username
    at.session_state["roles"] = [role]
    return at.run()


def read(db: Path, sql: str) -> list[tuple]:
    st.cache_resource.clear()  # release the app's connection first
    conn = warehouse.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def texts(at: AppTest) -> str:
    return "\n".join(
        str(e.value)
        for kind in ("info", "warning", "error", "success", "markdown", "caption")
        for e in at.get(kind)
    )


def add_animator(at: AppTest, login: str, name: str) -> AppTest:
    keyed(at.text_input, "nowy_login").input(login)
    keyed(at.text_input, "nowy_nazwa").input(name)
    keyed(at.selectbox, "nowy_rola").set_value("animator")
    return at.button(key="dodaj").click().run()


def add_pilot_gmina(at: AppTest, terc: str, animator: str) -> AppTest:
    keyed(at.selectbox, "f_pilot_gmina").set_value(terc).run()
    keyed(at.selectbox, "f_pilot_animator").set_value(animator)
    return at.button("f_pilot_save").click().run()


def test_on_a_fresh_install_the_pilot_form_asks_for_an_animator_first(fresh):
    with_terc(fresh)
    at = page("dane")
    keyed(at.selectbox, "dane_section").set_value("Gmina w pilotażu").run()
    assert not at.exception
    assert any("najpierw dodaj animatora w Użytkownicy" in i.value for i in at.info)
    assert "f_pilot_save" not in [b.key for b in at.button]


def test_the_checklist_leads_a_fresh_install_and_leaves_przeglad_once_done(fresh):
    at = page("przeglad")
    assert not at.exception
    shown = texts(at)
    assert "Pierwsze kroki nowej instalacji" in at.expander[0].label
    for where in (
        "Wprowadzanie danych → Województwo z dołączonego rejestru",
        "Użytkownicy → Dodaj użytkownika",
    ):
        assert where in shown
    users_page = page("uzytkownicy")
    assert "Pierwsze kroki nowej instalacji" in users_page.expander[0].label
    animator = page("przeglad", "ania", "animator")
    assert not [e for e in animator.expander if "Pierwsze kroki" in e.label]


def test_admin_sets_up_the_pilot_from_the_app_alone(fresh):
    with_terc(fresh)
    at = add_animator(page("uzytkownicy"), "ania", "Anna Nowak")
    assert not at.error
    at = add_animator(at, "bartek", "Bartosz Lis")
    assert not at.error

    dane = page("dane")
    keyed(dane.selectbox, "dane_section").set_value("Gmina w pilotażu").run()
    assert keyed(dane.selectbox, "f_pilot_animator").options == ["Anna Nowak (ania)", "Bartosz Lis (bartek)"]
    for terc in GMINY:
        dane = add_pilot_gmina(dane, terc, "ania")
        assert not dane.exception and not dane.error, terc
    assert read(fresh, "SELECT count(*) FROM pilot_gmina WHERE animator = 'ania'") == [(3,)]

    # reassign Gromadka to bartek in Użytkownicy → Gminy animatora
    at = page("uzytkownicy")
    keyed(at.selectbox, "gminy_animator").set_value("bartek").run()
    [chosen] = [m for m in at.multiselect if m.key.startswith("gminy_wybor_bartek")]
    chosen.set_value(["0201032"]).run()
    [reason] = [t for t in at.text_input if t.key.startswith("gminy_powod_bartek")]
    reason.input("podział pracy")
    at.button("gminy_zapisz").click().run()
    assert not at.exception and not at.error
    assert any("Zapisano gminy animatora Bartosz Lis" in s.value for s in at.success)
    assert read(fresh, "SELECT animator FROM pilot_gmina WHERE terc = '0201032'") == [("bartek",)]
    conn = warehouse.connect(fresh, read_only=True)
    try:
        assert users.load_actor(conn, "bartek").gminy == {"0201032"}
    finally:
        conn.close()

    # Nowogrodziec leaves the pilot; the register shows it as a former pilot gmina
    dane = page("dane")
    keyed(dane.selectbox, "dane_section").set_value("Gminy w pilotażu: zmiany i wyjście").run()
    keyed(dane.selectbox, "f_pchg_gmina").set_value("0201042").run()
    [why] = [t for t in dane.text_input if t.key.startswith("f_pleave_reason_0201042")]
    why.input("rezygnacja gminy")
    dane.button("f_pleave_save").click().run()
    assert not dane.exception and not dane.error
    assert any("Nowogrodziec: gmina wyszła z pilotażu." in s.value for s in dane.success)
    register = dane.dataframe[0].value
    rows = dict(zip(register["Gmina"], register["Stan"], strict=True))
    assert rows == {"Bolesławiec": "w pilotażu", "Gromadka": "w pilotażu", "Nowogrodziec": "poza pilotażem"}
    assert read(fresh, "SELECT reason FROM pilot_exit") == [("rezygnacja gminy",)]

    # and the checklist has nothing left on Przegląd
    assert not [e for e in page("przeglad").expander if "Pierwsze kroki" in e.label]


def test_the_change_form_shows_the_current_values_and_refuses_no_reason(fresh):
    with_terc(fresh)
    at = add_animator(page("uzytkownicy"), "ania", "Anna Nowak")
    at = add_animator(at, "bartek", "Bartosz Lis")
    dane = page("dane")
    keyed(dane.selectbox, "dane_section").set_value("Gmina w pilotażu").run()
    add_pilot_gmina(dane, "0201032", "ania")
    dane = page("dane")
    keyed(dane.selectbox, "dane_section").set_value("Gminy w pilotażu: zmiany i wyjście").run()
    assert any("Teraz: animator Anna Nowak (ania), wariant wiejski" in c.value for c in dane.caption)
    [animator] = [s for s in dane.selectbox if s.key.startswith("f_pchg_animator_")]
    animator.set_value("bartek")
    dane.button("f_pchg_save").click().run()
    assert "Powód zmiany: pole nie może być puste" in dane.error[0].value
    [animator] = [s for s in dane.selectbox if s.key.startswith("f_pchg_animator_")]
    animator.set_value("bartek")
    [reason] = [t for t in dane.text_input if t.key.startswith("f_pchg_reason_")]
    reason.input("zmiana animatora")
    dane.button("f_pchg_save").click().run()
    assert not dane.error
    assert any("Teraz: animator Bartosz Lis (bartek)" in c.value for c in dane.caption)
    [reason] = [t for t in dane.text_input if t.key.startswith("f_pchg_reason_")]
    assert reason.value == ""  # the form is empty again after the save


def test_a_second_admin_change_does_not_carry_the_first_ones_reason(fresh):
    with_terc(fresh)
    at = add_animator(page("uzytkownicy"), "ania", "Anna Nowak")
    at = add_animator(at, "bartek", "Bartosz Lis")
    dane = page("dane")
    keyed(dane.selectbox, "dane_section").set_value("Gmina w pilotażu").run()
    add_pilot_gmina(dane, "0201032", "ania")
    dane = page("dane")
    keyed(dane.selectbox, "dane_section").set_value("Gminy w pilotażu: zmiany i wyjście").run()
    for animator, why in [("bartek", "podział pracy"), ("ania", None)]:
        [field] = [s for s in dane.selectbox if s.key.startswith("f_pchg_animator_")]
        field.set_value(animator)
        [reason] = [t for t in dane.text_input if t.key.startswith("f_pchg_reason_")]
        assert reason.value == ""  # the first change's reason is not offered to the second
        if why:
            reason.input(why)
        dane.button("f_pchg_save").click().run()
    assert "Powód zmiany: pole nie może być puste" in dane.error[0].value  # the second one had none
    assert read(fresh, "SELECT animator FROM pilot_gmina WHERE terc = '0201032'") == [("bartek",)]


def test_switching_off_an_animator_with_gminy_names_them(fresh):
    with_terc(fresh)
    page_ = add_animator(page("uzytkownicy"), "ania", "Anna Nowak")
    dane = page("dane")
    keyed(dane.selectbox, "dane_section").set_value("Gmina w pilotażu").run()
    add_pilot_gmina(dane, "0201032", "ania")
    page_ = page("uzytkownicy")
    keyed(page_.selectbox, "aktywnosc_login").set_value("ania")
    keyed(page_.radio, "aktywnosc_stan").set_value("wyłączone")
    page_.button(key="zapisz_aktywnosc").click().run()
    assert "opiekuje się gminami pilotażowymi Gromadka" in page_.error[0].value
    keyed(page_.selectbox, "rola_login").set_value("admin")
    keyed(page_.selectbox, "rola_nowa").set_value("wzk")
    page_.button(key="zmien_role").click().run()
    assert "jedyne aktywne konto administratora" in page_.error[0].value


def test_a_terc_type_change_is_noticed_and_fixed_in_one_click(fresh):
    with_terc(fresh)
    add_animator(page("uzytkownicy"), "ania", "Anna Nowak")
    dane = page("dane")
    keyed(dane.selectbox, "dane_section").set_value("Gmina w pilotażu").run()
    add_pilot_gmina(dane, "0201032", "ania")
    st.cache_resource.clear()
    conn = warehouse.connect(fresh)
    try:
        import_terc(
            conn,
            TERC.replace(
                "02;01;03;2;Gromadka;gmina wiejska", "02;01;03;3;Gromadka;gmina miejsko-wiejska"
            ).encode(),
            "02",
            "admin",
        )
    finally:
        conn.close()
    landing = page("przeglad")
    assert any("Gmina pilotażowa ma wariant modelu niezgodny" in w.value for w in landing.warning)
    dane = page("dane")
    keyed(dane.selectbox, "dane_section").set_value("Gminy w pilotażu: zmiany i wyjście").run()
    assert any("Gromadka" in w.value and "miejsko-wiejska" in w.value for w in dane.warning)
    dane.button("f_fix_variant_0201033").click().run()
    assert not dane.exception and not dane.error
    assert any("wariant zmieniony na miejsko-wiejski" in s.value for s in dane.success)
    assert not dane.warning
    assert read(fresh, "SELECT variant FROM pilot_gmina WHERE terc = '0201033'") == [("urban_rural",)]


def test_the_demo_hint_lists_only_the_demo_accounts(app_db):
    from kooperacja.accounts.users import add_user

    conn = warehouse.connect(app_db)
    try:
        add_user(conn, ADMIN, "ewa", "Ewa Nowa", "animator", "trzy słowa wiosną")
    finally:
        conn.close()
    st.cache_resource.clear()
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"), default_timeout=30).run()
    hint = at.info[0].value
    assert "`animator1`" in hint and "`ewa`" not in hint


UPLOAD = """
import streamlit as st

class _Upload:
    def __init__(self, data):
        self.data = data

    def getvalue(self):
        return self.data

_real = st.file_uploader

def _fake(label, *args, key=None, **kwargs):
    # AppTest cannot drive a file uploader: the template's uploader hands over the edited file
    if key and key.startswith("f_tpl_file") and st.session_state.get("_tpl_bytes"):
        return _Upload(st.session_state["_tpl_bytes"])
    return _real(label, *args, key=key, **kwargs)

st.file_uploader = _fake
try:
    from pages.dane import render
    render()
finally:
    st.file_uploader = _real
"""


def test_a_new_template_version_is_listed_and_offered_right_after_the_upload(fresh):
    from kooperacja.programme import data_entry

    conn = warehouse.connect(fresh)
    try:
        tpl = data_entry.templates(conn)
        text = data_entry.template_csv(conn, int(tpl.template_id[0]), 1).replace(",3,3,", ",4,5,", 1)
    finally:
        conn.close()
    st.cache_resource.clear()
    at = AppTest.from_string(UPLOAD, default_timeout=30)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "admin"
    at.session_state["roles"] = ["admin"]
    at.run()
    keyed(at.selectbox, "dane_section").set_value("Szablon harmonogramu").run()
    assert len(at.dataframe[0].value) == 1
    at.session_state["_tpl_bytes"] = text.encode()
    at.run()
    at.button("f_tpl_save").click().run()
    assert not at.exception and not at.error
    assert any("Zapisano nową wersję szablonu." in s.value for s in at.success)
    assert list(at.dataframe[0].value["Wersja"]) == [2, 1]
    assert any("wersja 2" in o for o in keyed(at.selectbox, "f_tpl_pick").options)


def test_running_gminy_move_to_a_new_version_after_a_preview(fresh):
    from datetime import date as day

    from kooperacja.programme import data_entry
    from kooperacja.programme import services as programme

    with_terc(fresh)
    conn = warehouse.connect(fresh)
    try:
        users.add_user(conn, ADMIN, "ania", "Anna Nowak", "animator")
        programme.add_pilot_gmina(
            conn, ADMIN, "0201032", joined_on=day(2026, 1, 10), animator="ania", plan_start=day(2026, 2, 1)
        )
        tid = int(data_entry.templates(conn).template_id[0])
        text = data_entry.template_csv(conn, tid, 1).replace(",3,3,", ",4,5,", 1)
        data_entry.save_template_version(conn, ADMIN, text, tid)
    finally:
        conn.close()
    dane = page("dane")
    keyed(dane.selectbox, "dane_section").set_value("Szablon harmonogramu").run()
    assert keyed(dane.selectbox, "f_move_target").value == (tid, 2)
    assert keyed(dane.multiselect, f"f_move_gminy_{tid}_2").value == ["0201032"]
    [preview] = [e for e in dane.expander if e.label.startswith("Gromadka:")]
    assert preview.label == "Gromadka: 1 podkrok zmienia termin, 0 dodanych, 0 usuniętych"
    [shown] = [d.value for d in dane.dataframe if "Było" in d.value.columns]
    assert list(shown.iloc[0][["Podkrok", "Było", "Będzie"]]) == [
        "3",
        "01.04.2026–30.04.2026",
        "01.05.2026–30.06.2026",
    ]
    keyed(dane.text_input, f"f_move_reason_{tid}_2").input("nowa wersja harmonogramu")
    dane.button("f_move_save").click().run()
    assert not dane.exception and not dane.error
    assert any("Przeniesiono 1 gminę" in s.value for s in dane.success)
    assert read(fresh, "SELECT template_version FROM pilot_gmina") == [(2,)]
