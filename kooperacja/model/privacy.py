"""Guard of free text: personal data must never enter the warehouse (cases are pseudonymous).

Heuristics, tuned to refuse identifiers outright and to leave ordinary case notes alone:
- an 11-digit number is refused even with a wrong PESEL checksum: nothing innocent in this
  domain has 11 digits (KRS and NIP have 10, REGON 9 or 14, TERC 7) and it may be a mistyped PESEL;
- a street address with a house number is refused even when it is an institution's: name the
  institution instead;
- ID card and passport numbers are refused when the checksum holds, or next to "dowód"/"paszport";
- a first name alone ("Mama Ania", "Anna przyszła") is allowed: it identifies no one; a first
  name next to a capitalised word that could be a surname is refused, patrons excepted
  ("Szkoła im. Marii Konopnickiej", "Uniwersytet Mikołaja Kopernika", "ul. Jana Pawła II").
"""

from __future__ import annotations

import re
from collections.abc import Callable

PESEL = "wygląda na numer PESEL"
PESEL_LIKE = "wygląda na numer PESEL lub inny identyfikator osoby (11 cyfr)"
ID_CARD = "wygląda na numer dowodu osobistego"
PASSPORT = "wygląda na numer paszportu"
PHONE = "wygląda na numer telefonu"
EMAIL = "wygląda na adres e-mail"
BANK_ACCOUNT = "wygląda na numer rachunku bankowego"
ADDRESS = "wygląda na adres z numerem domu"
NAME = "wygląda na imię i nazwisko"
SURNAME = "wygląda na nazwisko"

_REFUSAL = "dane osobowe nie mogą trafić do systemu (przypadki są pseudonimizowane)"

_UP = "A-ZĄĆĘŁŃÓŚŹŻ"
_LOW = "a-ząćęłńóśźż"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ELEVEN_DIGITS = re.compile(r"(?<![\d+])\d{11}(?!\d)")
_BANK_ACCOUNT = re.compile(r"(?<![\w])(?:PL\s?)?\d{2}(?:[ ]?\d{4}){6}(?!\d)")
_ID_CARD = re.compile(r"(?<!\w)([A-Z]{3}) ?(\d{6})(?!\w)")
_PASSPORT = re.compile(r"(?<!\w)([A-Z]{2}) ?(\d{7})(?!\w)")
_ID_CARD_NEAR_WORD = re.compile(r"(?i)dow[oó]d\w*\D{0,30}?(?<!\w)[a-z]{3} ?\d{6}(?!\w)")
_PASSPORT_NEAR_WORD = re.compile(r"(?i)paszport\w*\D{0,30}?(?<!\w)[a-z]{2} ?\d{7}(?!\w)")

_NOT_A_PHONE_AFTER = r"(?!\s*(?:zł|pln|gr|eur|euro|osób|os\.)(?!\w))"
_PHONES = [
    re.compile(r"(?:\+|(?<!\d)00)\s?48[\s-]?\(?\d{2,3}\)?[\s-]?\d{2,3}[\s-]?\d{2,3}(?:[\s-]?\d{2})?(?!\d)"),
    re.compile(r"(?<![\d/.,-])(?<!\d\s)\d{3}([\s-]?)\d{3}\1\d{3}(?![\d/.,-])(?!\s\d)" + _NOT_A_PHONE_AFTER),
    re.compile(r"\(\d{2}\)\s?\d{3}[\s-]?\d{2}[\s-]?\d{2}(?!\d)"),
    re.compile(r"(?<![\d/.,-])(?<!\d\s)\d{2}([\s-])\d{3}\1\d{2}\1\d{2}(?![\d/.,-])(?!\s\d)"),
]
_INSTITUTION_NUMBER_BEFORE = re.compile(r"(?i)(?:regon|nip|krs|terc|teryt|nr\s+sprawy)\W{0,3}$")

_ADDRESS = re.compile(
    r"(?<![\w\d])(?<!\d\s)(?i:ul(?:\.|ica|icy|icę|icą)?|al(?:\.|eja|ei|eje|ejach)|os(?:\.|iedle|iedla|iedlu)"
    r"|pl(?:\.|ac|acu)|rondo|skwer)"
    rf"\s*(?:\d{{1,2}}\s+)?[{_UP}][\w.'-]*(?:\s+(?:[{_UP}][\w.'-]*|i|im\.|św\.|\d{{1,2}}(?=\s+[{_UP}]))){{0,5}}"
    r"\s+\d{1,4}\s?[a-zA-Z]?(?:\s?/\s?\d{1,4}[a-zA-Z]?|\s+m\.\s?\d{1,4})?(?![\w/])"
)


