"""User text on the screen as text: never as Markdown, HTML, a link, an image, a colour or a formula.

Streamlit renders the body of `st.markdown`, `st.caption`, `st.info/warning/success/error`,
`st.subheader/title`, widget labels and `format_func` outputs as Markdown (GFM with autolinks,
`:color[...]` and `:material/...:` directives, `$...$` LaTeX). A value from the warehouse (a service,
an institution, a note, a gmina name…) goes into such an element only through `plain`: every ASCII
character that could start Markdown there is backslash-escaped (CommonMark shows an escaped
character as itself), line breaks become spaces. Normal text looks the same on screen: Polish
letters, dashes, "<5".

Into HTML (`unsafe_allow_html=True`) a value goes through `html_text` instead.
"""

from __future__ import annotations

import html
import re
from typing import Any

# Escaped wherever they stand: emphasis, code, links and images, HTML and autolinks, LaTeX,
# strikethrough, tables, escapes themselves.
_ALWAYS = r"\\`*_\[\]<$~|"
_MARKUP = re.compile(
    rf"[{_ALWAYS}]"
    r"|:(?=\S)"  # :red[..], :material/..:, http://, mailto: (a colon before a space stays)
    r"|\.(?=\S)"  # www.evil.example, evil@evil.example (a full stop at a word's end stays)
    r"|(?<=:material)/"  # Streamlit rewrites ":material/" in the source before parsing it
    r"|&(?=#?\w+;)"  # an entity (&lt;) would show as the character it names
    r"|^[-+#>=]"  # a list, heading or quote when the value starts a line
    r"|(?<=^\d)[.)]|(?<=^\d\d)[.)]|(?<=^\d\d\d)[.)]"  # an ordered list: "1. ", "12) "
)
_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")
# GFM autolinks are found in the parsed text (after escapes are undone), so escaping cannot stop them:
# an invisible word joiner breaks "http://", "www." and "x@y.z" apart instead.
JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?i:(?<=www))(?=\.)|(?=@)")


def _one_line(value: Any) -> str:
    text = _BREAKS.sub(" ", "" if value is None else str(value)).strip()
    return _AUTOLINK.sub(JOINER, text)


def plain(value: Any) -> str:
    r"""`value` as Markdown source that shows exactly its text, on one line.

    Every character that could start Markdown, HTML, a Streamlit directive or LaTeX is
    backslash-escaped (CommonMark shows an escaped character as itself); line breaks become spaces;
    an invisible word joiner (U+2060) keeps a web or e-mail address from turning into a link.

    >>> print(plain("Gmina Łąka-Wola — usługi: dla <5 osób, 12.05.2026."))
    Gmina Łąka-Wola — usługi: dla \<5 osób, 12\.05\.2026.
    >>> print(plain("![x](http://evil.example/p.png) :red[x] $x$ **b** <img src=x>").replace(JOINER, "⁀"))
    !\[x\](http\:⁀//evil\.example/p\.png) \:red\[x\] \$x\$ \*\*b\*\* \<img src=x>
    >>> print(plain(":material/home: WWW.evil.example a@b.pl &lt; - 1. x").replace(JOINER, "⁀"))
    \:material\/home: WWW⁀\.evil\.example a⁀@b\.pl \&lt; - 1. x
    >>> print(plain("1. pierwszy\n\n# drugi"))
    1\. pierwszy # drugi
    >>> plain(None), plain(12)
    ('', '12')
    """
    return _MARKUP.sub(lambda m: "\\" + m.group(0), _one_line(value))


def html_text(value: Any) -> str:
    r"""`value` as HTML text (inside markup shown with `unsafe_allow_html=True`), on one line.

    One line: a blank line would end the HTML block and let Markdown parse the rest.

    >>> html_text('<img src=x onerror="alert(1)">\n\n![](http://evil.example)').replace(JOINER, "⁀")
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt; ![](http:⁀//evil.example)'
    """
    return html.escape(_one_line(value))
