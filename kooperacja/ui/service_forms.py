"""Forms of the Usługi page: add a service, correct it, end it, or withdraw one entered by mistake.

The area is chosen from the territory by name (never typed); every save goes through kooperacja.lku,
which runs the same check as the import.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from kooperacja import lku
from kooperacja.cases import core as cases
from kooperacja.model import access, vocab
from kooperacja.model.access import Actor
from kooperacja.ui import saving, session, versions, widgets

REQUIRED_CHOICES = ("institution_id", "area_terc")


def _index(options: list[Any], value: Any) -> int | None:
    return options.index(value) if value in options else None


def _fields(actor: Actor, prefix: str, initial: dict[str, Any], today: date) -> dict[str, Any]:
    """The service's widgets (prefilled from `initial`, keyed by the round of form `prefix`) → the data for
    kooperacja.lku."""
    k = saving.keys(prefix)
    conn = session.get_conn()
    levels = list(vocab.LEVELS)
    level = st.selectbox(
        "Poziom",
        levels,
        index=_index(levels, initial.get("level")) or 0,
        format_func=vocab.LEVELS.__getitem__,
        key=k(f"{prefix}_level"),
        placeholder=widgets.PICK,
    )
    places = lku.area_choices(conn, actor, level)
    if not places:
        st.caption("Na tym poziomie nie prowadzisz usług (animator: gminy i powiaty, którymi się opiekuje).")
    area_key = k(f"{prefix}_area_{level}")
    area = st.selectbox(
        "Obszar",
        list(places),
        index=_index(list(places), initial.get("area_terc")) if places else None,
        format_func=places.__getitem__,
        key=area_key,
        placeholder=widgets.PICK,
    )
    providers = lku.provider_choices(conn, area=area, keep=initial.get("institution_id")) if area else {}
    inst = st.selectbox(
        "Realizator (instytucja z obszaru, jego powiatu lub województwa)",
        list(providers),
        index=_index(list(providers), initial.get("institution_id")),
        format_func=providers.__getitem__,
        key=k(f"{prefix}_inst"),
        placeholder=widgets.PICK if area else "Najpierw wybierz obszar",
    )
    name = st.text_input("Nazwa usługi", value=initial.get("name", ""), key=k(f"{prefix}_name"))
    categories = list(vocab.SERVICE_CATEGORIES)
    category = st.selectbox(
        "Kategoria",
        categories,
        index=_index(categories, initial.get("category")) or 0,
        format_func=vocab.SERVICE_CATEGORIES.__getitem__,
        key=k(f"{prefix}_category"),
        placeholder=widgets.PICK,
    )
    groups = st.multiselect(
        "Dla kogo",
        list(vocab.TARGET_GROUPS),
        default=list(initial.get("target_groups") or []),
        format_func=vocab.TARGET_GROUPS.__getitem__,
        key=k(f"{prefix}_groups"),
        placeholder=widgets.PICK,
        select_all=False,
    )
    areas = cases.list_problem_areas(conn)
    problems = st.multiselect(
        "Obszary problemowe",
        list(areas),
        default=[p for p in initial.get("problem_areas") or [] if p in areas],
        format_func=areas.__getitem__,
        key=k(f"{prefix}_problems"),
        placeholder=widgets.PICK,
        select_all=False,
    )
    how = st.text_area("Jak skorzystać", value=initial.get("access") or "", key=k(f"{prefix}_access"))
    contact = st.text_input(
        "Kontakt (telefon, e-mail instytucji)", value=initial.get("contact") or "", key=k(f"{prefix}_contact")
    )
    left, right = st.columns(2)
    since = left.date_input(
        "Ważna od", value=initial.get("valid_from") or today, key=k(f"{prefix}_from"), **widgets.DATE
    )
    until = right.date_input(
        "Ważna do (puste: bezterminowo)", value=initial.get("valid_to"), key=k(f"{prefix}_to"), **widgets.DATE
    )
    data = {
        "institution_id": inst,
        "name": name,
        "category": category,
        "target_groups": groups,
        "problem_areas": problems,
        "level": level,
        "area_terc": area,
        "access": how.strip() or None,
        "contact": contact.strip() or None,
        "valid_from": since,
        "valid_to": until,
    }
    # a choice not made yet reads "pole wymagane", as a missing cell of the import does
    return {f: v for f, v in data.items() if v is not None or f not in REQUIRED_CHOICES}


def add_form(actor: Actor, today: date) -> None:
    """A new service of the lokalny koszyk usług."""
    data = _fields(actor, "svc_new", {}, today)
    token = versions.form_token("svc_new", data)
    saving.submit(
        "svc_new",
        "Zapisz usługę",
        "svc_new_submit",
        lambda: lku.add_service(session.get_conn(), actor, data, form_token=token),
        saving.ok(f"Zapisano usługę „{data['name']}”."),
    )


def correction_forms(actor: Actor, card: dict[str, Any], today: date) -> None:
    """Below a service's card: correct it, end it, or withdraw it (each with what it needs)."""
    if not access.can_edit_service(actor, card["level"], card["area_terc"]):
        return
    sid = int(card["service_id"])
    version = versions.loaded("service", {sid: card["row_version"]}).get(sid)
    with st.expander("Popraw usługę"):
        data = _fields(actor, f"svc_edit_{sid}", card, today)
        reason = saving.reason_input(saving.keys(f"svc_edit_{sid}")(f"svc_edit_{sid}_reason"))
        saving.submit(
            f"svc_edit_{sid}",
            "Zapisz poprawkę",
            "svc_edit_submit",
            lambda: lku.update_service(
                session.get_conn(), actor, sid, data, reason=reason, expected_version=version
            ),
            saving.ok("Poprawiono usługę."),
        )
    with st.expander("Zakończ usługę"):
        key = saving.keys(f"svc_end_{sid}")(f"svc_end_{sid}")
        end = st.date_input("Ostatni dzień usługi", value=today, key=key, **widgets.DATE)
        saving.submit(
            f"svc_end_{sid}",
            "Zakończ usługę",
            "svc_end_submit",
            lambda: lku.end_service(session.get_conn(), actor, sid, end, expected_version=version),
            saving.ok(f"Usługa jest ważna do {end:%d.%m.%Y}."),
        )
    with st.expander("Wycofaj usługę wpisaną przez pomyłkę"):
        st.caption("Usługi z koszyka sprawy nie można wycofać — zakończ ją zamiast tego.")
        why = saving.reason_input(saving.keys(f"svc_withdraw_{sid}")(f"svc_withdraw_{sid}_reason"))
        saving.submit(
            f"svc_withdraw_{sid}",
            "Wycofaj usługę",
            "svc_withdraw_submit",
            lambda: lku.withdraw_service(
                session.get_conn(), actor, sid, reason=why, expected_version=version
            ),
            saving.ok(f"Wycofano usługę „{card['name']}”."),
            kind="secondary",
        )
