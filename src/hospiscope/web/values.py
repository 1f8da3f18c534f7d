"""The quality results of establishments as the portal shows them: for each indicator, the
latest campaign's value with its CI, class, status and positions, the national and peer
values of the same campaign, and the trend over campaigns. Read through the results layer
(`results.answer`), so the portal follows the command line's source rule and staleness
notice."""

from __future__ import annotations

import json
import math
from typing import Any

import duckdb
import pandas as pd
from pydantic import BaseModel

from hospiscope.catalogue import IndicatorMeta, catalogue_meta
from hospiscope.results.answer import Answer, answer
from hospiscope.results.selection import SourceNote
from hospiscope.results.staleness import Staleness
from hospiscope.results.store import read_results, result_filters, results_sql

# The results as `read_results` selects them by default (the source rule of the command line),
# materialised once per state of the warehouse (web/store.py); other sources are read directly.
DERIVED = {
    "portal_results": results_sql(),
    # National and peer-group values (a few thousand rows), beside every establishment's own.
    "portal_references": """SELECT indicator_code, period, entity_kind, entity_id, value
        FROM portal_results WHERE entity_kind = 'national' OR entity_kind LIKE 'strate:%'""",
}
ORIGIN_LABELS = {"calcul": "calculé par hospiscope", "publie": "publié par la HAS"}
PEER_KINDS = {"type": "établissements du même type", "taille": "établissements de même taille"}


class Point(BaseModel):
    """One campaign of an indicator for one entity."""

    period: str
    value: float | None
    ci_low: float | None
    ci_high: float | None
    cls: str | None
    cls_label: str | None
    status: str | None
    status_label: str | None


class Reference(BaseModel):
    label: str  # "France entière", "établissements du même type (CH)"
    value: float | None


class IndicatorValue(BaseModel):
    """An indicator's result for one establishment: the latest campaign and the earlier ones."""

    code: str
    label: str
    short_label: str
    domain: str
    kind: str  # rate, count, score, ratio, level
    unit: str
    direction: str
    period: str
    value: float | None
    numerator: float | None
    denominator: float | None
    counts_hidden: bool  # small counts of persons, hidden (access/result_disclosure.py)
    ci_low: float | None
    ci_high: float | None
    ci_level: float | None
    ci_method: str | None
    cls: str | None
    cls_label: str | None
    cls_rank: int | None  # 0 = best class when the direction is known
    classes: int  # how many classes the grid has
    status: str | None
    status_label: str | None
    position_national: str | None
    position_rule: str | None
    change: float | None  # since the previous campaign, in the indicator's unit
    change_significant: bool | None
    origin: str
    origin_label: str
    method_version: str
    computed_at: str | None
    references: list[Reference]
    history: list[Point]
    assumptions: list[str]


class Notices(BaseModel):
    """What the reader must know beside the figures (source, staleness, emptiness)."""

    source: str
    stale: bool
    messages: list[str]


def establishment_values(
    con: duckdb.DuckDBPyConnection, finess: str, peers: dict[str, str], source: str | None
) -> tuple[list[IndicatorValue], Notices]:
    """Every indicator with a result for `finess`; `peers`: its peer groups (stratification
    → group code), whose values are shown beside its own. (web/establishment_book.py gives
    the same answer from memory for the default source.)"""
    filters = {"entity_kind": "etablissement", "entity_id": finess}
    found = answer(con, source=source, selected=selected(con, source, **filters), **filters)
    if found.frame.empty:
        return [], notices(found)
    codes = sorted(found.frame["indicator_code"].unique())
    kinds = reference_kinds(peers)
    references = reference_rows(con, codes, kinds, source)
    return indicator_values(found.frame.to_dict("records"), references, peers), notices(found)


def indicator_values(
    records: list[dict], references: list[tuple], peers: dict[str, str]
) -> list[IndicatorValue]:
    """The indicators of one establishment's result rows (`records`, as `selected` reads
    them), with the national and peer values of `references` (reference_rows)."""
    labelled = _labelled(references, peers)
    metas = catalogue_meta()
    by_code: dict[str, list[dict]] = {}
    for record in records:
        by_code.setdefault(record["indicator_code"], []).append(record)
    return [
        _value(metas[code], rows, labelled.get(code, {}))
        for code, rows in sorted(by_code.items())
        if code in metas
    ]


def selected(con: duckdb.DuckDBPyConnection, source: str | None, **filters) -> pd.DataFrame:
    """`read_results(con, origin=source, **filters)`, from the materialised copy by default."""
    if source is not None:
        return read_results(con, origin=source, **filters)
    where, params = result_filters(**filters)
    order = "indicator_code, period, entity_kind, entity_id, origin"
    return con.execute(
        f"SELECT * FROM portal_results r WHERE {where} ORDER BY {order}", params
    ).df()


# How a page asks for another source than the default one (the command line says --source).
SOURCE_OPTION = "l'adresse suivie de ?source={origin}"


def notices(found: Answer) -> Notices:
    return Notices(
        source=found.source.sentence(SOURCE_OPTION),
        stale=found.freshness.stale,
        messages=found.notices(SOURCE_OPTION),
    )


def notices_of(note: SourceNote, freshness: Staleness) -> Notices:
    """The notices of an answer that shows something (`note`: its source)."""
    return notices(Answer(pd.DataFrame(), note, freshness, None))


