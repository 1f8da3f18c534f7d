"""The demo's review states, set by `hospiscope demo` once its results are computed: every
campaign and family is put in review and published, except those held in review (by default
the patient experience of the latest campaign), so that the demo shows both a published
portal and the review of the private spaces. Audited like `hospiscope review` (the actor is
the system user running the command). A warehouse whose access database already has review
states is left as it is: the demo never overrides what someone decided."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from hospiscope.cli.access_support import cli_actor
from hospiscope.cli.review_support import apply_changes, campaign_id, computed_families

HELD_FAMILY = "experience_patient"  # of the latest campaign: what the demo leaves in review


def default_held(available: dict[int, list[str]]) -> set[tuple[int, str]]:
    """The latest campaign's patient experience (if computed): held in review."""
    if not available:
        return set()
    latest = max(available)
    return {(latest, HELD_FAMILY)} if HELD_FAMILY in available[latest] else set()


def prepare_demo_review(
    warehouse: Path, held: Iterable[tuple[int, str]] | None = None
) -> list[tuple[int, str, str]]:
    """(campaign, family, state) set now: published, or in review for the `held` pairs
    (default: `default_held`); nothing when review states already exist."""
    from hospiscope.access import audit
    from hospiscope.access.database import AccessDatabase, access_path
    from hospiscope.access.review import IN_REVIEW, PUBLISHED, transition

    available = computed_families(warehouse)
    held = default_held(available) if held is None else set(held)
    pairs = [(campaign, family) for campaign in available for family in available[campaign]]
    if not pairs:
        return []
    with AccessDatabase(access_path(warehouse)) as db:
        if db.con.execute("SELECT count(*) FROM review_states").fetchone()[0]:
            return []
        steps = [(c, f, IN_REVIEW) for c, f in pairs]
        steps += [(c, f, PUBLISHED) for c, f in pairs if (c, f) not in held]
        actions = {IN_REVIEW: audit.REVIEW_OPEN, PUBLISHED: audit.REVIEW_PUBLISH}
        for to_state in (IN_REVIEW, PUBLISHED):
            keys = [step for step in steps if step[2] == to_state]
            if keys:
                apply_changes(
                    db,
                    actions[to_state],
                    keys,
                    lambda con, key: transition(con, key[0], key[1], key[2], actor=cli_actor()),
                    lambda key: ("campagne", campaign_id(key[0], key[1])),
                )
    return [(c, f, IN_REVIEW if (c, f) in held else PUBLISHED) for c, f in pairs]


def describe(states: list[tuple[int, str, str]]) -> list[str]:
    """French lines for the terminal: what the demo published and what it left in review."""
    from hospiscope.access.review import IN_REVIEW

    if not states:
        return []
    published = sorted({c for c, _, s in states if s != IN_REVIEW})
    lines = [f"Démonstration : campagnes publiées {', '.join(map(str, published))}."]
    for campaign, family, state in states:
        if state == IN_REVIEW:
            lines.append(
                f"Campagne {campaign}, famille {family} : laissée en revue (les établissements "
                "la voient dans leur espace ; `hospiscope review publish --campaign "
                f"{campaign} --family {family}` la publie)."
            )
    return lines
