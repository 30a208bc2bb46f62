"""Pomoc: the glossary — K1–K10, the bodies (PZK, GGK, ZZK, WZK, LKU), the statuses, "<5" and "x",
and every alert rule with its source. Built from the model's constants, so it follows them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kooperacja.model import disclosure, rules, vocab
from kooperacja.model.formatting import plural
from kooperacja.programme import harmonogram
from kooperacja.programme.queries import PROGRESS_LABELS
from kooperacja.ui import session, widgets
from kooperacja.ui.text import plain

SEED_RURAL = "harmonogram modelu dla gmin wiejskich (K1–K10, 18 miesięcy)"
SEED_HANDBOOK = "podręcznik modelu dla gmin miejsko-wiejskich (Toruń 2019)"
BODIES = {
    "PZK": "Partnerski Zespół Kooperacji: kierownicy instytucji gminy i powiatu, którzy podpisali "
    "porozumienie o współpracy. Instytucja może przystąpić później (pozostałe są o tym informowane) "
    "albo wystąpić.",
    "GGK": "Gminna Grupa Kooperacji (model miejsko-wiejski): zespół pracowników pierwszego kontaktu "
    "z instytucji PZK zwoływany przez koordynatora OPS do jednej sprawy (osoba, rodzina, grupa).",
    "ZZK": "Zadaniowy Zespół Kooperacyjny (model miejski, KOOPERACJE 3D): odpowiednik GGK w gminach "
    "miejskich.",
    "WZK": "Wojewódzki Zespół Kooperacji: pracownicy ROPS, podmioty wojewódzkie, członek Zarządu "
    "Województwa i przedstawiciele uczelni; spotyka się z animatorami co kwartał (krok K8).",
    "LKU": "Lokalny Koszyk Usług (lista aktywności i usług): usługi i działania, które instytucje PZK "
    "oferują w gminie i powiecie; ROPS prowadzi listę wojewódzką. Indywidualny koszyk (IKU) to "
    "usługi wybrane dla jednej sprawy.",
    "ROPS": "Regionalny Ośrodek Polityki Społecznej: prowadzi wdrażanie modelu w województwie.",
    "OPS / GOPS / MOPS": "ośrodek pomocy społecznej gminy (gminny, miejski); jego koordynator prowadzi "
    "model w gminie.",
    "PCPR": "Powiatowe Centrum Pomocy Rodzinie.",
}
STATUS_MEANINGS = {
    rules.Status.DONE: "podkrok zakończony w terminie planu",
    rules.Status.DONE_LATE: "podkrok zakończony po terminie planu",
    rules.Status.ON_TIME: "podkrok rozpoczęty, jego termin jeszcze nie minął",
    rules.Status.DUE: "okno planu trwa, a podkroku jeszcze nie rozpoczęto",
    rules.Status.OVERDUE: "termin planu minął, a podkrok nie jest zakończony",
    rules.Status.NOT_YET_DUE: "okno planu jeszcze się nie zaczęło",
}


def _months(n: int) -> str:
    return plural(n, "miesiąc", "miesiące", "miesięcy")


def progress_meanings() -> dict[str, str]:
    """The gmina progress states (the map, the overview) in words, from the rule constants."""
    return {
        PROGRESS_LABELS["on_time"]: "żaden podkrok gminy nie jest po terminie",
        PROGRESS_LABELS["late"]: "co najmniej jeden podkrok jest po terminie",
        PROGRESS_LABELS["stalled"]: "podkroki są po terminie, a od co najmniej "
        f"{rules.days_pl(rules.STALLED_DAYS)} nie zapisano żadnego zdarzenia kroku (rozpoczęcia ani "
        "zakończenia; liczone od startu planu, gdy zdarzeń nie ma)",
    }


def rule_sources() -> dict[str, tuple[str, str]]:
    """Each alert rule (a `rules.RULE_LABELS` code): what it asks for and where the model says so."""
    return {
        "step_overdue": (
            "podkrok harmonogramu gminy nie jest zakończony, choć termin planu minął",
            f"{SEED_RURAL}; plan gminy liczony od startu planu",
        ),
        "step_due": (
            f"podkrok w oknie planu ma termin w ciągu {rules.days_pl(rules.DUE_SOON_DAYS)}",
            SEED_RURAL,
        ),
        "first_contact": (
            f"ROPS kontaktuje się z gminą w ciągu {rules.days_pl(rules.FIRST_CONTACT_DAYS)} od "
            "wpłynięcia zgłoszenia",
            f"{SEED_HANDBOOK}, rozdz. 3.1",
        ),
        "self_formed_report": (
            f"samodzielnie zawiązaną współpracę zgłasza się do ROPS w ciągu "
            f"{rules.days_pl(rules.SELF_FORMED_REPORT_DAYS)} od podpisania, z kopią porozumienia",
            f"{SEED_HANDBOOK}, rozdz. 3.5",
        ),
        "ggk_notice": (
            f"instytucje zaproszone na spotkanie GGK/ZZK są powiadamiane co najmniej "
            f"{rules.days_pl(rules.GGK_NOTICE_DAYS)} wcześniej",
            f"{SEED_HANDBOOK}, rozdz. 4.2",
        ),
        "monthly_report": (
            "każde zadanie planu pracy sprawy ma sprawozdanie za każdy miesiąc realizacji",
            f"{SEED_HANDBOOK}, rozdz. 4.4 (załącznik 7)",
        ),
        "monitoring": (
            f"spotkanie monitorujące sprawę odbywa się co najmniej co "
            f"{_months(rules.MONITORING_EVERY_MONTHS)}",
            f"{SEED_HANDBOOK}, rozdz. 4.4",
        ),
        "wzk_quarterly": (
            f"WZK spotyka się z animatorami co najmniej co {_months(rules.WZK_EVERY_MONTHS)}",
            f"{SEED_RURAL}, krok K8",
        ),
        "network_baseline": (
            "gmina bada współpracę instytucji (analiza sieci, karta oceny współpracy) w diagnozie — "
            "najpóźniej gdy dochodzi do kroku K5 albo mija jego termin w planie",
            f"{SEED_HANDBOOK}, rozdz. 2.2",
        ),
        "network_endline": (
            "ewaluacja powtarza badanie współpracy instytucji — gdy gmina dochodzi do kroku K9 albo mija "
            "jego termin w planie",
            f"{SEED_HANDBOOK}, rozdz. 5; {SEED_RURAL}, krok K9",
        ),
    }


def steps_table() -> pd.DataFrame:
    """K1–K10 of the default template, a row per sub-step."""
    text = harmonogram.DEFAULT_TEMPLATE_CSV.read_text(encoding="utf-8")
    steps = harmonogram.parse_template_csv(text)
    return pd.DataFrame(
        {
            "Krok": [s.step for s in steps],
            "Podkrok": [s.substep for s in steps],
            "Zadanie": [s.title for s in steps],
            "Kto": [s.responsible for s in steps],
            "Poziom": [vocab.LEVELS.get(s.level, s.level) for s in steps],
            "Miesiące planu": [
                str(s.start_month) if s.start_month == s.end_month else f"{s.start_month}–{s.end_month}"
                for s in steps
            ],
        }
    )


def _items(pairs) -> None:
    st.markdown("\n".join(f"- **{plain(term)}** — {plain(text)}" for term, text in pairs))


def render() -> None:
    session.require_page("pomoc")
    st.title("Pomoc")
    st.caption("Słowniczek pojęć i reguł, według których aplikacja liczy terminy i alerty.")
    st.subheader("Harmonogram K1–K10")
    st.markdown(
        "Każda gmina w pilotażu ma plan z kroków K1–K10 (podkroki 1.1, 1.2…), liczony od startu "
        f"planu według szablonu harmonogramu ({plain(harmonogram.DEFAULT_TEMPLATE_NAME)}; ROPS może "
        "go zmienić). Miesiące planu: 1 to pierwszy miesiąc od startu planu."
    )
    widgets.table(steps_table(), "pomoc_kroki", "harmonogram_k1_k10")
    st.subheader("Zespoły i pojęcia")
    _items(BODIES.items())
    st.subheader("Statusy podkroków")
    _items((rules.STATUS_LABELS[s], STATUS_MEANINGS[s]) for s in rules.STATUS_ORDER)
    st.subheader("Stan gminy")
    _items(progress_meanings().items())
    st.subheader(f"„{disclosure.LABEL}” i „{disclosure.SECONDARY}” w tabelach")
    _items(
        [
            (
                disclosure.LABEL,
                f"liczba od 1 do {disclosure.THRESHOLD - 1}: członkowie WZK i Zarząd Województwa nie "
                "widzą małych liczb, aby nikogo nie można było rozpoznać (0 pokazujemy jako 0)",
            ),
            (
                disclosure.SECONDARY,
                f"liczba ukryta dodatkowo, bo z sum i pozostałych komórek dałoby się wyliczyć "
                f"„{disclosure.LABEL}”",
            ),
        ]
    )
    st.subheader("Reguły alertów")
    sources = rule_sources()
    _items(
        (label, f"{sources[code][0]} (źródło: {sources[code][1]})")
        for code, label in rules.RULE_LABELS.items()
    )


if __name__ == "__main__":  # run directly by the legacy pages/ mechanism: go to app.py
    from kooperacja.ui import nav

    nav.back_to_app("pomoc")
