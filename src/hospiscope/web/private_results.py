"""An establishment's results as its private page shows them: every result the one rule lets
this visitor see, campaign by campaign. The establishment itself and the national team see
the campaigns not published yet (computed, in review, withdrawn) with their counts unmasked
(the establishment's own data); a GHT or an ARS sees the published campaigns and the families
private by nature (efficiency, imaging: access/publication.py), with the small-count rule, as
they are seen beyond the establishment. Nobody reads the private view of the store without
`decide` saying yes for each (campaign, family) shown."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from fastapi import Request

from hospiscope.access import rule
from hospiscope.access.perimeter import Entity
from hospiscope.access.result_disclosure import protect_result
from hospiscope.access.review import STATE_LABELS
from hospiscope.catalogue import catalogue_meta
from hospiscope.results.answer import answer
from hospiscope.results.selection import campaign_of
from hospiscope.web import registry
from hospiscope.web.pages.common import store_of
from hospiscope.web.values import (
    IndicatorValue,
    Notices,
    indicator_values,
    notices,
    reference_kinds,
    reference_rows,
    selected,
)

Allowed = Callable[[int | None, str], bool]


def allowed_campaigns(request: Request, principal: rule.Principal, entity: Entity) -> Allowed:
    """(campaign, family) → whether `principal` may see `entity`'s results of it: the one
    rule asked with the campaign's review state."""
    store = store_of(request)
    perimeter, publication = store.prepared("perimeter"), store.publication
    decided: dict[str | None, bool] = {}

    def allowed(campaign: int | None, family: str) -> bool:
        state = publication.state(campaign, family)
        if state not in decided:
            decision = rule.decide(
                principal, entity, "unpublished", perimeter, campaign_state=state
            )
            decided[state] = decision.allowed
        return decided[state]

    return allowed


def visible_values(
    request: Request, finess: str, allowed: Allowed, *, protect: bool = False
) -> tuple[list[IndicatorValue], Notices]:
    """The indicators of `finess` from every result `allowed` lets through, with the national
    and peer values of the same campaigns; `protect`: as seen beyond the establishment (the
    small-count rule, access/result_disclosure.py)."""
    filters = {"entity_kind": "etablissement", "entity_id": finess}
    with store_of(request).cursor(private=True) as con:
        frame = _keep(selected(con, None, **filters), allowed)
        if protect:
            frame = protected(frame)
        found = answer(con, source=None, selected=frame, **filters)
        if found.frame.empty:
            return [], notices(found)
        peers = registry.peer_groups(con, finess)
        codes = sorted(found.frame["indicator_code"].unique())
        references = [
            row
            for row in reference_rows(con, codes, reference_kinds(peers), None)
            if _allowed_row(row[2], row[3], allowed)
        ]
    return indicator_values(found.frame.to_dict("records"), references, peers), notices(found)


def protected(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows as seen beyond the establishment: the small-count rule on the computed ones
    (the public view of the store applies the same rule in SQL)."""
    if frame.empty:
        return frame.assign(counts_hidden=pd.Series(dtype=bool))
    shown = [
        protect_result(code, _number(n), _number(d)) if origin == "calcul" else None
        for code, n, d, origin in zip(frame["indicator_code"], frame["numerator"],
                                      frame["denominator"], frame["origin"], strict=True)
    ]  # fmt: skip
    return frame.assign(
        numerator=[r.numerator if r else n for r, n in zip(shown, frame["numerator"], strict=True)],
        denominator=[
            r.denominator if r else d for r, d in zip(shown, frame["denominator"], strict=True)
        ],
        counts_hidden=[bool(r and r.hidden) for r in shown],
    )


def visible_rows(
    request: Request, finess: str, allowed: Allowed, *, protect: bool = False
) -> pd.DataFrame:
    """Every result row of `finess` that `allowed` lets through (the private export), each
    with the review state of its campaign (`publication`: None outside any campaign review);
    `protect` as for `visible_values`."""
    publication = store_of(request).publication
    with store_of(request).cursor(private=True) as con:
        frame = _keep(selected(con, None, entity_kind="etablissement", entity_id=finess), allowed)
    if protect:
        frame = protected(frame)
    metas = catalogue_meta()
    frame = frame.assign(
        publication=[
            STATE_LABELS.get(publication.state(campaign_of(period), metas[code].domain) or "")
            if origin == "calcul" and code in metas
            else None
            for code, period, origin in zip(
                frame["indicator_code"], frame["period"], frame["origin"], strict=True
            )
        ]
    )
    return frame


def publication_labels(request: Request, values: list[IndicatorValue]) -> dict[str, str]:
    """indicator code → the review state of the campaign shown for it, when not published."""
    publication = store_of(request).publication
    labels = {}
    for value in values:
        state = publication.state(campaign_of(value.period), value.domain)
        if value.origin == "calcul" and state is not None and state != "publie":
            labels[value.code] = f"campagne {STATE_LABELS[state]}, non publiée"
    return labels


def _keep(frame: pd.DataFrame, allowed: Allowed) -> pd.DataFrame:
    if frame.empty:
        return frame
    mask = [
        _allowed_row(code, period, allowed) or origin != "calcul"
        for code, period, origin in zip(
            frame["indicator_code"], frame["period"], frame["origin"], strict=True
        )
    ]
    return frame[mask]


def _number(value) -> float | None:
    return None if value is None or value != value else float(value)


def _allowed_row(code: str, period: str, allowed: Allowed) -> bool:
    meta = catalogue_meta().get(code)
    return allowed(campaign_of(period), meta.domain if meta else "")
