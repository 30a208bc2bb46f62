"""The row versions a user's form was loaded with, so that a save over someone else's change is refused.

A form's submit is a new script run that reads the records again; the version that counts is the one
on the screen the user filled in, i.e. the one read on the previous run.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from typing import Any

import streamlit as st

_SEEN = "_kooperacja_loaded_versions"  # session key: {kind: {record key: row_version}}
_TOKENS = "_kooperacja_form_tokens"  # session key: {form: {"token", "digest", "saved"}}
REPEATED = (
    "Ten formularz z tymi samymi danymi już zapisano — drugi raz niczego nie dodano. "
    "Aby dodać kolejny wpis, zmień dane formularza."
)
_SHOWN = "_kooperacja_shown"  # session key: {kind: {record key: value}}, e.g. the stage of a case


def loaded(kind: str, current: Mapping[Any, Any]) -> dict[Any, int]:
    """The versions the user saw (last run's), remembering this run's for the next one.

    Example: the table showed recommendation 7 at version 1; meanwhile someone saved it (version 2);
    on the submit run `loaded("recommendation", {7: 2})` returns {7: 1}, and the save is refused.
    """
    seen = st.session_state.setdefault(_SEEN, {})
    before = seen.get(kind, {})
    now = {k: int(v) for k, v in current.items() if v is not None}
    seen[kind] = now
    return {**now, **{k: v for k, v in before.items() if k in now}}


def previous(kind: str, key: Any, value: Any) -> Any:
    """What `value` of record `key` was on the last run that showed it (None at first), remembering this one.

    E.g. the stage of the open case: a stage that moved since the user's screen (somebody else saved the
    case) may have taken away the form the user just submitted.
    """
    shown = st.session_state.setdefault(_SHOWN, {}).setdefault(kind, {})
    before = shown.get(key)
    shown[key] = value
    return before


def forget(kind: str | None = None) -> None:
    """After the user's own save: the next run starts from what is stored then (every kind by default)."""
    if kind is None:
        st.session_state.pop(_SEEN, None)
        st.session_state.pop(_SHOWN, None)
        return
    st.session_state.get(_SEEN, {}).pop(kind, None)
    st.session_state.get(_SHOWN, {}).pop(kind, None)


def _digest(values: tuple[Any, ...]) -> str:
    return hashlib.sha256(repr(values).encode("utf-8")).hexdigest()


def form_token(form: str, *values: Any) -> str:
    """The one-time token of a create form as filled in now: pass it to the domain write (`form_token=`).

    Call it on every run of the form with the values its widgets hold. The token stays the same until a
    save with it succeeds (`saved`); after that, the first change of any value draws a new one. So the
    same form sent again unchanged — a double click, a click on the form re-rendered after the save, a
    resent run — carries the used token and the warehouse returns the first save's result instead of
    writing a second row. A new entry needs a change, and a refused save keeps its token for the fix.
    A form cleared after its save and sent again as it was (the second click of a double click carries
    the old values) gets the used token back too: the saved values are remembered with their token.
    """
    tokens = st.session_state.setdefault(_TOKENS, {})
    digest = _digest(values)
    entry = tokens.get(form)
    done = entry.setdefault("done", {}) if entry else {}
    if digest in done:
        entry["last"] = done[digest]
        return done[digest]
    if entry is not None and entry["saved"] and entry["digest"] is None:  # the form emptied after a save
        entry["digest"] = digest
    if entry is None or (entry["saved"] and entry["digest"] != digest):
        entry = tokens[form] = {"token": uuid.uuid4().hex, "digest": digest, "saved": False, "done": done}
    elif not entry["saved"]:
        entry["digest"] = digest
    entry["last"] = entry["token"]
    return entry["token"]


def reset(form: str) -> None:
    """After a save, the form was emptied for the next entry: its empty values, as the next run draws
    them, count as the saved form's, so a click on the untouched form (a double click landing on the
    fresh form) writes nothing; the first change draws a new token."""
    entry = st.session_state.get(_TOKENS, {}).get(form)
    if entry is not None and entry["saved"]:
        entry["digest"] = None


def saved(form: str) -> bool:
    """After a successful save with `form_token(form, …)`; True when that token had been saved already
    (the submit was a repeat and wrote nothing: tell the user `REPEATED`)."""
    entry = st.session_state.get(_TOKENS, {}).get(form)
    if entry is None:
        return False
    done = entry.setdefault("done", {})
    if entry.get("last", entry["token"]) in done.values():
        return True
    repeat = bool(entry["saved"])
    entry["saved"] = True
    done[entry["digest"]] = entry["token"]
    return repeat
