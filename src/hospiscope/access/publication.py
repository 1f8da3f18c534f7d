"""What the public may see of the results hospiscope computes: a snapshot of the review state of
every (campaign, family), read from the access database, and the rule that turns it into the
(indicator, campaign) pairs that are public.

A computed result (origin `calcul`) is public when the review of its campaign and family is
`publie`. Results imported as published by the HAS (origin `publie`) are public by nature, and so
are results outside any campaign (period without a year, e.g. the registry's counts): neither
goes through a review. Everything else — computed, in review, withdrawn — is seen in the
private spaces only, by whom the one rule (rule.py) lets see it.

Some families are private by nature (PRIVATE_FAMILIES): the efficiency diagnosis and the
imaging base are tools for the dialogue between an establishment, its GHT, its ARS and the
national team, not publications (issues 11 and 13; Hospi Diag is "a dialogue tool, not a
public ranking"). They have no review and are never public, whatever a state says; in the
private spaces they follow the rule's table as written (`campaign_state=None`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from hospiscope.access.review import CALCULATED, IN_REVIEW, PUBLISHED, STATE_LABELS

PRIVATE_FAMILIES = frozenset({"efficience", "imagerie"})


@dataclass(frozen=True)
class Publication:
    """The review states of a moment ((campaign, family) → state; absent: `calcule`)."""

    states: Mapping[tuple[int, str], str] = field(default_factory=dict)

    @property
    def stamp(self) -> tuple:
        """Changes whenever a state changes (the portal reloads its public copy then)."""
        return tuple(sorted(self.states.items()))

    def state(self, campaign: int | None, family: str) -> str | None:
        """The state of (campaign, family); None for data outside any campaign review (no
        campaign, or a family private by nature)."""
        if campaign is None or family in PRIVATE_FAMILIES:
            return None
        return self.states.get((campaign, family), CALCULATED)

    def is_public(self, campaign: int | None, family: str) -> bool:
        if family in PRIVATE_FAMILIES:
            return False
        return campaign is None or self.state(campaign, family) == PUBLISHED

    def public_pairs(self, families: Mapping[str, str]) -> list[tuple[str, int]]:
        """(indicator, campaign) of every published campaign, for the indicators of
        `families` (indicator code → family)."""
        published = [
            (campaign, family)
            for (campaign, family), state in self.states.items()
            if state == PUBLISHED and family not in PRIVATE_FAMILIES
        ]
        by_family: dict[str, list[str]] = {}
        for code, family in families.items():
            by_family.setdefault(family, []).append(code)
        return sorted(
            (code, campaign) for campaign, family in published for code in by_family.get(family, [])
        )

    def pending(self, computed: Iterable[tuple[int, str]]) -> list[tuple[int, str, str]]:
        """(campaign, family, state) of the `computed` pairs that are not published, newest
        campaign first: what the public does not see yet, and why."""
        found = {
            (c, f): self.state(c, f)
            for c, f in computed
            if c is not None and f not in PRIVATE_FAMILIES
        }
        return sorted(
            ((c, f, s) for (c, f), s in found.items() if s != PUBLISHED),
            key=lambda item: (-item[0], item[1]),
        )


NOTHING_PUBLISHED = Publication()


def read_publication(con: sqlite3.Connection) -> Publication:
    rows = con.execute("SELECT campaign, family, state FROM review_states").fetchall()
    return Publication({(campaign, family): state for campaign, family, state in rows})


def pending_sentence(campaign: int, family_label: str, state: str) -> str:
    """Why a computed campaign is not shown to the public, in French."""
    if state == IN_REVIEW:
        why = "en revue par les établissements avant publication"
    elif state == CALCULATED:
        why = "calculée, pas encore soumise à la revue ni publiée"
    else:
        why = f"{STATE_LABELS[state]} de la publication"
    return f"Campagne {campaign} — {family_label} : {why}."
