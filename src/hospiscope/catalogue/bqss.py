"""The BQSS key mapping (bqss_mapping.yaml): loaded, checked against the catalogue, and
rendered as the documentation table of docs/formats/bqss-cles.md (a test keeps it fresh)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

from hospiscope.catalogue.registry import catalogue
from hospiscope.sources.bqss.mapping import FIELDS, PERIODS, Decision, KeyMapping, Mapping
from hospiscope.sources.bqss.types import COLUMNS_OF_TYPE

# Fields whose values are text (classes, statuses) or codes.
_TYPES_OF_FIELD = {
    "class": ("string", "classe"),
    "status": ("string", "classe"),
    "decision": ("integer", "int"),
    "decision_date": ("date",),
}
DOC_TITLE = "# BQSS keys read by hospiscope"


def _raw() -> dict:
    text = resources.files("hospiscope.catalogue").joinpath("bqss_mapping.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=1)
def load_mapping() -> Mapping:
    """The mapping, or ValueError naming the first inconsistent key."""
    raw = _raw()
    known = catalogue()
    keys = {}
    for key, entry in raw["keys"].items():
        mapping = KeyMapping(
            key=key,
            indicator=entry["indicator"],
            field=entry["field"],
            type=entry["type"],
            label=entry["label"],
            period=entry.get("period", "year"),
            attested=bool(entry.get("attested", False)),
            source=entry.get("source", ""),
            codes=_codes(known.get(entry["indicator"]), entry["field"]),
        )
        _check(mapping, known)
        keys[key] = mapping
    decisions = {
        d["code"]: Decision(int(d["code"]), d["class"], int(d["rank"]))
        for d in raw.get("decisions", [])
    }
    return Mapping(keys, dict(raw.get("missing_values", {})), decisions)


def _codes(indicator, part: str) -> tuple[str, ...]:
    """The classes (every grid's bands and the class labels) or statuses of an indicator."""
    if indicator is None or part not in ("class", "status"):
        return ()
    meta = indicator.meta
    if part == "status":
        return tuple(s.code for s in meta.statuses)
    codes = [b.code for grid in meta.class_grids for b in grid.bands]
    codes += [code for code, _ in meta.class_labels]
    return tuple(dict.fromkeys(codes))


def _check(mapping: KeyMapping, known: dict) -> None:
    problem = None
    if mapping.indicator not in known:
        problem = f"indicateur inconnu {mapping.indicator}"
    elif mapping.field not in FIELDS:
        problem = f"champ inconnu {mapping.field}"
    elif mapping.type not in COLUMNS_OF_TYPE:
        problem = f"type inconnu {mapping.type}"
    elif mapping.period not in PERIODS:
        problem = f"période inconnue {mapping.period}"
    elif mapping.field in _TYPES_OF_FIELD and mapping.type not in _TYPES_OF_FIELD[mapping.field]:
        problem = f"type {mapping.type} impossible pour le champ {mapping.field}"
    if problem:
        raise ValueError(f"bqss_mapping.yaml, clé {mapping.key} : {problem}")


def mapping_markdown() -> str:
    """docs/formats/bqss-cles.md, generated from the mapping (`python -m
    hospiscope.catalogue.bqss > docs/formats/bqss-cles.md`)."""
    mapping = load_mapping()
    lines = [
        DOC_TITLE,
        "",
        "Generated from `src/hospiscope/catalogue/bqss_mapping.yaml` by "
        "`python -m hospiscope.catalogue.bqss`; do not edit by hand. Layout and sources: "
        "[formats.md](../formats.md#bqss-hospiscope-import-bqss-file).",
        "",
        f"Source: {_raw()['source']}",
        "",
        "| key | type | indicator | field | period | attested | label |",
        "|---|---|---|---|---|---|---|",
    ]
    for m in mapping.keys.values():
        attested = f"yes ({m.source})" if m.attested else "no (hypothèse hospiscope)"
        lines.append(
            f"| `{m.key}` | {m.type} | `{m.indicator}` | {m.field} | {m.period} | "
            f"{attested} | {m.label} |"
        )
    lines += ["", "`missing_value` labels read as statuses:", ""]
    lines += [f"- « {label} » → {status}" for label, status in mapping.missing_values.items()]
    lines += ["", "Certification decision codes (`field: decision`):", ""]
    lines += [f"- {d.code} → `{d.klass}` (rank {d.rank})" for d in mapping.decisions.values()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(mapping_markdown(), end="")
