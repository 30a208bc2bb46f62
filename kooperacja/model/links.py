"""Deep links: the URL of a record's page, to send to a colleague or to follow from an alert.

One scheme for every page: `<page>?<parameter>=<key>`. The page reads its parameter (ui.links), the
login keeps the URL, so that a colleague lands on the record after their own login when their role
may open that page.
"""

from __future__ import annotations

from urllib.parse import urlencode

# page: the query parameter naming its record.
PARAMETERS: dict[str, str] = {
    "gmina": "terc",
    "pzk": "terc",
    "sprawy": "case",
    "uslugi": "service",
    "wzk": "meeting",
    "alerty": "alert",
    "siec": "terc",  # the cooperation network of a gmina
}


def url(page: str, key: object, **more: object) -> str:
    """The relative URL of one record's page.

    >>> url("gmina", "0201011")
    'gmina?terc=0201011'
    >>> url("sprawy", "P-0201011-0001", tab="plan")
    'sprawy?case=P-0201011-0001&tab=plan'
    """
    return f"{page}?{urlencode({PARAMETERS[page]: key, **more})}"
