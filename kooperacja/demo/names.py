"""Word lists of the demo warehouse: a fictional województwo, institutions, services, case texts."""

from __future__ import annotations

WOJ = ("34", "nadwiślańskie", "Województwo Nadwiślańskie")

# (terc, name, is_city); powiat 3461 is a city with powiat rights, as GUS numbers them (61+).
POWIATY = [
    ("3401", "powiat zawiślański", False),
    ("3402", "powiat dębowolski", False),
    ("3403", "powiat kamionecki", False),
    ("3404", "powiat radziejski", False),
    ("3405", "powiat łęgowski", False),
    ("3461", "Nadbrzeże", True),
]

# Seat of each powiat (and of the region: the city) in the locative, for "w …" in names.
POWIAT_SEATS = {
    "3401": "Zawiślu",
    "3402": "Dębowej Woli",
    "3403": "Kamionce Wielkiej",
    "3404": "Radziejach",
    "3405": "Łęgach",
    "3461": "Nadbrzeżu",
}
REGION_SEAT = "Nadbrzeżu"

# (terc with RODZ digit, name, population); RODZ 1 miejska, 2 wiejska, 3 miejsko-wiejska.
GMINY = [
    ("3401011", "Zawiśle", 28_410), ("3401022", "Zawiśle", 9_120), ("3401032", "Brzozów Mały", 5_830),
    ("3401043", "Kępnica", 11_270), ("3401052", "Olszynka", 4_310), ("3401062", "Wierzbno", 6_050),
    ("3402013", "Dębowa Wola", 14_680), ("3402022", "Grabowiec", 5_240), ("3402032", "Lipowiec", 7_390),
    ("3402042", "Modrzewie", 3_980), ("3402053", "Przyrzecze", 6_420), ("3402062", "Sosnowa Góra", 4_770),
    ("3403011", "Kamionka Wielka", 22_350), ("3403022", "Borowina", 6_610), ("3403032", "Jodłowa", 4_120),
    ("3403043", "Stare Siodło", 12_930), ("3403052", "Zalesie Górne", 5_560),
    ("3403062", "Trzcianka Dolna", 3_640), ("3404011", "Radzieje", 31_200), ("3404022", "Błotnica", 7_810),
    ("3404033", "Czerwony Bór", 10_460), ("3404042", "Gołębiów", 5_020), ("3404052", "Wrzosowo", 4_480),
    ("3404063", "Klonowa", 8_900), ("3405013", "Łęgi", 13_740), ("3405022", "Jarzębina", 6_330),
    ("3405032", "Rokitno Szlacheckie", 4_950), ("3405042", "Mszana Polna", 3_870),
    ("3405053", "Grądy", 9_640), ("3461011", "Nadbrzeże", 142_800),
]  # fmt: skip
LOCATIVE = {
    "Zawiśle": "Zawiślu", "Brzozów Mały": "Brzozowie Małym", "Kępnica": "Kępnicy", "Olszynka": "Olszynce",
    "Wierzbno": "Wierzbnie", "Dębowa Wola": "Dębowej Woli", "Grabowiec": "Grabowcu", "Lipowiec": "Lipowcu",
    "Modrzewie": "Modrzewiu", "Przyrzecze": "Przyrzeczu", "Sosnowa Góra": "Sosnowej Górze",
    "Kamionka Wielka": "Kamionce Wielkiej", "Borowina": "Borowinie", "Jodłowa": "Jodłowej",
    "Stare Siodło": "Starym Siodle", "Zalesie Górne": "Zalesiu Górnym", "Trzcianka Dolna": "Trzciance Dolnej",
    "Radzieje": "Radziejach", "Błotnica": "Błotnicy", "Czerwony Bór": "Czerwonym Borze",
    "Gołębiów": "Gołębiowie", "Wrzosowo": "Wrzosowie", "Klonowa": "Klonowej", "Łęgi": "Łęgach",
    "Jarzębina": "Jarzębinie", "Rokitno Szlacheckie": "Rokitnie Szlacheckim",
    "Mszana Polna": "Mszanie Polnej",
    "Grądy": "Grądach", "Nadbrzeże": "Nadbrzeżu",
}  # fmt: skip

