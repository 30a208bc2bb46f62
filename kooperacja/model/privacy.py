"""Guard of free text: personal data must never enter the warehouse (cases are pseudonymous).

Heuristics, tuned to refuse identifiers outright and to leave ordinary case notes alone:
- an 11-digit number is refused even with a wrong PESEL checksum: nothing innocent in this
  domain has 11 digits (KRS and NIP have 10, REGON 9 or 14, TERC 7) and it may be a mistyped PESEL;
- a street address with a house number is refused even when it is an institution's: name the
  institution instead;
- ID card and passport numbers are refused when the checksum holds, or next to "dowód"/"paszport";
- a first name alone ("Mama Ania", "Anna przyszła") is allowed: it identifies no one; a first
  name next to a capitalised word that could be a surname is refused, patrons excepted
  ("Szkoła im. Marii Konopnickiej", "Uniwersytet Mikołaja Kopernika", "ul. Jana Pawła II");
- an 11-digit number written in groups ("44 05 14 01 359", "440-514-013-59") is refused when it is a
  valid PESEL with a plausible date of birth, or when the word PESEL stands before it: grouped digits
  are also phone numbers with a country code and document numbers, so the checksum must decide;
- a date is not personal data ("spotkanie 14.05.2026 r."), a date of birth is ("ur. 14.05.1944 r.");
- a number after a document word ("Wniosek nr 123 456 789", "sygnatura 123-456-789") is no phone;
- an institution's contact (`find_in_contact`) may hold its phone and e-mail, but not an e-mail
  that names a person ("jan.kowalski@wp.pl"), nor a PESEL, ID number, address or a person's name;
- a member of a body by name (`find_in_official_name`, WZK members acting in their role) may hold a
  name, but nothing else personal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

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
BIRTH_DATE = "wygląda na datę urodzenia"
PERSONAL_EMAIL = "wygląda na prywatny adres e-mail osoby (podaj adres instytucji, np. sekretariat@…)"

_REFUSAL = "dane osobowe nie mogą trafić do systemu (przypadki są pseudonimizowane)"

_UP = "A-ZĄĆĘŁŃÓŚŹŻ"
_LOW = "a-ząćęłńóśźż"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DIGIT = re.compile(r"\d")
# "jan.kowalski(at)wp.pl", "jan.kowalski [at] wp [dot] pl", "jan.kowalski @ wp.pl".
_EMAIL_OBFUSCATED = re.compile(
    r"(?i)[\w.+-]+\s*(?:\(at\)|\[at\]|\{at\}|\(małpa\)|\[małpa\]|\s@|@\s)\s*[\w-]+"
    r"(?:\s*(?:\.|\(dot\)|\[dot\]|\(kropka\)|\[kropka\])\s*[\w-]+)+"
)
# 11 digits in groups of 2-4 joined by one space or dash (a PESEL read aloud, or a mangled case code).
_GROUPED_ELEVEN = re.compile(r"(?<![\d+])(?<!\d[ -])\d(?:[ -]?\d){10}(?![ -]?\d)")
_PESEL_WORD_BEFORE = re.compile(r"(?i)pesel\W{0,5}$")
# "ur. 14.05.1944 r.", "urodzona 3 maja 1950", "data urodzenia: 1944", "d. ur. 01-02-1990".
_BIRTH_DATE = re.compile(
    r"(?i)(?<!\w)(?:ur\.|urodz\.|urodzon\w*|urodzin\w*|data\s+urodzenia|d\.\s?ur\.)\W{0,3}"
    r"(?:(?:w|dnia|dn\.)\s*)?"
    rf"(?:\d{{1,2}}\s?[./-]\s?\d{{1,2}}\s?[./-]\s?\d{{2,4}}|\d{{1,2}}\s+[{_LOW}]+\s+\d{{4}}|(?:18|19|20)\d{{2}}(?!\d))"
)
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
    re.compile(r"(?<![\d/.,-])(?<!\d\s)\d{3}([\s-])\d{2}\1\d{2}\1\d{2}(?![\d/.,-])(?!\s\d)"),
]
# Register numbers and numbers of documents ("Wniosek nr 123 456 789", "sygnatura 123-456-789").
_INSTITUTION_NUMBER_BEFORE = re.compile(
    r"(?i)(?:regon|nip|krs|terc|teryt|nr\s+sprawy|sygn\.|sygnatur\w*|wnios\w*|pism\w*|decyzj\w*"
    r"|faktur\w*|umow\w*|uchwał\w*|zarządzeni\w*|postanowieni\w*|protok\w*|akt\w*|znak\w*"
    r"|spraw\w*|dokument\w*|zaświadczeni\w*|orzeczeni\w*)(?:\s+(?:nr|numer)\.?)?\W{0,3}$"
)

_ADDRESS = re.compile(
    r"(?<![\w\d])(?<!\d\s)(?i:ul(?:\.|ica|icy|icę|icą)?|al(?:\.|eja|ei|eje|ejach)|os(?:\.|iedle|iedla|iedlu)"
    r"|pl(?:\.|ac|acu)|rondo|skwer)"
    rf"\s*(?:\d{{1,2}}\s+)?[{_UP}][\w.'-]*(?:\s+(?:[{_UP}][\w.'-]*|i|im\.|św\.|\d{{1,2}}(?=\s+[{_UP}]))){{0,5}}"
    r"\s+\d{1,4}\s?[a-zA-Z]?(?:\s?/\s?\d{1,4}[a-zA-Z]?|\s+m\.\s?\d{1,4})?(?![\w/])"
)

# An address without "ul.": a capitalised street, a house number and a flat ("Lipowa 5 m. 2",
# "Lipowa 5/2") or a town after it ("Lipowa 5, Toruń", "Lipowa 5, 87-100 Toruń").
_STREETLESS_ADDRESS = re.compile(
    rf"(?<![\w.])(?P<street>[{_UP}][{_LOW}]+(?:[ -][{_UP}][{_LOW}]+){{0,2}})\s+\d{{1,3}}\s?[a-zA-Z]?"
    r"(?:\s?/\s?\d{1,3}[a-zA-Z]?(?![\d/])(?!\s+(?:raz|razy|etat|etatu|godz|godzin|dni|tyg|mies|osób|os\.))|\s+(?:m\.|m|lok\.|lokal|mieszk\.)\s?\d{1,4}(?!\d)"
    rf"|,\s*(?:\d{{2}}-\d{{3}}\s+)?[{_UP}][{_LOW}]+(?![{_LOW}])(?!\s*\d))"  # a town, not "Dorośli 2"
)
# Words before a number that make it no house number ("Sala 105, Toruń", "Szkoła 2, Toruń").
_NOT_A_STREET = re.compile(
    r"(?i)(?:.*\s)?(?:sala|sali|pokój|pok|pokoju|punkt|klub|grupa|grupy|etap|moduł|krok|kroku|wersja|"
    r"rok|art|pkt|ust|nr|numer|strona|str|klasa|klasy|budynek|piętro|wejście|okienko|stanowisko|"
    r"styczeń|stycznia|luty|lutego|marzec|marca|kwiecień|kwietnia|maj|maja|czerwiec|czerwca|lipiec|"
    r"lipca|sierpień|sierpnia|wrzesień|września|październik|października|listopad|listopada|grudzień|"
    r"grudnia|godz|godzina|dzień|tydzień|miesiąc|edycja|semestr|szkoła|przedszkole|poradnia|zespół|"
    r"oddział|wydział|filia|plan|program|rozdział|załącznik|aneks|lista|tabela|punktów|osób|dzieci|"
    r"porozumieni[ea]|zarządzeni[ea]|uchwał[ay]|protokół|protokołu|pism[oa]|decyzj[ai]|umow[ay]|wniosek|"
    r"wniosku|spraw[ay]|sygnatura|faktur[ay]|postanowieni[ea]|kart[ay]|sprawozdani[ea]|raport|ustaw[ay]|"
    r"rozporządzeni[ea]|zaświadczeni[ea]|orzeczeni[ea]|notatka|notatki|skierowani[ea])"
)
_WHITESPACE = re.compile(r"[ \t\u00a0]+")


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
_SURNAME_SUFFIX = re.compile(rf"[{_UP}][{_LOW}]+(?:ski|ska|ską|cki|cka|cką|dzki|dzka|dzką|wicz|czyk|czak)")
_LOWER_SURNAME = re.compile(
    rf"[{_LOW}]+(?:ski|ska|skiego|skiej|skim|ską|cki|cka|ckiego|ckiej|ckim|cką|dzki|dzka|wicz|wicza"
    r"|czyk|czyka|czak|czaka)"
)
_INITIAL = re.compile(rf"[{_UP}]\.")
_EMAIL_SEPARATORS = re.compile(r"[._+-]+")
_HONORIFIC = _words("pan pani pana panią panu panem panie p.")
# Words of a place's name ("Kazimierz Dolny", "Janów Lubelski"): no surname after a first name.
_PLACE_WORDS = _words(
    """dolny dolna dolne górny górna górne biskupi biskupia wielki wielka wielkie mały mała małe
    nowy nowa nowe stary stara stare lubelski lubelska mazowiecki mazowiecka podlaski podlaska
    kujawski kujawska pomorski pomorska śląski śląska trybunalski wielkopolski małopolski
    królewski królewska szlachecki szlachecka kościelny kościelna"""
)
_FAMILY_WORD = re.compile(r"(?i)rodzin\w*|państw[oau]?")
_FAMILY_SURNAME = re.compile(rf"[{_UP}][{_LOW}]+(?:skich|ckich|dzkich|scy|ccy|dzcy|owie|ów)")


def _pesel_ok(digits: str) -> bool:
    weights = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
    total = sum(w * int(d) for w, d in zip(weights, digits, strict=False))
    return (10 - total % 10) % 10 == int(digits[10])


# PESEL months carry the century: +80 the 1800s, +0 the 1900s, +20 the 2000s, +40, +60 later ones.
_CENTURIES = {0: 1900, 20: 2000, 40: 2100, 60: 2200, 80: 1800}


def pesel_birth_date(digits: str) -> date | None:
    """The date of birth a PESEL encodes, or None when its first six digits are no date."""
    year, month, day = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    offset = (month - 1) // 20 * 20 if month else -1
    if offset not in _CENTURIES:
        return None
    try:
        return date(_CENTURIES[offset] + year, month - offset, day)
    except ValueError:
        return None


def is_plausible_pesel(digits: str, today: date | None = None) -> bool:
    """11 digits with a valid PESEL checksum and the birth date of someone alive: 1900 to today.

    >>> is_plausible_pesel("44051401359"), is_plausible_pesel("44051401358")
    (True, False)
    """
    if len(digits) != 11 or not digits.isdigit() or not _pesel_ok(digits):
        return False
    born = pesel_birth_date(digits)
    return born is not None and date(1900, 1, 1) <= born <= (today or date.today())


def _document_ok(series: str, number: str, weights: tuple[int, ...]) -> bool:
    # Letters count A=10..Z=35; the check digit has its weight folded in so the sum ends in 0.
    values = [ord(c) - 55 for c in series] + [int(d) for d in number]
    return sum(w * v for w, v in zip(weights, values, strict=True)) % 10 == 0


def _digits(text: str) -> int:
    return len(_DIGIT.findall(text))


def _may_be_obfuscated_email(text: str) -> bool:
    # Cheap string tests first: the obfuscated-e-mail regex is the costliest of all.
    lower = text.lower()
    return "@" in text or "at)" in lower or "at]" in lower or "at}" in lower or "małpa" in lower


def _find_email(text: str) -> str | None:
    if "@" in text and _EMAIL.search(text):
        return EMAIL
    return EMAIL if _may_be_obfuscated_email(text) and _EMAIL_OBFUSCATED.search(text) else None


_CASE_CODE = re.compile(r"P-(\d{7})-(\d{4,6})")
_CASE_CODE_DIGITS = re.compile(r"\d{7}-\d{4}")


def _gmina_terc_shaped(terc: str) -> bool:
    """Seven digits a gmina's TERC could be: an even województwo code, a gmina kind digit 1–3."""
    return terc[:2] != "00" and int(terc[:2]) % 2 == 0 and terc[6] in "123"


