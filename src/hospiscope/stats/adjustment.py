"""Case-mix adjustment by a linear model fitted on cell sums (indirect standardisation).

Patients are grouped into cells of categorical case-mix variables (age band, sex, …). A
linear model of the individual score on the variables' indicator (dummy) columns, fitted by
least squares on the individuals, is the weighted least-squares fit of the cell means with the
cell sizes as weights — so engines only need, per entity and cell, the count and the sum of
scores. For an entity (establishment, region…):

    expected = Σ_cells n_c · ŷ_c / Σ n_c          (its patients at national performance)
    adjusted = observed − expected + national mean

which is the patient-mix adjustment of patient-experience surveys (e.g. CMS HCAHPS:
O'Malley AJ et al., Health Serv Res 2005;40:2162–81). The national adjusted value equals the
national observed mean.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class LinearAdjustment:
    """A fitted case-mix model: coefficients by column ("constante", "variable=niveau")."""

    variables: tuple[str, ...]
    coefficients: dict[str, float]
    references: dict[str, str]  # the level of each variable absorbed by the constant
    individuals: float
    national_mean: float
    explained_share: float  # share of the variance of cell means explained (weighted R²)

    def predict(self, cells: pd.DataFrame) -> np.ndarray:
        """Predicted mean score of each cell (unknown levels count as the reference)."""
        predicted = np.full(len(cells), self.coefficients["constante"])
        for variable in self.variables:
            levels = cells[variable].astype(str).to_numpy()
            for level in np.unique(levels):
                beta = self.coefficients.get(f"{variable}={level}", 0.0)
                predicted[levels == level] += beta
        return predicted


def fit_linear_adjustment(
    cells: pd.DataFrame, variables: tuple[str, ...], *, count: str = "n", total: str = "total"
) -> LinearAdjustment:
    """Fit score ~ variables on national cell sums (`count` individuals, `total` = Σ scores).

    The reference level of each variable is its most frequent one. Cells with no individual
    are ignored; a variable with a single level contributes nothing.
    """
    cells = cells[cells[count] > 0]
    if cells.empty:
        raise ValueError("no individual to fit the case-mix model on")
    weights = cells[count].to_numpy(dtype=float)
    means = cells[total].to_numpy(dtype=float) / weights
    columns, names, references = [np.ones(len(cells))], ["constante"], {}
    for variable in variables:
        # Levels in sorted order with their weights, as a sorted groupby sums them (the
        # weights are counts: exact in any order), without its cost (~1 ms per variable).
        codes, levels = pd.factorize(cells[variable].astype(str), sort=True)
        present = codes >= 0  # a missing level belongs to no group, as in groupby
        frequency = np.bincount(codes[present], weights[present], minlength=len(levels))
        reference = int(np.argmax(frequency))  # the first of the most frequent, as idxmax
        references[variable] = str(levels[reference])
        for code, level in enumerate(levels):
            if code != reference:
                columns.append((codes == code).astype(float))
                names.append(f"{variable}={level}")
    design = np.column_stack(columns)
    root = np.sqrt(weights)
    beta, *_ = np.linalg.lstsq(design * root[:, None], means * root, rcond=None)
    fitted = design @ beta
    national = float(np.sum(weights * means) / np.sum(weights))
    total_ss = float(np.sum(weights * (means - national) ** 2))
    explained = float(np.sum(weights * (fitted - national) ** 2))
    return LinearAdjustment(
        variables=tuple(variables),
        coefficients={name: float(b) for name, b in zip(names, beta, strict=True)},
        references=references,
        individuals=float(np.sum(weights)),
        national_mean=national,
        explained_share=explained / total_ss if total_ss > 0 else 0.0,
    )


def adjust(observed: np.ndarray, expected: np.ndarray, national_mean: float) -> np.ndarray:
    """Indirectly standardised score: observed − expected + national mean."""
    return np.asarray(observed, dtype=float) - np.asarray(expected, dtype=float) + national_mean
