"""Pre-publication review of a campaign, per (campaign, family): its state and its transitions
(this module), the establishments' acceptances and contests and the national team's answers
(contests.py, on the tables of this SCHEMA). Stored in the access database (SCHEMA);
functions take a sqlite3 connection (the caller owns the transaction), record who and when,
and return what happened (a `Change`, which the caller audits) or raise `ReviewRefused` with a
French message.

States: calcule → en_revue → publie; publie → retire (reason required); retire → en_revue (a
new review round: acceptances start again, unanswered contests stay open). A campaign without a
row is `calcule`. Publishing is refused while a contest is unanswered, unless forced with a
written reason (the stricter choice: an establishment's contest is never overtaken silently;
the force and its reason are stored with the transition). Publishing before the contest window
closes is allowed (the national team decides when; the window is there for the establishments)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

CALCULATED, IN_REVIEW, PUBLISHED, WITHDRAWN = "calcule", "en_revue", "publie", "retire"
STATES = (CALCULATED, IN_REVIEW, PUBLISHED, WITHDRAWN)
TRANSITIONS = {(CALCULATED, IN_REVIEW), (IN_REVIEW, PUBLISHED), (PUBLISHED, WITHDRAWN),
               (WITHDRAWN, IN_REVIEW)}  # fmt: skip
STATE_LABELS = {CALCULATED: "calculée", IN_REVIEW: "en revue", PUBLISHED: "publiée",
                WITHDRAWN: "retirée"}  # fmt: skip
# Hypothèse hospiscope: 15 days to accept or contest from the opening of the review (no
# official window is known for hospiscope's own computations; configurable per call).
CONTEST_WINDOW = timedelta(days=15)
ACCEPTED, REJECTED = "acceptee", "rejetee"

SCHEMA = """
CREATE TABLE IF NOT EXISTS review_states (
    campaign INTEGER NOT NULL,
    family TEXT NOT NULL,
    state TEXT NOT NULL,
    round INTEGER NOT NULL,           -- how many times the review was opened
    opened_at TEXT,                   -- start of the current review round (contest window)
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    PRIMARY KEY (campaign, family)
);
CREATE TABLE IF NOT EXISTS review_transitions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign INTEGER NOT NULL, family TEXT NOT NULL,
    from_state TEXT NOT NULL, to_state TEXT NOT NULL,
    at TEXT NOT NULL, actor TEXT NOT NULL,
    reason TEXT, forced INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS review_acceptances (
    campaign INTEGER NOT NULL, family TEXT NOT NULL, round INTEGER NOT NULL,
    finess_et TEXT NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL,
    PRIMARY KEY (campaign, family, round, finess_et)
);
CREATE TABLE IF NOT EXISTS review_contests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign INTEGER NOT NULL, family TEXT NOT NULL, round INTEGER NOT NULL,
    finess_et TEXT NOT NULL, indicator TEXT NOT NULL, reason TEXT NOT NULL,
    filed_at TEXT NOT NULL, filed_by TEXT NOT NULL,
    answer TEXT CHECK (answer IN ('acceptee', 'rejetee')),
    answer_text TEXT, answered_at TEXT, answered_by TEXT
);
"""


class ReviewRefused(Exception):
    """A refused review action; the message is French, for the user."""


@dataclass(frozen=True)
class Change:
    action: str  # review.transition | review.accept | review.contest | review.answer
    campaign: int
    family: str
    details: dict = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def state_of(con: sqlite3.Connection, campaign: int, family: str) -> str:
    row = _state_row(con, campaign, family)
    return row[0] if row else CALCULATED


def public_campaigns(con: sqlite3.Connection) -> set[tuple[int, str]]:
    """The (campaign, family) pairs that are published."""
    rows = con.execute("SELECT campaign, family FROM review_states WHERE state = ?", [PUBLISHED])
    return {(campaign, family) for campaign, family in rows}


def transition(
    con: sqlite3.Connection,
    campaign: int,
    family: str,
    to_state: str,
    *,
    actor: str,
    reason: str | None = None,
    force: bool = False,
    now: datetime | None = None,
) -> Change:
    """Move (campaign, family) to `to_state`, checked against TRANSITIONS."""
    at, reason = stamp(now), text_of(reason)
    current = state_of(con, campaign, family)
    if (current, to_state) not in TRANSITIONS:
        raise ReviewRefused(_invalid_transition(current, to_state))
    if to_state == WITHDRAWN and not reason:
        raise ReviewRefused("Le retrait d'une campagne publiée exige un motif écrit.")
    warnings = _publication_warnings(con, campaign, family, to_state, force, reason)
    _store_state(con, campaign, family, to_state, at, actor)
    con.execute(
        "INSERT INTO review_transitions (campaign, family, from_state, to_state, at, actor, "
        "reason, forced) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [campaign, family, current, to_state, at, actor, reason or None, int(bool(warnings))],
    )
    details = {"from": current, "to": to_state, "reason": reason or None, "forced": bool(warnings)}
    return Change("review.transition", campaign, family, details, warnings)


@dataclass(frozen=True)
class Status:
    """Where the review of (campaign, family) stands, for the national team's overview."""

    campaign: int
    family: str
    state: str
    changed_at: str | None  # None: never changed (computed)
    changed_by: str | None
    window_closes: datetime | None  # only in review
    acceptances: int  # of the current round
    open_contests: int
    answered_contests: int