def case_code_hides_pesel(code: str) -> bool:
    """Whether a case code `P-<7 digits>-<NNNN>` carries a PESEL in its 11 digits.

    Case codes are generated as P-<gmina's TERC>-<number>; one such code in ten happens to have a
    valid PESEL checksum, often with a plausible date too (TERC 3401011 reads 1934-01-01), and it
    carries nobody's data: refusing it would refuse real cases. A code whose 7 digits cannot be a
    gmina's TERC (odd województwo code, kind digit not 1–3) was typed by hand; when its 11 digits are
    a valid PESEL of someone alive it is refused ("P-4405140-1359" is the PESEL 44051401359).

    >>> case_code_hides_pesel("P-4405140-1359"), case_code_hides_pesel("P-3401011-0001")
    (True, False)
    """
    match = _CASE_CODE.fullmatch(code)
    if not match or len(match[2]) != 4:
        return False
    return is_plausible_pesel(match[1] + match[2]) and not _gmina_terc_shaped(match[1])


def _find_grouped_pesel(text: str) -> str | None:
    for match in _GROUPED_ELEVEN.finditer(text):
        start = match.start()
        if text[max(0, start - 2) : start] == "P-" and _CASE_CODE_DIGITS.fullmatch(match.group()):
            if case_code_hides_pesel("P-" + match.group()):
                return PESEL
            continue
        digits = match.group().replace(" ", "").replace("-", "")
        if is_plausible_pesel(digits) or _PESEL_WORD_BEFORE.search(text[:start]):
            return PESEL
    return None


