"""Visit schedule after a certification decision: 4 years after certification (with or without
the mention), 6–12 months after « sous conditions », 12–24 months after « non certifié »
(ARS alerted); windows include both ends; the status on a day is on time / due / overdue."""

import datetime as dt

import pytest

from hospiscope.certification import (
    Decision,
    ScheduleStatus,
    VisitKind,
    add_months,
    due_window,
    schedule_status,
)
from hospiscope.certification.schedule import CERTIFIED_LEAD_MONTHS

D = dt.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year: end of February kept
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2023, 8, 31), 6, D(2024, 2, 29)),
        (D(2023, 12, 15), 1, D(2024, 1, 15)),  # year change
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 3, 31), -1, D(2024, 2, 29)),
        (D(2024, 5, 10), 0, D(2024, 5, 10)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("decision", "decided", "kind", "opens", "closes", "alert"),
    [
        ("certifie_sous_conditions", D(2023, 3, 15), "visite_de_suivi", D(2023, 9, 15),
         D(2024, 3, 15), False),
        ("non_certifie", D(2022, 1, 31), "nouvelle_visite", D(2023, 1, 31), D(2024, 1, 31),
         True),
        ("certifie", D(2021, 8, 31), "renouvellement", D(2025, 2, 28), D(2025, 8, 31), False),
        ("certifie_mention", D(2024, 2, 29), "renouvellement", D(2027, 8, 29), D(2028, 2, 29),
         False),
    ],
)  # fmt: skip
def test_windows(decision, decided, kind, opens, closes, alert):
    window = due_window(decision, decided)
    assert (window.kind, window.opens, window.closes, window.ars_alerted) == (
        VisitKind(kind),
        opens,
        closes,
        alert,
    )
    assert window.decision is Decision(decision) and window.decided_on == decided


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2023, 3, 15), "a_jour"),  # the decision day itself
        (D(2023, 9, 14), "a_jour"),
        (D(2023, 9, 15), "visite_attendue"),  # 6 months: the window opens
        (D(2024, 3, 15), "visite_attendue"),  # 12 months: last day on time
        (D(2024, 3, 16), "en_retard"),
    ],
)
def test_status_under_conditions_at_the_boundaries(on, expected):
    window = due_window(Decision.CONDITIONS, D(2023, 3, 15))
    assert schedule_status(window, on) is ScheduleStatus(expected)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2023, 1, 30), "a_jour"),
        (D(2023, 1, 31), "visite_attendue"),  # 12 months
        (D(2024, 1, 31), "visite_attendue"),  # 24 months
        (D(2024, 2, 1), "en_retard"),
    ],
)
def test_status_not_certified_at_the_boundaries(on, expected):
    window = due_window(Decision.NOT_CERTIFIED, D(2022, 1, 31))
    assert schedule_status(window, on) is ScheduleStatus(expected)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2024, 12, 31), "a_jour"),
        (D(2025, 2, 27), "a_jour"),
        (D(2025, 2, 28), "visite_attendue"),  # CERTIFIED_LEAD_MONTHS before the 4 years
        (D(2025, 8, 31), "visite_attendue"),  # 4 years to the day
        (D(2025, 9, 1), "en_retard"),
    ],
)
def test_status_certified_at_the_boundaries(on, expected):
    assert CERTIFIED_LEAD_MONTHS == 6
    window = due_window(Decision.CERTIFIED, D(2021, 8, 31))
    assert schedule_status(window, on) is ScheduleStatus(expected)


def test_lead_time_is_configurable():
    window = due_window(Decision.MENTION, D(2022, 5, 10), lead_months=0)
    assert window.opens == window.closes == D(2026, 5, 10)
    assert due_window(Decision.MENTION, D(2022, 5, 10), lead_months=12).opens == D(2025, 5, 10)
    with pytest.raises(ValueError, match="anticipation"):
        due_window(Decision.MENTION, D(2022, 5, 10), lead_months=-1)


def test_lead_time_does_not_change_follow_up_windows():
    window = due_window(Decision.CONDITIONS, D(2023, 3, 15), lead_months=0)
    assert (window.opens, window.closes) == (D(2023, 9, 15), D(2024, 3, 15))


def test_day_before_the_decision_is_refused():
    window = due_window(Decision.CERTIFIED, D(2023, 3, 15))
    with pytest.raises(ValueError, match="antérieure à la décision"):
        schedule_status(window, D(2023, 3, 14))


def test_unknown_decision_is_refused():
    with pytest.raises(ValueError):
        due_window("certifie_avec_reserves", D(2023, 3, 15))
