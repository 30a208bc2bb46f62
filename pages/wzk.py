"""WZK: members, meetings with attendance and decisions, recommendations, and the meeting mode."""

from __future__ import annotations

import streamlit as st

from kooperacja import wzk
from kooperacja.charts import report as report_charts
from kooperacja.documents import slides as presentation
from kooperacja.model import vocab
from kooperacja.model.formatting import fmt_date
from kooperacja.ui import data, documents, links, saving, session, widgets, wzk_forms
from kooperacja.ui.text import html_text, plain

SLIDE_KEY = "wzk_slide"
SLIDE_CSS = """<style>
.wzk-slide h1 {font-size: 3.2rem; margin-bottom: 0.4em}
.wzk-numbers {display: flex; gap: 2.5rem; flex-wrap: wrap; margin: 0.6em 0 0.8em}
.wzk-number b {display: block; font-size: 4.2rem; line-height: 1.05; color: #0072B2}
.wzk-number span {font-size: 1.5rem}
.wzk-slide li {font-size: 1.7rem; line-height: 1.45}
.wzk-counter {font-size: 1.3rem; color: #666; text-align: center}
</style>"""


def _slide_html(slide: wzk.Slide) -> str:
    numbers = "".join(
        f'<div class="wzk-number"><b>{html_text(v)}</b><span>{html_text(k)}</span></div>'
        for k, v in slide.numbers
    )
    lines = "".join(f"<li>{html_text(line)}</li>" for line in slide.lines)
    return (
        f'<div class="wzk-slide"><h1>{html_text(slide.title)}</h1><div class="wzk-numbers">{numbers}</div>'
        f"<ul>{lines}</ul></div>"
    )


def _move(delta: int, total: int) -> None:
    st.session_state[SLIDE_KEY] = max(0, min(total - 1, st.session_state.get(SLIDE_KEY, 0) + delta))


def _meeting_mode(actor) -> None:
    slides = data.meeting_slides(actor)
    _presentation(slides)  # above the slide: a long chart would push it out of sight
    total = len(slides)
    n = max(0, min(st.session_state.get(SLIDE_KEY, 0), total - 1))
    back, counter, forward = st.columns([1, 4, 1])
    back.button(
        "Wstecz",
        key="wzk_prev",
        disabled=n == 0,
        icon=":material/arrow_back:",
        on_click=_move,
        args=(-1, total),
    )
    forward.button(
        "Dalej",
        key="wzk_next",
        disabled=n >= total - 1,
        icon=":material/arrow_forward:",
        on_click=_move,
        args=(1, total),
    )
    counter.markdown(f'<div class="wzk-counter">{n + 1} / {total}</div>', unsafe_allow_html=True)
    slide = slides[n]
    st.markdown(SLIDE_CSS + _slide_html(slide), unsafe_allow_html=True)
    if slide.chart is not None and len(slide.chart):
        st.plotly_chart(report_charts.bars(slide.chart), key=f"wzk_slide_chart_{n}", width="stretch")


def _presentation(slides: list[wzk.Slide]) -> None:
    """These very screens as a .pptx for the next meeting, built only when the button is clicked."""
    conn, today = session.get_conn(), session.today()
    facts = presentation.meeting_facts(conn, presentation.next_meeting(conn, today))
    st.download_button(
        "Pobierz prezentację (PPTX)",
        data=lambda: presentation.to_pptx(slides, facts, today),
        file_name=presentation.file_name(facts),
        mime=presentation.PPTX_MIME,
        key="wzk_pptx",
        on_click="ignore",
        icon=":material/slideshow:",
    )


def _members(actor, today) -> None:
    members = wzk.list_members(session.get_conn(), today)
    shown = members.assign(active=members.active.map({True: "tak", False: "nie"}))
    table = shown[["full_name", "role", "institution", "from_on", "to_on", "active"]].set_axis(
        ["Imię i nazwisko", "Funkcja", "Instytucja", "Od", "Do", "W składzie"], axis=1
    )
    widgets.table(table, "wzk_members", "wzk_sklad")
    st.caption("Członek, który odszedł, nie liczy się do składu posiedzeń po dniu odejścia.")
    if actor.is_admin:
        wzk_forms.member_forms(actor, members, today)


