"""The catalogue's metadata read as data, without importing any computation.

Every definition file `definitions/<name>.py` holds a literal `META = {...}`. Its key
"defaults" names a literal of its family module (e.g. "_audits.DEFAULTS"), merged under it:
the family's levels, statuses, CI method, minimum sample… A file may override a default with
another value, never repeat it. A string `class_grids` names grids kept as YAML
("grids/esatis.yaml#mco48h"). The merged literal is validated by `IndicatorMeta`; any error
names the file.

Both literals are read with `ast.literal_eval` from the source text, never imported, so
readers of labels (the summary, `hospiscope indicators`, the catalogue pages) load the whole
catalogue without Ibis, pandas or the statistics. The definition modules build their
metadata with the same function (`indicator_meta(META, __file__)`), so the catalogue and this
loader cannot disagree.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hospiscope.catalogue.grids import load_grids
from hospiscope.catalogue.lookup import find
from hospiscope.catalogue.meta import IndicatorMeta

DEFINITIONS = Path(__file__).parent / "definitions"
GRIDS_PREFIX = "grids/"


class MetadataError(ValueError):
    """A definition's metadata that cannot be read or is invalid (the message names the
    file)."""


def definition_files() -> list[Path]:
    """One file per indicator; files starting with `_` are family modules."""
    return sorted(p for p in DEFINITIONS.glob("*.py") if not p.name.startswith("_"))


def where(path: Path) -> str:
    """The file as a reviewer finds it (relative to the package source)."""
    path = Path(path)
    try:
        return str(path.relative_to(DEFINITIONS.parents[3]))
    except ValueError:
        return str(path)


def read_literal(path: Path, name: str) -> dict[str, Any]:
    """The module-level literal dict `name = {...}` of `path`, read without importing it."""
    tree = ast.parse(Path(path).read_text("utf-8"), filename=str(path))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            try:
                value = ast.literal_eval(node.value)
            except ValueError as error:
                raise MetadataError(
                    f"{where(path)}, line {node.lineno}: {name} must be a plain literal "
                    f"(no names, calls or f-strings): {error}"
                ) from None
            if not isinstance(value, dict):
                raise MetadataError(f"{where(path)}, line {node.lineno}: {name} is not a dict")
            return value
    raise MetadataError(f"{where(path)}: no literal {name} = {{...}}")


@cache
def _defaults(reference: str) -> dict[str, Any]:
    module, _, name = reference.partition(".")
    path = DEFINITIONS / f"{module}.py"
    if not module.startswith("_") or not name or not path.exists():
        raise MetadataError(f"unknown family defaults {reference!r} (expected '_family.NAME')")
    return read_literal(path, name)


def merged(literal: dict[str, Any], path: Path) -> dict[str, Any]:
    """The literal with its family's defaults under it and its grids resolved."""
    own = dict(literal)
    reference = own.pop("defaults", None)
    base = dict(_defaults(reference)) if reference else {}
    if repeated := sorted(k for k in own if k in base and own[k] == base[k]):
        raise MetadataError(f"{where(path)}: repeats the defaults of {reference}: {repeated}")
    fields = base | own
    grids = fields.get("class_grids")
    if isinstance(grids, str):
        fields["class_grids"] = _grids(grids, path)
    return fields


def _grids(reference: str, path: Path):
    file, _, key = reference.removeprefix(GRIDS_PREFIX).partition("#")
    try:
        return load_grids(file.removesuffix(".yaml"))[key]
    except (FileNotFoundError, KeyError):
        raise MetadataError(f"{where(path)}: unknown class grids {reference!r}") from None


def indicator_meta(literal: dict[str, Any], path: str | Path) -> IndicatorMeta:
    """The validated metadata of the definition file `path` whose `META` is `literal`."""
    path = Path(path)
    try:
        return IndicatorMeta.model_validate(merged(literal, path))
    except ValidationError as error:
        raise MetadataError(f"{where(path)}: invalid metadata: {error}") from None


@cache
def load_meta(path: Path) -> IndicatorMeta:
    return indicator_meta(read_literal(path, "META"), path)


@cache
def catalogue_meta() -> dict[str, IndicatorMeta]:
    """{code: metadata} of every definition file, sorted by code."""
    found: dict[str, IndicatorMeta] = {}
    origin: dict[str, Path] = {}
    for path in definition_files():
        meta = load_meta(path)
        if meta.code in found:
            raise MetadataError(
                f"{where(path)}: code {meta.code} already defined in {where(origin[meta.code])}"
            )
        found[meta.code], origin[meta.code] = meta, path
    return dict(sorted(found.items()))


def get_meta(code: str) -> IndicatorMeta:
    """The metadata of `code` (case does not matter), or UnknownIndicator with the closest
    codes."""
    return find(code, catalogue_meta())
