"""When the next certification visit is due after a decision, and where an establishment
stands on a given day (facts.md §2):

- certified, with or without the mention: next visit 4 years later;
- certified under conditions: a follow-up visit within 6 to 12 months;
- not certified: a new visit within 12 to 24 months, and HAS alerts the ARS.

Published rules give the delays, not the day they run from: hospiscope counts them from the
decision date (assumption, labelled). A certified establishment's visit is one date, 4 years on;
hospiscope opens its window `CERTIFIED_LEAD_MONTHS` months before it so that a view can show
visits coming up (assumption, configurable). Windows include both their ends.

The status on a day, for the latest decision of an establishment:
`a_jour` before the window opens, `visite_attendue` inside it, `en_retard` after it closes
(and no newer decision, which is the caller's concern: pass the latest decision).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from hospiscope.certification.decisions import Decision

CERTIFIED_CYCLE_MONTHS = 48  # "every 4 years" (facts.md §2)
FOLLOW_UP_MONTHS = (6, 12)  # under conditions (facts.md §2)
NEW_VISIT_MONTHS = (12, 24)  # not certified (facts.md §2)
CERTIFIED_LEAD_MONTHS = 6  # hypothèse hospiscope
ASSUMPTIONS = (
    "Hypothèse hospiscope : les délais de visite sont comptés à partir de la date de décision.",
    "Hypothèse hospiscope : pour un établissement certifié, la visite est « attendue » dans les "
    f"{CERTIFIED_LEAD_MONTHS} mois qui précèdent le terme des 4 ans.",
)


class VisitKind(StrEnum):
    RENEWAL = "renouvellement"  # next cycle visit of a certified establishment
    FOLLOW_UP = "visite_de_suivi"  # under conditions
    NEW_VISIT = "nouvelle_visite"  # not certified


class ScheduleStatus(StrEnum):
    ON_TIME = "a_jour"
    DUE = "visite_attendue"
    OVERDUE = "en_retard"


SCHEDULE_LABELS = {
    ScheduleStatus.ON_TIME: "À jour",
    ScheduleStatus.DUE: "Visite attendue",
    ScheduleStatus.OVERDUE: "Visite en retard",
}
VISIT_LABELS = {
    VisitKind.RENEWAL: "Visite du cycle suivant (4 ans)",
    VisitKind.FOLLOW_UP: "Visite de suivi (6 à 12 mois)",
    VisitKind.NEW_VISIT: "Nouvelle visite (12 à 24 mois)",
}


@dataclass(frozen=True)
class VisitWindow:
    decision: Decision
    decided_on: dt.date
    kind: VisitKind
    opens: dt.date  # first day the visit is expected
    closes: dt.date  # last day it is on time
    ars_alerted: bool  # HAS alerts the ARS (not certified)


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months; the end of a shorter month is kept (31/08 + 6 → 28 or 29/02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def due_window(
    decision: Decision | str,
    decided_on: dt.date,
    *,
    lead_months: int = CERTIFIED_LEAD_MONTHS,
) -> VisitWindow:
    """The window of the next visit after `decision` taken on `decided_on`."""
    decision = Decision(decision)
    if lead_months < 0 or lead_months > CERTIFIED_CYCLE_MONTHS:
        raise ValueError(f"délai d'anticipation invalide : {lead_months} mois")
    if decision in (Decision.MENTION, Decision.CERTIFIED):
        due = add_months(decided_on, CERTIFIED_CYCLE_MONTHS)
        opens = add_months(decided_on, CERTIFIED_CYCLE_MONTHS - lead_months)
        return VisitWindow(decision, decided_on, VisitKind.RENEWAL, opens, due, False)
    if decision is Decision.CONDITIONS:
        first, last = FOLLOW_UP_MONTHS
        kind, alert = VisitKind.FOLLOW_UP, False
    else:
        first, last = NEW_VISIT_MONTHS
        kind, alert = VisitKind.NEW_VISIT, True
    opens, closes = add_months(decided_on, first), add_months(decided_on, last)
    return VisitWindow(decision, decided_on, kind, opens, closes, alert)


def schedule_status(window: VisitWindow, on: dt.date) -> ScheduleStatus:
    """Where an establishment whose latest decision opened `window` stands on day `on`."""
    if on < window.decided_on:
        raise ValueError(
            f"date {on:%d/%m/%Y} antérieure à la décision ({window.decided_on:%d/%m/%Y})"
        )
    if on < window.opens:
        return ScheduleStatus.ON_TIME
    if on <= window.closes:
        return ScheduleStatus.DUE
    return ScheduleStatus.OVERDUE