def _meetings(actor, today) -> None:
    meetings = wzk.list_meetings(session.get_conn())
    table = meetings.assign(
        attendance=[f"{p} z {m}" for p, m in zip(meetings.present, meetings.members, strict=True)]
    )
    table = table[["held_on", "agenda", "decisions", "attendance", "recommendations"]].set_axis(
        ["Data", "Porządek", "Ustalenia", "Obecni", "Rekomendacje"], axis=1
    )
    event = widgets.table(table, "wzk_meetings", "wzk_posiedzenia", select=True)
    rows = event.selection.rows if event is not None else []
    if rows:
        row = meetings.iloc[rows[0]]
        present = wzk.attendance(session.get_conn(), int(row.meeting_id))
        st.markdown(f"**Obecni {fmt_date(row.held_on)}:** " + ", ".join(plain(n) for n in present.full_name))
        documents.button(actor, "protokol_wzk", int(row.meeting_id), label="Pobierz protokół posiedzenia")
    else:
        st.caption("Zaznacz posiedzenie w tabeli, aby zobaczyć obecnych i pobrać protokół.")
    if actor.is_admin:
        wzk_forms.meeting_forms(actor, meetings, today)


def _recommendations(actor, today) -> None:
    recs = wzk.list_recommendations(session.get_conn())
    table = recs.assign(
        kind=recs.kind.map(vocab.RECOMMENDATION_KINDS), status=recs.status.map(vocab.RECOMMENDATION_STATUSES)
    )
    table = table[["made_on", "kind", "text", "owner", "meeting_on", "status", "status_on"]].set_axis(
        ["Data", "Rodzaj", "Treść", "Odpowiedzialny", "Posiedzenie", "Status", "Data statusu"], axis=1
    )
    widgets.table(table, "wzk_recs", "wzk_rekomendacje")
    if actor.is_admin:
        wzk_forms.recommendation_forms(actor, recs, today)


def _linked_meeting(meeting_id: int) -> None:
    """The meeting a link names (`/wzk?meeting=…`), over the list of meetings."""
    found = wzk.list_meetings(session.get_conn())
    found = found[found.meeting_id == meeting_id]
    if found.empty:
        st.warning(links.UNKNOWN["wzk"].format(key=meeting_id), icon=":material/link_off:")
        return
    row = found.iloc[0]
    present = wzk.attendance(session.get_conn(), meeting_id)
    with st.container(border=True):
        st.markdown(f"**Posiedzenie WZK z {fmt_date(row.held_on)}**  \nPorządek: {plain(row.agenda)}")
        if isinstance(row.decisions, str) and row.decisions:
            st.markdown(f"Ustalenia: {plain(row.decisions)}")
        st.markdown("Obecni: " + (", ".join(plain(n) for n in present.full_name) or "brak zapisanych"))


def render() -> None:
    actor = session.require_page("wzk")
    st.title("Wojewódzki Zespół Kooperacji")
    today = session.today()
    saving.show_flash()
    if st.toggle("Tryb posiedzenia", key="wzk_meeting_mode"):
        with widgets.errors_shown():
            _meeting_mode(actor)
        return
    linked = links.number("wzk")
    members, meetings, recs = st.tabs(
        ["Skład", "Posiedzenia", "Rekomendacje"], default=None if linked is None else "Posiedzenia"
    )
    with widgets.errors_shown():
        if linked is not None:
            with meetings:
                _linked_meeting(linked)
        with members:
            _members(actor, today)
        with meetings:
            _meetings(actor, today)
        with recs:
            _recommendations(actor, today)


if __name__ == "__main__":  # run directly by the legacy pages/ mechanism: go to app.py
    from kooperacja.ui import nav

    nav.back_to_app("wzk")
