"""The national summary: read from stored results (never recomputed here), with the
source of the figures (results.selection), whether they predate later imports
(results.staleness) and their provenance. Used by `hospiscope summary` and `make run`."""

from __future__ import annotations

import math
from typing import Any

import duckdb
import pandas as pd

from hospiscope.catalogue import IndicatorMeta, catalogue_meta
from hospiscope.catalogue.meta import UNKNOWN
from hospiscope.geo.reference import region_names
from hospiscope.peers import load_stratifications
from hospiscope.results.published import PUBLISHED_NATIONAL_NOTE, published_national
from hospiscope.results.selection import describe, empty_reason
from hospiscope.results.staleness import staleness
from hospiscope.results.store import read_results
from hospiscope.sources.finess.legal_status import LABELS as LEGAL_STATUS_LABELS
from hospiscope.warehouse.unregistered import UNREGISTERED_LABEL, unregistered_finess

# Domains shown in the summary, in this order, with their French titles.
DOMAINS = {
    "experience_patient": "Expérience patient (e-Satis)",
    "processus": "Processus de soins",
    "resultat": "Résultats des soins",
    "certification": "Certification",
    "efficience": "Efficience",
    "imagerie": "Imagerie",
}


def national_summary(con: duckdb.DuckDBPyConnection, source: str | None = None) -> dict[str, Any]:
    """The registry (read from the registry tables: it needs no computation), then the
    national values of every headline indicator by domain, with the source they come from,
    whether they predate later imports, and their provenance."""
    # Metadata only: the summary reads stored results and imports no computation.
    headline = {
        code: meta
        for code, meta in catalogue_meta().items()
        if meta.headline and meta.domain in DOMAINS
    }
    results = read_results(
        con, indicators=list(headline), entity_kinds=["national", "etablissement"], origin=source
    )
    rates = _rates(results, headline)
    domains = []
    for domain, title in DOMAINS.items():
        entries = [e for e in rates if headline[e["indicateur"]].domain == domain]
        if entries:
            domains.append({"domaine": domain, "titre": title, "indicateurs": entries})
    note = describe(con, results, source, "list_contains(?, r.indicator_code)", [list(headline)])
    computations = sorted({int(c) for c in results["computation_id"].dropna()})
    summary = {
        "registre": _registry(con),
        "domaines": domains,
        "source": {"choix": note.source, "note": note.sentence(), "lignes": note.shown},
        "fraicheur": staleness(con, computations).to_dict(),
        "provenance": _provenance(con, computations),
    }
    if not domains:
        summary["message"] = empty_reason(con, note)
    return summary


