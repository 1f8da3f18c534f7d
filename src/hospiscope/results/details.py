"""Finalisation, step 6: the JSON `details` of every row — the finish's own details, then
what the other steps found (evolution, change, positions), in that key order."""

from __future__ import annotations

import json
from collections.abc import Callable


def details_json(given, *extras: list[dict | None]) -> list[str | None]:
    """The JSON `details` of each row: the finish's own details updated by each extra in turn
    (so keys keep that order), or None when there is nothing to say."""
    entries = [dict(base) if isinstance(base, dict) else {} for base in given]
    for extra in extras:
        for entry, more in zip(entries, extra, strict=True):
            if more:
                entry.update(more)
    encode = json_encoder()
    return [encode(entry) if entry else None for entry in entries]


def json_encoder() -> Callable[[object], str]:
    """`json.dumps(·, ensure_ascii=False)` for many small entries: one encoder for all
    (`dumps` builds a new one on every call)."""
    return json.JSONEncoder(ensure_ascii=False).encode