def _find_number(text: str) -> str | None:
    """Identifiers other than an e-mail: PESEL, bank account, ID card, passport."""
    if _digits(text) < 6:  # an ID card number has the fewest digits: 6
        return None
    if match := _ELEVEN_DIGITS.search(text):
        return PESEL if _pesel_ok(match.group()) else PESEL_LIKE
    if reason := _find_grouped_pesel(text):
        return reason
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


def _find_identifier(text: str) -> str | None:
    return _find_email(text) or _find_number(text)


def _find_birth_date(text: str) -> str | None:
    return BIRTH_DATE if _DIGIT.search(text) and _BIRTH_DATE.search(text) else None


def _find_phone(text: str) -> str | None:
    if _digits(text) < 9:  # every phone pattern has at least 9 digits
        return None
    for pattern in _PHONES:
        for match in pattern.finditer(text):
            if not _INSTITUTION_NUMBER_BEFORE.search(text[: match.start()]):
                return PHONE
    return None


def _find_address(text: str) -> str | None:
    if not _DIGIT.search(text):  # no house number, no address
        return None
    if _ADDRESS.search(text):
        return ADDRESS
    for match in _STREETLESS_ADDRESS.finditer(text):
        if not _NOT_A_STREET.fullmatch(match["street"]):
            return ADDRESS
    return None


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
    if not _CAPITALISED.fullmatch(word) or lower in _FIRST_NAMES or lower in _PLACE_WORDS:
        return False
    return lower not in _NOT_SURNAME_WORDS and not lower.startswith(_FAMOUS + _NOT_SURNAME_STEMS)


