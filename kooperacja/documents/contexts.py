"""What each Word document says: one context builder per kind, read through the existing read functions.

A builder checks who may read the record (model/access.py), writes dates as dd.mm.rrrr, labels not
codes, and hides small counts for the roles that see aggregates only (model/disclosure.py). Every
text in a context was stored through a record (model/records.py), so it passed the personal-data
guard; a case is named by its pseudonymous code only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from kooperacja import warehouse, wzk
from kooperacja.cases import card as case_reads
from kooperacja.documents.catalog import KINDS
from kooperacja.model import access, disclosure, rules, vocab
from kooperacja.model.access import Actor
from kooperacja.model.errors import AccessDenied, NotFound
from kooperacja.model.formatting import fmt_date, fmt_month, is_missing, plural, row_tuples
from kooperacja.programme import alerts as programme_alerts
from kooperacja.programme import dashboard, pzk, queries

NONE = "—"
MAX_ALERTS = 6  # a one-page card lists the most overdue; the rest are counted


@dataclass(frozen=True)
class Picture:
    """A PNG for the document (word.py turns it into docxtpl's InlineImage)."""

    png: bytes
    width_mm: int


def _d(value: Any) -> str:
    return fmt_date(value) or NONE


def _t(value: Any) -> str:
    return NONE if is_missing(value) or value == "" else str(value)


def _yes(value: Any) -> str:
    return "tak" if bool(value) else "nie"


def rops_name(conn: duckdb.DuckDBPyConnection) -> str:
    """The header's issuer: the setting "rops_name", else the ROPS of the region's name."""
    own = warehouse.get_setting(conn, "rops_name")
    if own:
        return own
    region = warehouse.get_setting(conn, "region_name") or "województwo"
    return f"Regionalny Ośrodek Polityki Społecznej — {region}"


def _may_open(actor: Actor, page: str, what: str) -> None:
    if not access.may_open(actor, page):
        raise AccessDenied(f"Użytkownik {actor.who} nie może pobrać dokumentu: {what}.")


PLACE = """
SELECT g.name, coalesce(p.name, left(g.terc, 4)) AS powiat, coalesce(p.is_city, false), g.kind
FROM gmina g LEFT JOIN powiat p ON p.terc = left(g.terc, 4) WHERE g.terc = ?
"""


def powiat_words(name: str, is_city: bool) -> str:
    """The powiat as a sentence names it (the register writes "głogowski", a demo "powiat zawiślański").

    >>> powiat_words("głogowski", False), powiat_words("powiat zawiślański", False)
    ('powiat głogowski', 'powiat zawiślański')
    >>> powiat_words("Toruń", True)
    'miasto na prawach powiatu Toruń'
    """
    if is_city:
        return f"miasto na prawach powiatu {name}"
    return name if name.lower().startswith("powiat") else f"powiat {name}"


def _place(conn: duckdb.DuckDBPyConnection, terc: str) -> dict[str, str]:
    rows = conn.cursor().execute(PLACE, [terc]).fetchall()
    if not rows:
        raise NotFound(f"Nie ma gminy o kodzie TERC {terc}.")
    name, powiat, is_city, kind = rows[0]
    return {"gmina": name, "powiat": powiat_words(powiat, is_city), "terc": terc, "_kind": kind}


def _public(place: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in place.items() if not k.startswith("_")}


ATTACHMENTS = {
    "has_diagnosis": "diagnoza gminy",
    "has_resources_card": "karta zasobów instytucjonalnych",
    "has_network_analysis": "analiza sieci instytucji",
    "has_agreement_copy": "kopia podpisanego porozumienia",
}
ZGLOSZENIE_TERC = "SELECT terc FROM zgloszenie WHERE zgloszenie_id = ?"


def zgloszenie(conn: duckdb.DuckDBPyConnection, actor: Actor, key: str, today: date) -> dict[str, Any]:
    _may_open(actor, "gmina", "zgłoszenie do ROPS")
    found = conn.cursor().execute(ZGLOSZENIE_TERC, [_number(key, "zgloszenie")]).fetchall()
    if not found:
        raise NotFound(f"Nie ma zgłoszenia nr {key}.")
    terc = found[0][0]
    rows = queries.zgloszenia(conn, terc, today)
    row = rows[rows.zgloszenie_id == int(key)].iloc[0]
    return {
        **_public(_place(conn, terc)),
        "numer": str(int(key)),
        "tryb": vocab.ROUTES.get(row.route, row.route),
        "data_wplywu": _d(row.received_on),
        "data_podpisania": _d(row.signed_on),
        "termin_kontaktu": _d(row.contact_deadline),
        "data_kontaktu": _d(row.first_contact_on),
        "stan_kontaktu": row.contact_state,
        "zalaczniki": [{"nazwa": name, "jest": _yes(row[col])} for col, name in ATTACHMENTS.items()],
        "uwagi": _t(row.note),
    }


def porozumienie_pzk(conn: duckdb.DuckDBPyConnection, actor: Actor, key: str, today: date) -> dict[str, Any]:
    _may_open(actor, "pzk", "porozumienie PZK")
    place = _place(conn, key)
    members = queries.pzk_on(conn, key, today)
    rows = [
        {
            "lp": str(n),
            "nazwa": r.name,
            "sektor": vocab.SECTORS.get(r.sector, r.sector),
            "poziom": vocab.LEVELS.get(r.level, r.level),
            "podpisano": _d(r.signed_on),
        }
        for n, r in enumerate(row_tuples(members, index=False), start=1)
    ]
    return {
        **_public(place),
        "stan_na": fmt_date(today),
        "liczba_czlonkow": plural(len(members), "instytucja", "instytucje", "instytucji"),
        "liczba_sektorow": plural(members.sector.nunique(), "sektor", "sektory", "sektorów"),
        "czlonkowie": rows,
    }


MEETING = """
SELECT m.kind, m.terc, m.case_code, m.held_on, m.agenda, m.decisions, m.family_present, p.variant
FROM meeting m LEFT JOIN pilot_gmina p USING (terc)
WHERE m.meeting_id = ? AND m.kind <> 'wzk'
"""


def _notice(held_on: date, notified_on: Any) -> str:
    short = rules.notice_short_days(held_on, queries.to_date(notified_on))
    if short is None:
        return "brak powiadomienia"
    return "tak" if short == 0 else f"nie ({plural(short, 'dzień', 'dni', 'dni')} za późno)"


def meeting(conn: duckdb.DuckDBPyConnection, actor: Actor, key: str, today: date) -> dict[str, Any]:
    """A gmina's or a case team's (GGK/ZZK) meeting: the invitation and the protocol share it."""
    meeting_id = _number(key, "zaproszenie_spotkanie")
    found = conn.cursor().execute(MEETING, [meeting_id]).fetchall()
    if not found:
        raise NotFound(f"Nie ma spotkania nr {key} (posiedzenia WZK mają własny protokół).")
    kind, terc, case_code, held_on, agenda, decisions, family, variant = found[0]
    if case_code is not None:
        access.require_case_read(actor)
    else:
        _may_open(actor, "pzk", "spotkanie gminy")
    attendees = pzk.attendance(conn, meeting_id)
    place = _place(conn, terc)
    team = f"gminy {place['gmina']}"  # the authorities and the institutions meet before any team
    if case_code is not None:
        team = vocab.TASK_TEAM.get(variant, "GGK/ZZK")
    elif kind in ("pzk", "pzk_formal"):
        team = "PZK"
    return {
        **_public(place),
        "rodzaj": vocab.MEETING_KINDS.get(kind, kind),
        "zespol": team,
        "kod_sprawy": case_code or NONE,
        "data_spotkania": fmt_date(held_on),
        "termin_powiadomienia": fmt_date(rules.notice_deadline(held_on)),
        "dni_powiadomienia": rules.days_pl(rules.GGK_NOTICE_DAYS),
        "porzadek": _t(agenda),
        "ustalenia": _t(decisions),
        "obecnosc_rodziny": "nie zapisano" if family is None else _yes(family),
        "liczba_uczestnikow": plural(len(attendees), "instytucja", "instytucje", "instytucji"),
        "uczestnicy": [
            {
                "instytucja": r.institution,
                "powiadomiono": _d(r.notified_on),
                "w_terminie": _notice(held_on, r.notified_on),
            }
            for r in row_tuples(attendees, index=False)
        ],
    }


CASE = """
SELECT case_code, terc, kind, referred_on, plan_on, main_goal, contract_kind, contract_from, contract_to,
       evaluated_on, evaluation, evaluation_note, closed_on, closure_reason
FROM case_file WHERE case_code = ?
"""


def _card(conn: duckdb.DuckDBPyConnection, code: str) -> dict[str, Any]:
    """The parts of `cases.card.case_card` a document shows, read for the one case only.

    (`case_card` starts from the case list's counts over every case: 1 s at national scale.)
    """
    cur = conn.cursor()
    found = cur.execute(CASE, [code]).df()
    if found.empty:
        raise NotFound(f"Nie ma sprawy {code}.")
    frames = {name: cur.execute(sql, [code]).df() for name, sql in (("goals", case_reads.GOALS),
              ("tasks", case_reads.TASKS), ("reports", case_reads.REPORTS))}  # fmt: skip
    meetings = cur.execute(case_reads.MEETINGS, {"code": code, "days": rules.GGK_NOTICE_DAYS}).df()
    return {"case": found.iloc[0].to_dict(), **frames, "meetings": meetings}


def _case(conn: duckdb.DuckDBPyConnection, actor: Actor, code: str) -> tuple[dict[str, Any], dict[str, Any]]:
    access.require_case_read(actor)
    card = _card(conn, code)
    case = card["case"]
    head = {
        **_public(_place(conn, case["terc"])),
        "kod_sprawy": code,
        "rodzaj_sprawy": vocab.CASE_KINDS.get(case["kind"], case["kind"]),
        "data_skierowania": _d(case["referred_on"]),
        "data_planu": _d(case["plan_on"]),
        "cel_glowny": _t(case["main_goal"]),
    }
    return head, card


def karta_planu_pracy(conn: duckdb.DuckDBPyConnection, actor: Actor, key: str, today: date) -> dict[str, Any]:
    head, card = _case(conn, actor, key)
    case = card["case"]
    period = NONE
    if not is_missing(case["contract_from"]):
        period = f"{fmt_date(case['contract_from'])}–{_d(case['contract_to'])}"
    closure = NONE
    if not is_missing(case["closed_on"]):
        closure = f"{fmt_date(case['closed_on'])}: {vocab.CLOSURE_REASONS.get(case['closure_reason'], NONE)}"
    return {
        **head,
        "cele": [{"lp": str(n), "tresc": g.text} for n, g in enumerate(row_tuples(card["goals"], False), 1)],
        "zadania": [
            {
                "cel": _t(t.goal),
                "opis": t.description,
                "instytucja": t.institution,
                "termin": _d(t.due_on),
                "wykonano": _d(t.done_on),
            }
            for t in row_tuples(card["tasks"], index=False)
        ],
        "umowa": vocab.CONTRACT_KINDS.get(case["contract_kind"], NONE),
        "umowa_okres": period,
        "ocena_data": _d(case["evaluated_on"]),
        "ocena": vocab.EVALUATIONS.get(case["evaluation"], NONE),
        "ocena_uwagi": _t(case["evaluation_note"]),
        "zakonczenie": closure,
    }


def monitoring_sprawy(conn: duckdb.DuckDBPyConnection, actor: Actor, key: str, today: date) -> dict[str, Any]:
    head, card = _case(conn, actor, key)
    reports = card["reports"].sort_values(["task_id", "month"], kind="stable")
    meetings = card["meetings"]
    meetings = meetings[meetings.kind == "monitoring"]
    return {
        **head,
        "liczba_sprawozdan": plural(len(reports), "sprawozdanie", "sprawozdania", "sprawozdań"),
        "sprawozdania": [
            {
                "zadanie": r.task,
                "instytucja": r.institution,
                "miesiac": fmt_month(r.month),
                "postep": vocab.REPORT_PROGRESS.get(r.progress, r.progress),
                "uwagi": _t(r.note),
                "zlozono": _d(r.reported_on),
            }
            for r in row_tuples(reports, index=False)
        ],
        "spotkania": [
            {"data": fmt_date(m.held_on), "ustalenia": _t(m.decisions)} for m in row_tuples(meetings, False)
        ],
    }


def protokol_wzk(conn: duckdb.DuckDBPyConnection, actor: Actor, key: str, today: date) -> dict[str, Any]:
    _may_open(actor, "wzk", "protokół posiedzenia WZK")
    meeting_id = _number(key, "protokol_wzk")
    meetings = wzk.list_meetings(conn)
    found = meetings[meetings.meeting_id == meeting_id]
    if found.empty:
        raise NotFound(f"Nie ma posiedzenia WZK nr {key}.")
    row = found.iloc[0]
    recs = wzk.list_recommendations(conn)
    recs = recs[recs.meeting_id == meeting_id]
    present = wzk.attendance(conn, meeting_id)
    return {
        "data_posiedzenia": fmt_date(row.held_on),
        "porzadek": _t(row.agenda),
        "ustalenia": _t(row.decisions),
        "frekwencja": f"{int(row.present)} z {plural(int(row.members), 'członka', 'członków', 'członków')}",
        "obecni": [{"imie_nazwisko": p.full_name, "funkcja": p.role} for p in row_tuples(present, False)],
        "rekomendacje": [
            {
                "rodzaj": vocab.RECOMMENDATION_KINDS.get(r.kind, r.kind),
                "tresc": r.text,
                "odpowiedzialny": r.owner,
                "status": vocab.RECOMMENDATION_STATUSES.get(r.status, r.status),
            }
            for r in row_tuples(recs, index=False)
        ],
    }


CASE_COUNTS = """
SELECT count(*) FILTER (WHERE closed_on IS NULL), count(*) FILTER (WHERE closed_on IS NOT NULL)
FROM case_file WHERE terc = ?
"""


def karta_gminy(
    conn: duckdb.DuckDBPyConnection, actor: Actor, key: str, today: date, alerts: pd.DataFrame | None = None
) -> dict[str, Any]:
    """One page on a pilot gmina; `alerts` is the region's to-do list when the caller has it already."""
    from kooperacja.documents import pictures  # matplotlib only when a card is drawn

    _may_open(actor, "gmina", "karta gminy")
    pilot = queries.list_pilot_gminy(conn, key)
    if pilot.empty:
        raise NotFound(f"Gmina o kodzie TERC {key} nie uczestniczy w pilotażu.")
    gmina = pilot.iloc[0]
    plan = queries.gmina_plans(conn, today, key)
    progress = queries.gmina_progress(conn, today, key)
    members = queries.pzk_on(conn, key, today)
    open_, closed = conn.cursor().execute(CASE_COUNTS, [key]).fetchall()[0]
    hidden = disclosure.hides(actor)
    if alerts is None:
        alerts = programme_alerts.list_alerts(conn, today, plan=plan, terc=key)  # this gmina only
    mine = dashboard.filter_alerts(dashboard.visible_alerts(alerts, actor), gminy=[key])
    listed = [
        {"regula": a.rule_label, "przedmiot": _t(a.subject), "termin": _d(a.due_on), "opis": _t(a.message)}
        for a in row_tuples(mine.head(MAX_ALERTS), index=False)
    ]
    if len(mine) > MAX_ALERTS:
        rest = plural(len(mine) - MAX_ALERTS, "alert", "alerty", "alertów")
        listed.append({"regula": f"… i {rest} więcej", "przedmiot": "", "termin": "", "opis": ""})
    step = progress.current_step
    return {
        **_public(_place(conn, key)),
        "rodzaj_gminy": gmina["kind"],
        "wariant": vocab.VARIANTS.get(gmina.variant, gmina.variant),
        "animator": gmina.animator,
        "start_planu": fmt_date(gmina.plan_start),
        "miesiac_planu": str(int(progress.month)),
        "biezacy_krok": NONE if is_missing(step) else f"{step} {progress.current_title}",
        "stan": queries.PROGRESS_LABELS[progress.progress_state],
        "opoznienie": plural(int(progress.delay_days), "dzień", "dni", "dni"),
        "kroki": f"{int(progress.done)} z {int(progress.substeps)}",
        "pzk": f"{plural(len(members), 'instytucja', 'instytucje', 'instytucji')}, "
        f"{plural(members.sector.nunique(), 'sektor', 'sektory', 'sektorów')}",
        "sprawy": f"otwarte: {disclosure.suppress_text(open_, hidden)}, "
        f"zakończone: {disclosure.suppress_text(closed, hidden)}",
        "liczba_alertow": plural(len(mine), "alert", "alerty", "alertów"),
        "alerty": listed,
        "harmonogram": Picture(pictures.gantt_png(plan, today), 160),
    }


def _number(key: str, kind: str) -> int:
    try:
        return int(str(key).strip())
    except ValueError:
        raise NotFound(f"{KINDS[kind].record.capitalize()} musi być liczbą, nie „{key}”.") from None


Builder = Callable[[duckdb.DuckDBPyConnection, Actor, str, date], dict[str, Any]]
BUILDERS: dict[str, Builder] = {
    "zgloszenie": zgloszenie,
    "porozumienie_pzk": porozumienie_pzk,
    "zaproszenie_spotkanie": meeting,
    "protokol_spotkania": meeting,
    "karta_planu_pracy": karta_planu_pracy,
    "monitoring_sprawy": monitoring_sprawy,
    "protokol_wzk": protokol_wzk,
    "karta_gminy": karta_gminy,
}


def build(
    conn: duckdb.DuckDBPyConnection, actor: Actor, kind: str, key: str, today: date, **prepared: Any
) -> dict[str, Any]:
    """The context of one document: the common header fields and the kind's own."""
    if kind not in BUILDERS:
        raise NotFound(f"Nie ma dokumentu „{kind}”; dostępne: {', '.join(KINDS)}.")
    own = BUILDERS[kind](conn, actor, str(key), today, **prepared)
    return {"rops": rops_name(conn), "data": fmt_date(today), **own}