def status(
    con: sqlite3.Connection, campaign: int, family: str, window: timedelta = CONTEST_WINDOW
) -> Status:
    row = con.execute(
        "SELECT state, round, changed_at, changed_by FROM review_states "
        "WHERE campaign = ? AND family = ?",
        [campaign, family],
    ).fetchone()
    state, round_, changed_at, changed_by = row or (CALCULATED, 0, None, None)
    accepted = con.execute(
        "SELECT count(*) FROM review_acceptances WHERE campaign = ? AND family = ? AND round = ?",
        [campaign, family, round_],
    ).fetchone()[0]
    unanswered, answered = con.execute(
        "SELECT count(*) FILTER (WHERE answer IS NULL), count(answer) FROM review_contests "
        "WHERE campaign = ? AND family = ?",
        [campaign, family],
    ).fetchone()
    closes = window_closes(con, campaign, family, window)
    return Status(campaign, family, state, changed_at, changed_by, closes, accepted,
                  unanswered, answered)  # fmt: skip


def window_closes(
    con: sqlite3.Connection, campaign: int, family: str, window: timedelta = CONTEST_WINDOW
) -> datetime | None:
    """End of the contest window of the current review (None when not in review)."""
    row = _state_row(con, campaign, family)
    if not row or row[0] != IN_REVIEW:
        return None
    return datetime.fromisoformat(row[2]) + window


def history(con: sqlite3.Connection, campaign: int, family: str) -> list[dict]:
    """Every transition of (campaign, family), oldest first, with who and when."""
    cursor = con.execute(
        "SELECT from_state, to_state, at, actor, reason, forced FROM review_transitions "
        "WHERE campaign = ? AND family = ? ORDER BY seq",
        [campaign, family],
    )
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def unanswered_contests(con: sqlite3.Connection, campaign: int, family: str) -> int:
    """How many contests of (campaign, family) wait for the national team's answer."""
    row = con.execute(
        "SELECT count(*) FROM review_contests WHERE campaign = ? AND family = ? AND answer IS NULL",
        [campaign, family],
    ).fetchone()
    return row[0]


def open_round(
    con: sqlite3.Connection,
    campaign: int,
    family: str,
    now: datetime | None,
    window: timedelta = CONTEST_WINDOW,
) -> int:
    """The current review round, if (campaign, family) is in review and its contest window
    still open (else ReviewRefused): establishments accept or contest only then."""
    row = _state_row(con, campaign, family)
    if not row or row[0] != IN_REVIEW:
        label = STATE_LABELS[row[0] if row else CALCULATED]
        raise ReviewRefused(f"La campagne n'est pas en revue (elle est {label}).")
    closes = datetime.fromisoformat(row[2]) + window
    if now_utc(now) >= closes:
        raise ReviewRefused(f"Le délai de contestation est clos depuis le {closes:%d/%m/%Y}.")
    return row[1]


def _state_row(con, campaign: int, family: str) -> tuple | None:
    return con.execute(
        "SELECT state, round, opened_at FROM review_states WHERE campaign = ? AND family = ?",
        [campaign, family],
    ).fetchone()


def _store_state(con, campaign: int, family: str, state: str, at: str, actor: str) -> None:
    row = _state_row(con, campaign, family)
    round_, opened_at = (row[1], row[2]) if row else (0, None)
    if state == IN_REVIEW:
        round_, opened_at = round_ + 1, at
    con.execute(
        "INSERT OR REPLACE INTO review_states VALUES (?, ?, ?, ?, ?, ?, ?)",
        [campaign, family, state, round_, opened_at, at, actor],
    )


def _publication_warnings(con, campaign, family, to_state, force, reason) -> tuple[str, ...]:
    """Publishing over unanswered contests: refused, or forced with a reason (a warning)."""
    if to_state != PUBLISHED:
        return ()
    unanswered = unanswered_contests(con, campaign, family)
    if not unanswered:
        return ()
    counted = f"{unanswered} contestation{'s' if unanswered > 1 else ''} sans réponse"
    if not force:
        raise ReviewRefused(
            f"{counted} : répondez-y avant de publier, ou forcez la publication avec un motif."
        )
    if not reason:
        raise ReviewRefused("Une publication forcée exige un motif écrit.")
    return (f"Publication forcée malgré {counted}.",)


def _invalid_transition(current: str, to_state: str) -> str:
    if to_state not in STATES:
        return f"État inconnu : {to_state}."
    return (
        f"Passage impossible de l'état « {STATE_LABELS[current]} » "
        f"à l'état « {STATE_LABELS[to_state]} »."
    )


def now_utc(now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


def stamp(now: datetime | None = None) -> str:
    """A time as stored: ISO 8601, UTC, to the second."""
    return now_utc(now).isoformat(timespec="seconds")


def text_of(value: str | None) -> str:
    return (value or "").strip()
