"""docs/catalogue/: one page per indicator (metadata, assumptions, review record, the SQL that
runs), an index, and the lever catalogue (leviers.md, from catalogue/levers/levers.yaml),
generated from the definition files. Lives above `results` because the
SQL is compiled by the fingerprint (results.fingerprint.compile_method) against the schema of
a fresh, empty warehouse: the page shows exactly what runs and is fingerprinted.

    python -m hospiscope.reports.catalogue_docs            # rewrite docs/catalogue/
    python -m hospiscope.reports.catalogue_docs --check    # exit 1 if a page is stale

tests/unit/catalogue/test_catalogue_docs.py fails when the pages are stale.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from hospiscope.catalogue import catalogue
from hospiscope.catalogue.levers.docs import PAGE as LEVERS_PAGE
from hospiscope.catalogue.levers.docs import render_levers
from hospiscope.catalogue.loader import definition_files, load_meta
from hospiscope.catalogue.pages import indicator_page, render_index, render_markdown
from hospiscope.results.fingerprint import compile_method, unbound_inputs
from hospiscope.warehouse import Warehouse

DOCS = Path(__file__).resolve().parents[3] / "docs" / "catalogue"


def compiled_sql() -> dict[str, dict[str, str | None]]:
    """{code: compute SQL, prepare SQL, definition hash} on an empty warehouse's schema."""
    indicators = list(catalogue().values())
    with (
        tempfile.TemporaryDirectory(prefix="catalogue-") as work,
        Warehouse(Path(work) / "vide.duckdb") as wh,
    ):
        inputs = unbound_inputs(indicators, wh.con)
        methods = {i.code: compile_method(i, wh.con, inputs) for i in indicators}
    return {
        code: {
            "compute": m.compute_sql,
            "prepare": m.prepare_sql,
            "definition_hash": m.definition_hash,
        }
        for code, m in methods.items()
    }


def catalogue_pages(with_sql: bool = True) -> list[dict[str, Any]]:
    """The structured page of every indicator, sorted by code (the portal's input too)."""
    sql = compiled_sql() if with_sql else {}
    metas = [(load_meta(path), path) for path in definition_files()]
    pages = [indicator_page(meta, path, sql.get(meta.code)) for meta, path in metas]
    return sorted(pages, key=lambda page: page["code"])


def rendered() -> dict[str, str]:
    """{file name: Markdown} of docs/catalogue/."""
    pages = catalogue_pages()
    files = {f"{page['code']}.md": render_markdown(page) for page in pages}
    files["README.md"] = render_index(pages)
    files[LEVERS_PAGE] = render_levers()
    return files


def stale(directory: Path = DOCS) -> list[str]:
    """Files of `directory` that differ from what the definitions give (missing, changed or
    left over)."""
    wanted = rendered()
    present = {p.name for p in directory.glob("*.md")} if directory.exists() else set()
    changed = [
        name
        for name, text in wanted.items()
        if name not in present or (directory / name).read_text("utf-8") != text
    ]
    return sorted(changed + [name for name in present if name not in wanted])


def write(directory: Path = DOCS) -> int:
    directory.mkdir(parents=True, exist_ok=True)
    wanted = rendered()
    for old in directory.glob("*.md"):
        if old.name not in wanted:
            old.unlink()
    for name, text in wanted.items():
        (directory / name).write_text(text, "utf-8")
    return len(wanted)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a page is stale")
    parser.add_argument("--out", type=Path, default=DOCS)
    args = parser.parse_args(argv)
    if args.check:
        if found := stale(args.out):
            print(f"pages périmées dans {args.out} : {', '.join(found)}", file=sys.stderr)
            return 1
        return 0
    print(f"{write(args.out)} pages écrites dans {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
