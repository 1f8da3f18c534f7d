"""What a user asks for, checked before anything is read: indicator codes against the
catalogue, FINESS numbers against the registry and the stored results (normalised as at
import), levels against the known levels, regions against the reference geography, output
folders against the file system. A filter that matches nothing known is refused with a
French reason and the closest suggestions, instead of an empty answer (used by `results`,
`funnel`, `compute`, `bilan` and `peers`)."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path
from typing import TYPE_CHECKING

from hospiscope.cli.errors import CliError

if TYPE_CHECKING:
    import duckdb

# Level names as users may type them (accents, short names) → stored level.
_LEVEL_ALIASES = {"type": "strate:type", "taille": "strate:taille"}


class FilterError(CliError):
    """A filter that matches nothing known (message in French, with suggestions)."""


def closest(value: str, candidates: list[str], n: int = 3) -> list[str]:
    """The candidates closest to `value` (case and accents do not matter)."""
    keys = {_key(candidate): candidate for candidate in candidates}
    return [keys[key] for key in get_close_matches(_key(value), list(keys), n=n, cutoff=0.5)]


def suggestions(value: str, candidates: list[str]) -> str:
    """The closest candidates as " ; le plus proche : X", or "" when nothing is close."""
    close = closest(value, candidates)
    if not close:
        return ""
    return f" ; {'les plus proches' if len(close) > 1 else 'le plus proche'} : " + ", ".join(close)


def indicator(code: str, funnel_only: bool = False) -> str:
    """The catalogue code of `code` (case does not matter); with `funnel_only`, among the
    indicators judged on a funnel plot only (the funnel is part of the computation, so only
    then is the full catalogue imported)."""
    if not funnel_only:
        from hospiscope.catalogue import get_meta

        return get_meta(code).code
    from hospiscope.catalogue import catalogue, get_indicator

    funnels = {c: i for c, i in catalogue().items() if i.funnel is not None}
    return get_indicator(code, funnels, "avec un diagramme en entonnoir").code


def indicators(codes: list[str] | None) -> list[str] | None:
    return [indicator(code) for code in codes] if codes else codes


def finess(con: duckdb.DuckDBPyConnection, number: str) -> str:
    """The FINESS number normalised as at import (a dropped leading zero restored), known to
    the registry or to the stored results."""
    from hospiscope.sources.finess.numbers import finess_problem, normalise_finess

    value = normalise_finess(number)
    known = con.execute(
        "SELECT EXISTS (SELECT 1 FROM establishments WHERE finess_et = $n) OR EXISTS "
        "(SELECT 1 FROM results WHERE entity_kind = 'etablissement' AND entity_id = $n)",
        {"n": value},
    ).fetchall()[0][0]
    if known:
        return value
    if problem := finess_problem(value):
        raise FilterError(problem)
    raise FilterError(
        f"FINESS {value} inconnu : absent du registre FINESS importé et des résultats enregistrés"
    )


def level(con: duckdb.DuckDBPyConnection | None, name: str) -> str:
    """A known level (catalogue levels and levels of stored results); accents, case and the
    short names of stratifications (type, taille) do not matter."""
    from hospiscope.catalogue.model import LEVELS

    known = list(LEVELS)
    if con is not None:
        stored = con.execute("SELECT DISTINCT entity_kind FROM results ORDER BY 1").fetchall()
        known += [row[0] for row in stored if row[0] not in known]
    wanted = _LEVEL_ALIASES.get(_key(name), _key(name))
    for candidate in known:
        if _key(candidate) == wanted:
            return candidate
    raise FilterError(
        f"niveau inconnu : « {name} »{suggestions(name, known)} (niveaux : {', '.join(known)})"
    )


def region(code: str) -> str:
    """The INSEE code of a region given by its code ("84", "1" for "01") or its name
    ("Auvergne-Rhône-Alpes", "auvergne rhone alpes")."""
    from hospiscope.geo import geography

    regions = {c: r.name for c, r in geography().regions.items()}
    value = code.strip()
    if value.isdigit() and value.zfill(2) in regions:
        return value.zfill(2)
    by_name = {_key(name): c for c, name in regions.items()}
    if (found := by_name.get(_key(value))) is not None:
        return found
    close = closest(value, list(regions.values()), n=1)
    hint = f" ; la plus proche : {by_name[_key(close[0])]} {close[0]}" if close else ""
    listed = ", ".join(f"{c} {name}" for c, name in regions.items())
    raise FilterError(
        f"région inconnue : « {value} »{hint} (code INSEE ou nom ; régions : {listed})"
    )


def output_dir(path: Path) -> Path:
    """A folder where files can be written: an existing folder, or one that can be created
    (checked without creating it, so that a failed command leaves nothing behind)."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise FilterError(f"« {path} » est un fichier : --out attend un dossier")
    existing = path
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise FilterError(f"« {existing} » est un fichier : impossible d'y créer « {path} »")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise FilterError(f"« {existing} » n'est pas accessible en écriture : permission refusée")
    return path


@dataclass(frozen=True)
class ResultFilters:
    indicator: str | None
    finess: str | None
    level: str | None


def result_filters(
    con: duckdb.DuckDBPyConnection,
    indicator_code: str | None = None,
    finess_number: str | None = None,
    level_name: str | None = None,
) -> ResultFilters:
    """The filters of `hospiscope results` checked and normalised (None: not asked)."""
    return ResultFilters(
        indicator(indicator_code) if indicator_code else None,
        finess(con, finess_number) if finess_number else None,
        level(con, level_name) if level_name else None,
    )


def _key(text: str) -> str:
    """Lower case, no accents, spaces and hyphens alike: "Île-de-France" → "ile de france"."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("-", " ").replace("'", " ").replace("_", " ").split())
