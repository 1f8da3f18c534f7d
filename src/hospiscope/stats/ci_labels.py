"""The one label of each confidence-interval method, by its catalogue code (`ci_method` of an
indicator): what users read in stored results (`results.ci_method`), in estimates
(`Estimate.method`) and in reports. One label per interval, the same in French and English
where it is a name (Wilson, Clopper-Pearson, Garwood, Byar); "normale" is French.

The labels are stored with every result: changing one changes stored results (a new label
shows up beside the old one in earlier computations), so they change only on purpose.
"""

from __future__ import annotations

CI_LABELS: dict[str, str | None] = {
    "wilson": "Wilson",
    "exact": "Clopper-Pearson",  # exact binomial interval of a proportion
    "poisson_exact": "Garwood",  # exact Poisson interval of a count (or of O / E)
    "byar": "Byar",
    "normal": "normale",  # the indicator works out its own interval (e.g. e-Satis scores)
    "none": None,
}
CI_METHOD_CODES = tuple(CI_LABELS)
