"""Time in the access database: aware UTC datetimes in Python, one fixed ISO-8601 text form in
SQLite (`2025-03-01T08:15:00+00:00`), so that stored instants compare as text in SQL too.

Every function that depends on the time takes `now` (tests inject it: a lock-out that ends
after fifteen minutes is tested without waiting fifteen minutes)."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def aware(moment: datetime | None) -> datetime:
    """`moment` as an aware UTC datetime (None: now; a naive datetime is taken as UTC)."""
    if moment is None:
        return utc_now()
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def to_text(moment: datetime | None) -> str | None:
    """The stored form of `moment` (None stays None)."""
    if moment is None:
        return None
    return aware(moment).replace(microsecond=0).isoformat()


def from_text(text: str | None) -> datetime | None:
    if text is None:
        return None
    return aware(datetime.fromisoformat(text))


def start_of(day: date | datetime) -> datetime:
    """A date as the instant it starts (UTC); a datetime as it is."""
    if isinstance(day, datetime):
        return aware(day)
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
