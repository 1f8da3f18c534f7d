"""Application services: the operations the CLI (and later the web and API) offer, each
composed from the lower layers. Every import is one transaction (see warehouse.imports)."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from hospiscope.demo.files import DEFAULT_CAMPAIGNS, DEFAULT_SEED, write_demo_files
from hospiscope.peers import refresh_peer_groups
from hospiscope.progress import NoProgress, Progress
from hospiscope.results.compute import Computation, compute_indicators
from hospiscope.sources.families import tabular_imports
from hospiscope.warehouse import Warehouse
from hospiscope.warehouse.bqss import bqss_writer
from hospiscope.warehouse.esatis import esatis_writer
from hospiscope.warehouse.ght import ght_writer
from hospiscope.warehouse.imports import ImportOutcome, run_import
from hospiscope.warehouse.published import published_writer
from hospiscope.warehouse.registry import registry_writer
from hospiscope.warehouse.tabular import table_writer


def bundled_registry() -> Path:
    """The FINESS extract shipped with hospiscope (Eurostat GISCO, Licence Ouverte)."""
    return Path(
        str(
            resources.files("hospiscope.data")
            .joinpath("registry")
            .joinpath("finess-gisco-FR-2020.csv")
        )
    )


def import_registry(
    warehouse: Warehouse, path: Path, *, skip_invalid: bool = False, all_categories: bool = False
) -> ImportOutcome:
    """A FINESS file (layout detected); the registry scope only (health establishments and
    army hospitals, sources/finess/scope.py) unless `all_categories`;
    peer groups are refreshed in the same transaction."""
    writer = registry_writer(path, skip_invalid=skip_invalid, all_categories=all_categories)
    return run_import(
        warehouse,
        "registry",
        path,
        writer,
        after_write=refresh_peer_groups,
        options={"skip_invalid": skip_invalid, "all_categories": all_categories},
    )


def import_capacity(
    warehouse: Warehouse, path: Path, *, skip_invalid: bool = False
) -> ImportOutcome:
    """A capacity file; size groups depend on it, so peer groups are refreshed too."""
    return import_tabular(warehouse, "capacity", path, skip_invalid=skip_invalid)


def import_tabular(
    warehouse: Warehouse,
    command: str,
    path: Path,
    *,
    skip_invalid: bool = False,
    replace: bool = False,
) -> ImportOutcome:
    """A file of one of the declared tabular layouts (sources.families); `replace`: the file
    corrects the one imported for the same campaign (warehouse/replacement.py)."""
    entry = tabular_imports()[command]
    writer = table_writer(
        path,
        entry.layout,
        entry.table,
        skip_invalid=skip_invalid,
        scope=entry.scope,
        replace=replace,
    )
    refresh = refresh_peer_groups if entry.table == "capacity" else None
    return run_import(
        warehouse,
        entry.kind,
        path,
        writer,
        after_write=refresh,
        options={"skip_invalid": skip_invalid, "replace": replace},
    )


def import_ght(
    warehouse: Warehouse, path: Path, *, skip_invalid: bool = False, origin: str = "import"
) -> ImportOutcome:
    """A GHT composition file (sources/ght.py): it replaces the stored composition whole.
    `origin`: `hypothese_demo` for the composition the demo supposes."""
    writer = ght_writer(path, origin=origin, skip_invalid=skip_invalid)
    return run_import(
        warehouse,
        "ght",
        path,
        writer,
        options={"skip_invalid": skip_invalid, "origin": origin},
    )


def import_published_results(
    warehouse: Warehouse,
    path: Path,
    *,
    campaign: int | None = None,
    questionnaire: str | None = None,
    skip_invalid: bool = False,
    replace: bool = False,
) -> ImportOutcome:
    """A HAS open-data e-Satis results file (published layout), as results of origin
    "publie"."""
    writer = published_writer(
        path,
        campaign=campaign,
        questionnaire=questionnaire,
        skip_invalid=skip_invalid,
        replace=replace,
    )
    return run_import(
        warehouse,
        "esatis_resultats_publies",
        path,
        writer,
        options={
            "skip_invalid": skip_invalid,
            "campaign": campaign,
            "questionnaire": questionnaire,
            "replace": replace,
        },
    )


def import_bqss(
    warehouse: Warehouse, path: Path, *, skip_invalid: bool = False, replace: bool = False
) -> ImportOutcome:
    """One file of HAS's BQSS open data (values, metadata or establishments, detected): mapped
    keys become results of origin "publie" (catalogue/bqss_mapping.yaml); a corrected values
    file replaces the published results of its indicators and years only with `replace`."""
    from hospiscope.catalogue.bqss import load_mapping

    writer = bqss_writer(path, load_mapping(), skip_invalid=skip_invalid, replace=replace)
    return run_import(
        warehouse,
        "bqss",
        path,
        writer,
        options={"skip_invalid": skip_invalid, "replace": replace},
    )


def import_esatis(
    warehouse: Warehouse,
    path: Path,
    *,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    replace: bool = False,
) -> ImportOutcome:
    writer = esatis_writer(path, skip_invalid=skip_invalid, progress=progress, replace=replace)
    return run_import(
        warehouse,
        "esatis_responses",
        path,
        writer,
        options={"skip_invalid": skip_invalid, "replace": replace},
    )


@dataclass
class DemoBuild:
    directory: Path
    imports: list[ImportOutcome] = field(default_factory=list)
    computation: Computation | None = None


def build_demo(
    warehouse: Warehouse,
    directory: Path,
    *,
    seed: int = DEFAULT_SEED,
    scale: float = 1.0,
    campaigns: tuple[int, ...] = DEFAULT_CAMPAIGNS,
    progress: Progress | None = None,
) -> DemoBuild:
    """The national demo: the bundled registry, demo capacities, a supposed GHT composition and
    e-Satis responses written as files in the real layouts, imported like real files, then
    every indicator computed."""
    progress = progress or NoProgress()
    build = DemoBuild(directory)
    build.imports.append(import_registry(warehouse, bundled_registry()))
    registry = warehouse.con.sql(
        "SELECT finess_et, name, category_code, legal_status, region_code FROM establishments "
        "ORDER BY finess_et"
    ).pl()
    files = write_demo_files(
        registry, directory, seed=seed, scale=scale, campaigns=campaigns, progress=progress
    )
    build.imports.append(import_capacity(warehouse, files.capacity))
    if files.ght:  # until a real list is imported (`hospiscope import ght`)
        build.imports.append(import_ght(warehouse, files.ght, origin="hypothese_demo"))
    for command, path in files.tabular:
        build.imports.append(import_tabular(warehouse, command, path))
    for path in files.esatis:
        build.imports.append(import_esatis(warehouse, path, progress=progress))
    build.computation = compute_indicators(warehouse, progress=progress)
    return build
