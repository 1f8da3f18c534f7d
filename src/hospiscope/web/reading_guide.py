"""« Comment lire cet indicateur » : a few plain French sentences generated from an indicator's
metadata — what the figure is, which way is better, what the interval says, how classes are
set, when no value is given and what the statuses mean. Nothing is said that the metadata does
not hold: thresholds and targets are quoted with their source, never invented."""

from __future__ import annotations

from hospiscope.catalogue.meta import ClassGrid, Direction, IndicatorMeta
from hospiscope.reports import format as fr

# What a status means, in plain words, beside the label the definition gives it.
STATUS_MEANINGS = {
    "DI": "trop peu de cas pour un résultat fiable, ou des données manquantes",
    "NR": "l'établissement n'a pas participé au recueil",
    "NV": "les données transmises n'ont pas été validées",
    "NC": "l'indicateur ne concerne pas cet établissement",
}
SAMPLE_UNITS = {"stat_sejours": "séjours"}


def reading_guide(meta: IndicatorMeta, period: str | None) -> list[str]:
    """The paragraphs, in reading order (`period`: the campaign shown, for its class grid)."""
    paragraphs = [_what(meta), _direction(meta)]
    paragraphs += [_interval(meta), _classes(meta, period), _sample(meta), _statuses(meta)]
    return [p for p in paragraphs if p]


def _what(meta: IndicatorMeta) -> str:
    # The definition's labels are quoted as they are: they are noun phrases of any gender.
    numerator, denominator = fr.guillemets(meta.numerator), fr.guillemets(meta.denominator or "")
    if meta.kind == "rate":
        return (
            f"C'est une proportion, exprimée en {meta.unit} : on compte {numerator} parmi "
            f"{denominator}."
        )
    if meta.kind == "score":
        return f"C'est un score moyen ({meta.unit}), calculé sur les {denominator}."
    if meta.kind == "ratio" and meta.ci_method == "poisson_exact":
        return (
            f"C'est un rapport entre ce qui est observé ({numerator}) et ce qui serait attendu "
            f"({denominator}) compte tenu des patients pris en charge : 1 veut dire autant "
            "qu'attendu, 2 deux fois plus, 0,5 deux fois moins."
        )
    if meta.kind == "ratio":
        return f"C'est un rapport, exprimé en {meta.unit} : {numerator} rapporté à {denominator}."
    if meta.kind == "count":
        return f"C'est un nombre ({meta.unit}) : {numerator}."
    return f"C'est un résultat en catégories : {numerator}."


def _direction(meta: IndicatorMeta) -> str:
    if meta.direction is Direction.NONE:
        return (
            "Cet indicateur décrit une situation : une valeur haute ou basse n'est ni bonne ni "
            "mauvaise en soi, et ses couleurs restent neutres."
        )
    better = "haute" if meta.direction is Direction.HIGHER_IS_BETTER else "basse"
    text = f"Plus la valeur est {better}, mieux c'est."
    if meta.target is not None:
        target = f"{fr.number(meta.target, 2, trim=True)}{fr.NNBSP}{meta.unit}"
        text += f" L'objectif est de {target}. Source de l'objectif : {meta.target_source}."
    return text


def _interval(meta: IndicatorMeta) -> str:
    if meta.ci_method == "none":
        return (
            "Aucun intervalle de confiance n'est donné : la valeur n'est pas estimée sur un "
            "échantillon, elle se lit telle quelle."
        )
    level = fr.number(meta.ci_level * 100, 1, trim=True)
    return (
        f"Chaque valeur est accompagnée d'un intervalle de confiance à {level} % : la valeur "
        "« vraie » a de fortes chances de s'y trouver. Plus il y a de cas, plus l'intervalle "
        "est étroit. Quand les intervalles de deux établissements se chevauchent, on ne peut "
        "pas dire que l'un fait mieux que l'autre."
    )


def _classes(meta: IndicatorMeta, period: str | None) -> str:
    grid = meta.class_grid(period or "")
    if grid is not None:
        return _grid_sentence(meta, grid)
    if meta.class_labels:
        labels = ", ".join(fr.guillemets(label) for _, label in meta.class_labels)
        return f"Chaque établissement reçoit une catégorie ({labels}) selon la règle de calcul."
    if meta.ci_method == "none":
        return "Cet indicateur n'a pas de classes : seule sa valeur se lit."
    return "Cet indicateur n'a pas de classes : sa valeur se lit avec son intervalle."


def _grid_sentence(meta: IndicatorMeta, grid: ClassGrid) -> str:
    labels = ", ".join(fr.guillemets(band.label) for band in grid.bands)
    origin = (
        "Ces seuils sont, en tout ou partie, une hypothèse hospiscope et non des seuils officiels."
        if grid.assumption
        else "Ces seuils sont publiés."
    )
    return (
        f"Les établissements sont répartis en {len(grid.bands)} classes selon leur valeur "
        f"({labels}). {origin} Source des seuils : {grid.source.rstrip('.')}."
    )


def _sample(meta: IndicatorMeta) -> str:
    if not meta.min_sample:
        return ""
    unit = SAMPLE_UNITS.get(meta.sample_column)
    if unit is None and meta.sample_column == "denominator" and meta.denominator:
        unit = fr.guillemets(meta.denominator)
    counted = f"{meta.min_sample} {unit}" if unit else str(meta.min_sample)
    return (
        f"Un résultat n'est calculé que pour un établissement qui compte au moins {counted} ; "
        "en dessous, il serait trop imprécis et l'établissement est marqué « DI »."
    )


def _statuses(meta: IndicatorMeta) -> str:
    if not meta.statuses:
        return ""
    parts = []
    for status in meta.statuses:
        meaning = STATUS_MEANINGS.get(status.code)
        if len(status.label) > 30:  # a long label explains itself
            meaning = None
        parts.append(
            f"« {status.code} » veut dire {fr.guillemets(status.label)}"
            + (f" ({meaning})" if meaning else "")
        )
    return (
        "Certains établissements ont un statut à la place d'une valeur : "
        + " ; ".join(parts)
        + ". Un statut n'est pas une mauvaise note : il dit pourquoi il n'y a pas de résultat."
    )