# The pilot: (terc, months since the plan started, how the gmina is doing).
PILOT = [
    ("3401011", 16, "on_time"), ("3401032", 17, "late"), ("3401043", 17, "stalled"),
    ("3401052", 14, "on_time"), ("3402013", 13, "shifted"), ("3402032", 11, "late"),
    ("3402053", 10, "on_time"), ("3403011", 9, "on_time"), ("3403022", 7, "late"),
    ("3403043", 6, "on_time"), ("3461011", 4, "on_time"), ("3404033", 2, "due_soon"),
]  # fmt: skip
RURAL_OVERRIDE = "3402053"  # a small town that chose the rural model
CANDIDATES = [("3404011", 3, None), ("3402022", 10, None), ("3403032", 41, 2)]  # (terc, days ago, contact)

# Institutions seated in a gmina: (sector, name pattern); {g} is the gmina's name in the locative.
GMINA_INSTITUTIONS = [
    ("pomoc_spoleczna", "{Adj} Ośrodek Pomocy Społecznej {in_g}"),
    ("samorzad", "{urzad} {in_g}"),
    ("edukacja", "Szkoła Podstawowa nr 1 {in_g}"),
    ("edukacja", "Szkoła Podstawowa nr 2 {in_g}"),
    ("edukacja", "Przedszkole Samorządowe {in_g}"),
    ("kultura", "{Adj} Ośrodek Kultury {in_g}"),
    ("kultura", "Biblioteka Publiczna {in_g}"),
    ("zdrowie", "Ośrodek Zdrowia {in_g}"),
    ("policja", "{police} {in_g}"),
    ("samorzad", "{Adj_f} Komisja Rozwiązywania Problemów Alkoholowych {in_g}"),
    ("mieszkalnictwo", "Zakład Gospodarki Komunalnej i Mieszkaniowej {in_g}"),
    ("ngo", "Stowarzyszenie na rzecz Rozwoju Gminy {name}"),
    ("ngo", "Koło Gospodyń Wiejskich {in_g}"),
    ("kosciol", "Parafia rzymskokatolicka pw. św. {saint} {in_g}"),
    ("ekonomia_spoleczna", "Klub Integracji Społecznej {in_g}"),
    ("inne", "Ochotnicza Straż Pożarna {in_g}"),
]
KIND_WORDS = {  # kind → (adjective m., adjective f., office, police)
    "wiejska": ("Gminny", "Gminna", "Urząd Gminy", "Posterunek Policji"),
    "miejska": ("Miejski", "Miejska", "Urząd Miasta", "Komisariat Policji"),
    "miejsko-wiejska": ("Miejsko-Gminny", "Miejsko-Gminna", "Urząd Miejski", "Komisariat Policji"),
}
POWIAT_INSTITUTIONS = [
    ("pomoc_spoleczna", "Powiatowe Centrum Pomocy Rodzinie {in_s}"),
    ("pomoc_spoleczna", "Środowiskowy Dom Samopomocy {in_s}"),
    ("pomoc_spoleczna", "Ośrodek Interwencji Kryzysowej {in_s}"),
    ("rynek_pracy", "Powiatowy Urząd Pracy {in_s}"),
    ("policja", "Komenda Powiatowa Policji {in_s}"),
    ("sady_kuratela", "Zespół Kuratorskiej Służby Sądowej przy Sądzie Rejonowym {in_s}"),
    ("sady_kuratela", "Sąd Rejonowy {in_s}, Wydział Rodzinny i Nieletnich"),
    ("zdrowie", "Samodzielny Publiczny Zakład Opieki Zdrowotnej {in_s}"),
    ("zdrowie", "Poradnia Zdrowia Psychicznego {in_s}"),
    ("edukacja", "Poradnia Psychologiczno-Pedagogiczna {in_s}"),
    ("samorzad", "Starostwo Powiatowe {in_s}"),
    ("ekonomia_spoleczna", "Centrum Integracji Społecznej {in_s}"),
    ("ekonomia_spoleczna", "Warsztat Terapii Zajęciowej {in_s}"),
    ("ekonomia_spoleczna", "Spółdzielnia Socjalna „Razem” {in_s}"),
    ("mieszkalnictwo", "Towarzystwo Budownictwa Społecznego {in_s}"),
    ("ngo", "Stowarzyszenie na rzecz Osób Niepełnosprawnych „Krok” {in_s}"),
    ("kosciol", "Caritas Parafii pw. Wniebowzięcia NMP {in_s}"),
    ("kultura", "Powiatowy Ośrodek Sportu i Rekreacji {in_s}"),
]
REGION_INSTITUTIONS = [
    ("pomoc_spoleczna", "Regionalny Ośrodek Polityki Społecznej {in_s}"),
    ("samorzad", "Urząd Marszałkowski {of_w}"),
    ("rynek_pracy", "Wojewódzki Urząd Pracy {in_s}"),
    ("edukacja", "Uniwersytet {in_s}, Wydział Nauk Społecznych"),
    ("zdrowie", "Wojewódzki Ośrodek Terapii Uzależnień {in_s}"),
    ("ekonomia_spoleczna", "Ośrodek Wsparcia Ekonomii Społecznej {in_s}"),
    ("kosciol", "Caritas Diecezjalna {in_s}"),
    ("ngo", "Federacja Organizacji Pozarządowych {of_w}"),
    ("sady_kuratela", "Sąd Okręgowy {in_s}"),
    ("policja", "Komenda Wojewódzka Policji {in_s}"),
    ("inne", "Okręgowy Inspektorat Pracy {in_s}"),
    ("kultura", "Wojewódzki Dom Kultury {in_s}"),
]
SAINTS = ["Wojciecha", "Stanisława", "Jana Chrzciciela", "Michała Archanioła", "Józefa", "Anny",
          "Bartłomieja", "Jakuba", "Mikołaja", "Katarzyny"]  # fmt: skip