# Nominative and the most common declined forms (genitive, and instrumental for "z Anną").
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_FIRST_NAMES = _words(
    """
    anna anny anną annie maria marii marią katarzyna katarzyny katarzyną małgorzata małgorzaty
    małgorzatą agnieszka agnieszki agnieszką barbara barbary barbarą ewa ewy ewą krystyna krystyny
    elżbieta elżbiety elżbietą zofia zofii zofią janina janiny teresa teresy joanna joanny joanną
    magdalena magdaleny magdaleną monika moniki moniką danuta danuty jadwiga jadwigi aleksandra
    aleksandry aleksandrą irena ireny halina haliny beata beaty helena heleny dorota doroty marta
    marty martą karolina karoliny karoliną jolanta jolanty iwona iwony natalia natalii grażyna
    grażyny julia julii julią bożena bożeny urszula urszuli paulina pauliny justyna justyny renata
    renaty alicja alicji hanna hanny zuzanna zuzanny sylwia sylwii agata agaty patrycja patrycji
    wiesława stanisława józefa kazimiera genowefa weronika weroniki wiktoria wiktorii martyna
    martyny emilia emilii oliwia oliwii amelia amelii lena leny maja magda magdy ewelina eweliny
    edyta edyty izabela izabeli klaudia klaudii dominika dominiki kinga kingi aneta anety sandra
    angelika marzena marzeny lucyna lucyny wanda wandy czesława marianna michalina nikola laura
    liliana milena roksana adrianna żaneta ilona mirosława bogumiła stefania leokadia władysława
    regina kamila daria olga nadia antonina iga nina lidia anita wioletta violetta elwira celina
    łucja gabriela gabrieli
    ania ani kasia kasi basia basi gosia gosi ola oli asia asi zosia zosi ela eli ula uli jola
    hania hani julka
    olena ołena oksana iryna tetiana switłana svitlana ludmiła halyna
    jan jana janem piotr piotra piotrem krzysztof krzysztofa andrzej andrzeja tomasz tomasza
    paweł pawła michał michała marcin marcina marek marka grzegorz grzegorza józef łukasz łukasza
    adam adama zbigniew zbigniewa jerzy jerzego tadeusz tadeusza mateusz mateusza dariusz dariusza
    mariusz mariusza wojciech wojciecha ryszard ryszarda jakub jakuba henryk henryka robert roberta
    kazimierz kazimierza jacek jacka maciej macieja kamil kamila janusz janusza mirosław mirosława
    stanisław rafał rafała szymon szymona dawid dawida bartosz bartosza sławomir sławomira artur
    artura sebastian sebastiana daniel daniela damian damiana przemysław przemysława roman romana
    zdzisław zdzisława kacper kacpra leszek leszka waldemar waldemara wiesław patryk patryka antoni
    antoniego filip filipa franciszek franciszka aleksander mikołaj mikołaja wiktor wiktora igor
    igora oskar oskara karol karola bogdan bogdana edward edwarda czesław arkadiusz arkadiusza
    adrian adriana norbert norberta zenon zenona władysław eugeniusz eugeniusza mieczysław
    mieczysława bolesław bolesława bogusław bogusława konrad konrada hubert huberta emil emila
    dominik krystian krystiana radosław radosława witold witolda leon leona tymon tymoteusz stefan
    stefana ireneusz ireneusza jarosław jarosława marian mariana julian juliana
    tomek tomka bartek bartka wojtek wojtka kuba kuby
    mykoła mykola oleksandr ołeksandr andrij wołodymyr volodymyr serhij serhii iwan dmytro taras
    bohdan jurij wasyl vasyl
    """
)
# Lowercase words that are also ordinary Polish ("marka" a brand, "maja" of May).
_AMBIGUOUS_LOWERCASE = frozenset({"marka", "maja", "kuba", "taras", "iga", "ela", "ola", "asia"})

