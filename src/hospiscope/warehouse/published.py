"""Importing published e-Satis results (HAS open data) as results of origin "publie": the
values, classes and statuses of the file, kept apart from what hospiscope computes, so that
published figures can be shown, compared and reproduced (class counts) without responses."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pandas as pd

from hospiscope.sources.esatis import published
from hospiscope.sources.issues import InvalidFile, Issue, errors
from hospiscope.sources.textfile import detect_encoding
from hospiscope.warehouse.imports import Written
from hospiscope.warehouse.replacement import Scope, take_over

PREFIX = {"mco48h": "ESATIS48H", "ca": "ESATISCA"}
METHOD = "publie"  # method_version of published results (the method is HAS's)
SOURCE = "résultats publiés par la HAS (open data)"


def published_writer(
    path: Path,
    *,
    campaign: int | None = None,
    questionnaire: str | None = None,
    skip_invalid: bool = False,
    replace: bool = False,
):
    """A writer (imports.run_import) for one published results file. The published results of
    a questionnaire and campaign already imported come only as a replacement (`replace`)."""

    def write(con: duckdb.DuckDBPyConnection, run_id: int) -> Written:
        encoding = detect_encoding(path)
        which = questionnaire or published.questionnaire_of(path)
        year = campaign or published.campaign_of(path)
        if which is None or year is None:
            raise InvalidFile(
                [
                    Issue(
                        path.name,
                        0,
                        "",
                        "questionnaire ou campagne non déduits "
                        "du nom du fichier : précisez --questionnaire et "
                        "--campagne",
                    )
                ]
            )
        rows, issues = published.read(path, which)
        rejected = errors(issues)
        if rejected and (not skip_invalid or not rows):
            raise InvalidFile(rejected)
        if not rows:
            raise InvalidFile([Issue(path.name, 2, "", "aucun établissement dans le fichier")])
        frame = _results(rows, which, str(year), run_id)
        replaced = take_over(con, _scope(which, year), run_id, path, replace=replace)
        con.register("published_results", frame)
        con.execute("INSERT INTO results BY NAME SELECT * FROM published_results")
        con.unregister("published_results")
        return Written(
            layout=f"esatis-resultats-{which}",
            rows_read=len(rows) + len({i.line for i in rejected}),
            rows_accepted=len(rows),
            issues=issues,
            encoding=encoding.label,
            metadata={"questionnaire": which, "campagne": year}
            | ({"remplace": replaced} if replaced else {}),
        )

    return write


def _scope(questionnaire: str, year: int) -> Scope:
    """Every published result of the questionnaire and campaign, whichever file it came from."""
    return Scope(
        "results",
        "origin = 'publie' AND period = ? AND starts_with(indicator_code, ?)",
        [str(year), f"{PREFIX[questionnaire]}_"],
        f"résultats e-Satis publiés {questionnaire}, campagne {year}",
        runs="unnest(import_runs)",
        family="origin = 'publie'",
    )


def _results(
    rows: list[published.PublishedRow], questionnaire: str, period: str, run_id: int
) -> pd.DataFrame:
    prefix, now = PREFIX[questionnaire], dt.datetime.now()
    records = []
    for row in rows:
        label = row.label
        status = label if label in published.STATUSES else None
        extra = {
            "source": SOURCE,
            "evolution": row.evolution,
            "participation": row.participation,
            "depot": row.deposit,
            "ligne": row.line,
        }
        records.append(
            _record(
                f"{prefix}_SCORE",
                period,
                row,
                row.score,
                row.responses,
                label if label in published.CLASSES else None,
                status,
                extra,
            )
        )
        for code, (count, score) in row.dimensions.items():
            records.append(
                _record(
                    f"{prefix}_{code.upper()}",
                    period,
                    row,
                    score,
                    count,
                    None,
                    status,
                    {"source": SOURCE},
                )
            )
        reco_numerator = (
            round(row.recommendation * row.recommendation_responses / 100)
            if row.recommendation is not None and row.recommendation_responses
            else None
        )
        records.append(
            _record(
                f"{prefix}_RECO",
                period,
                row,
                row.recommendation,
                row.recommendation_responses,
                None,
                status,
                {"source": SOURCE},
                numerator=reco_numerator,
            )
        )
    frame = pd.DataFrame(records)
    frame["import_runs"] = [[run_id]] * len(frame)
    frame["computed_at"] = now
    return frame


def _record(
    code: str, period: str, row, value, denominator, klass, status, details, numerator=None
) -> dict:
    return {
        "indicator_code": code,
        "method_version": METHOD,
        "definition_hash": "publie:HAS",
        "period": period,
        "entity_kind": "etablissement",
        "entity_id": row.finess,
        "numerator": numerator,
        "denominator": denominator,
        "value": value if status is None else None,
        "ci_low": None,
        "ci_high": None,
        "ci_level": None,
        "ci_method": None,
        "class": klass,
        "status": status,
        "computation_id": None,
        "details": json.dumps(details, ensure_ascii=False),
        "origin": "publie",
    }
