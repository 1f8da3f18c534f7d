"""Certification of health establishments by HAS: the rules hospiscope relies on, outside any
layer that reads files or computes indicators — the four decisions, the criteria referential
of each cycle, and the visit schedule that follows a decision.

Pure Python, no project dependency: the sources, the catalogue, the demo and the views all
read these rules from here (facts.md §2, anchors.md §3.6).
"""

from hospiscope.certification.decisions import (
    CERTIFIED,
    DECISION_LABELS,
    RANK,
    Decision,
    decision_of_rank,
)
from hospiscope.certification.referential import (
    CRITERIA,
    CYCLES,
    Criterion,
    CriterionType,
    Cycle,
    Public,
    Result,
    criteria_of,
    criterion,
    imperative_criteria,
)
from hospiscope.certification.schedule import (
    ScheduleStatus,
    VisitKind,
    VisitWindow,
    add_months,
    due_window,
    schedule_status,
)

__all__ = [
    "CERTIFIED",
    "CRITERIA",
    "CYCLES",
    "DECISION_LABELS",
    "RANK",
    "Criterion",
    "CriterionType",
    "Cycle",
    "Decision",
    "Public",
    "Result",
    "ScheduleStatus",
    "VisitKind",
    "VisitWindow",
    "add_months",
    "criteria_of",
    "criterion",
    "decision_of_rank",
    "due_window",
    "imperative_criteria",
    "schedule_status",
]
