"""Assembling the national (or regional) bilan of a campaign from stored results, then writing
it as HTML and PDF. Nothing is recomputed: every figure is a stored result with its
numerator, denominator, CI and method version (funnel limits are drawn from stored observed
and expected counts)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from hospiscope.catalogue import Indicator, catalogue
from hospiscope.geo import geography
from hospiscope.reports import format as fr
from hospiscope.reports.model import (
    Bilan,
    Figure,
    MethodNote,
    Section,
    TableBlock,
)
from hospiscope.reports.parts import distributions, funnel, published_national
from hospiscope.reports.render import write_bilan
from hospiscope.reports.sections import SECTIONS, SectionSpec, period_of, section_of
from hospiscope.results.answer import answer
from hospiscope.results.published import PUBLISHED_NATIONAL_NOTE
from hospiscope.results.selection import campaign_of, check_source, describe
from hospiscope.results.staleness import staleness
from hospiscope.stats import ci_label
from hospiscope.warehouse.kinds import kind_label
from hospiscope.warehouse.unregistered import UNREGISTERED_LABEL, unregistered_finess

TITLE = "Bilan des indicateurs de qualité et de sécurité des soins"
PUBLISHED_METHOD = "publie"  # method_version of published results (warehouse.published)
PUBLISHED_VERSION_LABEL = "résultat publié (HAS)"
PUBLISHED_NOTE = PUBLISHED_NATIONAL_NOTE
PUBLISHED_REGIONAL_NOTE = (
    "Résultats publiés par la HAS : la valeur régionale est la moyenne des établissements "
    "de la région pondérée par leur nombre de réponses, la valeur nationale celle de tous "
    "les établissements."
)


@dataclass
class Scope:
    campaign: int
    region: str | None  # INSEE region code, None for France entière
    origin: str  # the source asked for: defaut | calcul | publie (results.selection)
    # FINESS of the region's establishments: published files carry no regional value, so a
    # regional bilan weights the values of these establishments (None: France entière)
    members: frozenset[str] | None = None

    @property
    def level(self) -> tuple[str, str]:
        return ("region", self.region) if self.region else ("national", "FR")


def build_bilan(
    con: duckdb.DuckDBPyConnection,
    campaign: int,
    *,
    region: str | None = None,
    origin: str | None = None,
) -> Bilan:
    origin = check_source(origin)
    if origin == "tout":
        raise ValueError(
            "un bilan montre une seule source par indicateur : --source calcul ou publie "
            "(par défaut : les résultats calculés, et les publiés là où rien n'est calculé)"
        )
    found = answer(con, source=origin)
    results = found.frame
    if results.empty:
        raise ValueError(found.empty_reason)
    registry = _registry(con, region)
    members = frozenset(registry["finess_et"]) if region else None
    scope = Scope(campaign, region, origin, members)
    sections, used = [], []
    for spec in SECTIONS:
        section, indicators = _section(spec, results, registry, scope)
        if section is not None:
            sections.append(section)
            used += indicators
    if not sections:
        raise ValueError(f"aucun résultat pour la campagne {campaign}")
    return Bilan(
        title=TITLE,
        campaign=campaign,
        previous_campaign=campaign - 1,
        scope=geography().regions[region].name if region else "France entière",
        generated_at=dt.datetime.now(),
        sections=tuple(sections),
        methods=tuple(
            _method(i, _origin_of(results, i.code, campaign), _files(con, results, i.code))
            for i in used
        ),
        provenance=_provenance(con, results, used),
        notices=_notices(con, results, used, scope, found.source.source),
    )


def _origin_of(results: pd.DataFrame, code: str, campaign: int) -> str:
    """The origin of an indicator's results in the bilan's campaign (one per indicator)."""
    rows = results[results["indicator_code"] == code]
    current = rows[rows["period"].map(campaign_of) == campaign]
    origins = set((current if len(current) else rows)["origin"])
    return "publie" if origins == {"publie"} else "calcul"


def _notices(
    con: duckdb.DuckDBPyConnection,
    results: pd.DataFrame,
    used: list[Indicator],
    scope: Scope,
    source: str,
) -> tuple[str, ...]:
    """The source of the figures, whether they predate later imports, and (regional bilan)
    the establishments with results that no region can hold."""
    rows = results[results["indicator_code"].isin({i.code for i in used})]
    rows = rows[rows["period"].map(campaign_of) == scope.campaign]
    note = describe(con, rows, source, "TRUE")
    computed = rows.loc[rows["origin"] == "calcul", "computation_id"].dropna().unique()
    stale = staleness(con, [int(c) for c in computed]).sentence()
    return tuple(text for text in (note.sentence(), stale, _outside(con, rows, scope)) if text)


def _outside(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, scope: Scope) -> str:
    """A regional bilan cannot place establishments absent from the registry: say how many
    have results in the campaign, and where they are counted."""
    if not scope.region:
        return ""
    with_results = set(rows.loc[rows["entity_kind"] == "etablissement", "entity_id"])
    absent = [f for f in unregistered_finess(con) if f in with_results]
    if not absent:
        return ""
    listed = ", ".join(absent[:5]) + (" …" if len(absent) > 5 else "")
    return (
        f"Établissements ayant des résultats mais absents du registre FINESS importé : "
        f"{fr.integer(len(absent))} ({listed}). Sans région connue, ils ne figurent pas dans "
        f"ce bilan régional ; le bilan France entière les compte (« {UNREGISTERED_LABEL} »)."
    )


def generate_bilan(
    con: duckdb.DuckDBPyConnection,
    campaign: int,
    out_dir: Path,
    *,
    region: str | None = None,
    origin: str | None = None,
) -> tuple[Path, Path]:
    """Write `bilan.html` and `bilan.pdf` of a campaign in `out_dir`."""
    return write_bilan(build_bilan(con, campaign, region=region, origin=origin), out_dir)


def _registry(con: duckdb.DuckDBPyConnection, region: str | None) -> pd.DataFrame:
    """Establishments with their region and type group (labels), for distributions; France
    entière also has those absent from the registry, under UNREGISTERED_LABEL."""
    registry = con.execute("""
        SELECT e.finess_et, e.name, e.region_code, g.group_label AS type_label
        FROM establishments e
        LEFT JOIN peer_groups g ON g.finess_et = e.finess_et AND g.stratification = 'type'
    """).df()
    registry["region_label"] = (
        registry["region_code"]
        .map({c: r.name for c, r in geography().regions.items()})
        .fillna("Région non renseignée")
    )
    if region:
        return registry[registry["region_code"] == region]
    # Establishments results refer to but the registry lacks are counted, not lost.
    absent = pd.DataFrame({"finess_et": unregistered_finess(con)})
    absent = absent.assign(name=None, region_code=None).assign(
        type_label=UNREGISTERED_LABEL, region_label=UNREGISTERED_LABEL
    )
    return pd.concat([registry, absent], ignore_index=True) if len(absent) else registry


def _section(
    spec: SectionSpec, results: pd.DataFrame, registry: pd.DataFrame, scope: Scope
) -> tuple[Section | None, list[Indicator]]:
    figures, indicators = [], []
    for code, indicator in catalogue().items():
        if section_of(code) is not spec:
            continue
        rows = results[results["indicator_code"] == code]
        period = period_of(sorted(rows["period"].unique()), scope.campaign)
        if period is None:
            continue
        indicators.append(indicator)
        if spec.criteria_prefix and code.startswith(spec.criteria_prefix):
            continue
        figure = _figure(indicator, rows, period, scope)
        if figure is not None:
            figures.append(figure)
    if not indicators:
        return None, []
    headline = [i for i in indicators if i.meta.headline] or indicators
    first = {i.code for i in headline}
    figures.sort(key=lambda f: f.indicator not in first)  # headline figures first (stable)
    chosen = {i.code: i for i in headline}
    return Section(
        title=spec.title,
        text=spec.text + _published_note(indicators, results, scope),
        figures=tuple(figures),
        distributions=distributions(chosen, results, registry, scope),
        funnels=tuple(f for i in indicators if (f := funnel(i, results, registry, scope))),
        tables=_criteria_tables(spec, indicators, results, scope),
    ), indicators


def _figure(indicator: Indicator, rows: pd.DataFrame, period: str, scope: Scope) -> Figure | None:
    current = _headline_row(rows, period, scope)
    if current is None:
        return None
    periods = sorted(rows["period"].unique())
    before = periods[periods.index(period) - 1] if periods.index(period) > 0 else None
    previous = _headline_row(rows, before, scope) if before else None
    value = _number(current["value"])
    previous_value = _number(previous["value"]) if previous is not None else None
    changed = previous is not None and previous["method_version"] != current["method_version"]
    change_low, change_high, significant = _stored_change(current, before)
    published = current.get("origin") == "publie" or current["method_version"] == PUBLISHED_METHOD
    national = _headline_row(rows, period, Scope(scope.campaign, None, scope.origin))
    return Figure(
        indicator=indicator.code,
        label=indicator.meta.short_label,
        unit=indicator.meta.unit,
        value=value,
        numerator=_number(current["numerator"]),
        denominator=_number(current["denominator"]),
        ci_low=_number(current["ci_low"]),
        ci_high=_number(current["ci_high"]),
        ci_method=_text(current.get("ci_method")),
        previous_value=previous_value,
        change_points=value - previous_value if None not in (value, previous_value) else None,
        change_ci_low=change_low,
        change_ci_high=change_high,
        change_significant=significant,
        method_version=str(current["method_version"]),
        method_changed=bool(changed or current.get("method_changed")),
        # a published result carries HAS's method, not hospiscope's assumptions
        assumptions=() if published else tuple(indicator.meta.assumptions),
        origin="publie" if published else "calcul",
        national_value=_number(national["value"]) if scope.region and national else None,
    )


def _stored_change(current: dict, before: str | None) -> tuple[float | None, ...]:
    """(lower, upper, significant) of the change since `before` as the results layer stored
    it in the row's details (results.changes), or Nones when it stored none."""
    details = details_of(current)
    if before is None or details.get("periode_precedente") != before:
        return None, None, None
    if "evolution_ic" not in details:
        return None, None, None
    low, high = details["evolution_ic"]
    return low, high, bool(details["evolution_significative"])


