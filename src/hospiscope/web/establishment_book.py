"""Every establishment's results, read once per state of the warehouse: the book the
establishment pages and the comparisons are built from, for the default source.

An establishment page asked for the first time used to run five queries (its results, the
counts behind the source sentence, the staleness of their computations, the national and peer
values, its peer groups): about 18 ms of the 20 it took. The book runs each of them once for
every establishment when the portal loads a state of the warehouse (about a second at national
scale) and keeps the answers by FINESS number; a page then only assembles them. Other sources
(`?source=publie|tout`) are read per request, as before. The answer is the same either way:
tests/web check the book against `values.establishment_values` on every demo establishment."""

from __future__ import annotations

import duckdb

from hospiscope.results.selection import source_note
from hospiscope.results.staleness import Staleness, staleness
from hospiscope.web.values import (
    IndicatorValue,
    Notices,
    indicator_values,
    notices_of,
    reference_kinds,
)

_ESTABLISHMENT = "etablissement"
# What a page reads of a result (values._value, the source sentence, the staleness); rows are
# kept as tuples of these, in the order of values.selected.
_COLUMNS = (
    "indicator_code",
    "period",
    "origin",
    "value",
    "numerator",
    "denominator",
    "counts_hidden",
    "ci_low",
    "ci_high",
    "ci_level",
    "ci_method",
    "class",
    "status",
    "details",
    "method_version",
    "computed_at",
    "computation_id",
)
_ORIGIN, _CODE, _PERIOD, _COMPUTATION = 2, 0, 1, len(_COLUMNS) - 1


class EstablishmentBook:
    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.rows: dict[str, list[tuple]] = {}
        found = con.execute(
            f"""SELECT entity_id, {", ".join(f'"{c}"' for c in _COLUMNS)} FROM portal_results
            WHERE entity_kind = ? ORDER BY entity_id, indicator_code, period, origin""",
            [_ESTABLISHMENT],
        ).fetchall()
        for row in found:
            self.rows.setdefault(row[0], []).append(row[1:])
        self.available = _available(con)
        self.peers = _peers(con)
        self.references = _references(con)
        shown = {_computations(rows) for rows in self.rows.values()}
        self._staleness = {ids: staleness(con, list(ids)) for ids in shown}

    def values(self, finess: str) -> tuple[list[IndicatorValue], Notices] | None:
        """What values.establishment_values(…, source=None) answers for `finess`; None when it
        has no result (the caller then asks the warehouse why, as before)."""
        rows = self.rows.get(finess)
        if rows is None:
            return None
        shown = [(row[_ORIGIN], row[_CODE], row[_PERIOD]) for row in rows]
        note = source_note(shown, None, self.available.get(finess, {}))
        peers = self.peers.get(finess, {})
        kinds = set(reference_kinds(peers))
        references = [
            reference
            for code in sorted({row[_CODE] for row in rows})
            for reference in self.references.get(code, ())
            if reference[0] in kinds
        ]
        records = [dict(zip(_COLUMNS, row, strict=True)) for row in rows]
        return indicator_values(records, references, peers), notices_of(note, self._freshness(rows))

    def _freshness(self, rows: list[tuple]) -> Staleness:
        return self._staleness[_computations(rows)]


def _computations(rows: list[tuple]) -> tuple[int, ...]:
    """The computations whose results an establishment's page shows (as results.answer)."""
    computed = {r[_COMPUTATION] for r in rows if r[_ORIGIN] == "calcul"} - {None}
    return tuple(sorted(int(c) for c in computed))


def _available(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, int]]:
    """finess → origin → stored results (what the source sentence counts)."""
    rows = con.execute(
        """SELECT entity_id, origin, count(*) FROM results
        WHERE entity_kind = ? GROUP BY ALL""",
        [_ESTABLISHMENT],
    ).fetchall()
    available: dict[str, dict[str, int]] = {}
    for finess, origin, count in rows:
        available.setdefault(finess, {})[origin] = int(count)
    return available


def _peers(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    """finess → stratification → its peer group."""
    peers: dict[str, dict[str, str]] = {}
    rows = con.execute("SELECT finess_et, stratification, group_code FROM peer_groups")
    for finess, stratification, group in rows.fetchall():
        peers.setdefault(finess, {})[stratification] = group
    return peers


def _references(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """indicator → its national and peer-group values (values.reference_rows's rows)."""
    references: dict[str, list[tuple]] = {}
    rows = con.execute(
        "SELECT entity_kind, entity_id, indicator_code, period, value FROM portal_references"
    ).fetchall()
    for row in rows:
        references.setdefault(row[2], []).append(row)
    return references
