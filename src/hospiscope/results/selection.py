"""Which stored results a reader shows: one rule, in one place, for every reader (the command
line, the bilan, and later the portal and the API).

Stored results have an origin: `calcul` (computed by hospiscope) or `publie` (imported from a
published results file). By default a reader shows the computed results and, for an indicator
and a campaign that has none, the published ones: a user who only imported HAS's published
files sees them without knowing any option, and computed and published values are never
mixed for the same indicator and campaign. `--source calcul|publie|tout` keeps an explicit
choice. Every answer says which source it shows and whether the other one exists.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import duckdb
import pandas as pd

DEFAULT = "defaut"
SOURCES = ("calcul", "publie", "tout")
ORIGIN_LABELS = {"calcul": "calculés par hospiscope", "publie": "publiés (fichiers importés)"}

# The campaign of a stored period: its year, or the year a season ends with ("2023-2024").
CAMPAIGN_SQL = "TRY_CAST(regexp_extract(period, '(\\d{4})$', 1) AS INTEGER)"


class UnknownSource(ValueError):
    """A source other than calcul, publie or tout was asked for."""

    def __init__(self, source: str):
        super().__init__(
            f"source inconnue : « {source} » (choix possibles : calcul, publie, tout)"
        )


def check_source(source: str | None) -> str:
    """The source asked for, checked: None (or "defaut") for the default rule."""
    if source is None or source == DEFAULT:
        return DEFAULT
    if source not in SOURCES:
        raise UnknownSource(source)
    return source


def origin_filter(source: str | None) -> str:
    """A SQL condition on `results` (aliased `r`) selecting the rows that `source` shows."""
    source = check_source(source)
    if source == "tout":
        return "TRUE"
    if source != DEFAULT:
        return f"r.origin = '{source}'"
    # Published rows only where the same indicator and campaign has no computed row.
    return f"""(r.origin = 'calcul' OR NOT EXISTS (
        SELECT 1 FROM results c WHERE c.origin = 'calcul'
        AND c.indicator_code = r.indicator_code
        AND {CAMPAIGN_SQL.replace("period", "c.period")}
            IS NOT DISTINCT FROM {CAMPAIGN_SQL.replace("period", "r.period")}))"""


@dataclass
class SourceNote:
    """What a reader shows and what else exists, for the sentence printed beside it."""

    source: str  # defaut | calcul | publie | tout
    shown: dict[str, int] = field(default_factory=dict)  # origin → rows shown
    available: dict[str, int] = field(default_factory=dict)  # origin → rows matching filters
    published_instead: list[tuple[str, int | None]] = field(default_factory=list)

    @property
    def hidden(self) -> dict[str, int]:
        """Origins with results that match the filters but are not shown."""
        return {o: n for o, n in self.available.items() if n and not self.shown.get(o)}

    def sentence(self, option: str = "--source {origin}") -> str:
        """One French sentence: the source shown, and the other one when it exists, with how
        to ask for it (`option`: the command line's by default; the portal's `?source=`)."""
        if not any(self.shown.values()):
            return ""
        shown = [ORIGIN_LABELS[o] for o in ("calcul", "publie") if self.shown.get(o)]
        text = "Résultats " + " et ".join(shown)
        if self.source == DEFAULT and self.shown.get("calcul") and self.published_instead:
            pairs = ", ".join(
                f"{code} {campaign}" for code, campaign in self.published_instead[:4]
            )
            more = len(self.published_instead) - 4
            text += (
                f" ; résultats publiés là où rien n'est calculé ({pairs}"
                + (f" et {more} autre(s)" if more > 0 else "")
                + ")"
            )
        text += "."
        for origin in self.hidden:
            text += (
                f" Des résultats {ORIGIN_LABELS[origin]} existent aussi : "
                f"{option.format(origin=origin)} les montre ({option.format(origin='tout')} : "
                "les deux)."
            )
        return text


def describe(con: duckdb.DuckDBPyConnection, shown: pd.DataFrame, source: str | None,
             where: str = "TRUE", params: list | None = None) -> SourceNote:
    """The note of a reader that showed `shown` (rows with `origin`, `indicator_code`,
    `period`) out of the results matching `where` (a condition on `results` aliased `r`)."""
    available = dict(
        con.execute(
            f"SELECT origin, count(*) FROM results r WHERE {where} GROUP BY origin",
            params or [],
        ).fetchall()
    )
    rows = zip(shown["origin"], shown["indicator_code"], shown["period"], strict=True)
    return source_note(list(rows), source, available)


def source_note(
    shown: list[tuple[str, str, str]], source: str | None, available: dict[str, int]
) -> SourceNote:
    """The note of a reader that showed the rows `shown` ((origin, indicator_code, period)
    each) out of `available` results (origin → number of rows matching its filters)."""
    source = check_source(source)
    counts = Counter(str(origin) for origin, _, _ in shown)
    note = SourceNote(source, dict(counts.most_common()), available)
    if source == DEFAULT and shown:
        pairs = {
            (code, campaign_of(period)) for origin, code, period in shown if origin == "publie"
        }
        note.published_instead = sorted(pairs, key=lambda p: (p[0], p[1] or 0))
    return note


def campaign_of(period: str) -> int | None:
    """2024 for "2024" and for the season "2023-2024"."""
    tail = str(period).rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() and len(tail) == 4 else None


def empty_reason(con: duckdb.DuckDBPyConnection, note: SourceNote) -> str:
    """Why nothing is shown, in French, with what to run."""
    if note.hidden:
        origin = next(iter(note.hidden))
        return (
            f"Aucun résultat de cette source ; des résultats {ORIGIN_LABELS[origin]} "
            f"correspondent : ajoutez --source {origin}."
        )
    stored = con.execute("SELECT count(*) FROM results").fetchall()[0][0]
    if stored:
        return "Aucun résultat ne correspond à ces critères (des résultats sont enregistrés : " \
            "élargissez les filtres)."
    imports = con.execute("SELECT count(*) FROM import_runs").fetchall()[0][0]
    if imports:
        return (
            "Aucun résultat enregistré : lancez `hospiscope compute` pour calculer les "
            "indicateurs des données importées (ou importez des résultats publiés)."
        )
    return (
        "Entrepôt vide : importez des données (`hospiscope import …`) ou construisez la "
        "démonstration (`hospiscope demo`), puis lancez `hospiscope compute`."
    )
