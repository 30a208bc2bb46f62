"""„O programie”: the sidebar expander with the version and the sources of the shipped reference data."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import streamlit as st

from kooperacja import warehouse
from kooperacja.territory import reference
from kooperacja.ui import session

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


@cache
def version() -> str:
    try:
        return str(tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "—"


def lines() -> list[str]:
    """The expander's text, one Markdown line each (escaped: the sources hold no markup)."""
    out = [f"**Kooperacja** {version()} — panel ROPS modelu kooperacji.", "", "Dołączone dane referencyjne:"]
    out += [
        f"- {what} — {state}; źródło: {source}; licencja: {licence}."
        for what, state, source, licence in reference.SOURCES
    ]
    out += ["", "Nowszy rejestr TERC albo granice gmin administrator wczytuje w „Wprowadzanie danych”."]
    return out


DEMO_NOTE = (
    "Dane demonstracyjne: instytucje, osoby, sprawy i zdarzenia są fikcyjne; gminy, powiaty "
    "i ich granice są prawdziwe (TERC 2025, PRG)."
)


def is_demo() -> bool:
    return warehouse.get_setting(session.get_conn(), "demo") == "true"


def demo_note() -> None:
    """Under the map of a demo installation: what is real and what is made up."""
    if is_demo():
        st.caption(DEMO_NOTE)


def sidebar() -> None:
    with st.sidebar.expander("O programie", icon=":material/info:"):
        st.markdown("\n".join(lines()))
        if is_demo():
            st.markdown(DEMO_NOTE)