def reference_kinds(peers: dict[str, str]) -> list[str]:
    """The entity kinds whose values are shown beside an establishment's: the nation and its
    peer groups."""
    return ["national"] + [f"strate:{s}" for s in peers]


def reference_rows(
    con: duckdb.DuckDBPyConnection, codes: list[str], kinds: list[str], source: str | None
) -> list[tuple]:
    """(entity_kind, entity_id, indicator_code, period, value) of the `kinds` for `codes`."""
    if source is None:
        return con.execute(
            """SELECT entity_kind, entity_id, indicator_code, period, value
            FROM portal_references WHERE list_contains(?, indicator_code)
            AND list_contains(?, entity_kind)""",
            [codes, kinds],
        ).fetchall()
    frame = selected(con, source, indicators=codes, entity_kinds=kinds)
    columns = ["entity_kind", "entity_id", "indicator_code", "period", "value"]
    return list(frame[columns].itertuples(index=False, name=None))


def _labelled(rows: list[tuple], peers: dict[str, str]) -> dict[str, dict[str, list[Reference]]]:
    """indicator → period → [national, peers…] values (other peer groups left out)."""
    found: dict[str, dict[str, list[Reference]]] = {}
    for kind, entity, code, period, value in rows:
        if kind == "national":
            label = "France entière"
        else:
            stratification = kind.removeprefix("strate:")
            if peers.get(stratification) != entity:
                continue
            label = f"{PEER_KINDS.get(stratification, stratification)} ({entity})"
        reference = Reference(label=label, value=number(value))
        found.setdefault(code, {}).setdefault(period, []).append(reference)
    for periods in found.values():
        for references in periods.values():
            references.sort(key=lambda r: (r.label != "France entière", r.label))
    return found


def _value(meta: IndicatorMeta, rows: list[dict], references: dict) -> IndicatorValue:
    rows = sorted(rows, key=lambda row: row["period"])
    latest = rows[-1]
    details = _details(latest.get("details"))
    labels = class_labels(meta, latest["period"])
    order = [code for code, _ in labels]
    cls = latest.get("class") if isinstance(latest.get("class"), str) else None
    return IndicatorValue(
        code=meta.code,
        label=meta.label,
        short_label=meta.short_label,
        domain=meta.domain,
        kind=meta.kind,
        unit=meta.unit,
        direction=meta.direction.value,
        period=latest["period"],
        value=number(latest["value"]),
        numerator=number(latest["numerator"]),
        denominator=number(latest["denominator"]),
        counts_hidden=bool(latest.get("counts_hidden") is True),
        ci_low=number(latest["ci_low"]),
        ci_high=number(latest["ci_high"]),
        ci_level=number(latest.get("ci_level")),
        ci_method=text(latest.get("ci_method")),
        cls=cls,
        cls_label=dict(labels).get(cls, cls) if cls else None,
        cls_rank=order.index(cls) if cls in order and meta.direction.value != "none" else None,
        classes=len(order),
        status=text(latest.get("status")),
        status_label=status_label(meta, text(latest.get("status"))),
        position_national=text(details.get("position_national")),
        position_rule=text(details.get("regle_position")),
        change=number(details.get("evolution")),
        change_significant=details.get("evolution_significative"),
        origin=latest["origin"],
        origin_label=ORIGIN_LABELS.get(latest["origin"], latest["origin"]),
        method_version=str(latest["method_version"]),
        computed_at=moment(latest.get("computed_at")),
        references=references.get(latest["period"], []),
        history=[_point(meta, row) for row in rows],
        assumptions=list(meta.assumptions),
    )


def _point(meta: IndicatorMeta, row: dict) -> Point:
    cls = row.get("class") if isinstance(row.get("class"), str) else None
    status = text(row.get("status"))
    return Point(
        period=row["period"],
        value=number(row["value"]),
        ci_low=number(row["ci_low"]),
        ci_high=number(row["ci_high"]),
        cls=cls,
        cls_label=dict(class_labels(meta, row["period"])).get(cls, cls) if cls else None,
        status=status,
        status_label=status_label(meta, status),
    )


def class_labels(meta: IndicatorMeta, period: str) -> list[tuple[str, str]]:
    """(code, French label) of the indicator's classes for `period`, best first."""
    grid = meta.class_grid(period)
    if grid is None:
        return list(meta.class_labels)
    bands = [(b.code, b.label) for b in grid.bands]
    # Bands are declared in any order; best first follows the direction.
    ordered = sorted(
        grid.bands, key=lambda b: -math.inf if b.lower is None else b.lower, reverse=True
    )
    if meta.direction.value == "lower_is_better":
        ordered.reverse()
    return [(b.code, b.label) for b in ordered] if meta.direction.value != "none" else bands


def status_label(meta: IndicatorMeta, status: str | None) -> str | None:
    if status is None:
        return None
    return {s.code: s.label for s in meta.statuses}.get(status, status)


def _details(raw: Any) -> dict:
    if isinstance(raw, str) and raw:
        return json.loads(raw)
    return raw if isinstance(raw, dict) else {}


def moment(value: Any) -> str | None:
    """A stored time for a page, to the second (datetime or pandas Timestamp alike)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ", timespec="seconds")
    return str(value)


def number(value: Any) -> float | None:
    """A stored number for a page: None for NULL and NaN."""
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def text(value: Any) -> str | None:
    """A stored text for a page: None for NULL and NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)