# Services: (category, name, target groups, problem areas, sectors that offer it).
SERVICES = [
    (
        "poradnictwo",
        "Poradnictwo specjalistyczne rodzinne",
        ["rodziny"],
        ["bezradnosc", "przemoc"],
        ["pomoc_spoleczna"],
    ),
    (
        "poradnictwo",
        "Nieodpłatna pomoc prawna i poradnictwo obywatelskie",
        ["wszyscy"],
        ["ubostwo", "bezrobocie", "przemoc"],
        ["samorzad", "ngo"],
    ),
    (
        "poradnictwo",
        "Punkt konsultacyjny dla osób uzależnionych i ich rodzin",
        ["uzaleznieni", "rodziny"],
        ["uzaleznienia", "przemoc"],
        ["samorzad", "zdrowie"],
    ),
    (
        "terapia",
        "Konsultacje psychologiczne dla dzieci i młodzieży",
        ["dzieci"],
        ["bezradnosc", "przemoc"],
        ["edukacja", "zdrowie"],
    ),
    (
        "terapia",
        "Grupa wsparcia dla osób doznających przemocy",
        ["doznajacy_przemocy"],
        ["przemoc"],
        ["pomoc_spoleczna", "ngo"],
    ),
    ("terapia", "Terapia uzależnień w trybie ambulatoryjnym", ["uzaleznieni"], ["uzaleznienia"], ["zdrowie"]),
    (
        "aktywizacja",
        "Staże i szkolenia zawodowe dla osób bezrobotnych",
        ["bezrobotni"],
        ["bezrobocie"],
        ["rynek_pracy"],
    ),
    (
        "aktywizacja",
        "Reintegracja zawodowa i społeczna w CIS/KIS",
        ["bezrobotni", "uzaleznieni"],
        ["bezrobocie", "uzaleznienia", "po_zakladzie_karnym"],
        ["ekonomia_spoleczna"],
    ),
    (
        "aktywizacja",
        "Zatrudnienie wspierane w spółdzielni socjalnej",
        ["bezrobotni", "niepelnosprawni"],
        ["bezrobocie", "niepelnosprawnosc"],
        ["ekonomia_spoleczna"],
    ),
    (
        "edukacja",
        "Zajęcia wyrównawcze i świetlica środowiskowa",
        ["dzieci"],
        ["bezradnosc", "ubostwo"],
        ["edukacja", "kultura", "ngo"],
    ),
    (
        "edukacja",
        "Szkoła dla rodziców i warsztaty umiejętności wychowawczych",
        ["rodziny"],
        ["bezradnosc", "macierzynstwo"],
        ["edukacja", "pomoc_spoleczna", "kosciol"],
    ),
    (
        "zdrowie",
        "Rehabilitacja ambulatoryjna i domowa",
        ["niepelnosprawni", "seniorzy"],
        ["niepelnosprawnosc", "choroba"],
        ["zdrowie"],
    ),
    (
        "zdrowie",
        "Opieka środowiskowa pielęgniarki i położnej",
        ["rodziny", "seniorzy"],
        ["macierzynstwo", "choroba"],
        ["zdrowie"],
    ),
    (
        "opieka",
        "Usługi opiekuńcze w miejscu zamieszkania",
        ["seniorzy", "niepelnosprawni"],
        ["choroba", "niepelnosprawnosc"],
        ["pomoc_spoleczna"],
    ),
    ("opieka", "Asystent rodziny", ["rodziny"], ["bezradnosc", "macierzynstwo"], ["pomoc_spoleczna"]),
    (
        "opieka",
        "Dzienny pobyt i terapia zajęciowa",
        ["niepelnosprawni"],
        ["niepelnosprawnosc", "choroba"],
        ["ekonomia_spoleczna", "pomoc_spoleczna"],
    ),
    (
        "mieszkanie",
        "Mieszkanie chronione treningowe",
        ["bezdomni", "niepelnosprawni"],
        ["bezdomnosc", "niepelnosprawnosc"],
        ["mieszkalnictwo", "pomoc_spoleczna"],
    ),
    (
        "mieszkanie",
        "Lokale socjalne i pomoc w zamianie mieszkania",
        ["rodziny", "bezdomni"],
        ["ubostwo", "bezdomnosc"],
        ["mieszkalnictwo", "samorzad"],
    ),
    ("integracja", "Klub seniora", ["seniorzy"], ["choroba", "niepelnosprawnosc"], ["kultura", "ngo"]),
    (
        "integracja",
        "Zajęcia sportowe i koła zainteresowań",
        ["dzieci", "wszyscy"],
        ["bezradnosc"],
        ["kultura", "edukacja"],
    ),
    (
        "integracja",
        "Wolontariat i pomoc sąsiedzka",
        ["seniorzy", "rodziny"],
        ["ubostwo", "choroba"],
        ["kosciol", "ngo", "inne"],
    ),
    (
        "pomoc_materialna",
        "Bank żywności i paczki żywnościowe",
        ["rodziny", "bezdomni"],
        ["ubostwo", "bezdomnosc"],
        ["kosciol", "ngo", "pomoc_spoleczna"],
    ),
    (
        "pomoc_materialna",
        "Zasiłki celowe i pomoc rzeczowa",
        ["wszyscy"],
        ["ubostwo", "zdarzenie_losowe", "kleska"],
        ["pomoc_spoleczna"],
    ),
    (
        "interwencja",
        "Interwencja kryzysowa i schronienie dla ofiar przemocy",
        ["doznajacy_przemocy"],
        ["przemoc", "zdarzenie_losowe", "handel_ludzmi"],
        ["pomoc_spoleczna"],
    ),
    (
        "interwencja",
        "Procedura Niebieskiej Karty i dzielnicowy",
        ["doznajacy_przemocy", "rodziny"],
        ["przemoc"],
        ["policja"],
    ),
    (
        "poradnictwo",
        "Nadzór kuratorski i wsparcie readaptacji",
        ["rodziny"],
        ["po_zakladzie_karnym", "uzaleznienia"],
        ["sady_kuratela"],
    ),
    (
        "integracja",
        "Lekcje języka polskiego i integracja cudzoziemców",
        ["rodziny"],
        ["cudzoziemcy"],
        ["ngo", "edukacja"],
    ),
]
ACCESS = {
    "pomoc_spoleczna": "Zgłoszenie osobiste w ośrodku, pon.–pt. 7:30–15:30; wywiad środowiskowy",
    "samorzad": "Zapisy w sekretariacie urzędu, pon.–pt. 8:00–16:00",
    "edukacja": "Zgłoszenie przez wychowawcę lub pedagoga szkolnego",
    "zdrowie": "Skierowanie lekarza POZ; rejestracja telefoniczna (numer w BIP)",
    "policja": "Kontakt z dzielnicowym w godzinach dyżuru",
    "sady_kuratela": "Na podstawie postanowienia sądu",
    "rynek_pracy": "Rejestracja w urzędzie pracy, ustalenie profilu pomocy",
    "kultura": "Zapisy na miejscu, zajęcia bezpłatne",
    "mieszkalnictwo": "Wniosek do zarządcy zasobu, kolejność według regulaminu",
    "ekonomia_spoleczna": "Skierowanie z OPS lub PUP, rekrutacja ciągła",
    "ngo": "Zgłoszenie w siedzibie organizacji, wt. i czw. 10:00–14:00",
    "kosciol": "Zgłoszenie w kancelarii parafialnej",
    "inne": "Zgłoszenie osobiste",
}