def _is_lowercase_surname(word: str) -> bool:
    """ "kowalski", "nowak": a surname typed in lowercase (by its ending or a common surname)."""
    word = word.rstrip(".,;:")
    if word != word.lower() or word in _FIRST_NAMES or word in _PLACE_WORDS:
        return False
    if word in _COMMON_SURNAMES:
        return True
    return bool(_LOWER_SURNAME.fullmatch(word)) and not word.startswith(_FAMOUS + _NOT_SURNAME_STEMS)


def _is_surname_like(word: str) -> bool:
    """A capitalised word that reads as a surname on its own ("Nowak", "Kowalska")."""
    word = word.rstrip(".,;:")
    return bool(_SURNAME_SUFFIX.fullmatch(word) or word.lower() in _COMMON_SURNAMES) and _is_surname(word)


def _is_family_surname(word: str) -> bool:
    return bool(_FAMILY_SURNAME.fullmatch(word)) and _is_surname(word) and word.lower() not in _NATIONALITIES


# A pair of words can name someone only if one of them is a first name, an honorific, a surname by
# its ending or a common one, an initial or a family word: other pairs are not looked at (speed).
_ANCHOR_WORDS = _FIRST_NAMES | _HONORIFIC | _COMMON_SURNAMES
_SURNAME_ENDINGS = tuple(
    _words(
        """ski ska ską cki cka cką dzki dzka dzką wicz czyk czak
        skiego skiej skim ckiego ckiej ckim wicza czyka"""
    )
)
_FAMILY_STARTS = ("rodzin", "państw")


def _find_name(text: str) -> str | None:
    tokens = list(_WORD.finditer(text))
    words = [t.group() for t in tokens]
    keys = [w.lower().rstrip(".,;:") for w in words]
    hot = [
        k in _ANCHOR_WORDS or k.endswith(_SURNAME_ENDINGS) or k.startswith(_FAMILY_STARTS) or w[-1:] == "."
        for k, w in zip(keys, words, strict=True)
    ]
    for i in range(len(tokens) - 1):
        if not (hot[i] or hot[i + 1]) or not _WHITESPACE.fullmatch(
            text, tokens[i].end(), tokens[i + 1].start()
        ):
            continue
        before, word, following = (words[i - 1].lower() if i else ""), words[i], words[i + 1]
        if before in _PATRON_BEFORE or before.isdigit():
            continue
        if _is_first_name(word) and (_is_surname(following) or _is_lowercase_surname(following)):
            return NAME
        if _is_surname_like(word) and _is_first_name(following.rstrip(".,;:")):
            return NAME
        if _is_lowercase_surname(word) and _is_first_name(following.rstrip(".,;:")):
            return NAME
        # "Nowak J.", "J. Kowalska": a surname with an initial.
        if _is_surname_like(word) and _INITIAL.fullmatch(following):
            return NAME
        if _INITIAL.fullmatch(word) and _is_surname_like(following):
            return NAME
        if word.lower() in _HONORIFIC and _is_surname(following) and not _is_first_name(following):
            return SURNAME
        family = following.rstrip(".")
        if _FAMILY_WORD.fullmatch(word) and _is_family_surname(family):
            return SURNAME
    return None


