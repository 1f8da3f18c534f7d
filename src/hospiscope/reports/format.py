"""French number, percentage, change and date formatting for the reports.

Typography: thousands are separated by a narrow no-break space (U+202F), the decimal mark is a
comma, "%" is preceded by a narrow no-break space, negative numbers use a real minus sign
(U+2212), « guillemets » enclose a narrow no-break space. Rounding is half-up on the decimal
value as written (74,85 → 74,9), as a reader rounding by hand would do, not banker's rounding
on the binary float.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from hospiscope.french import MONTHS

NNBSP = "\u202f"  # espace fine insécable
NBSP = "\u00a0"  # espace insécable
MINUS = "\u2212"  # signe moins
MISSING = "—"

# Units whose changes are expressed in points ("+0,6 pt"): percentages and scores out of 100.
POINT_UNITS = frozenset({"%", "/100"})
# Ratios (observed / expected) sit near 1: two decimals tell them apart.
RATIO_PREFIX = "ratio"


def _rounded(value: float, decimals: int) -> Decimal:
    quantum = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)


def number(value: float | None, decimals: int = 0, *, trim: bool = False) -> str:
    """`1234.5` → "1 234,5" (narrow no-break space, decimal comma, real minus sign).

    `trim` drops a fractional part made only of zeros ("3,0" → "3").
    """
    if value is None:
        return MISSING
    rounded = _rounded(value, decimals)
    if rounded == 0:
        rounded = abs(rounded)  # no "−0,0"
    text = f"{abs(rounded):,.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(",", NNBSP).replace(".", ",")
    return (MINUS + text) if rounded < 0 else text


def signed(value: float | None, decimals: int = 1, *, trim: bool = True) -> str:
    """`0.6` → "+0,6", `-3` → "−3", `0` → "0" (no sign on zero)."""
    if value is None:
        return MISSING
    text = number(value, decimals, trim=trim)
    if text.startswith(MINUS) or _rounded(value, decimals) == 0:
        return text
    return "+" + text


def percent(value: float | None, decimals: int = 1) -> str:
    """A value already in percent: `79.5` → "79,5 %"."""
    if value is None:
        return MISSING
    return f"{number(value, decimals)}{NNBSP}%"


def share(value: float | None, decimals: int = 0) -> str:
    """A share between 0 and 1: `0.66` → "66 %"."""
    if value is None:
        return MISSING
    return percent(value * 100, decimals)


def points(change: float | None, decimals: int = 1) -> str:
    """A change in points: `0.6` → "+0,6 pt", `-3` → "−3 pts" (French plural from 2)."""
    if change is None:
        return MISSING
    text = signed(change, decimals)
    magnitude = abs(_rounded(change, decimals))
    return f"{text}{NNBSP}{'pts' if magnitude >= 2 else 'pt'}"


def decimals_for(value: float | None, unit: str) -> int:
    """One decimal for percentages and scores, two for ratios, none for whole counts, else
    one."""
    if unit in POINT_UNITS:
        return 1
    if unit.startswith(RATIO_PREFIX):
        return 2
    if value is not None and float(value).is_integer():
        return 0
    return 1


def with_unit(value: float | None, unit: str, decimals: int | None = None) -> str:
    """`(74.8, "/100")` → "74,8/100", `(79.5, "%")` → "79,5 %", `(1633, "établissements")` →
    "1 633 établissements"."""
    if value is None:
        return MISSING
    places = decimals_for(value, unit) if decimals is None else decimals
    text = number(value, places)
    if not unit:
        return text
    if unit.startswith("/"):
        return f"{text}{unit}"
    return f"{text}{NNBSP if unit == '%' else NBSP}{unit}"


def change(change_value: float | None, unit: str, decimals: int | None = None) -> str:
    """A change since the previous campaign in the figure's unit: points for % and /100
    ("+0,5 pt"), a bare signed number for ratios ("+0,03"), else a signed number with its
    unit ("+12 établissements")."""
    if change_value is None:
        return MISSING
    if unit in POINT_UNITS:
        return points(change_value, 1 if decimals is None else decimals)
    if unit.startswith(RATIO_PREFIX):
        return signed(change_value, 2 if decimals is None else decimals, trim=False)
    places = decimals_for(change_value, unit) if decimals is None else decimals
    text = signed(change_value, places)
    return f"{text}{NBSP}{unit}" if unit else text


def interval(low: float | None, high: float | None, decimals: int = 1) -> str:
    """A confidence interval in French notation: "[74,6 ; 75,0]"."""
    if low is None or high is None:
        return MISSING
    return f"[{number(low, decimals)}{NNBSP}; {number(high, decimals)}]"


def integer(value: float | None) -> str:
    """A count: `530000` → "530 000"; non-whole counts keep one decimal."""
    if value is None:
        return MISSING
    return number(value, 0 if float(value).is_integer() else 1)


def date(value: dt.date) -> str:
    """`2026-11-22` → "22 novembre 2026" ("1er" for the first of the month)."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def datetime(value: dt.datetime) -> str:
    """`2026-11-22 12:50` → "22 novembre 2026 à 12 h 50"."""
    return f"{date(value)} à {value.hour}{NBSP}h{NBSP}{value.minute:02d}"


def guillemets(text: str) -> str:
    """« text » with narrow no-break spaces inside the quotes."""
    return f"«{NNBSP}{text}{NNBSP}»"


def plural(count: float | None, singular: str, plural_form: str | None = None) -> str:
    """The French form for a count: singular for 0 and 1 (and below 2: "1,5 lit"), plural
    from 2 — `plural(1, "groupe")` → "groupe", `plural(3, "groupe")` → "groupes".
    `plural_form` defaults to the singular plus "s"."""
    many = count is not None and abs(float(count)) >= 2
    return (plural_form or singular + "s") if many else singular


def counted(count: float | None, singular: str, plural_form: str | None = None) -> str:
    """A count with its noun: `counted(1, "groupe")` → "1 groupe", `counted(1633,
    "décision")` → "1 633 décisions"."""
    return f"{integer(count)} {plural(count, singular, plural_form)}"
