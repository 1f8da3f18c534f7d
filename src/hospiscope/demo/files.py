"""Writing the whole demo as files in the real layouts (the pipeline then imports them like
any real file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from hospiscope.catalogue.grids import load_grids
from hospiscope.demo import calibration
from hospiscope.demo.activities import eligible
from hospiscope.demo.capacity import generate_capacity, write_capacity
from hospiscope.demo.esatis import (
    ClassTarget,
    Participants,
    generate_responses,
    participants,
    write_responses,
)
from hospiscope.demo.families import DemoContext, family_modules
from hospiscope.demo.ght import FILE_NAME as GHT_FILE_NAME
from hospiscope.demo.ght import write_ght
from hospiscope.progress import NoProgress, Progress
from hospiscope.sources.esatis import participation as participation_layout
from hospiscope.sources.esatis.layout import file_name
from hospiscope.sources.esatis.participation import file_name as participation_file
from hospiscope.sources.esatis.questionnaires import QUESTIONNAIRES, Questionnaire

DEFAULT_SEED = 20_241
DEFAULT_CAMPAIGNS = (2023, 2024)


@dataclass
class DemoFiles:
    capacity: Path
    esatis: list[Path] = field(default_factory=list)
    tabular: list[tuple[str, Path]] = field(default_factory=list)  # (import command, path)
    ght: Path | None = None  # the supposed GHT composition (demo/ght.py)


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
    if "legal_status" in registry.columns:
        files.ght = write_ght(registry, capacity, directory / "ght" / GHT_FILE_NAME)
    for stream, questionnaire in zip(streams[1:], QUESTIONNAIRES.values(), strict=True):
        rng = np.random.default_rng(stream)
        people = participants(
            rng,
            capacity["finess_et"].to_numpy(),
            activity_volume(questionnaire, capacity),
            list(campaigns),
            class_target(questionnaire, max(campaigns), scale),
        )
        total = round(calibration.RESPONDENTS[questionnaire.code].value * scale)
        for campaign in campaigns:
            progress.start(f"Génération e-Satis {questionnaire.code} {campaign}", total=1)
            frame = generate_responses(rng, questionnaire, campaign, people, total)
            path = directory / "esatis" / file_name(questionnaire.code, campaign)
            files.esatis.append(write_responses(frame, path))
            files.tabular.append(
                (
                    "esatis-participation",
                    write_participation(
                        people,
                        questionnaire.code,
                        campaign,
                        directory / "esatis" / participation_file(questionnaire.code, campaign),
                    ),
                )
            )
            progress.advance()
    context = DemoContext(registry, capacity, directory, campaigns, scale, seed)
    for module in family_modules():
        progress.start(f"Génération {module.__name__.rsplit('.', 1)[-1]}", total=1)
        files.tabular += module.write_files(context)
        progress.advance()
    return files


def class_target(questionnaire: Questionnaire, campaign: int, scale: float) -> ClassTarget:
    """The published share of A/B establishments, under the grid of the campaign."""
    grids = [g for g in load_grids("esatis")[questionnaire.code] if str(campaign) in g.periods]
    grid = (
        grids[0]
        if grids
        else next(g for g in load_grids("esatis")[questionnaire.code] if not g.periods)
    )
    threshold = next(band.lower for band in grid.bands if band.code == "B")
    respondents = round(calibration.RESPONDENTS[questionnaire.code].value * scale)
    return ClassTarget(
        calibration.overall_score(questionnaire, campaign),
        threshold,
        calibration.CLASS_AB_SHARE[questionnaire.code].value,
        respondents,
    )


def write_participation(
    people: Participants, questionnaire: str, campaign: int, path: Path
) -> Path:
    """The participation file of a campaign: every eligible establishment, NR and NV marked."""
    frame = (
        pl.DataFrame({"finess": people.eligible})
        .with_columns(
            campagne=pl.lit(campaign),
            questionnaire=pl.lit(questionnaire),
            participation=pl.when(pl.col("finess").is_in(people.not_participating.tolist()))
            .then(pl.lit("non"))
            .otherwise(pl.lit("oui")),
            depot_valide=pl.when(pl.col("finess").is_in(people.not_validated.tolist()))
            .then(pl.lit("non"))
            .otherwise(pl.lit("oui")),
        )
        .select(participation_layout.HEADER)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_csv(path, separator=";", include_bom=True, line_terminator="\r\n")
    return path


def activity_volume(questionnaire: Questionnaire, capacity: pl.DataFrame) -> np.ndarray:
    """Activity proxy deciding who takes part in a questionnaire and how many of its patients
    answer (hypothèse hospiscope): MCO beds; ambulatory places plus a fifth of MCO beds; SMR
    beds — zero where the establishment lacks the activity (activities.py)."""
    beds = capacity["beds_mco"].fill_null(0).to_numpy().astype(float)
    places = capacity["places_mco"].fill_null(0).to_numpy().astype(float)
    volume = {
        "mco48h": beds,
        "ca": places + 0.2 * beds,
        "smr": capacity["beds_smr"].fill_null(0).to_numpy().astype(float),
    }[questionnaire.code]
    return np.where(eligible(capacity, f"esatis:{questionnaire.code}").to_numpy(), volume, 0.0)
