"""Writing the whole demo as files in the real layouts (the pipeline then imports them like
any real file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from hospiscope.demo import calibration
from hospiscope.demo.capacity import generate_capacity, write_capacity
from hospiscope.demo.esatis import generate_responses, participants, write_responses
from hospiscope.demo.families import DemoContext, family_modules
from hospiscope.progress import NoProgress, Progress
from hospiscope.sources.esatis.layout import file_name
from hospiscope.sources.esatis.questionnaires import QUESTIONNAIRES, Questionnaire

DEFAULT_SEED = 20_241
DEFAULT_CAMPAIGNS = (2023, 2024)


@dataclass
class DemoFiles:
    capacity: Path
    esatis: list[Path] = field(default_factory=list)
    tabular: list[tuple[str, Path]] = field(default_factory=list)  # (import command, path)


def write_demo_files(
    registry: pl.DataFrame,
    directory: Path,
    *,
    seed: int = DEFAULT_SEED,
    scale: float = 1.0,
    campaigns: tuple[int, ...] = DEFAULT_CAMPAIGNS,
    progress: Progress | None = None,
) -> DemoFiles:
    """Capacities (year before the last campaign) and e-Satis responses of every questionnaire
    and campaign, for the establishments of `registry` (finess_et, category_code). Same seed,
    same files: each part has its own random stream."""
    progress = progress or NoProgress()
    streams = np.random.SeedSequence(seed).spawn(1 + len(QUESTIONNAIRES))
    year = max(campaigns) - 1
    capacity = generate_capacity(np.random.default_rng(streams[0]), registry, year)
    files = DemoFiles(write_capacity(capacity, directory / f"capacites-{year}.csv"))
    for stream, questionnaire in zip(streams[1:], QUESTIONNAIRES.values(), strict=True):
        rng = np.random.default_rng(stream)
        people = participants(
            rng,
            capacity["finess_et"].to_numpy(),
            activity_volume(questionnaire, capacity),
            list(campaigns),
        )
        total = round(calibration.RESPONDENTS[questionnaire.code].value * scale)
        for campaign in campaigns:
            progress.start(f"Génération e-Satis {questionnaire.code} {campaign}", total=1)
            frame = generate_responses(rng, questionnaire, campaign, people, total)
            path = directory / "esatis" / file_name(questionnaire.code, campaign)
            files.esatis.append(write_responses(frame, path))
            progress.advance()
    context = DemoContext(registry, capacity, directory, campaigns, scale, seed)
    for module in family_modules():
        progress.start(f"Génération {module.__name__.rsplit('.', 1)[-1]}", total=1)
        files.tabular += module.write_files(context)
        progress.advance()
    return files


def activity_volume(questionnaire: Questionnaire, capacity: pl.DataFrame) -> np.ndarray:
    """Activity proxy deciding who takes part in a questionnaire and how many of its patients
    answer (hypothèse hospiscope): MCO beds; ambulatory places plus a fifth of MCO beds where
    the establishment does ambulatory surgery; SMR beds."""
    beds = capacity["beds_mco"].fill_null(0).to_numpy().astype(float)
    places = capacity["places_mco"].fill_null(0).to_numpy().astype(float)
    if questionnaire.code == "mco48h":
        return beds
    if questionnaire.code == "ca":
        return np.where(capacity["surgery"].to_numpy(), places + 0.2 * beds, 0.0)
    return capacity["beds_smr"].fill_null(0).to_numpy().astype(float)
