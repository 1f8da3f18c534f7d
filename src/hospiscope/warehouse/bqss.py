"""Importing the three BQSS files (HAS open data, long key / value layout), each in its own
recorded transaction: the metadata (key types), the establishments, and the values. Values of
mapped keys are stored as published results (origin "publie") with their campaign and level
(establishment or legal entity, as `finess_type` says); the other keys are kept in
`bqss_raw_values` and counted in the import report, never an error."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pandas as pd

from hospiscope.sources.bqss import layout
from hospiscope.sources.bqss.assemble import PublishedResult, assemble
from hospiscope.sources.bqss.mapping import Mapping
from hospiscope.sources.bqss.reference import read_establishments, read_metadata
from hospiscope.sources.bqss.values import read_values
from hospiscope.sources.issues import InvalidFile, Issue, errors
from hospiscope.warehouse.imports import Written
from hospiscope.warehouse.published import METHOD
from hospiscope.warehouse.replacement import Scope, take_over

KIND = "bqss"
SOURCE = "résultats publiés par la HAS (open data BQSS)"
_RAW_COLUMNS = ("value_boolean", "value_string", "value_integer", "value_float", "value_date")


def bqss_writer(
    path: Path, mapping: Mapping, *, skip_invalid: bool = False, replace: bool = False
):
    """The writer of one BQSS file, whichever of the three it is (detected from its header).
    A values file holding published results of indicators and years already imported (from
    BQSS or another published file) is refused unless it replaces them (`replace`)."""

    def write(con: duckdb.DuckDBPyConnection, run_id: int) -> Written:
        detected = layout.detect(path)
        if detected.kind == layout.METADATA:
            return _write_metadata(con, run_id, path, detected, skip_invalid)
        if detected.kind == layout.ESTABLISHMENTS:
            return _write_establishments(con, run_id, path, detected, skip_invalid)
        return _write_values(con, run_id, path, detected, mapping, skip_invalid, replace)

    return write


def _accept(path: Path, accepted: list, issues: list[Issue], skip_invalid: bool) -> list[Issue]:
    rejected = errors(issues)
    if rejected and (not skip_invalid or not accepted):
        raise InvalidFile(rejected)
    if not accepted:
        raise InvalidFile([Issue(path.name, 2, "", "aucune ligne de données dans le fichier")])
    return rejected


def _written(detected, path, accepted, issues, rejected, metadata) -> Written:
    return Written(
        layout=f"bqss-{detected.kind}",
        rows_read=len(accepted) + len({i.line for i in rejected}),
        rows_accepted=len(accepted),
        issues=issues,
        encoding=detected.encoding.label if detected.encoding else "Parquet",
        metadata={"fichier": layout.LABELS[detected.kind], **metadata},
    )


def _write_metadata(con, run_id, path, detected, skip_invalid) -> Written:
    keys, issues = read_metadata(path, detected)
    rejected = _accept(path, keys, issues, skip_invalid)
    frame = pd.DataFrame(
        {
            "name": [k.name for k in keys],
            "title": [k.title for k in keys],
            "description": [k.description for k in keys],
            "type": [k.type for k in keys],
            "source": [k.source for k in keys],
            "extra": [k.extra for k in keys],
            "source_line": [k.line for k in keys],
            "import_run_id": run_id,
        }
    )
    _insert(con, "bqss_metadata", frame)
    return _written(detected, path, keys, issues, rejected, {"cles": len(keys)})


def _write_establishments(con, run_id, path, detected, skip_invalid) -> Written:
    found, issues = read_establishments(path, detected)
    rejected = _accept(path, found, issues, skip_invalid)
    frame = pd.DataFrame(
        {
            "num_finess_et": [e.finess_et for e in found],
            "num_finess_ej": [e.finess_ej for e in found],
            "name": [e.name for e in found],
            "extra": [e.extra for e in found],
            "source_line": [e.line for e in found],
            "import_run_id": run_id,
        }
    )
    _insert(con, "bqss_establishments", frame)
    return _written(detected, path, found, issues, rejected, {})


def _write_values(
    con, run_id, path, detected, mapping: Mapping, skip_invalid, replace
) -> Written:
    declared = _declared_types(con)

    def key_type(key: str) -> str | None:
        mapped = mapping.keys.get(key)
        return mapped.type if mapped else declared.get(key)

    rows, issues = read_values(path, detected, key_type)
    results, unmapped, problems = assemble(path, rows, mapping)
    issues += problems
    bad_lines = {i.line for i in errors(problems)}
    if bad_lines:  # a line refused while assembling is left out like any other
        rows = [r for r in rows if r.line not in bad_lines]
        results, unmapped, _ = assemble(path, rows, mapping)
    rejected = _accept(path, rows, issues, skip_invalid)
    replaced = take_over(con, _scope(results), run_id, path, replace=replace) if results else []
    _store_results(con, results, run_id)
    _insert(con, "bqss_raw_values", _raw_frame(unmapped, run_id))
    unknown = sorted({r.key for r in unmapped})
    return _written(
        detected,
        path,
        rows,
        issues,
        rejected,
        {
            "resultats_publies": len(results),
            "cles_reconnues": len({r.key for r in rows} - set(unknown)),
            "cles_non_reconnues": len(unknown),
            "lignes_non_reconnues": len(unmapped),
            "exemples_cles_non_reconnues": unknown[:10],
            "annees": sorted({r.year for r in rows}),
            **({"remplace": replaced} if replaced else {}),
        },
    )


def _declared_types(con) -> dict[str, str]:
    """Key → type of the latest imported metadata file that describes it."""
    return dict(
        con.execute(
            "SELECT name, arg_max(type, import_run_id) FROM bqss_metadata GROUP BY name"
        ).fetchall()
    )


def _scope(results: list[PublishedResult]) -> Scope:
    """The published results of the indicators and years that the file holds, whichever
    published file they came from."""
    pairs = sorted({f"{rec['indicator_code']}|{rec['period']}" for rec in map(_record, results)})
    return Scope(
        "results",
        "origin = 'publie' AND list_contains(?, indicator_code || '|' || period)",
        [pairs],
        "résultats publiés (BQSS), indicateurs et années du fichier",
        runs="unnest(import_runs)",
        family="origin = 'publie'",
    )


def _store_results(con, results: list[PublishedResult], run_id: int) -> None:
    if not results:
        return
    frame = pd.DataFrame([_record(r) for r in results])
    frame["import_runs"] = [[run_id]] * len(frame)
    frame["computed_at"] = dt.datetime.now()
    _insert(con, "results", frame)


def _record(result: PublishedResult) -> dict:
    numbers = result.numbers
    details = {"source": SOURCE, "lignes": result.lines, **result.details}
    return {
        "indicator_code": result.indicator,
        "method_version": METHOD,
        "definition_hash": "publie:HAS-BQSS",
        "period": result.period,
        "entity_kind": result.entity_kind,
        "entity_id": result.entity_id,
        "numerator": numbers.get("numerator"),
        "denominator": numbers.get("denominator"),
        "value": numbers.get("value"),
        "ci_low": numbers.get("ci_low"),
        "ci_high": numbers.get("ci_high"),
        "ci_level": None,  # the files give the bounds, not their level
        "ci_method": None,
        "class": result.klass,
        "status": result.status,
        "computation_id": None,
        "details": json.dumps(details, ensure_ascii=False),
        "origin": "publie",
    }


def _raw_frame(rows, run_id: int) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "year": [r.year for r in rows],
            "finess": [r.finess for r in rows],
            "finess_type": [r.finess_type for r in rows],
            "key": [r.key for r in rows],
            **{c: [r.value if r.column == c else None for r in rows] for c in _RAW_COLUMNS},
            "missing_value": [r.missing for r in rows],
            "source_line": [r.line for r in rows],
            "import_run_id": run_id,
        }
    )
    return frame.astype({c: "object" for c in _RAW_COLUMNS})


def _insert(con, table: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    name = f"new_{table}"
    con.register(name, frame)
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {name}")
    con.unregister(name)
