"""Saving from a form: run the domain write, show a refusal in Polish, or clear the form and say so.

After a successful save the form's widgets are cleared (no previous note left for the next entry) and
the page runs again, showing the success message at the top (`show_flash`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st

from kooperacja.model.errors import KooperacjaError
from kooperacja.ui import errors, versions

FLASH = "cases_flash"  # messages to show after the rerun that follows a successful save
REASON_HELP = "Powód zostaje w historii zmian razem z poprzednią wersją. Bez danych osobowych."
PICK = "Wybierz…"


def clear(keys: Iterable[str]) -> None:
    """Drop the widgets' values: on the next run they show their defaults again."""
    for key in keys:
        st.session_state.pop(key, None)


def submit(
    label: str,
    key: str,
    action: Callable[[], Any],
    success: Callable[[Any], list[tuple[str, str]]],
    form: str | None = None,
    *,
    reset: Iterable[str] = (),
    kind: str = "primary",
) -> None:
    """A button that runs `action`; a KooperacjaError is shown in Polish, success after a rerun.

    `form`: the create form whose `versions.form_token` the action carries (a repeat is said so).
    `reset`: the widget keys to clear after a successful save.
    """
    if not st.button(label, key=key, type=kind):  # type: ignore[arg-type]
        return
    try:
        result = action()
    except KooperacjaError as exc:
        errors.show(exc)
        return
    versions.forget()  # the user's own save: no "changed meanwhile" on the next run
    repeat = form is not None and versions.saved(form)
    st.session_state[FLASH] = success(result) + ([("info", versions.REPEATED)] if repeat else [])
    clear(reset)
    st.rerun()


def ok(text: str) -> Callable[[Any], list[tuple[str, str]]]:
    """The `success` of a form whose save shows one fixed message."""
    return lambda _: [("success", text)]


def show_flash() -> None:
    for kind, text in st.session_state.pop(FLASH, []):
        {"warning": st.warning, "info": st.info}.get(kind, st.success)(text)


def reason_input(key: str, label: str = "Powód zmiany (wymagany)") -> str:
    return st.text_input(label, key=key, help=REASON_HELP, placeholder="np. pomyłka w dacie")