def _headline_row(rows: pd.DataFrame, period: str, scope: Scope) -> dict | None:
    kind, entity = scope.level
    found = rows[
        (rows["period"] == period) & (rows["entity_kind"] == kind) & (rows["entity_id"] == entity)
    ]
    if not found.empty:
        return found.iloc[0].to_dict()
    current = rows[rows["period"] == period]
    if len(current) and set(current["origin"]) == {"publie"}:
        if scope.members is not None:  # the region's establishments only
            current = current[current["entity_id"].isin(scope.members)]
        return published_national(current)
    return None


def _published_note(indicators: list[Indicator], results: pd.DataFrame, scope: Scope) -> str:
    """How the reference values of a published section are obtained ("" when computed)."""
    if not _published(indicators, results, scope):
        return ""
    return " " + (PUBLISHED_REGIONAL_NOTE if scope.region else PUBLISHED_NOTE)


def _published(indicators: list[Indicator], results: pd.DataFrame, scope: Scope) -> bool:
    """Whether the section's figures of the campaign are published ones."""
    return any(_origin_of(results, i.code, scope.campaign) == "publie" for i in indicators)


def _criteria_tables(
    spec: SectionSpec, indicators: list[Indicator], results: pd.DataFrame, scope: Scope
) -> tuple[TableBlock, ...]:
    if not spec.criteria_prefix:
        return ()
    rows = []
    for indicator in indicators:
        if not indicator.code.startswith(spec.criteria_prefix):
            continue
        data = results[results["indicator_code"] == indicator.code]
        period = period_of(sorted(data["period"].unique()), scope.campaign)
        row = _headline_row(data, period, scope) if period else None
        if row is not None and _number(row["value"]) is not None:
            rows.append(
                (
                    indicator.meta.short_label,
                    _number(row["value"]),
                    row["numerator"],
                    row["denominator"],
                )
            )
    if not rows:
        return ()
    rows.sort(key=lambda r: -r[1])
    formatted = tuple(
        (label, fr.with_unit(value, "%"), f"{fr.integer(num)} / {fr.integer(den)}")
        for label, value, num, den in rows
    )
    return (
        TableBlock(
            title="Critères impératifs, du plus au moins souvent satisfait",
            columns=("Critère", "Établissements le satisfaisant", "Numérateur / dénominateur"),
            rows=formatted,
            note="Ordre des critères selon leur taux national ; aucun classement d'établissements.",
        ),
    )


