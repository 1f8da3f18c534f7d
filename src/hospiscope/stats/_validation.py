"""Input checks shared by the statistics functions.

Every check names the argument and the first offending position, so that a caller holding
thousands of establishments can find the bad row at once. Missing values (NaN) are never an
error here: they flow through the computations and come out as NaN.
"""

from __future__ import annotations

import numpy as np


def to_float_array(name: str, values: object) -> np.ndarray:
    """Return ``values`` as a float array; pandas NA becomes NaN, text is refused."""
    if hasattr(values, "to_numpy"):  # pandas Series / Index / extension arrays with pd.NA
        try:
            return np.asarray(values.to_numpy(dtype=float, na_value=np.nan), dtype=float)
        except (TypeError, ValueError) as error:
            raise TypeError(f"{name} must be numeric: {error}") from None
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be numeric: {error}") from None


def describe_position(name: str, array: np.ndarray, offending: np.ndarray) -> str:
    """Describe the first offending element, e.g. ``x[3] = -1.0 (2 offending values)``."""
    positions = np.argwhere(offending)
    first = tuple(int(i) for i in positions[0])
    value = float(array[first] if array.ndim else array[()])
    if array.ndim == 0:
        label = f"{name} = {value!r}"
    elif array.ndim == 1:
        label = f"{name}[{first[0]}] = {value!r}"
    else:
        label = f"{name}[{', '.join(map(str, first))}] = {value!r}"
    count = len(positions)
    return label if count == 1 else f"{label} ({count} offending values)"


def _raise_if(name: str, array: np.ndarray, offending: np.ndarray, rule: str) -> None:
    if np.any(offending):
        raise ValueError(f"{name} must {rule}; {describe_position(name, array, offending)}")


def require_finite_or_missing(name: str, array: np.ndarray) -> None:
    """Refuse infinities (NaN is allowed and means 'missing')."""
    _raise_if(name, array, np.isinf(array), "be finite or missing (NaN)")


def require_non_negative(name: str, array: np.ndarray) -> None:
    _raise_if(name, array, array < 0, "be >= 0")


def require_positive(name: str, array: np.ndarray) -> None:
    _raise_if(name, array, array <= 0, "be > 0")


def require_whole_numbers(name: str, array: np.ndarray) -> None:
    """Counts of events or people must be whole numbers (NaN allowed)."""
    with np.errstate(invalid="ignore"):
        offending = np.isfinite(array) & (array != np.round(array))
    _raise_if(name, array, offending, "hold whole numbers (counts)")


def require_not_greater(x_name: str, x: np.ndarray, n_name: str, n: np.ndarray) -> None:
    """Refuse a numerator larger than its denominator (both already broadcast)."""
    offending = x > n
    if np.any(offending):
        first = describe_position(x_name, x, offending)
        position = tuple(int(i) for i in np.argwhere(offending)[0])
        denominator = float(n[position] if n.ndim else n[()])
        raise ValueError(f"{x_name} must not exceed {n_name}; {first} > {n_name} = {denominator!r}")


def require_scalar_in_range(
    name: str, value: float, low: float, high: float, *, inclusive: bool = False
) -> float:
    """Check a scalar parameter lies in (low, high), or [low, high] when ``inclusive``."""
    number = float(value)
    inside = low <= number <= high if inclusive else low < number < high
    if not inside:
        brackets = ("[", "]") if inclusive else ("(", ")")
        interval = f"{brackets[0]}{low:g}, {high:g}{brackets[1]}"
        raise ValueError(f"{name} must lie in {interval}; got {value!r}")
    return number


def require_choice(name: str, value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}")
    return value
