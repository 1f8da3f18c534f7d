"""A reader's answer: the results it shows, with the sentence on their source, whether they
predate later imports, and — when it is empty — why, and what to run. The command line uses
it for `results`; the portal and the API will give the same answer."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from hospiscope.results.selection import SourceNote, check_source, describe, empty_reason
from hospiscope.results.staleness import Staleness, staleness
from hospiscope.results.store import read_results, result_filters


@dataclass
class Answer:
    frame: pd.DataFrame
    source: SourceNote
    freshness: Staleness
    empty_reason: str | None  # None when something is shown

    def notices(self, option: str = "--source {origin}") -> list[str]:
        """The sentences to print beside the results, most important first (`option`: how a
        reader asks for another source, SourceNote.sentence)."""
        lines = [self.empty_reason] if self.empty_reason else []
        texts = (self.source.sentence(option), self.freshness.sentence())
        lines += [text for text in texts if text]
        return lines


def answer(
    con: duckdb.DuckDBPyConnection,
    *,
    source: str | None = None,
    selected: pd.DataFrame | None = None,
    **filters,
) -> Answer:
    """Stored results matching `filters` (those of store.read_results) from `source`.
    `selected`: those rows when the caller has read them already (the portal reads them from
    its materialised copy of `read_results`)."""
    source = check_source(source)
    frame = read_results(con, origin=source, **filters) if selected is None else selected
    where, params = result_filters(
        **{k: v for k, v in filters.items() if k != "all_versions"}
    )
    note = describe(con, frame, source, where, params)
    computed = frame.loc[frame["origin"] == "calcul", "computation_id"].dropna()
    return Answer(
        frame,
        note,
        staleness(con, [int(c) for c in computed.unique()]),
        empty_reason(con, note) if frame.empty else None,
    )
