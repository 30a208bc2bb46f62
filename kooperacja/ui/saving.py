"""Saving from a form, the one home: the save button, a refusal in Polish, an empty form after a save.

`submit` is every form's save button. It runs the domain write; a `KooperacjaError` is shown in Polish
and the form keeps what was typed, for the fix. A successful save opens the form's next round and
reruns: the form's widgets are keyed through `keys(form)`, so the next run draws new widgets with
their defaults (an empty note, a correction form showing the values now stored), and the success
message(s) are shown once — under the button (`said`) or where the page shows them (`show_flash`).

Streamlit keeps a keyed widget's value across runs, in the server's session and in the browser.
Removing the keys from `st.session_state` is not enough: the browser sends its copy back and the
next entry took the last one's note along. New keys per round are new widgets, in both places.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import streamlit as st

from kooperacja.model.errors import KooperacjaError
from kooperacja.ui import errors, versions

Messages = list[tuple[str, str]]  # (kind, text): "success", "warning", "info", or "code" (to copy exactly)
Success = str | Callable[[Any], Messages]

_ROUND = "_kooperacja_form_round"  # session key: {form: round}, 0 until the form's first save
_SAID = "_kooperacja_form_said"  # session key: {form: messages} to show on the run after the save
REASON_HELP = "Powód zostaje w historii zmian razem z poprzednią wersją. Bez danych osobowych."


def keys(form: str) -> Callable[[str], str]:
    """The widget keys of the form's current round: the plain key in round 0 (before any save)."""
    round_ = st.session_state.get(_ROUND, {}).get(form, 0)
    return lambda name: name if round_ == 0 else f"{name}__{round_}"


def _messages(success: Success, result: Any) -> Messages:
    return [("success", success)] if isinstance(success, str) else success(result)


def saved(form: str, messages: Messages) -> None:
    """After a successful save: the next run draws the form's next round and shows `messages`.

    `form` is also the name of the form's `versions.form_token` (if it has one): a click on the fresh
    form left untouched then writes nothing and tells the user so (`versions.REPEATED`).
    """
    repeated = versions.saved(form)
    versions.reset(form)
    versions.forget()  # the user's own save: no "changed meanwhile" on the next run
    repeat = [("info", versions.REPEATED)] if repeated else []
    st.session_state.setdefault(_SAID, {})[form] = messages + repeat
    rounds = st.session_state.setdefault(_ROUND, {})
    rounds[form] = rounds.get(form, 0) + 1
    st.rerun()


def attempt(
    form: str, action: Callable[[], Any], success: Success, before: Callable[[], None] | None = None
) -> None:
    """Run the domain write: a refusal is shown in Polish (the form keeps what was typed), a success
    opens the form's next round (`saved`). `before`: what to undo first on success (e.g. close a dialog)."""
    try:
        result = action()
    except KooperacjaError as exc:
        errors.show(exc)
        return
    if before is not None:
        before()
    saved(form, _messages(success, result))


def submit(
    form: str,
    label: str,
    key: str,
    action: Callable[[], Any],
    success: Success,
    *,
    kind: Literal["primary", "secondary", "tertiary"] = "primary",
    in_form: bool = False,
    disabled: bool = False,
    icon: str | None = None,
) -> None:
    """The form's save button (`in_form`: the submit button of the `st.form` around it).

    `success`: the message of a save, or a function of the write's result giving (kind, text) pairs.
    """
    button = st.form_submit_button if in_form else st.button
    if button(label, key=key, type=kind, disabled=disabled, icon=icon):
        attempt(form, action, success)
    said(form)


def ok(text: str) -> Callable[[Any], Messages]:
    """The `success` of a form whose save shows one fixed message."""
    return lambda _: [("success", text)]


def _show(messages: Messages) -> None:
    for kind, text in messages:
        if kind == "warning":
            st.warning(text)
        elif kind == "info":
            st.info(text)
        elif kind == "code":
            st.code(text, language=None)
        else:
            st.success(text, icon=":material/check_circle:")


def said(*forms: str) -> None:
    """What the last save of these forms wrote (once, on the run after it)."""
    found = st.session_state.get(_SAID, {})
    for form in forms:
        _show(found.pop(form, []))


def show_flash() -> None:
    """At the top of a page whose forms may vanish after a save (a closed case, a withdrawn record):
    every message still to be shown."""
    found = st.session_state.get(_SAID, {})
    for form in list(found):
        _show(found.pop(form))


def reason_input(key: str, label: str = "Powód zmiany (wymagany)", area: bool = False) -> str:
    """The reason of a correction or withdrawal (audited with the before-image)."""
    widget = st.text_area if area else st.text_input
    return widget(label, key=key, help=REASON_HELP, placeholder="np. pomyłka w dacie")
