"""The model's fixed vocabularies: codes used in the warehouse and their Polish labels."""

from __future__ import annotations

from kooperacja.model import access

GMINA_KINDS = {1: "miejska", 2: "wiejska", 3: "miejsko-wiejska"}

VARIANTS = {
    "rural": "wiejski (K1–K10)",
    "urban_rural": "miejsko-wiejski (PZK/GGK)",
    "urban": "miejski (KOOPERACJE 3D, ZZK)",
}
DEFAULT_VARIANT = {"wiejska": "rural", "miejsko-wiejska": "urban_rural", "miejska": "urban"}
TASK_TEAM = {"rural": "GGK", "urban_rural": "GGK", "urban": "ZZK"}

SECTORS = {
    "pomoc_spoleczna": "pomoc i integracja społeczna",
    "edukacja": "edukacja",
    "zdrowie": "ochrona zdrowia",
    "policja": "policja i bezpieczeństwo",
    "sady_kuratela": "sądy i kuratela",
    "rynek_pracy": "rynek pracy (PUP)",
    "kultura": "kultura i sport",
    "mieszkalnictwo": "mieszkalnictwo",
    "ekonomia_spoleczna": "ekonomia społeczna (CIS, KIS, WTZ, ZAZ, spółdzielnie)",
    "ngo": "organizacje pozarządowe",
    "kosciol": "kościoły i związki wyznaniowe",
    "samorzad": "administracja samorządowa",
    "inne": "inne",
}
LEVELS = {"gmina": "gminny", "powiat": "powiatowy", "region": "wojewódzki"}

ROUTES = {"rops": "przez ROPS", "self_formed": "samodzielnie zawiązana współpraca"}

MEETING_KINDS = {
    "authorities": "spotkanie z władzami",
    "institutions": "spotkanie z instytucjami",
    "pzk_formal": "formalizacja PZK",
    "pzk": "spotkanie PZK",
    "ggk": "spotkanie GGK/ZZK",
    "monitoring": "spotkanie monitorujące",
    "wzk": "posiedzenie WZK",
}

CASE_KINDS = {"osoba": "osoba", "rodzina": "rodzina", "grupa": "grupa"}
CONTRACT_KINDS = {"kontrakt_socjalny": "kontrakt socjalny", "projekt_socjalny": "projekt socjalny"}
EVALUATIONS = {
    "full": "cel osiągnięty w pełni",
    "partial": "cel osiągnięty częściowo",
    "none": "cel nieosiągnięty",
}
CLOSURE_REASONS = {
    "goals_achieved": "osiągnięcie celów",
    "no_cooperation": "brak współpracy rodziny",
    "resigned": "rezygnacja rodziny",
    "other": "inny powód",
}
REPORT_PROGRESS = {
    "on_track": "zgodnie z planem",
    "delayed": "opóźnione",
    "done": "wykonane",
    "not_started": "nierozpoczęte",
}

# Reasons for assistance, art. 7 ustawy o pomocy społecznej (as reported in MPiPS-03).
PROBLEM_AREAS = {
    "ubostwo": "ubóstwo",
    "sieroctwo": "sieroctwo",
    "bezdomnosc": "bezdomność",
    "bezrobocie": "bezrobocie",
    "niepelnosprawnosc": "niepełnosprawność",
    "choroba": "długotrwała lub ciężka choroba",
    "przemoc": "przemoc w rodzinie",
    "macierzynstwo": "potrzeba ochrony macierzyństwa lub wielodzietności",
    "bezradnosc": "bezradność w sprawach opiekuńczo-wychowawczych i prowadzenia gospodarstwa domowego",
    "uzaleznienia": "alkoholizm lub narkomania",
    "po_zakladzie_karnym": "trudności w przystosowaniu po zwolnieniu z zakładu karnego",
    "cudzoziemcy": "trudności w integracji cudzoziemców",
    "zdarzenie_losowe": "zdarzenie losowe i sytuacja kryzysowa",
    "kleska": "klęska żywiołowa lub ekologiczna",
    "handel_ludzmi": "potrzeba ochrony ofiar handlu ludźmi",
}

TARGET_GROUPS = {
    "dzieci": "dzieci i młodzież",
    "rodziny": "rodziny",
    "seniorzy": "seniorzy",
    "niepelnosprawni": "osoby z niepełnosprawnościami",
    "bezrobotni": "osoby bezrobotne",
    "uzaleznieni": "osoby uzależnione i współuzależnione",
    "bezdomni": "osoby w kryzysie bezdomności",
    "doznajacy_przemocy": "osoby doznające przemocy",
    "wszyscy": "wszyscy mieszkańcy",
}

SERVICE_CATEGORIES = {
    "poradnictwo": "poradnictwo",
    "terapia": "terapia i wsparcie psychologiczne",
    "aktywizacja": "aktywizacja zawodowa",
    "edukacja": "edukacja i rozwój",
    "zdrowie": "zdrowie i rehabilitacja",
    "opieka": "usługi opiekuńcze",
    "mieszkanie": "wsparcie mieszkaniowe",
    "integracja": "integracja społeczna i czas wolny",
    "pomoc_materialna": "pomoc materialna",
    "interwencja": "interwencja kryzysowa",
}

RECOMMENDATION_KINDS = {
    "legal": "zmiana prawna",
    "organisational": "zmiana organizacyjna",
    "ozps": "rekomendacja do OZPS",
}
RECOMMENDATION_STATUSES = {
    "open": "otwarta",
    "in_progress": "w realizacji",
    "done": "zrealizowana",
    "rejected": "odrzucona",
}

ROLES = access.ROLE_LABELS  # the roles are defined, with their names, in access

# The cooperation network (issue 17): survey waves, answers, the diagnosis's problem map.
WAVE_KINDS = {
    "diagnoza": "diagnoza (badanie wyjściowe)",
    "ewaluacja": "ewaluacja (badanie końcowe)",
    "dodatkowa": "badanie dodatkowe",
}
INITIATES = {"my": "my", "oni": "oni (partner)", "obie": "obie strony"}
FREQUENCIES = {
    "nigdy": "nigdy",
    "sporadycznie": "sporadycznie",
    "co_miesiac": "co miesiąc",
    "co_tydzien": "co tydzień lub częściej",
}
# The ordinal scale of the mean frequency: 0 nigdy … 3 co tydzień lub częściej.
FREQUENCY_SCALE = {"nigdy": 0, "sporadycznie": 1, "co_miesiac": 2, "co_tydzien": 3}
TRENDS = {"rosnie": "rośnie", "stabilny": "stabilny", "maleje": "maleje"}
