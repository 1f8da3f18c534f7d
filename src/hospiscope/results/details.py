"""Finalisation, step 6: the JSON `details` of every row — the finish's own details, then
what the other steps found (evolution, change, positions), in that key order."""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import c_make_encoder, encode_basestring


def details_json(given, *extras: list[dict | None]) -> list[str | None]:
    """The JSON `details` of each row: the finish's own details updated by each extra in turn
    (so keys keep that order), or None when there is nothing to say."""
    # Most rows have nothing from most steps: an entry is made only where there is something
    # to say (an empty dict per row and step cost more than the encoding).
    entries = [dict(base) if isinstance(base, dict) and base else None for base in given]
    for extra in extras:
        if len(extra) != len(entries):
            raise ValueError("an extra must have one entry per row")
        for row, more in enumerate(extra):
            if more:
                entry = entries[row]
                if entry is None:
                    entries[row] = dict(more)
                else:
                    entry.update(more)
    encode = json_encoder()
    return [None if entry is None else encode(entry) for entry in entries]


def json_encoder() -> Callable[[object], str]:
    """`json.dumps(·, ensure_ascii=False)` for many small entries: one C encoder for all
    (`dumps` and `JSONEncoder.encode` build a new one on every call, a third of the cost)."""
    if c_make_encoder is None:  # no C accelerator: the standard path
        return json.JSONEncoder(ensure_ascii=False).encode
    standard = json.JSONEncoder(ensure_ascii=False)
    markers: dict = {}  # the circular check's containers being encoded: empty between calls
    chunks = c_make_encoder(
        markers,
        standard.default,
        encode_basestring,  # ensure_ascii=False
        standard.indent,
        standard.key_separator,
        standard.item_separator,
        standard.sort_keys,
        standard.skipkeys,
        standard.allow_nan,
    )

    def encode(entry: object) -> str:
        try:
            return "".join(chunks(entry, 0))
        except BaseException:
            markers.clear()  # a failed call may leave its containers behind
            raise

    return encode
