"""The national summary: read from stored results (never recomputed here), with the
provenance of the figures. Used by `hospiscope summary` and `make run`."""

from __future__ import annotations

import math
from typing import Any

import duckdb

from hospiscope.catalogue import catalogue
from hospiscope.engines.levels import UNKNOWN
from hospiscope.geo import geography
from hospiscope.peers import load_stratifications
from hospiscope.results.store import read_results
from hospiscope.sources.finess.legal_status import LABELS as LEGAL_STATUS_LABELS

# Domains shown in the summary, in this order, with their French titles.
DOMAINS = {
    "experience_patient": "Expérience patient (e-Satis)",
    "processus": "Processus de soins",
    "resultat": "Résultats des soins",
    "certification": "Certification",
    "efficience": "Efficience",
    "imagerie": "Imagerie",
}


def national_summary(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The registry, then the national values of every headline indicator by domain."""
    domains = []
    for domain, title in DOMAINS.items():
        entries = _rates(con, domain=domain)
        if entries:
            domains.append({"domaine": domain, "titre": title, "indicateurs": entries})
    return {"registre": _registry(con), "domaines": domains, "provenance": _provenance(con)}


def _labels() -> dict[str, dict[str, str]]:
    strata = {s.code: dict(s.groups()) for s in load_stratifications()}
    regions = {code: region.name for code, region in geography().regions.items()}
    regions[UNKNOWN] = "Région non renseignée"
    return {
        "region": regions,
        "statut": LEGAL_STATUS_LABELS,
        "strate:type": strata["type"],
        "strate:taille": strata["taille"],
    }


def _registry(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    results = read_results(con, indicator="REG_ETAB")
    if results.empty:
        return {}
    labels = _labels()

    def breakdown(kind: str) -> list[dict[str, Any]]:
        rows = results[results["entity_kind"] == kind].sort_values("value", ascending=False)
        return [
            {
                "code": r.entity_id,
                "libelle": labels.get(kind, {}).get(r.entity_id, r.entity_id),
                "etablissements": int(r.value),
            }
            for r in rows.itertuples()
        ]

    national = results[results["entity_kind"] == "national"]
    return {
        "etablissements": int(national["value"].iloc[0]),
        "par_region": breakdown("region"),
        "par_type": breakdown("strate:type"),
        "par_statut": breakdown("statut"),
        "par_taille": breakdown("strate:taille"),
        "hypotheses": [s.assumption for s in load_stratifications() if s.assumption],
    }


def _rates(con: duckdb.DuckDBPyConnection, domain: str) -> list[dict[str, Any]]:
    entries = []
    for code, indicator in catalogue().items():
        if indicator.meta.domain != domain or not indicator.meta.headline:
            continue
        results = read_results(con, indicator=code)
        for period, rows in results.groupby("period"):
            if not (rows["entity_kind"] == "national").any():
                continue  # published per establishment only (e.g. certification decisions)
            national = rows[rows["entity_kind"] == "national"].iloc[0]
            establishments = rows[rows["entity_kind"] == "etablissement"]
            entries.append(
                {
                    "indicateur": code,
                    "libelle": indicator.meta.label,
                    "libelle_court": indicator.meta.short_label,
                    "periode": period,
                    "valeur": _number(national["value"]),
                    "unite": indicator.meta.unit,
                    "ic_bas": _number(national["ci_low"]),
                    "ic_haut": _number(national["ci_high"]),
                    "niveau_ic": _number(national["ci_level"]),
                    "methode_ic": national["ci_method"]
                    if isinstance(national["ci_method"], str)
                    else None,
                    "numerateur": _number(national["numerator"]),
                    "denominateur": _number(national["denominator"]),
                    "etablissements_publies": int(establishments["status"].isna().sum()),
                    "etablissements_donnees_insuffisantes": int(
                        (establishments["status"] == "DI").sum()
                    ),
                    "etablissements_par_statut": {
                        str(k): int(v) for k, v in establishments["status"].value_counts().items()
                    },
                    "version_methode": national["method_version"],
                    "methode_modifiee": bool(national["method_changed"]),
                    "hypotheses": list(indicator.meta.assumptions),
                }
            )
    return sorted(entries, key=lambda e: (e["indicateur"], e["periode"]))


def _provenance(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    imports = con.execute("""SELECT run_id, kind, layout, source_file, rows_accepted,
        rows_rejected, warnings, strftime(finished_at, '%Y-%m-%d %H:%M:%S')
        FROM import_runs ORDER BY run_id""").fetchall()
    computation = con.execute("""SELECT computation_id, engine, strftime(finished_at,
        '%Y-%m-%d %H:%M:%S'), duration_s FROM computation_runs ORDER BY computation_id DESC
        LIMIT 1""").fetchall()
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
        "dernier_calcul": dict(
            zip(("calcul", "moteur", "date", "duree_s"), computation[0], strict=True)
        )
        if computation
        else None,
    }


def _number(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else round(value, 4)
