"""The Word documents the app offers: each kind's name, its record and the placeholders it fills.

`PLACEHOLDERS` is the one list of what each document offers: the built-in templates use these names,
an uploaded template may use no other, and the admin page lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Kind:
    title: str  # the document's name, as the pages and the admin list show it
    record: str  # what --id names, in Polish
    numeric: bool  # the key is a number (a notification, a meeting) rather than a code


KINDS: dict[str, Kind] = {
    "zgloszenie": Kind("Zgłoszenie do ROPS", "numer zgłoszenia", True),
    "porozumienie_pzk": Kind("Porozumienie o współpracy PZK", "kod TERC gminy", False),
    "zaproszenie_spotkanie": Kind("Zaproszenie na spotkanie", "numer spotkania", True),
    "protokol_spotkania": Kind("Protokół spotkania", "numer spotkania", True),
    "karta_planu_pracy": Kind("Karta planu pracy z osobą/rodziną", "kod sprawy", False),
    "monitoring_sprawy": Kind("Monitoring pracy z osobą/rodziną", "kod sprawy", False),
    "protokol_wzk": Kind("Protokół posiedzenia WZK", "numer posiedzenia", True),
    "karta_gminy": Kind("Karta gminy", "kod TERC gminy", False),
}

COMMON = {
    "rops": "nazwa ROPS (nagłówek)",
    "data": "data sporządzenia dokumentu (dd.mm.rrrr)",
}
_GMINA = {
    "gmina": "nazwa gminy",
    "powiat": "powiat, np. „powiat głogowski”",
    "terc": "kod TERC gminy",
}
_MEETING = {
    **_GMINA,
    "rodzaj": "rodzaj spotkania (słownie)",
    "zespol": "kto się spotyka: GGK albo ZZK (sprawa, wg wariantu gminy), PZK albo „gminy …”",
    "kod_sprawy": "kod sprawy (pseudonim) albo „—” dla spotkania gminy",
    "data_spotkania": "data spotkania",
    "termin_powiadomienia": "ostatni dzień powiadomienia uczestników",
    "dni_powiadomienia": "ile dni przed spotkaniem powiadamia się uczestników (reguła modelu)",
    "porzadek": "porządek spotkania",
    "ustalenia": "ustalenia (decyzje) spotkania",
    "obecnosc_rodziny": "obecność osoby/rodziny: tak, nie albo nie zapisano",
    "liczba_uczestnikow": "liczba instytucji na liście (słownie z liczbą)",
    "uczestnicy": "lista instytucji: u.instytucja, u.powiadomiono, u.w_terminie",
}
_CASE = {
    **_GMINA,
    "kod_sprawy": "kod sprawy (pseudonim — dokument nie zawiera danych osobowych)",
    "rodzaj_sprawy": "osoba, rodzina albo grupa",
    "data_skierowania": "data skierowania sprawy",
    "data_planu": "data przyjęcia planu pracy",
    "cel_glowny": "cel główny planu",
}

PLACEHOLDERS: dict[str, dict[str, str]] = {
    "zgloszenie": {
        **COMMON,
        **_GMINA,
        "numer": "numer zgłoszenia w systemie",
        "tryb": "tryb zgłoszenia (przez ROPS albo samodzielnie zawiązana współpraca)",
        "data_wplywu": "data wpływu zgłoszenia",
        "data_podpisania": "data podpisania porozumienia (współpraca zawiązana samodzielnie) albo „—”",
        "termin_kontaktu": "termin pierwszego kontaktu ROPS",
        "data_kontaktu": "data pierwszego kontaktu ROPS albo „—”",
        "stan_kontaktu": "stan pierwszego kontaktu (słownie)",
        "zalaczniki": "lista załączników: z.nazwa, z.jest (tak/nie)",
        "uwagi": "uwagi do zgłoszenia albo „—”",
    },
    "porozumienie_pzk": {
        **COMMON,
        **_GMINA,
        "stan_na": "dzień, na który podano skład PZK",
        "liczba_czlonkow": "liczba instytucji w PZK (słownie z liczbą)",
        "liczba_sektorow": "liczba sektorów reprezentowanych w PZK",
        "czlonkowie": "lista instytucji: c.lp, c.nazwa, c.sektor, c.poziom, c.podpisano",
    },
    "zaproszenie_spotkanie": {**COMMON, **_MEETING},
    "protokol_spotkania": {**COMMON, **_MEETING},
    "karta_planu_pracy": {
        **COMMON,
        **_CASE,
        "cele": "lista celów szczegółowych: c.lp, c.tresc",
        "zadania": "lista zadań: z.cel, z.opis, z.instytucja, z.termin, z.wykonano",
        "umowa": "kontrakt albo projekt socjalny albo „—”",
        "umowa_okres": "okres kontraktu/projektu (od–do) albo „—”",
        "ocena_data": "część C: data ewaluacji albo „—”",
        "ocena": "część C: stopień osiągnięcia celu głównego albo „—”",
        "ocena_uwagi": "część C: uwagi z ewaluacji albo „—”",
        "zakonczenie": "data i powód zakończenia pracy albo „—”",
    },
    "monitoring_sprawy": {
        **COMMON,
        **_CASE,
        "liczba_sprawozdan": "liczba sprawozdań miesięcznych (słownie z liczbą)",
        "sprawozdania": "lista sprawozdań wg zadań: s.zadanie, s.instytucja, s.miesiac, s.postep, "
        "s.uwagi, s.zlozono",
        "spotkania": "lista spotkań monitorujących: m.data, m.ustalenia",
    },
    "protokol_wzk": {
        **COMMON,
        "data_posiedzenia": "data posiedzenia WZK",
        "porzadek": "porządek posiedzenia",
        "ustalenia": "ustalenia posiedzenia",
        "frekwencja": "obecni z liczby członków, np. „7 z 9”",
        "obecni": "lista obecnych: o.imie_nazwisko, o.funkcja",
        "rekomendacje": "lista rekomendacji posiedzenia: r.rodzaj, r.tresc, r.odpowiedzialny, r.status",
    },
    "karta_gminy": {
        **COMMON,
        **_GMINA,
        "rodzaj_gminy": "rodzaj gminy (miejska, wiejska, miejsko-wiejska)",
        "wariant": "wariant modelu",
        "animator": "animator współpracy",
        "start_planu": "data startu planu",
        "miesiac_planu": "miesiąc planu",
        "biezacy_krok": "bieżący podkrok z tytułem",
        "stan": "stan gminy: w terminie, opóźniona, zatrzymana",
        "opoznienie": "największe opóźnienie (dni)",
        "kroki": "kroki zrobione z liczby kroków planu",
        "pzk": "skład PZK: liczba instytucji i sektorów",
        "sprawy": "sprawy otwarte i zakończone (małe liczby ukryte dla WZK)",
        "liczba_alertow": "liczba alertów (słownie z liczbą)",
        "alerty": "lista alertów: a.regula, a.przedmiot, a.termin, a.opis",
        "harmonogram": "wykres harmonogramu K1–K10 (obraz)",
    },
}


def file_name(kind: str, key: object, today: date) -> str:
    """The downloaded file's name, e.g. "zgloszenie_0401011_2026-11-24.docx".

    >>> file_name("karta_gminy", "0401011", date(2026, 11, 24))
    'karta_gminy_0401011_2026-11-24.docx'
    """
    return f"{kind}_{key}_{today.isoformat()}.docx"
