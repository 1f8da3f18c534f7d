"""The downloads of a territory's table (web/territory_table.py): every row the filters keep,
in the table's order, as CSV for French Excel (`;`, decimal comma, UTF-8 with BOM) or as an
Excel workbook, written by the portal's exporter (results/exports.py: formula-like text
neutralised, provenance in the workbook's « À propos » sheet). One line per establishment,
as on the page; for each indicator of the family its campaign, value, interval, class,
status and position against the national value."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pandas as pd
from fastapi.responses import Response

from hospiscope.results.exports import FORMATS, export, filename
from hospiscope.web.pages.common import Choice
from hospiscope.web.territory_table import Table, family_label
from hospiscope.web.twins import PRIVATE_ERRORS

ESTABLISHMENT_COLUMNS = {
    "finess": "finess_et",
    "name": "nom",
    "city": "commune",
    "department": "departement",
    "type": "type",
    "category": "categorie",
    "legal_status_label": "statut_juridique",
}
RESULT_COLUMNS = {
    "period": "campagne",
    "value": "valeur",
    "ci_low": "ic_bas",
    "ci_high": "ic_haut",
    "cls_label": "classe",
    "status": "statut",
    "position_national": "position_nationale",
}
LABELS = {"csv-excel": "CSV pour Excel", "xlsx": "Excel"}
SUFFIXES = {"csv-excel": "csv", "xlsx": "xlsx"}


def route_options(fmt: str) -> dict:
    """The OpenAPI description of an export route (a file, or a refusal of the one rule)."""
    media = FORMATS[fmt].media_type.split(";")[0]
    return {
        "response_class": Response,
        "responses": {200: {"content": {media: {}}}, **PRIVATE_ERRORS},
    }


def links(base: str, built: Table) -> list[Choice]:
    """The exports of the table as shown (same family, filters and order; every page)."""
    query = urlencode({k: v for k, v in built.selected.items() if not (k == "tri" and v == "nom")})
    return [
        Choice(code=f"{base}.{SUFFIXES[fmt]}{'?' + query if query else ''}", label=label)
        for fmt, label in LABELS.items()
    ]


def frame(built: Table) -> pd.DataFrame:
    """The table's rows as one frame, columns named as in the file."""
    columns = list(ESTABLISHMENT_COLUMNS.values()) + [
        f"{c.code}_{name}" for c in built.columns for name in RESULT_COLUMNS.values()
    ]
    records = []
    for row in built.rows:
        record = {name: getattr(row, field) for field, name in ESTABLISHMENT_COLUMNS.items()}
        for column in built.columns:
            cell = row.results.get(column.code)
            for field, name in RESULT_COLUMNS.items():
                record[f"{column.code}_{name}"] = getattr(cell, field) if cell else None
        records.append(record)
    return pd.DataFrame.from_records(records, columns=columns)


def download(built: Table, fmt: str, stem: str, name: str) -> Response:
    family = family_label(built.family) or "aucune famille"
    provenance = {
        "contenu": f"{name} : établissements, indicateurs de la famille « {family} »",
        "ordre": f"trié par {built.sort_label} ; ce tableau n'est pas un classement",
        "donnees": "résultats des campagnes publiées uniquement",
        "source": "hospiscope, d'après FINESS et la HAS (IQSS, e-Satis, certification)",
        "extraction": dt.datetime.now().isoformat(timespec="seconds"),
    }
    body = export(frame(built), fmt, provenance=provenance, sheet="établissements")
    chosen = filename(f"{stem}-{built.family or 'etablissements'}", fmt)
    return Response(
        body,
        media_type=FORMATS[fmt].media_type,
        headers={"content-disposition": f'attachment; filename="{chosen}"'},
    )