# Words that precede a patron's or a saint's name, or a street named after a person.
_PATRON_BEFORE = _words(
    "im. imienia ks. księdza św. świętego świętej święty święta bł. błogosławionego błogosławionej pw. "
    "patrona patronki ul. ulica ulicy al. aleja alei os. osiedle pl. plac placu rondo"
)
# Stems of famous patrons' surnames that appear without "im." ("Uniwersytet Mikołaja Kopernika").
_FAMOUS = tuple(
    _words(
        """korczak kopernik konopnick skłodowsk curie mickiewicz piłsudsk wyszyńsk słowack chopin
    kościuszk grzegorzewsk wielk kochanowsk jagiełł wojtył szymborsk matejk moniuszk paderewsk
    norwid żeromsk reymont popiełuszk chrobr krzywoust łokietk brzechw tuwim makuszyńsk"""
    )
)
# Titles, roles and institution words: a capitalised one after "Pani" or a first name is no surname.
_NOT_SURNAME_STEMS = tuple(
    _words(
        """dyrektor kierowni burmistrz wójt starost starsz prezydent prezes marszał sołtys radn
    koordynator animator asystent pedagog psycholog kurator dzielnicow policjant pracowni
    przewodnicząc sekretar skarbni doktor profesor minister wojewod poseł posł senator ksiądz
    księd sędzi mecenas komendant komisarz aspirant sierżant naczelni zastęp wicedyr wicebur
    wicewójt wicestar opiekun terapeut lekar pielęgniar nauczyciel wychowaw specjalist babci
    gmin powiat ośrod urząd urzęd szkoł zespół zespoł fundacj stowarzysz centrum świetlic parafi
    poradni polsk miejsk wiejsk wojewódzk europejsk pomorsk kujawsk toruńsk bydgosk społeczn
    członkowsk zastępcz"""
    )
)
_NOT_SURNAME_WORDS = _words(
    """mama mamy mamą mamie tata taty tatą tacie dziadek dziadka rada rady radzie radą dom domu
    klub klubu sąd sądu sądzie kościół kościoła kościele"""
)
# Nationalities in the plural look like family surnames ("rodziny Romów") but name no one.
_NATIONALITIES = _words("romów polaków ukraińców białorusinów czeczenów wietnamczyków gruzinów ormian")
_ACRONYMS = _words("ROPS GOPS MOPS MOPR PCPR OZPS PUP CIS KIS WTZ ZAZ NGO TERC REGON PESEL")
_COMMON_SURNAMES = _words(
    """nowak wójcik kowalczyk woźniak mazur krawczyk kaczmarek zając wieczorek wróbel stępień
    adamczyk dudek pawlak walczak sikora michalak szewczyk pietrzak"""
)

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*\.?|\d+|\S")
_CAPITALISED = re.compile(rf"[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?")
_SURNAME_SUFFIX = re.compile(rf"[{_UP}][{_LOW}]+(?:ski|ska|cki|cka|dzki|dzka|wicz|czyk|czak)")
_HONORIFIC = _words("pan pani pana panią panu panem panie p.")
_FAMILY_WORD = re.compile(r"(?i)rodzin\w*|państw[oau]?")
_FAMILY_SURNAME = re.compile(rf"[{_UP}][{_LOW}]+(?:skich|ckich|dzkich|scy|ccy|dzcy|owie|ów)")


def _pesel_ok(digits: str) -> bool:
    weights = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
    total = sum(w * int(d) for w, d in zip(weights, digits, strict=False))
    return (10 - total % 10) % 10 == int(digits[10])


def _document_ok(series: str, number: str, weights: tuple[int, ...]) -> bool:
    # Letters count A=10..Z=35; the check digit has its weight folded in so the sum ends in 0.
    values = [ord(c) - 55 for c in series] + [int(d) for d in number]
    return sum(w * v for w, v in zip(weights, values, strict=True)) % 10 == 0


