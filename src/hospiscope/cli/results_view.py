"""`hospiscope results` output: a table on a wide terminal, a list of short blocks on a
narrow one (80 columns) or when redirected, and flat JSON objects (one per line)."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from hospiscope.cli.render import french_number

if TYPE_CHECKING:  # pandas is loaded by the commands, not by `hospiscope --help`
    import pandas as pd

DEFAULT_LIMIT = 50  # rows printed as text unless --limit says otherwise (0: all)
WIDE = 120  # below this width, results are printed as a list of blocks


def show_results(console: Console, frame: pd.DataFrame, limit: int) -> int:
    """Print at most `limit` results (all when 0); return how many were left out."""
    shown = frame if not limit else frame.head(limit)
    if console.width >= WIDE and console.is_terminal:
        console.print(_table(shown))
    else:
        for record in shown.to_dict("records"):
            console.print(_block(record), highlight=False)
    return len(frame) - len(shown)


def _table(frame: pd.DataFrame) -> Table:
    table = Table(show_edge=False)
    columns = ("Indicateur", "Période", "Niveau", "Entité", "Valeur", "IC", "Num. / dén.")
    for column in (*columns, "Classe", "Statut", "Version", "Origine"):
        table.add_column(column, no_wrap=True)
    for r in frame.to_dict("records"):
        table.add_row(
            r["indicator_code"],
            str(r["period"]),
            r["entity_kind"],
            r["entity_id"],
            french_number(_float(r["value"]), _decimals(r["value"])),
            _interval(r),
            _fraction(r),
            _text(r["class"]),
            _text(r["status"]),
            _version(r),
            r["origin"],
        )
    return table


def _block(r: dict) -> str:
    """Two lines per result, within 80 columns."""
    head = f"{r['indicator_code']} · {r['period']} · {r['entity_kind']} {r['entity_id']}"
    parts = [
        f"valeur {french_number(_float(r['value']), _decimals(r['value']))}",
        f"IC {_interval(r)}",
        f"num./dén. {_fraction(r)}",
    ]
    parts += [f"classe {r['class']}"] if _text(r["class"]) else []
    parts += [f"statut {r['status']}"] if _text(r["status"]) else []
    parts.append(_version(r))
    if r["origin"] != "calcul":
        parts.append(r["origin"])
    return head + "\n  " + " · ".join(parts)


def _interval(r: dict) -> str:
    low, high = _float(r["ci_low"]), _float(r["ci_high"])
    if low is None or high is None:
        return "—"
    decimals = _decimals(r["value"])
    return f"[{french_number(low, decimals)} ; {french_number(high, decimals)}]"


def _fraction(r: dict) -> str:
    """Numerator / denominator; an expected count (O/E) is fractional: keep its decimals."""
    num, den = _float(r["numerator"]), _float(r["denominator"])
    return f"{_count(num)} / {_count(den)}"


def _count(value: float | None) -> str:
    if value is None:
        return "—"
    if float(value).is_integer():
        return french_number(value)
    return french_number(value, 2 if abs(value) < 10 else 1)


def _decimals(value) -> int:
    """Two decimals for small values (ratios such as O/E), one otherwise."""
    number = _float(value)
    return 2 if number is not None and abs(number) < 10 else 1


def _version(r: dict) -> str:
    version = str(r["method_version"])
    text = "publié" if r["origin"] == "publie" else f"v{version}"
    return text + (" (méthode modifiée)" if r.get("method_changed") else "")


def _float(value) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def result_record(record: dict) -> dict[str, Any]:
    """A stored result as one flat JSON object: the establishment's FINESS and the campaign
    spelled out, and the details as `detail_*` fields (never JSON inside a string)."""
    clean = _jsonable(record)
    details = clean.pop("details", None)
    is_establishment = clean["entity_kind"] == "etablissement"
    campaign = str(clean["period"]).rsplit("-", 1)[-1]
    flat = {
        "finess": clean["entity_id"] if is_establishment else None,
        "indicator": clean["indicator_code"],
        "campaign": int(campaign) if campaign.isdigit() else None,
        **clean,
    }
    for key, value in (json.loads(details) if isinstance(details, str) else {}).items():
        flat[f"detail_{key}"] = value
    return flat


def _jsonable(record: dict) -> dict:
    import pandas as pd  # loaded already: the record comes from a frame

    clean = {}
    for key, value in record.items():
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif hasattr(value, "tolist"):
            value = value.tolist()
        elif (isinstance(value, float) and value != value) or value is pd.NA:
            value = None
        clean[key] = value
    return clean