# Case texts: innocent by construction (no names, addresses or numbers of people).
GOALS = {
    "ubostwo": ["Poprawa sytuacji materialnej rodziny", "Uregulowanie zaległości w opłatach za mieszkanie"],
    "bezrobocie": ["Podjęcie zatrudnienia przez osobę bezrobotną", "Podniesienie kwalifikacji zawodowych"],
    "bezradnosc": [
        "Wzmocnienie kompetencji wychowawczych rodziców",
        "Poprawa organizacji życia codziennego rodziny",
    ],
    "uzaleznienia": ["Podjęcie i utrzymanie abstynencji", "Ograniczenie skutków uzależnienia w rodzinie"],
    "niepelnosprawnosc": ["Zwiększenie samodzielności osoby z niepełnosprawnością"],
    "choroba": ["Zapewnienie stałej opieki zdrowotnej i rehabilitacji"],
    "przemoc": ["Zapewnienie bezpieczeństwa członkom rodziny", "Zatrzymanie przemocy w rodzinie"],
    "macierzynstwo": ["Wsparcie rodziny wielodzietnej w opiece nad dziećmi"],
    "bezdomnosc": ["Poprawa sytuacji mieszkaniowej", "Wyjście z kryzysu bezdomności"],
    "po_zakladzie_karnym": ["Powrót do życia w społeczności lokalnej po odbyciu kary"],
    "cudzoziemcy": ["Integracja rodziny w społeczności lokalnej"],
    "zdarzenie_losowe": ["Odbudowa warunków bytowych po zdarzeniu losowym"],
    "sieroctwo": ["Zapewnienie stabilnej opieki nad dziećmi"],
    "kleska": ["Odbudowa gospodarstwa domowego po powodzi"],
    "handel_ludzmi": ["Zapewnienie bezpieczeństwa i wsparcia specjalistycznego"],
}
# Tasks: (description, sector of the institution that does it; None: the family itself).
TASKS: dict[str, list[tuple[str, str | None]]] = {  # problem → (task, sector or None)
    "ubostwo": [
        ("Przyznanie zasiłku celowego na zakup opału", "pomoc_spoleczna"),
        ("Przygotowanie planu spłaty zadłużenia", None),
    ],
    "bezrobocie": [
        ("Skierowanie na szkolenie zawodowe", "rynek_pracy"),
        ("Udział w zajęciach reintegracji zawodowej", "ekonomia_spoleczna"),
        ("Regularne zgłaszanie się do urzędu pracy", None),
    ],
    "bezradnosc": [
        ("Zapewnienie wsparcia asystenta rodziny", "pomoc_spoleczna"),
        ("Udział rodziców w warsztatach wychowawczych", "edukacja"),
        ("Zapewnienie konsultacji psychologicznej dla dzieci", "edukacja"),
    ],
    "uzaleznienia": [
        ("Podjęcie terapii uzależnienia", "zdrowie"),
        ("Motywowanie do leczenia przez komisję", "samorzad"),
        ("Udział w grupie wsparcia", None),
    ],
    "niepelnosprawnosc": [
        ("Złożenie wniosku o orzeczenie o niepełnosprawności", None),
        ("Zapewnienie zajęć terapii zajęciowej", "ekonomia_spoleczna"),
    ],
    "choroba": [
        ("Zapewnienie usług opiekuńczych", "pomoc_spoleczna"),
        ("Organizacja rehabilitacji ambulatoryjnej", "zdrowie"),
    ],
    "przemoc": [
        ("Prowadzenie procedury Niebieskiej Karty", "policja"),
        ("Zapewnienie konsultacji psychologicznej dla dzieci", "edukacja"),
        ("Objęcie rodziny nadzorem kuratora", "sady_kuratela"),
    ],
    "macierzynstwo": [
        ("Zapewnienie miejsca w przedszkolu", "edukacja"),
        ("Wsparcie położnej środowiskowej", "zdrowie"),
    ],
    "bezdomnosc": [
        ("Znalezienie lokalu socjalnego", "mieszkalnictwo"),
        ("Udział w programie wychodzenia z bezdomności", "pomoc_spoleczna"),
    ],
    "po_zakladzie_karnym": [
        ("Wsparcie kuratora w readaptacji", "sady_kuratela"),
        ("Udział w zajęciach centrum integracji", "ekonomia_spoleczna"),
    ],
    "cudzoziemcy": [("Udział w kursie języka polskiego", "ngo")],
    "zdarzenie_losowe": [("Przyznanie pomocy rzeczowej", "pomoc_spoleczna")],
    "sieroctwo": [("Uregulowanie sytuacji prawnej dzieci", "sady_kuratela")],
    "kleska": [("Przyznanie pomocy rzeczowej", "pomoc_spoleczna")],
    "handel_ludzmi": [("Zapewnienie schronienia w ośrodku interwencji", "pomoc_spoleczna")],
}
# Common problems first: the weights cases draw their problem areas with.
PROBLEM_WEIGHTS = {"ubostwo": 20, "bezrobocie": 16, "bezradnosc": 18, "uzaleznienia": 12,
                   "niepelnosprawnosc": 9, "choroba": 9, "przemoc": 8, "macierzynstwo": 5,
                   "bezdomnosc": 3, "po_zakladzie_karnym": 2, "cudzoziemcy": 1, "zdarzenie_losowe": 1,
                   "sieroctwo": 1}  # fmt: skip
