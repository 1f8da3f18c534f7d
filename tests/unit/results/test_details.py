"""Finalisation step 6: the JSON details, the finish's own keys first."""

import json

import numpy as np
import pytest

from hospiscope.results.details import details_json, json_encoder


def test_the_finish_details_come_first_then_each_extra_in_turn():
    given = [{"note": "é", "evolution": "finish"}, None, "not a dict"]
    first = [{"evolution": "changes", "a": 1}, None, None]
    second = [{"b": 2}, None, {}]
    out = details_json(given, first, second)
    assert out[0] == '{"note": "é", "evolution": "changes", "a": 1, "b": 2}'
    assert out[1] is None and out[2] is None  # nothing to say: NULL, not "{}"
    assert json.loads(out[0]) == {"note": "é", "evolution": "changes", "a": 1, "b": 2}


def test_the_given_entries_are_not_modified():
    given = [{"note": 1}]
    details_json(given, [{"more": 2}])
    assert given == [{"note": 1}]


@pytest.mark.parametrize(
    "entry",
    [
        {"a": 1.5, "b": None, "c": True, "é": "« à »"},
        {"nan": float("nan"), "inf": float("-inf"), "n": np.float64(0.1) * 3},
        {"nested": {"x": [1, 2, {"y": "z"}]}, "empty": {}, 3: "int key"},
        {"quote": 'a "b" \\ c\n\u2028\x00'},
    ],
)
def test_json_encoder_writes_what_json_dumps_writes(entry):
    encode = json_encoder()
    assert encode(entry) == json.dumps(entry, ensure_ascii=False)
    assert encode(entry) == json.dumps(entry, ensure_ascii=False)  # reusable


def test_json_encoder_still_rejects_circular_entries():
    entry: dict = {}
    entry["self"] = entry
    with pytest.raises(ValueError, match="Circular"):
        json_encoder()(entry)


def test_json_encoder_is_still_usable_after_a_failed_call():
    encode, entry = json_encoder(), {"list": []}
    entry["list"].append(entry)
    with pytest.raises(ValueError, match="Circular"):
        encode(entry)
    shared = {"x": 1}
    assert encode({"a": shared, "b": shared}) == '{"a": {"x": 1}, "b": {"x": 1}}'
