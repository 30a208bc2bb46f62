"""The measures of one survey wave's cooperation network, computed with networkx.

The declared graph is DIRECTED: one node per institution of the wave (every respondent and every
partner it was asked about), one edge respondent → partner for each answer "współpracujemy: tak".
A link both sides report is two edges (reciprocated). Degrees are total degrees (in + out).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd

from kooperacja.model.vocab import FREQUENCY_SCALE, SECTORS

DIRECTED = True

# The gmina's ośrodek pomocy społecznej: GOPS, MOPS, MGOPS, a MOPR of a city, by name and sector.
# The pattern is also the SQL twin's (network.kept, RE2 with the 'i' flag).
OPS_NAME_PATTERN = r"o[śs]rodek pomocy (społecznej|spolecznej|rodzinie)|\b(m?g?ops|mopr)\b"
_OPS_NAME = re.compile(OPS_NAME_PATTERN, re.IGNORECASE)


def is_ops(name: str, sector: str, level: str, seat_terc: str, terc: str) -> bool:
    """Whether an institution is the gmina's own OPS: social assistance, seated in the gmina, named so.

    >>> is_ops("Gminny Ośrodek Pomocy Społecznej w Zawiślu", "pomoc_spoleczna", "gmina", "3401011", "3401011")
    True
    >>> is_ops("Powiatowe Centrum Pomocy Rodzinie", "pomoc_spoleczna", "powiat", "3401", "3401011")
    False
    """
    return (
        sector == "pomoc_spoleczna"
        and level == "gmina"
        and seat_terc == terc
        and bool(_OPS_NAME.search(name))
    )


@dataclass(frozen=True)
class Measures:
    """The network measures of one wave (None where a measure is undefined, e.g. no links)."""

    institutions: int
    links: int
    density: float
    reciprocity: float | None
    average_degree: float
    degree_centralisation: float | None
    isolated: int
    isolated_names: tuple[str, ...]
    ops_share: float | None
    cross_sector_links: int
    mean_quality: float | None
    mean_frequency: float | None
    sectors: tuple[str, ...] = ()  # the sector codes of the wave's institutions, in vocabulary order
    sector_links: Mapping[tuple[str, str], int] = field(default_factory=dict, compare=False, repr=False)
    sectors_never_linked: tuple[str, ...] = ()  # sector codes with no link to another sector
    ops_name: str | None = None
    directed: bool = DIRECTED

    @property
    def sector_matrix(self) -> pd.DataFrame:
        """Links from the institutions of one sector (row) to those of another (column), by label."""
        matrix = pd.DataFrame(0, index=list(self.sectors), columns=list(self.sectors), dtype=int)
        for (u, v), n in self.sector_links.items():
            matrix.loc[u, v] = n
        return matrix.rename(index=SECTORS, columns=SECTORS)

    def scalars(self) -> dict[str, Any]:
        """The single-number measures, in the order of SCALARS."""
        return {name: getattr(self, name) for name in SCALARS}


# The measures a table of change shows (in this order), with their Polish labels.
LABELS: dict[str, str] = {
    "institutions": "Instytucje w badaniu",
    "links": "Powiązania (wskazania współpracy)",
    "density": "Gęstość sieci",
    "reciprocity": "Wzajemność",
    "average_degree": "Średni stopień",
    "degree_centralisation": "Centralizacja stopnia",
    "isolated": "Instytucje izolowane",
    "ops_share": "Udział OPS w powiązaniach",
    "cross_sector_links": "Powiązania międzysektorowe",
    "mean_quality": "Średnia jakość współpracy (1–5)",
    "mean_frequency": "Średnia częstotliwość kontaktów (0–3)",
}
SCALARS = tuple(LABELS)

EXPLANATIONS: dict[str, str] = {
    "institutions": "Liczba instytucji w badaniu: każda instytucja odpowiadająca i każda, o którą pytano.",
    "links": "Liczba wskazań „współpracujemy” — sieć jest skierowana: instytucja odpowiadająca → "
    "instytucja partnerska, więc współpraca zgłoszona przez obie strony liczy się dwa razy.",
    "density": "Gęstość to odsetek możliwych powiązań, które istnieją: m / (n·(n−1)) dla n instytucji i m "
    "wskazań w sieci skierowanej (1 — każda współpracuje z każdą).",
    "reciprocity": "Wzajemność to odsetek wskazań potwierdzonych przez drugą stronę (obie instytucje "
    "deklarują, że współpracują).",
    "average_degree": "Średni stopień to przeciętna liczba powiązań instytucji — wskazanych przez nią i "
    "wskazujących na nią (2m / n).",
    "degree_centralisation": "Centralizacja stopnia (Freemana) mówi, na ile sieć opiera się na jednej "
    "instytucji: Σ(d_max − d_i) / (2(n−1)(n−2)), gdzie d to liczba powiązań instytucji; 1 — gwiazda "
    "wokół jednej instytucji, 0 — wszystkie mają tyle samo powiązań.",
    "isolated": "Instytucje izolowane to te, które nie wskazały żadnej współpracy i nikt nie wskazał "
    "współpracy z nimi.",
    "ops_share": "Udział OPS to odsetek wszystkich powiązań, w których uczestniczy ośrodek pomocy "
    "społecznej gminy — im bliżej 100%, tym bardziej wszystko przechodzi przez OPS.",
    "cross_sector_links": "Powiązania międzysektorowe to wskazania współpracy między instytucjami różnych "
    "sektorów (np. pomoc społeczna — edukacja).",
    "mean_quality": "Średnia jakość to przeciętna ocena zgłoszonej współpracy w skali 1–5 (5 — bardzo "
    "dobra), liczona z powiązań, które oceniono.",
    "mean_frequency": "Średnia częstotliwość to przeciętna intensywność zgłoszonych kontaktów na skali "
    "porządkowej 0–3 (0 nigdy, 1 sporadycznie, 2 co miesiąc, 3 co tydzień lub częściej).",
    "sector_matrix": "Macierz sektorów pokazuje, ile wskazań współpracy prowadzi od instytucji jednego "
    "sektora (wiersz) do instytucji drugiego (kolumna); puste pola to sektory, które nie współpracują.",
}

NODE_COLUMNS = ["institution_id", "name", "sector", "is_ops"]
ANSWER_COLUMNS = ["respondent_id", "partner_id", "cooperates", "frequency", "quality"]


Node = tuple[int, str, str, bool]  # institution_id, name, sector, is the gmina's OPS
Link = tuple[int, int, str, int | None]  # respondent, partner, frequency, quality (answers "tak" only)


def _rows(nodes: pd.DataFrame, answers: pd.DataFrame) -> tuple[list[Node], list[Link]]:
    cols = [nodes[c].tolist() for c in NODE_COLUMNS]
    node_rows = [(int(i), n, s, bool(o)) for i, n, s, o in zip(*cols, strict=True)]
    yes = answers[answers["cooperates"].astype(bool)]
    link_cols = [yes[c].tolist() for c in ("respondent_id", "partner_id", "frequency", "quality")]
    links = [
        (int(r), int(p), f, None if pd.isna(q) else int(q)) for r, p, f, q in zip(*link_cols, strict=True)
    ]
    return node_rows, links


def graph_of(nodes: Iterable[Node], links: Iterable[Link]) -> nx.DiGraph:
    """The declared directed graph: every institution of the wave, an edge per answer "tak"."""
    g = nx.DiGraph()
    g.add_nodes_from((i, {"name": n, "sector": s, "is_ops": o}) for i, n, s, o in nodes)
    g.add_edges_from((r, p, {"frequency": f, "quality": q}) for r, p, f, q in links)
    return g


def graph(nodes: pd.DataFrame, answers: pd.DataFrame) -> nx.DiGraph:
    """The declared graph of a wave from its institutions (NODE_COLUMNS) and answers (ANSWER_COLUMNS)."""
    return graph_of(*_rows(nodes, answers))


def freeman_centralisation(degrees: Iterable[int]) -> float | None:
    """Freeman's degree centralisation of a directed graph on total degree (in + out).

    Σ(d_max − d_i) over all institutions, divided by its largest possible value 2(n−1)(n−2) — a star
    whose centre names and is named by every other institution. Undefined below three institutions.

    >>> freeman_centralisation([6, 2, 2, 2])  # a full two-way star of four
    1.0
    >>> freeman_centralisation([2, 2, 2])
    0.0
    """
    d = list(degrees)
    n = len(d)
    if n < 3:
        return None
    top = max(d)
    return sum(top - x for x in d) / (2 * (n - 1) * (n - 2))


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def compute(nodes: pd.DataFrame, answers: pd.DataFrame) -> Measures:
    """The measures of one wave from its institutions (NODE_COLUMNS) and answers (ANSWER_COLUMNS)."""
    return compute_rows(*_rows(nodes, answers))


def compute_rows(nodes: Sequence[Node], links: Sequence[Link]) -> Measures:
    """The measures of one wave from its institutions and its answers "tak" (plain rows: the region's
    thousands of waves are computed without a DataFrame each, on a graph without attributes).

    Reciprocity is networkx's overall reciprocity, counted on the graph directly (its own function
    copies the graph into an undirected one first, which is most of the time of a region's build).
    """
    g = nx.DiGraph()
    g.add_nodes_from(i for i, _, _, _ in nodes)
    g.add_edges_from((r, p) for r, p, _, _ in links)
    n, m = g.number_of_nodes(), g.number_of_edges()
    sector = {i: s for i, _, s, _ in nodes}
    names = {i: name for i, name, _, _ in nodes}
    isolated = sorted(nx.isolates(g), key=lambda i: names[i])
    ops = {i for i, _, _, o in nodes if o}
    counts: dict[tuple[str, str], int] = {}
    for u, v in g.edges():
        counts[(sector[u], sector[v])] = counts.get((sector[u], sector[v]), 0) + 1
    cross = sum(k for (a, b), k in counts.items() if a != b)
    linked = {s for pair, k in counts.items() if pair[0] != pair[1] for s in pair}
    present = tuple(s for s in SECTORS if s in set(sector.values()))
    quality = [float(q) for _, _, _, q in links if q is not None]
    frequency = [float(FREQUENCY_SCALE[f]) for _, _, f, _ in links]
    ops_links = sum(1 for u, v in g.edges() if u in ops or v in ops)
    return Measures(
        institutions=n,
        links=m,
        density=nx.density(g) if n > 1 else 0.0,
        reciprocity=(sum(1 for u, v in g.edges() if g.has_edge(v, u)) / m) if m else None,
        average_degree=(2 * m / n) if n else 0.0,
        degree_centralisation=freeman_centralisation(d for _, d in g.degree()),
        isolated=len(isolated),
        isolated_names=tuple(names[i] for i in isolated),
        ops_share=(ops_links / m) if ops and m else None,
        cross_sector_links=cross,
        mean_quality=_mean(quality),
        mean_frequency=_mean(frequency),
        sectors=present,
        sector_links=counts,
        sectors_never_linked=tuple(s for s in present if s not in linked),
        ops_name=names[min(ops)] if ops else None,
    )


def empty() -> Measures:
    """The measures of a wave with no answers yet."""
    return compute(pd.DataFrame(columns=NODE_COLUMNS), pd.DataFrame(columns=ANSWER_COLUMNS))