REPORT_NOTES = ["Zadanie realizowane zgodnie z planem", "Rodzina uczestniczy w zajęciach regularnie",
                "Przesunięcie terminu z powodu choroby", "Oczekiwanie na wolne miejsce",
                "Zadanie zakończone"]  # fmt: skip
MAIN_GOALS = {
    "rodzina": [
        "Poprawa funkcjonowania rodziny i wzmocnienie jej samodzielności",
        "Wyjście rodziny z trudnej sytuacji życiowej",
    ],
    "osoba": ["Usamodzielnienie i poprawa sytuacji życiowej osoby", "Integracja społeczna i zawodowa osoby"],
    "grupa": ["Aktywizacja grupy i rozwój wzajemnej pomocy w społeczności lokalnej"],
}
EVALUATION_NOTES = {
    "full": "Cel główny osiągnięty, rodzina funkcjonuje samodzielnie",
    "partial": "Cel osiągnięty częściowo, wskazane dalsze wsparcie",
    "none": "Brak postępów mimo zaangażowania instytucji",
}

WZK_MEMBERS = [
    ("Krystyna Wardęga", "przewodnicząca WZK, dyrektor ROPS", "pomoc_spoleczna"),
    ("Andrzej Lipski", "członek Zarządu Województwa", "samorzad"),
    ("dr hab. Ewa Sobolewska", "przedstawicielka uczelni", "edukacja"),
    ("dr Tomasz Grabiec", "przedstawiciel uczelni", "edukacja"),
    ("Marta Zielonka", "pracownik ROPS, koordynatorka wdrażania", "pomoc_spoleczna"),
    ("Paweł Rudnicki", "pracownik ROPS, regionalny animator współpracy", "pomoc_spoleczna"),
    ("Joanna Kmita", "przedstawicielka Wojewódzkiego Urzędu Pracy", "rynek_pracy"),
    ("Grzegorz Ostrowiak", "przedstawiciel Komendy Wojewódzkiej Policji", "policja"),
    ("Beata Moczulska", "przedstawicielka Caritas Diecezji", "kosciol"),
    ("Henryk Żabiński", "przedstawiciel Ośrodka Wsparcia Ekonomii Społecznej", "ekonomia_spoleczna"),
]
WZK_SUCCESSOR = ("Agnieszka Rembowska", "członkini Zarządu Województwa", "samorzad")
RECOMMENDATIONS = [
    ("organisational", "Ujednolicenie wzoru porozumienia o współpracy w PZK dla wszystkich gmin"),
    (
        "legal",
        "Wprowadzenie obowiązku udziału szkół w zespołach kooperacyjnych do ustawy o pomocy społecznej",
    ),
    ("ozps", "Uwzględnienie w OZPS braku mieszkań chronionych w powiatach wiejskich"),
    ("organisational", "Stały dyżur animatora ROPS w gminach o opóźnionym harmonogramie"),
    ("ozps", "Ujęcie w OZPS potrzeb szkoleniowych członków GGK i ZZK"),
    ("legal", "Umożliwienie wymiany informacji między instytucjami PZK bez danych osobowych"),
    ("organisational", "Wspólny kalendarz szkoleń Szkoły Kooperacji dla powiatów"),
    ("ozps", "Rekomendacja rozwoju usług opiekuńczych dla seniorów w gminach wiejskich"),
]
OWNERS = ["ROPS", "Zarząd Województwa", "WZK", "Departament Polityki Społecznej UM"]
DEMO_DISPLAY = {
    "admin": "Koordynator ROPS (demo)",
    "animator1": "Anna Nowakowska, animatorka (demo)",
    "animator2": "Piotr Wiśniewski, animator (demo)",
    "wzk": "Członek WZK (demo)",
    "zarzad": "Zarząd Województwa (demo)",
}

