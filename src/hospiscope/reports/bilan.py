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
from hospiscope.results.store import read_results

TITLE = "Bilan des indicateurs de qualité et de sécurité des soins"
PUBLISHED_NOTE = (
    "Résultats publiés par la HAS : la valeur nationale est la moyenne des "
    "établissements pondérée par leur nombre de réponses."
)


@dataclass
class Scope:
    campaign: int
    region: str | None  # INSEE region code, None for France entière
    origin: str  # "calcul" | "publie"

    @property
    def level(self) -> tuple[str, str]:
        return ("region", self.region) if self.region else ("national", "FR")


def build_bilan(
    con: duckdb.DuckDBPyConnection,
    campaign: int,
    *,
    region: str | None = None,
    origin: str = "calcul",
) -> Bilan:
    scope = Scope(campaign, region, origin)
    results = read_results(con, origin=origin)
    if results.empty:
        raise ValueError("aucun résultat enregistré : lancez `hospiscope compute`")
    registry = _registry(con, region)
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
        methods=tuple(_method(i, origin) for i in used),
        provenance=_provenance(con, results, used),
    )


def generate_bilan(
    con: duckdb.DuckDBPyConnection,
    campaign: int,
    out_dir: Path,
    *,
    region: str | None = None,
    origin: str = "calcul",
) -> tuple[Path, Path]:
    """Write `bilan.html` and `bilan.pdf` of a campaign in `out_dir`."""
    return write_bilan(build_bilan(con, campaign, region=region, origin=origin), out_dir)


def _registry(con: duckdb.DuckDBPyConnection, region: str | None) -> pd.DataFrame:
    """Establishments with their region and type group (labels), for distributions."""
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
        registry = registry[registry["region_code"] == region]
    return registry


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
        text=spec.text + (f" {PUBLISHED_NOTE}" if scope.origin == "publie" else ""),
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
        assumptions=tuple(indicator.meta.assumptions),
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
    if scope.origin == "publie":
        return published_national(rows[rows["period"] == period])
    return None


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


def _method(indicator: Indicator, origin: str) -> MethodNote:
    meta = indicator.meta
    source = (
        meta.source_document
        if origin == "calcul"
        else ("Résultats publiés par la HAS (open data) ; " + meta.source_document)
    )
    return MethodNote(
        indicator=meta.code,
        label=meta.label,
        method_version=meta.method_version,
        numerator=meta.numerator,
        denominator=meta.denominator,
        ci_method=meta.ci_method if meta.ci_method != "none" else None,
        source=source,
        assumptions=tuple(meta.assumptions),
    )


def _provenance(
    con: duckdb.DuckDBPyConnection, results: pd.DataFrame, used: list[Indicator]
) -> tuple[str, ...]:
    codes = {i.code for i in used}
    runs = sorted(
        {
            run
            for runs in results[results["indicator_code"].isin(codes)]["import_runs"]
            for run in runs
        }
    )
    lines = []
    for run_id, kind, file, rows, finished in con.execute(
        """
            SELECT run_id, kind, source_file, rows_accepted, strftime(finished_at, '%d/%m/%Y')
            FROM import_runs WHERE run_id IN (SELECT unnest(?)) ORDER BY run_id""",
        [[int(run) for run in runs]],
    ).fetchall():
        lines.append(
            f"Lot {run_id} ({kind}) : {file}, {fr.integer(rows)} lignes, importé le {finished}."
        )
    computations = sorted(
        {int(c) for c in results[results["indicator_code"].isin(codes)]["computation_id"].dropna()}
    )
    for number, engine, finished in con.execute(
        """
            SELECT computation_id, engine, strftime(finished_at, '%d/%m/%Y %H:%M')
            FROM computation_runs WHERE computation_id IN (SELECT unnest(?))""",
        [computations],
    ).fetchall():
        lines.append(f"Calcul n° {number} (moteur {engine}), le {finished}.")
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