def _is_personal_email(address: str) -> bool:
    """An e-mail whose local part names a person: "jan.kowalski@", "a.nowak@", "kowalska.anna@"."""
    local = address.split("@", 1)[0].lower()
    parts = [p for p in _EMAIL_SEPARATORS.split(local) if p]
    return any(
        (p in _FIRST_NAMES and p not in _AMBIGUOUS_LOWERCASE) or _is_lowercase_surname(p) for p in parts
    ) or _is_lowercase_surname(local)


def _find_contact_email(text: str) -> str | None:
    if _may_be_obfuscated_email(text) and _EMAIL_OBFUSCATED.search(text):
        return EMAIL
    return PERSONAL_EMAIL if any(_is_personal_email(m.group()) for m in _EMAIL.finditer(text)) else None


_DETECTORS: list[Callable[[str], str | None]] = [
    _find_identifier,
    _find_birth_date,
    _find_phone,
    _find_address,
    _find_name,
]
# An institution's contact: its phone and e-mail are what the field is for.
_CONTACT_DETECTORS: list[Callable[[str], str | None]] = [
    _find_contact_email,
    _find_number,
    _find_birth_date,
    _find_address,
    _find_name,
]
# A named member of a body (WZK): the name is the field's purpose, nothing else personal is.
_OFFICIAL_NAME_DETECTORS: list[Callable[[str], str | None]] = [
    _find_identifier,
    _find_birth_date,
    _find_phone,
    _find_address,
]


# Without a digit there is no number, phone, address or date: only these detectors can find anything.
_NEED_NO_DIGIT = frozenset({"_find_identifier", "_find_email", "_find_contact_email", "_find_name"})


def _first(detectors: list[Callable[[str], str | None]], text: str) -> str | None:
    if not _DIGIT.search(text):
        detectors = [d for d in detectors if d.__name__ in _NEED_NO_DIGIT]
    for detect in detectors:
        reason = detect(text)
        if reason:
            return reason
    return None


def find_personal_data(text: str) -> str | None:
    """Why the text looks like personal data (Polish), or None when it looks innocent.

    >>> find_personal_data("Kontakt: jan.kowalski@example.pl")
    'wygląda na adres e-mail'
    >>> find_personal_data("ul. Lipowa 5/2, rodzina 5-osobowa")
    'wygląda na adres z numerem domu'
    >>> find_personal_data("Rozmowa z Anną Kowalską")
    'wygląda na imię i nazwisko'
    >>> find_personal_data("PESEL 44 05 14 01 359")
    'wygląda na numer PESEL'
    >>> find_personal_data("ur. 14.05.1944 r.")
    'wygląda na datę urodzenia'
    >>> find_personal_data("Rodzina 5-osobowa, 2 dzieci w wieku szkolnym") is None
    True
    >>> find_personal_data("Wniosek nr 123 456 789, spotkanie 14.05.2026 r.") is None
    True
    """
    return _first(_DETECTORS, text)


def find_in_contact(text: str) -> str | None:
    """`find_personal_data` for an institution's contact: its phone and e-mail pass, a person's don't.

    >>> find_in_contact("sekretariat@ops.gmina.pl, tel. 56 123 45 67") is None
    True
    >>> find_in_contact("jan.kowalski@wp.pl")
    'wygląda na prywatny adres e-mail osoby (podaj adres instytucji, np. sekretariat@…)'
    """
    return _first(_CONTACT_DETECTORS, text)


def find_in_official_name(text: str) -> str | None:
    """`find_personal_data` for a member of a body named in their role: a name passes, nothing else.

    >>> find_in_official_name("dr hab. Ewa Sobolewska") is None
    True
    >>> find_in_official_name("Ewa Sobolewska, tel. 501 234 567")
    'wygląda na numer telefonu'
    """
    return _first(_OFFICIAL_NAME_DETECTORS, text)


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
