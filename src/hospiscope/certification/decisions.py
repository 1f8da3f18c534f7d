"""The four certification decisions, the same in the 5th and 6th cycles (facts.md §2,
anchors.md §3.6), with their codes in hospiscope's files and an order from worst to best."""

from __future__ import annotations

from enum import StrEnum


class Decision(StrEnum):
    MENTION = "certifie_mention"  # certifié avec mention « Haute qualité des soins »
    CERTIFIED = "certifie"
    CONDITIONS = "certifie_sous_conditions"
    NOT_CERTIFIED = "non_certifie"


DECISION_LABELS: dict[Decision, str] = {
    Decision.MENTION: "Certifié avec mention « Haute qualité des soins »",
    Decision.CERTIFIED: "Certifié",
    Decision.CONDITIONS: "Certifié sous conditions",
    Decision.NOT_CERTIFIED: "Non certifié",
}
# Ordinal value of a decision (the `value` of the decision indicator): 4 is the best.
RANK: dict[Decision, int] = {
    Decision.NOT_CERTIFIED: 1,
    Decision.CONDITIONS: 2,
    Decision.CERTIFIED: 3,
    Decision.MENTION: 4,
}
# "Certified" in HAS's figures means with or without the mention (87 % at the end of 2024).
CERTIFIED: tuple[Decision, ...] = (Decision.MENTION, Decision.CERTIFIED)


def decision_of_rank(rank: int) -> Decision:
    for decision, value in RANK.items():
        if value == rank:
            return decision
    raise ValueError(f"rang de décision inconnu : {rank}")
