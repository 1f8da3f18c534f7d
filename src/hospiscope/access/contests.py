"""The establishments' side of a review, and the national team's answers: accepting the results
of a review round, contesting one result (an indicator) with a written reason, answering a
contest. Tables in review.SCHEMA; same conventions as review.py (the caller owns the
transaction and audits the returned `Change`; refusals raise `ReviewRefused`, in French).

An establishment that accepted its results of a round may no longer contest in that round, and
one with an unanswered contest may not accept before the answer (both would contradict each
other); several results may be contested, one open contest per indicator."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from hospiscope.access.review import (
    ACCEPTED,
    CONTEST_WINDOW,
    REJECTED,
    Change,
    ReviewRefused,
    open_round,
    stamp,
    text_of,
)


@dataclass(frozen=True)
class Contest:
    id: int
    campaign: int
    family: str
    finess_et: str
    indicator: str
    reason: str
    filed_at: str
    filed_by: str
    answer: str | None
    answer_text: str | None
    answered_at: str | None
    answered_by: str | None


def accept(
    con: sqlite3.Connection,
    campaign: int,
    family: str,
    finess_et: str,
    *,
    actor: str,
    now: datetime | None = None,
    window: timedelta = CONTEST_WINDOW,
) -> Change:
    """The establishment accepts its results of this review round."""
    at = stamp(now)
    round_ = open_round(con, campaign, family, now, window)
    if _accepted(con, campaign, family, round_, finess_et):
        raise ReviewRefused("Vous avez déjà accepté les résultats de cette revue.")
    if _contests_of(con, campaign, family, finess_et, open_only=True):
        raise ReviewRefused(
            "Une contestation de cet établissement attend encore sa réponse : "
            "les résultats ne peuvent pas être acceptés avant."
        )
    con.execute(
        "INSERT INTO review_acceptances VALUES (?, ?, ?, ?, ?, ?)",
        [campaign, family, round_, finess_et, at, actor],
    )
    return Change("review.accept", campaign, family, {"finess_et": finess_et, "round": round_})


def contest(
    con: sqlite3.Connection,
    campaign: int,
    family: str,
    finess_et: str,
    indicator: str,
    reason: str,
    *,
    actor: str,
    now: datetime | None = None,
    window: timedelta = CONTEST_WINDOW,
) -> Change:
    """The establishment contests one result (an indicator) with a written reason."""
    at, reason, indicator = stamp(now), text_of(reason), text_of(indicator)
    if not indicator:
        raise ReviewRefused("Indiquez l'indicateur contesté.")
    if not reason:
        raise ReviewRefused("Une contestation exige un motif écrit.")
    round_ = open_round(con, campaign, family, now, window)
    if _accepted(con, campaign, family, round_, finess_et):
        raise ReviewRefused(
            "Vous avez accepté les résultats de cette revue : vous ne pouvez plus les contester."
        )
    already = _contests_of(con, campaign, family, finess_et, open_only=True)
    if any(existing.indicator == indicator for existing in already):
        raise ReviewRefused(f"L'indicateur {indicator} est déjà contesté (réponse attendue).")
    cursor = con.execute(
        "INSERT INTO review_contests (campaign, family, round, finess_et, indicator, reason, "
        "filed_at, filed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [campaign, family, round_, finess_et, indicator, reason, at, actor],
    )
    details = {"contest": cursor.lastrowid, "finess_et": finess_et, "indicator": indicator}
    return Change("review.contest", campaign, family, details)


def answer(
    con: sqlite3.Connection,
    contest_id: int,
    *,
    accepted: bool,
    text: str,
    actor: str,
    now: datetime | None = None,
) -> Change:
    """The national team answers a contest (accepted or rejected, with a written answer)."""
    at, text = stamp(now), text_of(text)
    found = contest_by_id(con, contest_id)
    if found is None:
        raise ReviewRefused(f"Contestation n° {contest_id} introuvable.")
    if found.answer is not None:
        raise ReviewRefused(f"La contestation n° {contest_id} a déjà reçu une réponse.")
    if not text:
        raise ReviewRefused("La réponse à une contestation exige un texte.")
    verdict = ACCEPTED if accepted else REJECTED
    con.execute(
        "UPDATE review_contests SET answer = ?, answer_text = ?, answered_at = ?, "
        "answered_by = ? WHERE id = ?",
        [verdict, text, at, actor, contest_id],
    )
    details = {"contest": contest_id, "finess_et": found.finess_et, "answer": verdict}
    return Change("review.answer", found.campaign, found.family, details)


def contests(
    con: sqlite3.Connection,
    campaign: int,
    family: str,
    *,
    finess_et: str | None = None,
    open_only: bool = False,
) -> list[Contest]:
    """The contests of (campaign, family), optionally of one establishment or unanswered."""
    return _contests_of(con, campaign, family, finess_et, open_only=open_only)


def every_contest(
    con: sqlite3.Connection, campaign: int | None = None, *, open_only: bool = False
) -> list[Contest]:
    """Every contest (of one campaign if given, unanswered ones only if asked), oldest first:
    the national team's list."""
    sql, parameters = f"SELECT {_CONTEST_COLUMNS} FROM review_contests WHERE 1 = 1", []
    if campaign is not None:
        sql, parameters = sql + " AND campaign = ?", [campaign]
    if open_only:
        sql += " AND answer IS NULL"
    return [Contest(*row) for row in con.execute(sql + " ORDER BY id", parameters)]


def contest_by_id(con: sqlite3.Connection, contest_id: int) -> Contest | None:
    row = con.execute(f"SELECT {_CONTEST_COLUMNS} FROM review_contests WHERE id = ?", [contest_id])
    found = row.fetchone()
    return Contest(*found) if found else None


_CONTEST_COLUMNS = (
    "id, campaign, family, finess_et, indicator, reason, filed_at, filed_by, answer, "
    "answer_text, answered_at, answered_by"
)


def _contests_of(con, campaign, family, finess_et, *, open_only: bool) -> list[Contest]:
    sql = f"SELECT {_CONTEST_COLUMNS} FROM review_contests WHERE campaign = ? AND family = ?"
    parameters: list = [campaign, family]
    if finess_et is not None:
        sql, parameters = sql + " AND finess_et = ?", [*parameters, finess_et]
    if open_only:
        sql += " AND answer IS NULL"
    return [Contest(*row) for row in con.execute(sql + " ORDER BY id", parameters)]


def _accepted(con, campaign: int, family: str, round_: int, finess_et: str) -> bool:
    return bool(
        con.execute(
            "SELECT 1 FROM review_acceptances WHERE campaign = ? AND family = ? AND round = ? "
            "AND finess_et = ?",
            [campaign, family, round_, finess_et],
        ).fetchone()
    )