def _find_identifier(text: str) -> str | None:
    if _EMAIL.search(text):
        return EMAIL
    if match := _ELEVEN_DIGITS.search(text):
        return PESEL if _pesel_ok(match.group()) else PESEL_LIKE
    if _BANK_ACCOUNT.search(text):
        return BANK_ACCOUNT
    if _ID_CARD_NEAR_WORD.search(text) or any(
        _document_ok(m[1], m[2], (7, 3, 1, 9, 7, 3, 1, 7, 3)) for m in _ID_CARD.finditer(text)
    ):
        return ID_CARD
    if _PASSPORT_NEAR_WORD.search(text) or any(
        _document_ok(m[1], m[2], (7, 3, 9, 1, 7, 3, 1, 7, 3)) for m in _PASSPORT.finditer(text)
    ):
        return PASSPORT
    return None


def _find_phone(text: str) -> str | None:
    for pattern in _PHONES:
        for match in pattern.finditer(text):
            if not _INSTITUTION_NUMBER_BEFORE.search(text[: match.start()]):
                return PHONE
    return None


def _find_address(text: str) -> str | None:
    return ADDRESS if _ADDRESS.search(text) else None


def _is_first_name(word: str) -> bool:
    lower = word.lower()
    if lower not in _FIRST_NAMES or word not in (lower, lower.capitalize(), word.upper()):
        return False
    return not (word == lower and lower in _AMBIGUOUS_LOWERCASE)


def _is_surname(word: str) -> bool:
    word = word.rstrip(".")
    lower = word.lower()
    if word.isupper():
        return len(word) >= 4 and word not in _ACRONYMS and lower not in _FIRST_NAMES
    if not _CAPITALISED.fullmatch(word) or lower in _FIRST_NAMES:
        return False
    return lower not in _NOT_SURNAME_WORDS and not lower.startswith(_FAMOUS + _NOT_SURNAME_STEMS)


def _is_family_surname(word: str) -> bool:
    return bool(_FAMILY_SURNAME.fullmatch(word)) and _is_surname(word) and word.lower() not in _NATIONALITIES


def _word_pairs(text: str) -> list[tuple[str, str, str]]:
    """(previous word, word, next word) for words separated by whitespace only."""
    tokens = list(_WORD.finditer(text))
    pairs = []
    for i in range(len(tokens) - 1):
        here, after = tokens[i], tokens[i + 1]
        if not re.fullmatch(r"[ \t\u00a0]+", text[here.end() : after.start()]):
            continue
        before = tokens[i - 1].group().lower() if i else ""
        pairs.append((before, here.group(), after.group()))
    return pairs


def _find_name(text: str) -> str | None:
    for before, word, following in _word_pairs(text):
        if before in _PATRON_BEFORE or before.isdigit():
            continue
        if _is_first_name(word) and _is_surname(following):
            return NAME
        surname_first = _SURNAME_SUFFIX.fullmatch(word) or word.lower() in _COMMON_SURNAMES
        if surname_first and _is_surname(word) and _is_first_name(following.rstrip(".,;:")):
            return NAME
        if word.lower() in _HONORIFIC and _is_surname(following) and not _is_first_name(following):
            return SURNAME
        family = following.rstrip(".")
        if _FAMILY_WORD.fullmatch(word) and _is_family_surname(family):
            return SURNAME
    return None


_DETECTORS: list[Callable[[str], str | None]] = [_find_identifier, _find_phone, _find_address, _find_name]


def find_personal_data(text: str) -> str | None:
    """Why the text looks like personal data (Polish), or None when it looks innocent.

    >>> find_personal_data("Kontakt: jan.kowalski@example.pl")
    'wygląda na adres e-mail'
    >>> find_personal_data("ul. Lipowa 5/2, rodzina 5-osobowa")
    'wygląda na adres z numerem domu'
    >>> find_personal_data("Rozmowa z Anną Kowalską")
    'wygląda na imię i nazwisko'
    >>> find_personal_data("Rodzina 5-osobowa, 2 dzieci w wieku szkolnym") is None
    True
    """
    for detect in _DETECTORS:
        reason = detect(text)
        if reason:
            return reason
    return None


def check_free_text(field_label: str, text: str | None) -> None:
    """Raise ValueError naming the field and the reason when the text holds personal data.

    >>> check_free_text("Opis", "tel. 501 234 567")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: Opis: wygląda na numer telefonu — dane osobowe nie mogą trafić do systemu (...)
    """
    if not text:
        return
    reason = find_personal_data(text)
    if reason:
        raise ValueError(f"{field_label}: {reason} — {_REFUSAL}")