def _method(indicator: Indicator, origin: str, files: tuple[str, ...] = ()) -> MethodNote:
    """The method note of an indicator; for published results, HAS's method: the source file,
    none of hospiscope's method version or assumptions."""
    meta = indicator.meta
    if origin == "calcul":
        version, source, assumptions = meta.method_version, meta.source_document, meta.assumptions
    else:
        version, assumptions = PUBLISHED_VERSION_LABEL, ()
        where = f"{fr.plural(len(files), 'fichier')} {', '.join(files)}" if files else ""
        source = "Résultats publiés par la HAS (open data)" + (f", {where}" if where else "")
    return MethodNote(
        indicator=meta.code,
        label=meta.label,
        method_version=version,
        numerator=meta.numerator,
        denominator=meta.denominator,
        ci_method=ci_label(meta.ci_method),  # the label stored with results, not the code
        source=source,
        assumptions=tuple(assumptions),
    )


def _files(con: duckdb.DuckDBPyConnection, results: pd.DataFrame, code: str) -> tuple[str, ...]:
    """The files the published results of an indicator were imported from."""
    rows = results[(results["indicator_code"] == code) & (results["origin"] == "publie")]
    runs = sorted({int(run) for runs in rows["import_runs"] if runs is not None for run in runs})
    if not runs:
        return ()
    found = con.execute(
        "SELECT DISTINCT source_file FROM import_runs WHERE run_id IN (SELECT unnest(?)) "
        "ORDER BY source_file",
        [runs],
    ).fetchall()
    return tuple(file for (file,) in found)


