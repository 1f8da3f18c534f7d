"""The review of an establishment's results as its private page shows it: for each campaign and
family with results of this establishment, the review state, the contest window, whether the
establishment accepted its results of the current round, its contests with their answers, and
whether this visitor may act (the establishment's own accounts only, while the window is
open). Read from the access database; the actions are in web/pages/private.py."""

from __future__ import annotations

import sqlite3

from pydantic import BaseModel

from hospiscope.access import contests, review
from hospiscope.access.clock import utc_now
from hospiscope.catalogue import catalogue_meta
from hospiscope.catalogue.pages import DOMAINS
from hospiscope.results.selection import campaign_of
from hospiscope.web.pages.common import Choice
from hospiscope.web.values import IndicatorValue

ANSWER_LABELS = {review.ACCEPTED: "contestation acceptée", review.REJECTED: "contestation rejetée"}


class ContestView(BaseModel):
    id: int
    indicator: str
    indicator_label: str
    reason: str
    filed_at: str
    filed_by: str
    answer: str | None
    answer_label: str | None
    answer_text: str | None
    answered_at: str | None
    answered_by: str | None


class CampaignReview(BaseModel):
    campaign: int
    family: str
    family_label: str
    state: str
    state_label: str
    window_closes: str | None  # ISO date, while in review
    window_open: bool
    accepted_at: str | None  # this establishment's acceptance of the current round
    contests: list[ContestView]
    indicators: list[Choice]  # what may be contested: the family's indicators shown
    can_act: bool  # this visitor may accept or contest now


def campaign_reviews(
    con: sqlite3.Connection,
    finess: str,
    values: list[IndicatorValue],
    *,
    may_act: bool,
) -> list[CampaignReview]:
    """The review of every (campaign, family) of the results shown (`values`, with their
    history), newest first."""
    metas = catalogue_meta()
    pairs: dict[tuple[int, str], list[Choice]] = {}
    for value in values:
        for point in value.history:
            campaign = campaign_of(point.period)
            if campaign is not None and value.origin == "calcul":
                choices = pairs.setdefault((campaign, value.domain), [])
                if all(choice.code != value.code for choice in choices):
                    choices.append(Choice(code=value.code, label=metas[value.code].short_label))
    now = utc_now()
    return [
        _review(con, campaign, family, finess, choices, now, may_act)
        for (campaign, family), choices in sorted(pairs.items(), key=lambda i: (-i[0][0], i[0][1]))
    ]


def _review(con, campaign, family, finess, choices, now, may_act) -> CampaignReview:
    state = review.state_of(con, campaign, family)
    closes = review.window_closes(con, campaign, family)
    window_open = closes is not None and now < closes
    round_ = _round(con, campaign, family)
    accepted = con.execute(
        "SELECT at FROM review_acceptances WHERE campaign = ? AND family = ? AND round = ? "
        "AND finess_et = ?",
        [campaign, family, round_, finess],
    ).fetchone()
    metas = catalogue_meta()
    found = contests.contests(con, campaign, family, finess_et=finess)
    return CampaignReview(
        campaign=campaign,
        family=family,
        family_label=DOMAINS.get(family, family),
        state=state,
        state_label=review.STATE_LABELS[state],
        window_closes=closes.date().isoformat() if closes else None,
        window_open=window_open,
        accepted_at=accepted[0] if accepted else None,
        contests=[contest_view(c, metas) for c in found],
        indicators=sorted(choices, key=lambda c: c.label),
        can_act=may_act and window_open and not accepted,
    )


def contest_view(found: contests.Contest, metas) -> ContestView:
    meta = metas.get(found.indicator)
    return ContestView(
        id=found.id,
        indicator=found.indicator,
        indicator_label=meta.short_label if meta else found.indicator,
        reason=found.reason,
        filed_at=found.filed_at,
        filed_by=found.filed_by,
        answer=found.answer,
        answer_label=ANSWER_LABELS.get(found.answer) if found.answer else None,
        answer_text=found.answer_text,
        answered_at=found.answered_at,
        answered_by=found.answered_by,
    )


def _round(con, campaign: int, family: str) -> int:
    row = con.execute(
        "SELECT round FROM review_states WHERE campaign = ? AND family = ?", [campaign, family]
    ).fetchone()
    return row[0] if row else 0
