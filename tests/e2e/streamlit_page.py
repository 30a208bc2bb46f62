"""What a person does in the app's browser tab: wait for the app, log in, read the menu."""

from __future__ import annotations

import re

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
DRAWN = "[data-testid='stMain'] [data-testid='stElementContainer']"  # a first run has drawn something


def wait_idle(page, settle: float = 0.4) -> None:
    """Wait until the script run is over and stays over (the cookie component reports back once).

    The app reads "notRunning" before its first run starts too, hence waiting for drawn elements.
    """
    page.wait_for_selector(DRAWN, state="attached")
    page.wait_for_selector(IDLE, state="attached")
    page.wait_for_timeout(settle * 1000)
    page.wait_for_selector(IDLE, state="attached")


NAV = "[data-testid='stSidebarNav']"
LOGIN_BUTTON = "Zaloguj się"


def login(page, user: str, password: str = "demo") -> None:
    """Fill the login form and send it. Under load the cookie component's report-back re-runs the
    script after the form is drawn and the form comes back empty: what was typed before that rerun
    is gone and the click sends nothing ("Podaj login"). So the form is filled once the page has
    settled, and filled again once if the click found it emptied (never after a refusal)."""
    wait_idle(page, settle=1.0)
    for _attempt in range(2):
        page.get_by_label("Login", exact=True).fill(user)
        page.get_by_label("Hasło", exact=True).fill(password)
        page.get_by_role("button", name=LOGIN_BUTTON).click()
        wait_idle(page)
        if page.locator(NAV).count() or page.get_by_label("Login", exact=True).input_value():
            return  # logged in, or refused with the login kept: the caller reads the outcome


def nav_titles(page) -> list[str]:
    """The menu's page titles (each link's last line: the icon's name comes first)."""
    return [
        t.strip().split("\n")[-1] for t in page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()
    ]


def fill_step_completion(page, user: str, evidence: str, note: str):
    """Log in as `user` and fill the step-event form for a completion; returns the main area."""
    login(page, user)
    page.get_by_role("link", name="Wprowadzanie danych").click()
    wait_idle(page)
    main = page.locator("[data-testid='stMain']")
    main.get_by_text("Zdarzenie kroku harmonogramu").wait_for()
    main.get_by_text("zakończenie", exact=True).click()
    wait_idle(page)
    main.get_by_label("Dokument (protokół, porozumienie)").fill(evidence)
    main.get_by_label("Uwagi").fill(note)
    return main


# What no screen may show: Streamlit's own English, raw codes of the warehouse, tracebacks.
FORBIDDEN = [
    "Choose an option", "Choose options", "Select all", "No results", "empty", "None", "NaN",
    "dd.mm.yyyy", "DD.MM.YYYY", "YYYY/MM/DD", "Page not found", "in_progress", "not_started",
    "on_track", "urban_rural", "self_formed", "pzk_formal", "kontrakt_socjalny", "goals_achieved",
    "Traceback", "Error", "Exception",
]  # fmt: skip
# A raw role code (a login such as "zarzad" may equal one: logins are not searched for).
ROLE_CODE = re.compile(
    r"\((?:admin|animator|wzk|zarzad)\)|(?i:rola):? (?:admin|animator|wzk|zarzad)(?=$|[;,.)\n])"
)
MAIN = "[data-testid='stMain']"


def forbidden_tokens(text: str) -> list[str]:
    """The forbidden tokens found in a screen's text, as words (so "Nonet" is not "None")."""
    hits = [t for t in FORBIDDEN if re.search(rf"(?<![\w/]){re.escape(t)}(?![\w/])", text)]
    return hits + ROLE_CODE.findall(text)


def screen_text(page) -> str:
    """What the page says, the tabs not shown included (text_content, not inner_text), the menu and the
    widgets' placeholders."""
    main = page.locator(MAIN).text_content() or ""
    main = re.sub(r"<style>.*?</style>", "", main, flags=re.S)
    placeholders = page.eval_on_selector_all("[placeholder]", "els => els.map(e => e.placeholder)")
    return "\n".join([main, *page.locator("[data-testid='stSidebar']").all_inner_texts(), *placeholders])


def choose(page, box, option: str, exact: bool = True) -> None:
    """Pick `option` in a selectbox or multiselect (`box`: its input): type to filter, click the option.

    Typing opens the list even when the first click only focused the box (a rerun can swallow it).
    """
    box.click()
    box.press_sequentially(option[:12])
    page.get_by_role("option", name=option, exact=exact).first.click()
    wait_idle(page)
