"""Pomoc: the glossary (placeholder)."""

import streamlit as st


def render() -> None:
    st.title("Pomoc")


if __name__ == "__main__":
    st.switch_page("app.py")
