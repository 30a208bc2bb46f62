"""ui.text.plain: Markdown that shows exactly the text it was given, and nothing else."""

from __future__ import annotations

import html
import re

import pytest

from kooperacja.ui.text import JOINER, html_text, plain

TRICKY = [
    "![x](http://evil.example/p.png)",
    "[Sesja wygasła — zaloguj się tutaj](http://evil.example)",
    "<img src=x onerror=alert(1)>",
    '<a href="http://evil.example">a</a>',
    "**bold** __bold__ *i* _i_ ~~s~~ `code`",
    ":red[x] :material/home: :small[x] $x$ $$x$$",
    "# nagłówek",
    "- punkt",
    "1. pierwszy",
    "12) dwunasty",
    "> cytat",
    "+ plus",
    "=== a",
    "a | b | c",
    "&lt;img&gt; &amp; &#60;",
    "\\*nie kursywa\\*",
    "www.evil.example, zaloguj@evil.example, https://evil.example",
    "Gmina Łąka-Wola — usługi dla <5 osób, 7:30–15:30, np. ul. Długa 5/7.",
]


@pytest.mark.parametrize("value", TRICKY)
def test_plain_renders_as_its_own_text(value):
    markdown_it = pytest.importorskip("markdown_it")
    md = markdown_it.MarkdownIt("commonmark").enable(["strikethrough", "table"])
    rendered = md.render(plain(value))
    assert re.fullmatch(r"<p>.*</p>\n", rendered, re.S), rendered  # one paragraph, no block markup
    inner = rendered[3:-5]
    assert "<" not in inner.replace("&lt;", ""), rendered  # no element at all: no link, image, emphasis
    assert html.unescape(inner).replace(JOINER, "") == value


def test_plain_keeps_normal_text_as_it_is():
    assert plain("Zawiśle — MOPS w Zawiślu") == "Zawiśle — MOPS w Zawiślu"
    assert plain("Sprawy: <5") == "Sprawy: \\<5"
    assert plain("  dwie\nlinie  ") == "dwie linie"


def test_html_text_escapes_markup_and_keeps_one_line():
    assert html_text('<b>"a" & b</b>\n\nc') == "&lt;b&gt;&quot;a&quot; &amp; b&lt;/b&gt; c"