# Evidence of a completed sub-step: {n} protocol number, {y} year, {d} date, {head} the gmina's head.
EVIDENCE = {
    "2.1": "Protokół ze spotkania informacyjnego w PCPR nr {n}/{y}",
    "2.2": "Zarządzenie {head} nr {n}/{y} w sprawie wdrażania modelu kooperacji",
    "2.4": "Zgłoszenie do ROPS z dn. {d}",
    "3": "Porozumienie powiat–gmina z dn. {d}",
    "4": "Lista obecności – Szkoła Kooperacji, moduł 1",
    "5.2": "Porozumienie o współpracy w PZK z dn. {d}",
    "6.1": "Zaświadczenia o ukończeniu szkolenia z dn. {d}",
    "6.2": "Plan pracy PZK na lata {y}–{y1}",
    "6.3": "Gminno-powiatowa lista aktywności i usług z dn. {d}",
    "7.1": "Sprawozdanie animatora z dn. {d}",
    "9.1": "Raport z ewaluacji z dn. {d}",
}
HEADS = {"wiejska": "Wójta Gminy", "miejska": "Burmistrza Miasta", "miejsko-wiejska": "Burmistrza"}
LATE_NOTES = ["Termin przesunięty na wniosek władz gminy", "Opóźnienie z powodu okresu urlopowego",
              "Spotkanie przełożone – brak kworum", "Oczekiwanie na podpisy wszystkich instytucji",
              "Opóźnienie w związku ze zmianą składu zespołu"]  # fmt: skip