def _registry(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Establishments of the imported registry by region, type, legal status and size, and
    the establishments that imported files name but the registry lacks (never dropped)."""
    total = con.execute("SELECT count(*) FROM establishments").fetchall()[0][0]
    if not total:
        return {
            "etablissements": 0,
            "message": "registre vide : lancez `hospiscope import registry FICHIER` "
            "(ou `hospiscope demo`)",
            "absents_du_registre": _unregistered(con),
        }
    regions = dict(region_names())
    regions[UNKNOWN] = "Région non renseignée"
    by_region = f"""SELECT coalesce(region_code, '{UNKNOWN}'), NULL, count(*)
                    FROM establishments GROUP BY 1"""
    by_status = "SELECT legal_status, NULL, count(*) FROM establishments GROUP BY 1"
    return {
        "etablissements": int(total),
        "par_region": _counts(con, by_region, regions),
        "par_type": _counts(con, _by_stratum("type")),
        "par_statut": _counts(con, by_status, LEGAL_STATUS_LABELS),
        "par_taille": _counts(con, _by_stratum("taille")),
        "absents_du_registre": _unregistered(con),
        "hypotheses": [s.assumption for s in load_stratifications() if s.assumption],
    }


def _by_stratum(code: str) -> str:
    return f"""SELECT group_code, any_value(group_label), count(*) FROM peer_groups
               WHERE stratification = '{code}' GROUP BY group_code"""


def _counts(
    con: duckdb.DuckDBPyConnection, sql: str, labels: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    rows = sorted(con.execute(sql).fetchall(), key=lambda r: (-r[2], str(r[0])))
    return [
        {"code": code, "libelle": (labels or {}).get(code, label or code), "etablissements": n}
        for code, label, n in rows
    ]


def _unregistered(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """FINESS numbers that imported files or results name but the registry lacks."""
    found = unregistered_finess(con)
    return {"libelle": UNREGISTERED_LABEL, "etablissements": len(found), "finess": found[:50]}


def _rates(results: pd.DataFrame, indicators: dict[str, IndicatorMeta]) -> list[dict[str, Any]]:
    entries = []
    # One pass over plain Python records: filtering the (Arrow-backed) frame once per
    # indicator and period cost more than everything else in the summary.
    groups: dict[tuple, list[dict]] = {}
    for record in results.to_dict("records"):
        key = (record["indicator_code"], record["period"], record["origin"])
        groups.setdefault(key, []).append(record)
    for (code, period, origin), rows in groups.items():
        national = next((r for r in rows if r["entity_kind"] == "national"), None)
        if national is None and origin == "publie":
            national = published_national(pd.DataFrame(rows))
        if national is None:
            continue  # per establishment only (e.g. certification decisions)
        entries.append(_rate(indicators[code], period, origin, national, rows))
    return sorted(entries, key=lambda e: (e["indicateur"], e["periode"]))


def _rate(meta: IndicatorMeta, period: str, origin: str, national: dict, rows: list[dict]) -> dict:
    statuses = [
        r["status"] if isinstance(r["status"], str) else None
        for r in rows
        if r["entity_kind"] == "etablissement"
    ]
    by_status: dict[str, int] = {}
    for status in statuses:
        if status is not None:
            by_status[status] = by_status.get(status, 0) + 1
    return {
        "indicateur": meta.code,
        "libelle": meta.label,
        "libelle_court": meta.short_label,
        "periode": period,
        "origine": origin,
        "valeur": _number(national["value"]),
        "unite": meta.unit,
        "ic_bas": _number(national["ci_low"]),
        "ic_haut": _number(national["ci_high"]),
        "niveau_ic": _number(national["ci_level"]),
        "methode_ic": national["ci_method"] if isinstance(national["ci_method"], str) else None,
        "numerateur": _number(national["numerator"]),
        "denominateur": _number(national["denominator"]),
        "etablissements_publies": statuses.count(None),
        "etablissements_donnees_insuffisantes": by_status.get("DI", 0),
        "etablissements_par_statut": dict(sorted(by_status.items(), key=lambda kv: -kv[1])),
        "version_methode": national["method_version"],
        "methode_modifiee": bool(national["method_changed"]),
        # Published values carry HAS's method, not hospiscope's assumptions.
        "hypotheses": list(meta.assumptions) if origin == "calcul" else [],
        "calcul": _integer(national["computation_id"]),
        "note": PUBLISHED_NATIONAL_NOTE if origin == "publie" else None,
    }


def _provenance(con: duckdb.DuckDBPyConnection, computations: list[int]) -> dict[str, Any]:
    """Every import run, and the computations that produced the figures shown (not merely
    the latest one: `compute -i CODE` recomputes one indicator only)."""
    imports = con.execute("""SELECT run_id, kind, layout, source_file, rows_accepted,
        rows_rejected, warnings, strftime(finished_at, '%Y-%m-%d %H:%M:%S')
        FROM import_runs ORDER BY run_id""").fetchall()
    used = con.execute(
        """SELECT computation_id, engine, strftime(finished_at, '%Y-%m-%d %H:%M:%S'),
        duration_s FROM computation_runs WHERE list_contains(?, computation_id)
        ORDER BY computation_id""",
        [computations],
    ).fetchall()
    keys = (
        "lot",
        "nature",
        "format",
        "fichier",
        "lignes_acceptees",
        "lignes_rejetees",
        "avertissements",
        "date",
    )
    return {
        "importations": [dict(zip(keys, row, strict=True)) for row in imports],
        "calculs": [
            dict(zip(("calcul", "moteur", "date", "duree_s"), row, strict=True)) for row in used
        ],
    }


def _integer(value: Any) -> int | None:
    number = _number(value)
    return None if number is None else int(number)


def _number(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else round(value, 4)
