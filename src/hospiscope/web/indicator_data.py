"""The results of one indicator for one campaign, as the indicator pages read them: through the
results layer (`results.answer`, so the source rule and the staleness notice are the command
line's; the rows from the portal's materialised `read_results`, web/values.py), the
establishments joined to their identity and peer groups.

A campaign is read once per state of the warehouse and kept (a few hundred kB for the largest
indicator): the indicator page, its list of establishments (every filter, every page) and
their twins then share it, and only the list is cut per request."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from hospiscope.catalogue.meta import UNKNOWN
from hospiscope.results.answer import Answer, answer
from hospiscope.results.selection import campaign_of, origin_filter
from hospiscope.results.store import result_filters
from hospiscope.web.values import selected

MEMO_ENTRIES = 96  # about 32 campaigns, with their periods and national values
# The columns of an establishment's result the pages use (the others only weigh on every
# filter and sort of the list).
KEPT = (
    "indicator_code",
    "period",
    "entity_kind",
    "entity_id",
    "numerator",
    "denominator",
    "value",
    "ci_low",
    "ci_high",
    "class",
    "status",
    "details",
    "origin",
)
# The levels the engine pools that the pages show (legal status: indicator_spread.py, beside
# the portal's own quartiles of the establishments' values).
GROUP_KINDS = ("region", "strate:type", "strate:taille", "statut")
# Identity, legal status and peer groups of every establishment: what the list shows and
# filters on.
_REGISTRY = """
    SELECT e.finess_et AS entity_id, e.name, e.city, e.department_code,
        e.name_key, e.city_key, e.legal_status,
        coalesce(e.region_code, ?) AS region_code,
        t.group_code AS type_code, t.group_label AS type_label,
        s.group_code AS size_code, s.group_label AS size_label
    FROM portal_establishments e
    LEFT JOIN peer_groups t ON t.finess_et = e.finess_et AND t.stratification = 'type'
    LEFT JOIN peer_groups s ON s.finess_et = e.finess_et AND s.stratification = 'taille'"""


@dataclass(frozen=True)
class Campaign:
    """What the pages show of an indicator's campaign."""

    code: str
    period: str
    found: Answer  # every level of the campaign, with its notices
    establishments: pd.DataFrame  # one row per establishment, with its identity
    groups: dict[str, pd.DataFrame]  # entity kind → its rows (regions, types, sizes, statuses)
    national: dict | None
    memo: dict = field(default_factory=dict, compare=False)  # what pages derive from it (funnel)


def period_order(period: str) -> tuple[int, str]:
    return (campaign_of(period) or 0, period)


def periods(
    con: duckdb.DuckDBPyConnection, code: str, source: str | None, key: object = None
) -> list[str]:
    """The periods of `code` that have results under the source rule, newest first."""
    return remembered(key, ("periods", code, source), lambda: _periods(con, code, source))


def _periods(con: duckdb.DuckDBPyConnection, code: str, source: str | None) -> list[str]:
    where, params = result_filters(indicator=code)
    rows = con.execute(
        f"SELECT DISTINCT period FROM results r WHERE {where} AND {origin_filter(source)}",
        params,
    ).fetchall()
    return sorted((row[0] for row in rows), key=period_order, reverse=True)


def national_history(
    con: duckdb.DuckDBPyConnection, code: str, source: str | None, key: object = None
) -> pd.DataFrame:
    """The national value of every campaign, oldest first."""
    return remembered(key, ("national", code, source), lambda: _national(con, code, source))


def _national(con: duckdb.DuckDBPyConnection, code: str, source: str | None) -> pd.DataFrame:
    frame = selected(con, source, indicator=code, entity_kind="national")
    return frame.sort_values("period", key=lambda p: p.map(period_order))


_memo: OrderedDict[tuple, object] = OrderedDict()
_memo_lock = threading.Lock()


def state_of(store) -> object:
    """The memo key of a store's current copy (None without a copy: nothing is kept)."""
    return None if store.key is None else (str(store.path), store.key)


def remembered(key: object, what: tuple, build):
    """`build()`, kept for the state `key` of the warehouse (`state_of`; None: built every
    time)."""
    if key is None:
        return build()
    memo_key = (key, *what)
    with _memo_lock:
        if memo_key in _memo:
            _memo.move_to_end(memo_key)
            return _memo[memo_key]
    built = build()
    with _memo_lock:
        _memo[memo_key] = built
        while len(_memo) > MEMO_ENTRIES:
            _memo.popitem(last=False)
    return built


def campaign(
    con: duckdb.DuckDBPyConnection, code: str, period: str, source: str | None, key: object
) -> Campaign:
    """The campaign, read or taken from the memo (`key`: the state of the warehouse)."""
    return remembered(
        key, ("campaign", code, period, source), lambda: _read(con, code, period, source, key)
    )


def _read(
    con: duckdb.DuckDBPyConnection, code: str, period: str, source: str | None, key: object
) -> Campaign:
    filters = {"indicator": code, "period": period}
    found = answer(con, source=source, selected=selected(con, source, **filters), **filters)
    frame = found.frame
    kept = [column for column in (*KEPT, "counts_hidden") if column in frame]  # (public view)
    rows = frame.loc[frame["entity_kind"] == "etablissement", kept]
    registry = remembered(key, ("registry",), lambda: con.execute(_REGISTRY, [UNKNOWN]).df())
    establishments = rows.merge(registry, on="entity_id", how="left")
    establishments["name"] = establishments["name"].fillna(establishments["entity_id"])
    # The registry's keys (accents, case and punctuation dropped): the order a reader expects.
    establishments = establishments.sort_values(
        ["name_key", "entity_id"], na_position="last", kind="stable"
    )
    national = frame[frame["entity_kind"] == "national"]
    return Campaign(
        code=code,
        period=period,
        found=found,
        establishments=establishments.reset_index(drop=True),
        groups={kind: frame[frame["entity_kind"] == kind] for kind in GROUP_KINDS},
        national=national.iloc[0].to_dict() if len(national) else None,
    )