SHIFT_REASON = "Zmiana kierownika GOPS; nowy kierownik ponownie uzgadnia skład zespołu"
CONTACTS = ["sekretariat, tel. w BIP", "e-mail i telefon w BIP instytucji", "punkt informacyjny w siedzibie",
            "sekretariat, kontakt przez ePUAP"]  # fmt: skip
ZGLOSZENIE_NOTES = ["Gmina zgłasza gotowość wdrażania modelu", "Zgłoszenie po spotkaniu informacyjnym w PCPR",
                    "Uzupełniono załączniki na prośbę ROPS"]  # fmt: skip
CANDIDATE_NOTE = "Gmina zainteresowana przystąpieniem do pilotażu"

# Syllables of the synthetic country's gmina names (national scale).
NAME_ROOTS = ["Dąbr", "Lip", "Brzez", "Olsz", "Grab", "Jawor", "Wierzb", "Sosn", "Bor", "Kamion", "Mokr",
              "Błot", "Łęk", "Radzi", "Górz", "Piask", "Krzyw", "Czarn", "Biał", "Zielon", "Jodł", "Modrz",
              "Klon", "Buk", "Wrzos", "Trzcin", "Rokit", "Grąd", "Zawod", "Przyrz"]  # fmt: skip
NAME_ENDINGS = ["owo", "ówka", "nica", "ice", "in", "ów", "no", "ki", "owa Wola", "ówek", "any", "ewo"]
WOJ_NAMES = ["dolnośląskie", "kujawsko-pomorskie", "lubelskie", "lubuskie", "łódzkie", "małopolskie",
             "mazowieckie", "opolskie", "podkarpackie", "podlaskie", "pomorskie", "śląskie",
             "świętokrzyskie", "warmińsko-mazurskie", "wielkopolskie", "zachodniopomorskie"]  # fmt: skip
