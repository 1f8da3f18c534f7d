"""Application services: the operations the CLI (and later the web and API) offer, each
composed from the lower layers. Every import is one transaction (see warehouse.imports)."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import polars as pl

from hospiscope.demo.capacity import generate_capacity, write_capacity
from hospiscope.demo.esatis import generate_responses, participants, write_responses
from hospiscope.demo import calibration
from hospiscope.peers import refresh_peer_groups
from hospiscope.progress import NoProgress, Progress
from hospiscope.results.compute import Computation, compute_indicators
from hospiscope.sources.esatis.layout import file_name
from hospiscope.sources.esatis.questionnaires import QUESTIONNAIRES
from hospiscope.warehouse import Warehouse
from hospiscope.warehouse.capacity import capacity_writer
from hospiscope.warehouse.esatis import esatis_writer
from hospiscope.warehouse.imports import ImportOutcome, run_import
from hospiscope.warehouse.registry import registry_writer

DEFAULT_SEED = 20_241
DEFAULT_CAMPAIGNS = (2023, 2024)


def bundled_registry() -> Path:
    """The FINESS extract shipped with hospiscope (Eurostat GISCO, Licence Ouverte)."""
    return Path(str(resources.files("hospiscope.data").joinpath("registry").joinpath(
        "finess-gisco-FR-2020.csv")))


def import_registry(warehouse: Warehouse, path: Path, *, skip_invalid: bool = False) -> ImportOutcome:
    return run_import(warehouse, "registry", path, registry_writer(path, skip_invalid=skip_invalid),
                      options={"skip_invalid": skip_invalid}, after_write=refresh_peer_groups)


def import_capacity(warehouse: Warehouse, path: Path, *, skip_invalid: bool = False) -> ImportOutcome:
    return run_import(warehouse, "capacity", path, capacity_writer(path, skip_invalid=skip_invalid),
                      options={"skip_invalid": skip_invalid}, after_write=refresh_peer_groups)


def import_esatis(warehouse: Warehouse, path: Path, *, skip_invalid: bool = False,
                  progress: Progress | None = None) -> ImportOutcome:
    writer = esatis_writer(path, skip_invalid=skip_invalid, progress=progress)
    return run_import(warehouse, "esatis_responses", path, writer,
                      options={"skip_invalid": skip_invalid})


@dataclass
class DemoBuild:
    directory: Path
    imports: list[ImportOutcome] = field(default_factory=list)
    computation: Computation | None = None


def build_demo(warehouse: Warehouse, directory: Path, *, seed: int = DEFAULT_SEED,
               scale: float = 1.0, campaigns: tuple[int, ...] = DEFAULT_CAMPAIGNS,
               progress: Progress | None = None) -> DemoBuild:
    """The national demo: the bundled registry, demo capacities and e-Satis responses written
    as files in the real layouts, imported like real files, then every indicator computed."""
    progress = progress or NoProgress()
    build = DemoBuild(directory)
    build.imports.append(import_registry(warehouse, bundled_registry()))
    seeds = np.random.SeedSequence(seed).spawn(1 + len(QUESTIONNAIRES))
    registry = warehouse.con.sql("SELECT finess_et, category_code FROM establishments "
                                 "ORDER BY finess_et").pl()
    capacity = generate_capacity(np.random.default_rng(seeds[0]), registry, max(campaigns) - 1)
    capacity_file = write_capacity(capacity, directory / f"capacites-{max(campaigns) - 1}.csv")
    build.imports.append(import_capacity(warehouse, capacity_file))
    for stream, questionnaire in zip(seeds[1:], QUESTIONNAIRES.values(), strict=True):
        for path in _write_esatis(np.random.default_rng(stream), questionnaire, capacity,
                                  directory, scale, campaigns, progress):
            build.imports.append(import_esatis(warehouse, path, progress=progress))
    build.computation = compute_indicators(warehouse, progress=progress)
    return build


def _write_esatis(rng, questionnaire, capacity: pl.DataFrame, directory: Path, scale: float,
                  campaigns: tuple[int, ...], progress: Progress) -> list[Path]:
    finess = capacity["finess_et"].to_numpy()
    volume = _volume(questionnaire.code, capacity)
    people = participants(rng, finess, volume, list(campaigns))
    total = round(calibration.RESPONDENTS[questionnaire.code].value * scale)
    paths = []
    for campaign in campaigns:
        progress.start(f"Génération e-Satis {questionnaire.code} {campaign}", total=1)
        frame = generate_responses(rng, questionnaire, campaign, people, total)
        paths.append(write_responses(frame, directory / "esatis" / file_name(
            questionnaire.code, campaign)))
        progress.advance()
    return paths


def _volume(code: str, capacity: pl.DataFrame) -> np.ndarray:
    """Activity proxy deciding who takes part and how many patients answer (hypothèse)."""
    beds = capacity["beds_mco"].fill_null(0).to_numpy().astype(float)
    places = capacity["places_mco"].fill_null(0).to_numpy().astype(float)
    if code == "mco48h":
        return beds
    if code == "ca":
        return np.where(capacity["surgery"].to_numpy(), places + 0.2 * beds, 0.0)
    return capacity["beds_smr"].fill_null(0).to_numpy().astype(float)