# Imports that shape every figure without being an input of an indicator: who is counted
# (registry: scope, types, regions) and their capacity (e-Satis eligibility, size groups).
_CONTEXT_KINDS = {
    "registry": "périmètre des établissements, types et régions",
    "capacity": "éligibilité et groupes de taille",
}


def _provenance(
    con: duckdb.DuckDBPyConnection, results: pd.DataFrame, used: list[Indicator]
) -> tuple[str, ...]:
    """One French sentence per import run the figures depend on — the indicators' inputs, the
    latest registry import and every capacity import — then per computation; no table
    names."""
    codes = {i.code for i in used}
    mine = results[results["indicator_code"].isin(codes)]
    runs = {int(run) for runs in mine["import_runs"] if runs is not None for run in runs}
    runs |= {
        int(run)
        for (run,) in con.execute(
            "SELECT max(run_id) FROM import_runs WHERE kind = 'registry' "
            "UNION SELECT run_id FROM import_runs WHERE kind = 'capacity'"
        ).fetchall()
        if run is not None
    }
    lines = []
    for run_id, kind, file, rows, finished in con.execute(
        """
            SELECT run_id, kind, source_file, rows_accepted, finished_at
            FROM import_runs WHERE run_id IN (SELECT unnest(?)) ORDER BY run_id""",
        [sorted(runs)],
    ).fetchall():
        why = f" ; sert à : {_CONTEXT_KINDS[kind]}" if kind in _CONTEXT_KINDS else ""
        lines.append(
            f"{kind_label(kind)[:1].upper()}{kind_label(kind)[1:]} : fichier {file}, "
            f"{fr.counted(rows, 'ligne')} {fr.plural(rows, 'importée')} le "
            f"{fr.date(finished.date())} (import n° {run_id}){why}."
        )
    computations = sorted({int(c) for c in mine["computation_id"].dropna()})
    for number, engine, finished in con.execute(
        """
            SELECT computation_id, engine, finished_at
            FROM computation_runs WHERE computation_id IN (SELECT unnest(?))
            ORDER BY computation_id""",
        [computations],
    ).fetchall():
        lines.append(
            f"Calcul n° {number} des indicateurs (moteur {engine}), le {fr.datetime(finished)}."
        )
    return tuple(lines)


def _text(value) -> str | None:
    """Stored text, or None for SQL NULL (read back as None or NaN)."""
    return value if isinstance(value, str) and value else None


def _number(value) -> float | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    return float(value)


def details_of(row) -> dict:
    text = row.get("details") if isinstance(row, dict) else row
    return json.loads(text) if isinstance(text, str) and text else {}
