"""Free-text comments of the demo e-Satis responses, with their ground truth.

Every e-Satis questionnaire ends with two free-text boxes: what the patient liked and what could
be improved. :func:`generate_comments` fills both boxes for each respondent of a demo campaign,
from a bank of French fragments written for hospiscope (``comment_bank.yaml``, copied from no
source), and returns with the text what a later classifier and pseudonymiser are tested
against: themes with their polarity, polarity of each box, and personal-data spans.

Hospiscope assumptions, not facts from our sources (see ``facts.md`` §1):

- the theme list :data:`THEMES`: HAS classifies comments "along the patient journey" since
  2024 but does not publish its list, so ours follows the questionnaire stages;
- every rate below (writing, length, style, personal data). The one published calibration
  point is the HAS 2022 study: 1 132 142 positive vs 882 826 negative usable comments, so
  non-empty positive boxes outnumber negative ones about 1.28 to 1. The defaults reproduce that
  ratio for a satisfaction spread like the national one (mean ~77/100, sd ~16).

The text is built with index arithmetic on numpy arrays and one ``str.join`` per box, so a whole
national campaign (1.35 M respondents) takes a few seconds.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from hospiscope.french import MONTHS

QUESTIONNAIRES: tuple[str, ...] = ("mco48h", "ca", "smr")
_OVERNIGHT = ("mco48h", "smr")  # stays with at least one night
_SURGICAL = ("mco48h", "ca")  # stays that may involve the operating theatre


@dataclass(frozen=True, slots=True)
class Theme:
    """One theme of the patient journey; ``description`` is written for a zero-shot classifier."""

    code: str
    label: str
    description: str
    questionnaires: tuple[str, ...] = QUESTIONNAIRES


THEMES: tuple[Theme, ...] = (
    Theme(
        "avant_admission",
        "Avant l'hospitalisation",
        "Ce qui précède l'entrée : prise de rendez-vous, délai pour obtenir une date, "
        "consultation d'anesthésie, préadmission, documents et consignes de préparation "
        "(jeûne, douche), appel ou SMS de la veille, transfert vers le centre.",
    ),
    Theme(
        "accueil",
        "Accueil",
        "Accueil à l'arrivée dans l'établissement et dans le service : amabilité, formalités "
        "d'admission, orientation et signalétique, standard téléphonique, installation.",
    ),
    Theme(
        "attente",
        "Attente et délais",
        "Temps d'attente pendant le séjour : retard sur l'horaire prévu, attente aux urgences, "
        "avant le bloc ou un examen, délai de réponse à la sonnette, rapidité de prise en "
        "charge.",
    ),
    Theme(
        "soins_infirmiers",
        "Soins infirmiers et aides-soignants",
        "Prise en charge par les infirmiers et les aides-soignants : compétence, "
        "disponibilité, surveillance, pansements, perfusions, distribution des traitements, "
        "aide à la toilette, effectifs.",
    ),
    Theme(
        "soins_medicaux",
        "Prise en charge médicale",
        "Prise en charge par les médecins, chirurgiens, anesthésistes et internes : "
        "compétence, présence, suivi, résultat de l'intervention, complications.",
    ),
    Theme(
        "information",
        "Information et explications",
        "Information donnée au patient et à ses proches : explications sur la maladie, "
        "l'intervention, les examens et le traitement, consentement, cohérence des "
        "informations, nouvelles données à la famille.",
    ),
    Theme(
        "douleur",
        "Douleur",
        "Prise en charge de la douleur : évaluation, rapidité et efficacité des antalgiques, "
        "anticipation de la douleur après l'intervention et au retour à domicile.",
    ),
    Theme(
        "relations_humaines",
        "Relations humaines et respect",
        "Qualité des relations avec le personnel : gentillesse, écoute, empathie, politesse, "
        "respect de la dignité, de l'intimité et de la pudeur.",
    ),
    Theme(
        "chambre",
        "Chambre et confort",
        "Chambre ou box et confort : taille, lit, température, bruit, calme, intimité, salle "
        "de bain, télévision, wifi, état des locaux.",
    ),
    Theme(
        "repas",
        "Repas et collation",
        "Repas pendant le séjour (qualité, quantité, température, choix, horaires, régimes) "
        "et, en chirurgie ambulatoire, collation servie après l'intervention.",
    ),
    Theme(
        "sortie",
        "Organisation de la sortie",
        "Préparation et déroulement de la sortie : ordonnances, lettre de liaison, consignes "
        "pour le retour, rendez-vous de suivi, transport, appel du lendemain en ambulatoire.",
    ),
    Theme(
        "organisation",
        "Organisation et coordination",
        "Fonctionnement du service et du parcours : coordination entre équipes et services, "
        "fluidité, programmation, transmissions, déprogrammations, moyens.",
    ),
    Theme(
        "hygiene_proprete",
        "Hygiène et propreté",
        "Propreté des chambres, sanitaires et locaux, ménage, linge, lavage des mains et "
        "gestes d'hygiène du personnel.",
    ),
    Theme(
        "cout_administratif",
        "Frais et démarches administratives",
        "Aspects financiers et administratifs : parking, dépassements d'honoraires, chambre "
        "particulière, télévision ou wifi payants, facturation, mutuelle, papiers.",
    ),
    Theme(
        "reeducation",
        "Rééducation et activités",
        "En soins médicaux et de réadaptation : séances de kinésithérapie, d'ergothérapie, "
        "d'orthophonie, activité physique adaptée, ateliers, éducation thérapeutique, "
        "occupation des journées.",
        ("smr",),
    ),
    Theme(
        "experience_globale",
        "Appréciation globale",
        "Jugement d'ensemble sur le séjour sans sujet précis : satisfaction ou déception "
        "générale, remerciements, recommandation ou non de l'établissement.",
    ),
)
THEME_CODES: tuple[str, ...] = tuple(theme.code for theme in THEMES)

# Wards with their own fragments, and the questionnaires where each ward exists. Labels are
# matched loosely ("Maternité", "Orthopédie", "SMR locomoteur" all work); any other ward value
# (or None) gets the generic fragments only.
WARDS: dict[str, tuple[str, ...]] = {
    "maternite": ("mco48h",),
    "chirurgie_orthopedique": ("mco48h", "ca"),
    "cardiologie": ("mco48h",),
    "ophtalmologie": ("ca",),
    "ambulatoire": ("ca",),
    "reeducation": ("smr",),
}
WARD_ALIASES: dict[str, str] = {
    "obstetrique": "maternite",
    "gynecologie_obstetrique": "maternite",
    "orthopedie": "chirurgie_orthopedique",
    "chirurgie_ortho": "chirurgie_orthopedique",
    "ortho": "chirurgie_orthopedique",
    "cardio": "cardiologie",
    "ophtalmo": "ophtalmologie",
    "uca": "ambulatoire",
    "unite_ambulatoire": "ambulatoire",
    "chirurgie_ambulatoire": "ambulatoire",
    "chirurgie_de_la_main": "chirurgie_orthopedique",
    "readaptation": "reeducation",
    "smr": "reeducation",
}
_WARD_CODES = tuple(WARDS)

POLARITIES: tuple[str, ...] = ("positive", "negative", "mixed", "neutral")
PERSONAL_DATA_TYPES: tuple[str, ...] = ("person_name", "phone", "email", "date", "id_number")

# ---- Writing model (hospiscope assumptions). Satisfaction enters as z = (s - REF) / SCALE. ----
SATISFACTION_REF = 75.0  # about the national e-Satis scores (74.8 to 79.5 in 2024)
SATISFACTION_SCALE = 15.0
# Probability of writing in each box for a respondent at SATISFACTION_REF with average
# engagement; calibrated so that positive:negative non-empty boxes ~ 1.28 (HAS 2022).
P_WRITE_POSITIVE = 0.56
P_WRITE_NEGATIVE = 0.445
# Logit slopes per unit of z: satisfied people praise more, dissatisfied ones criticise more.
WRITE_SLOPE_POSITIVE = 0.45
WRITE_SLOPE_NEGATIVE = -0.85
# Some people write in both boxes, others in none: a shared random effect on both logits.
ENGAGEMENT_SD = 1.0
# Per box, (positive box, negative box) from here on.
P_NEUTRAL_ANSWER = (0.04, 0.07)  # "RAS", ".", "non": no theme, neutral
# Logit (intercept, slope) of the answer that inverts the box: "rien" in the positive box of an
# unhappy patient, "rien à améliorer, tout était parfait" in the negative box of a happy one.
INVERTED_ANSWER_LOGIT = ((-4.2, -1.0), (-1.7, 1.0))
# Logit (intercept, slope) of adding one fragment of the opposite polarity ("mais ...").
CONTRAST_LOGIT = ((-2.2, -0.8), (-1.8, 0.5))
P_CONTRAST_FIRST = (0.1, 0.5)  # "équipe au top mais repas froids" in the negative box
# Extra fragments after the first ~ Poisson(verbosity * mean * exp(slope * z)), capped.
EXTRA_FRAGMENTS_MEAN = (0.8, 0.9)
EXTRA_FRAGMENTS_SLOPE = (0.3, -0.35)
VERBOSITY_SD = 0.6
MAX_MAIN_FRAGMENTS = 4
P_OPENER = 0.25
P_CONTEXT_OPENER = 0.4  # share of openers that describe the stay rather than the box
P_WARD_SPECIFIC = 0.2  # share of fragments drawn from the ward's own fragments, when it has any
P_CLOSER = 0.12
P_TYPO = 0.05  # per fragment
P_ALL_CAPS = (0.015, 0.03)
P_LOWERCASE = 0.05
P_NO_ACCENTS = 0.08
P_CURLY_APOSTROPHE = 0.3  # phones type ’ rather than '
P_PERSONAL_DATA = 0.03  # share of non-empty boxes that name someone or give contact details
P_PERSONAL_DATA_FRONT = 0.3  # the personal-data sentence opens the comment instead of ending it
P_THEMED_PERSONAL_DATA = (0.6, 0.5)  # "merci au Dr X" rather than a bare phone number

# Relative weight of each theme when a patient picks a subject, (positive, negative). Assumption
# guided by the 2024 dimension scores: care (82) draws praise, discharge (65) and rooms/meals
# (68.4) draw criticism.
_THEME_WEIGHTS: dict[str, tuple[float, float]] = {
    "avant_admission": (4, 4),
    "accueil": (8, 5),
    "attente": (2, 10),
    "soins_infirmiers": (14, 5),
    "soins_medicaux": (12, 5),
    "information": (5, 7),
    "douleur": (3, 4),
    "relations_humaines": (16, 6),
    "chambre": (4, 10),
    "repas": (3, 10),
    "sortie": (3, 8),
    "organisation": (5, 8),
    "hygiene_proprete": (3, 4),
    "cout_administratif": (0.5, 4),
    "reeducation": (8, 6),
    "experience_globale": (14, 3),
}
_QUESTIONNAIRE_THEME_FACTORS: dict[str, dict[str, float]] = {
    "ca": {"avant_admission": 2.0, "attente": 1.4, "repas": 0.5, "chambre": 0.6},
    "mco48h": {},
    "smr": {"avant_admission": 0.5, "repas": 1.3},
}

_BANK_PATH = Path(__file__).with_name("comment_bank.yaml")
_TYPO_SEED = 20240917  # fixed: the typo variants are part of the bank, not of a draw
_POS, _NEG = 0, 1
_SLOTS = MAX_MAIN_FRAGMENTS + 1
_ACCENT_PAIRS = tuple(
    zip(
        "àâäáéèêëíîïóôöúùûüçÀÂÄÁÉÈÊËÍÎÏÓÔÖÚÙÛÜÇ",
        "aaaaeeeeiiiooouuuucAAAAEEEEIIIOOOUUUUC",
        strict=True,
    )
)
_FIELD_TYPES = {
    "last": "person_name",
    "first_f": "person_name",
    "first_m": "person_name",
    "first": "person_name",
    "full": "person_name",
    "phone": "phone",
    "email": "email",
    "dob": "date",
    "date": "date",
    "nir": "id_number",
    "dossier": "id_number",
    "room": None,
}
# Between the personal-data sentence and the rest of the comment (". " twice: the usual one).
_PD_SEPARATORS = (". ", ". ", ", ", "\n", " ! ", " - ")


@dataclass(frozen=True)
class CommentBatch:
    """Both boxes for each respondent, aligned with the input; "" means the box was left empty.

    ``*_themes`` are ``;``-joined theme codes in :data:`THEMES` order; ``*_labels`` add the
    polarity of each theme (``"repas:negative;accueil:positive"``, ``mixed`` when a theme is
    both); ``*_polarity`` is one of :data:`POLARITIES`; ``*_personal_data`` is a JSON list of
    ``{"type", "start", "end", "text"}`` spans into the box text (``"[]"`` when none).
    """

    questionnaire: str
    positive: np.ndarray
    negative: np.ndarray
    positive_themes: np.ndarray
    negative_themes: np.ndarray
    positive_labels: np.ndarray
    negative_labels: np.ndarray
    positive_polarity: np.ndarray
    negative_polarity: np.ndarray
    positive_personal_data: np.ndarray
    negative_personal_data: np.ndarray

    def __len__(self) -> int:
        return len(self.positive)

    def columns(self) -> dict[str, np.ndarray]:
        """The arrays by name, e.g. for ``pandas.DataFrame(batch.columns())``."""
        return {name: value for name, value in vars(self).items() if name != "questionnaire"}


def generate_comments(
    rng: np.random.Generator,
    questionnaire: str,
    satisfaction: np.ndarray,
    ward: np.ndarray | None = None,
    *,
    p_write_positive: float = P_WRITE_POSITIVE,
    p_write_negative: float = P_WRITE_NEGATIVE,
    p_personal_data: float = P_PERSONAL_DATA,
) -> CommentBatch:
    """Draw both free-text boxes for each respondent.

    ``satisfaction`` is a latent score in [0, 100] per respondent; ``ward`` an optional ward
    label per respondent (see :data:`WARDS`). ``p_write_*`` are the writing probabilities at
    :data:`SATISFACTION_REF`; ``p_personal_data`` the share of non-empty boxes carrying personal
    data. Same generator state and inputs give the same batch.
    """
    tables = _questionnaire_tables(questionnaire)
    z = _standardised(satisfaction)
    wards = _ward_indices(ward, len(z))
    engagement = rng.normal(0.0, ENGAGEMENT_SD, len(z))
    verbosity = rng.lognormal(0.0, VERBOSITY_SD, len(z))
    boxes = []
    for box, p_write, slope in (
        (_POS, p_write_positive, WRITE_SLOPE_POSITIVE),
        (_NEG, p_write_negative, WRITE_SLOPE_NEGATIVE),
    ):
        written = rng.random(len(z)) < _sigmoid(_logit(p_write) + slope * z + engagement)
        rows = np.flatnonzero(written)
        boxes.append(_generate_box(rng, tables, box, rows, z, verbosity, wards, p_personal_data))
    return CommentBatch(
        questionnaire, *(column for pair in zip(*boxes, strict=True) for column in pair)
    )


def fragment_counts() -> dict[tuple[str, str], int]:
    """Number of distinct bank fragments per (theme code, polarity), ward ones included."""
    bank = _bank()
    counts = {(code, polarity): 0 for code in THEME_CODES for polarity in ("positive", "negative")}
    for theme, polarity in zip(bank.frag_theme, bank.frag_polarity, strict=True):
        counts[THEME_CODES[theme], ("positive", "negative")[polarity]] += 1
    return counts


def bank_fragments() -> list[str]:
    """Every hand-written sentence of the bank (fragments, fillers, openers, templates)."""
    bank = _bank()
    return list(bank.texts)


# ---------------------------------------------------------------------------------------------
# One box
# ---------------------------------------------------------------------------------------------


@dataclass
class _Draft:
    """One box for the rows that wrote in it: pieces as string-table ids, themes as bitmasks."""

    pieces: list[np.ndarray]  # opener, (separator, fragment) x _SLOTS, end mark, closer
    positive_mask: np.ndarray
    negative_mask: np.ndarray
    composed: np.ndarray  # built from fragments, so it can take a personal-data sentence


def _generate_box(rng, tables, box, rows, z, verbosity, wards, p_personal_data):
    bank = _bank()
    draft = _draft_box(rng, tables, box, z[rows], verbosity[rows], wards[rows])
    texts = _join(bank.strings, draft.pieces)
    spans = _add_personal_data(rng, bank, box, draft, texts, p_personal_data)
    _apply_styles(rng, box, texts)
    themes, labels, polarity = _labels(draft.positive_mask, draft.negative_mask)
    span_json = _spans_json(texts, spans)
    n = len(z)
    return (
        _scatter(n, rows, texts),
        _scatter(n, rows, themes),
        _scatter(n, rows, labels),
        _scatter(n, rows, polarity),
        _scatter(n, rows, span_json, empty="[]"),
    )


def _draft_box(rng, tables, box, z, verbosity, wards) -> _Draft:
    bank = _bank()
    m = len(z)
    kind = _content_kind(rng, box, z)  # 0 neutral answer, 1 inverted answer, 2 composed
    pieces = [np.zeros(m, np.int32) for _ in range(3 + 2 * _SLOTS)]
    positive = np.zeros(m, np.int32)
    negative = np.zeros(m, np.int32)
    neutral = np.flatnonzero(kind == 0)
    pieces[2][neutral] = bank.neutral_answers.draw(rng, len(neutral))
    inverted = np.flatnonzero(kind == 1)
    pieces[2][inverted] = bank.inverted_answers[box].draw(rng, len(inverted))
    (negative if box == _POS else positive)[inverted] = bank.overall_bit
    composed = np.flatnonzero(kind == 2)
    sub = _compose(rng, tables, box, z[composed], verbosity[composed], wards[composed])
    for piece, sub_piece in zip(pieces, sub.pieces, strict=True):
        piece[composed] = sub_piece
    positive[composed] = sub.positive_mask
    negative[composed] = sub.negative_mask
    return _Draft(pieces, positive, negative, kind == 2)


def _content_kind(rng, box, z) -> np.ndarray:
    intercept, slope = INVERTED_ANSWER_LOGIT[box]
    p_inverted = _sigmoid(intercept + slope * z)
    u = rng.random(len(z))
    p_neutral = P_NEUTRAL_ANSWER[box]
    return np.where(u < p_neutral, 0, np.where(u < p_neutral + (1 - p_neutral) * p_inverted, 1, 2))


def _compose(rng, tables, box, z, verbosity, wards) -> _Draft:
    """Opener, 1-4 fragments of the box's polarity, maybe one contrasting fragment, end."""
    bank = _bank()
    m = len(z)
    mean = verbosity * EXTRA_FRAGMENTS_MEAN[box] * np.exp(EXTRA_FRAGMENTS_SLOPE[box] * z)
    n_main = 1 + np.minimum(rng.poisson(mean), MAX_MAIN_FRAGMENTS - 1)
    intercept, slope = CONTRAST_LOGIT[box]
    contrast = rng.random(m) < _sigmoid(intercept + slope * z)
    contrast_first = contrast & (rng.random(m) < P_CONTRAST_FIRST[box])
    opener = _draw_openers(rng, tables, box, wards)
    pieces = [opener]
    positive = np.zeros(m, np.int32)
    negative = np.zeros(m, np.int32)
    chosen: list[np.ndarray] = []
    for slot in range(_SLOTS):
        is_contrast = contrast & np.where(contrast_first, slot == 0, slot == n_main)
        active = slot < n_main + contrast
        polarity = np.where(is_contrast, 1 - box, box)
        fragment = _draw_distinct(rng, tables, polarity, wards, chosen)
        active &= fragment >= 0
        chosen.append(np.where(active, fragment, -1))
        after_switch = is_contrast | (contrast_first & (slot == 1))
        separator = _separators(rng, bank, slot, polarity, after_switch)
        capital = bank.next_cap[opener] if slot == 0 else bank.next_cap[separator]
        typo = rng.random(m) < P_TYPO
        pieces += [
            np.where(active, separator, 0),
            np.where(active, bank.fragment_string(fragment, capital, typo), 0),
        ]
        bit = np.where(active, bank.theme_bit[np.maximum(fragment, 0)], 0)
        positive |= np.where(polarity == _POS, bit, 0)
        negative |= np.where(polarity == _NEG, bit, 0)
    end = bank.end_marks.draw(rng, m)
    closer = np.where(
        (end != bank.empty_end) & (rng.random(m) < P_CLOSER), bank.closers.draw(rng, m), 0
    )
    return _Draft([*pieces, end, closer], positive, negative, np.ones(m, bool))


def _draw_openers(rng, tables, box, wards) -> np.ndarray:
    bank = _bank()
    m = len(wards)
    u = rng.random((m, 3))
    own_ward = (u[:, 2] < P_WARD_SPECIFIC) & (tables.contexts.size[wards] > 0)
    context_pool = np.where(own_ward, wards, 0)
    context = tables.contexts.draw_from(rng, context_pool)
    own = bank.openers[box].draw(rng, m)
    return np.where(u[:, 0] < P_OPENER, np.where(u[:, 1] < P_CONTEXT_OPENER, context, own), 0)


def _draw_distinct(rng, tables, polarity, wards, chosen, attempts=3) -> np.ndarray:
    """Fragment ids, redrawn where they repeat an earlier slot; -1 where still repeated."""
    fragment = _draw_fragments(rng, tables, polarity, wards)
    for attempt in range(attempts + 1):
        repeated = np.zeros(len(fragment), bool)
        for previous in chosen:
            repeated |= fragment == previous
        if not repeated.any():
            break
        if attempt == attempts:
            fragment[repeated] = -1
            break
        idx = np.flatnonzero(repeated)
        fragment[idx] = _draw_fragments(rng, tables, polarity[idx], wards[idx])
    return fragment


def _draw_fragments(rng, tables, polarity, wards) -> np.ndarray:
    """A theme by its weight, then a fragment of it; or, sometimes, one of the ward's own."""
    m = len(polarity)
    n_themes = len(THEMES)
    # Both cumulative tables end to end, the negative one shifted by 1: one search for all rows.
    position = np.searchsorted(tables.theme_search, rng.random(m) + polarity, side="right")
    theme = np.minimum(position - polarity * n_themes, n_themes - 1)
    fragment = tables.themes.draw_from(rng, polarity * n_themes + theme)
    ward_pool = polarity * (len(_WARD_CODES) + 1) + wards
    use_ward = (tables.wards.size[ward_pool] > 0) & (rng.random(m) < P_WARD_SPECIFIC)
    idx = np.flatnonzero(use_ward)
    fragment[idx] = tables.wards.draw_from(rng, ward_pool[idx])
    return fragment


def _separators(rng, bank, slot, polarity, after_switch) -> np.ndarray:
    """What goes before the fragment of this slot: a contrast word where polarity switches."""
    m = len(polarity)
    if slot == 0:
        return np.zeros(m, np.int32)
    separator = bank.connectors_same.draw(rng, m)
    for target in (_POS, _NEG):
        idx = np.flatnonzero(after_switch & (polarity == target))
        separator[idx] = bank.connectors_to[target].draw(rng, len(idx))
    return separator


def _join(strings: np.ndarray, pieces: list[np.ndarray]) -> list[str]:
    # One str.join per row over object arrays: far faster than numpy string ufuncs here.
    return ["".join(parts) for parts in zip(*(strings[piece] for piece in pieces), strict=True)]


# ---------------------------------------------------------------------------------------------
# Personal data, styles, labels
# ---------------------------------------------------------------------------------------------


def _add_personal_data(rng, bank, box, draft, texts, p_personal_data) -> dict[int, list]:
    """Insert a sentence with personal data into some composed boxes; return spans per row."""
    composed = np.flatnonzero(draft.composed)
    if not len(composed) or p_personal_data <= 0:
        return {}
    # Conditional share so that the share among all non-empty boxes is p_personal_data.
    share = min(1.0, p_personal_data * len(texts) / len(composed))
    rows = composed[rng.random(len(composed)) < share]
    themed = rng.random(len(rows)) < P_THEMED_PERSONAL_DATA[box]
    template = np.where(
        themed,
        bank.templates_by_box[box].draw(rng, len(rows)),
        bank.templates_neutral.draw(rng, len(rows)),
    )
    front = rng.random(len(rows)) < P_PERSONAL_DATA_FRONT
    separator = rng.integers(0, len(_PD_SEPARATORS), len(rows))
    values = rng.random((len(rows), 13))  # up to 3 fields x 4 uniforms, then style
    spans = {}
    for i, row in enumerate(rows):
        spec = bank.templates[template[i]]
        texts[row], spans[row] = _insert_sentence(
            bank, draft, row, spec, values[i], bool(front[i]), _PD_SEPARATORS[separator[i]]
        )
        if spec.theme >= 0:
            mask = draft.positive_mask if spec.polarity == _POS else draft.negative_mask
            mask[row] |= 1 << spec.theme
    return spans


def _insert_sentence(bank, draft, row, spec, values, front, separator):
    strings = bank.strings
    head = strings[draft.pieces[0][row]]
    body = "".join(strings[piece[row]] for piece in draft.pieces[1:-2])
    tail = strings[draft.pieces[-2][row]] + strings[draft.pieces[-1][row]]
    if front:  # the sentence ends where the old start was: that start takes a capital
        capital = bool(bank.next_cap[draft.pieces[0][row]])
        prefix, separator = head, ". " if separator in (", ", " - ") else separator
        suffix = separator + _capitalise(body) + tail
    else:
        capital = _ends_sentence(separator)
        prefix, suffix = head + body + separator, tail
    sentence, spans = _render(bank, spec, values, capital)
    text = prefix + sentence + suffix
    return text, [(start + len(prefix), end + len(prefix), kind) for start, end, kind in spans]


def _render(bank, spec, values, capital):
    """Fill a template. ``values`` holds uniforms in [0, 1): 4 per field, then one for style."""
    out: list[str] = []
    spans = []
    length = 0
    fields = 0
    for literal, field in spec.parts:
        out.append(literal)
        length += len(literal)
        if field is None:
            continue
        value = _field_value(bank.names, field, values[4 * fields : 4 * fields + 4], values[-1])
        fields += 1
        if _FIELD_TYPES[field] is not None:
            spans.append((length, length + len(value), _FIELD_TYPES[field]))
        out.append(value)
        length += len(value)
    text = "".join(out)
    if capital:
        text = _capitalise(text)
    return text, spans


def _field_value(names, field, u, style) -> str:
    digits = f"{int(u[3] * 1e12):012d}"
    if field in ("last", "first_f", "first_m"):
        return _pick(names[field], u[0])
    if field == "first":
        return _pick(names["first_f"] if u[1] < 0.5 else names["first_m"], u[0])
    if field == "full":
        first = names["first_f"] if u[2] < 0.5 else names["first_m"]
        return f"{_pick(first, u[0])} {_pick(names['last'], u[1])}"
    if field == "phone":
        return _phone(digits, u[0], style)
    if field == "email":
        return _email(
            _pick(names["first_f"] + names["first_m"], u[0]),
            _pick(names["last"], u[1]),
            _pick(names["domains"], u[2]),
            style,
        )
    if field in ("dob", "date"):
        return _date(u, style, birth=field == "dob")
    if field == "nir":  # sex, year, month, department, commune, order, key
        return (
            f"{1 + int(u[0] < 0.5)} {digits[0:2]} {1 + int(u[1] * 12):02d} {digits[2:4]} "
            f"{digits[4:7]} {digits[7:10]} {digits[10:12]}"
        )
    if field == "dossier":
        return f"{2020 + int(u[0] * 5)}-{digits[:6]}"
    return str(1 + int(u[0] * 40))  # room number


def _pick(values: list[str], u: float) -> str:
    return values[int(u * len(values))]


def _phone(digits: str, u: float, style: float) -> str:
    prefix = "06" if u < 0.6 else ("07" if u < 0.8 else f"0{1 + int((u - 0.8) * 25)}")
    pairs = [prefix, *(digits[k : k + 2] for k in range(0, 8, 2))]
    if style < 0.5:
        return " ".join(pairs)
    if style < 0.7:
        return "".join(pairs)
    if style < 0.85:
        return ".".join(pairs)
    return f"+33 {prefix[1]} " + " ".join(pairs[1:])


def _date(u, style: float, birth: bool) -> str:
    year = 1930 + int(u[0] * 75) if birth else 2024
    day, month = 1 + int(u[1] * 28), 1 + int(u[2] * 12)
    if style < 0.6:
        return f"{day:02d}/{month:02d}/{year}"
    return f"{day} {MONTHS[month - 1]} {year}"


def _email(first: str, last: str, domain: str, style: float) -> str:
    first, last = _ascii_slug(first), _ascii_slug(last)
    number = int(style * 1000) % 90 + 10
    local = f"{first}.{last}" if style < 0.5 else f"{first[0]}{last}{number}"
    return f"{local}@{domain}"


def _ascii_slug(text: str) -> str:
    return re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", text.lower()))


def _apply_styles(rng, box, texts: list[str]) -> None:
    """Capitals, lower case, no accents, curly apostrophes. All keep lengths, so spans hold."""
    u = rng.random((len(texts), 3))
    caps = u[:, 0] < P_ALL_CAPS[box]
    lower = ~caps & (u[:, 0] < P_ALL_CAPS[box] + P_LOWERCASE)
    for i in np.flatnonzero(caps):
        texts[i] = texts[i].upper()
    for i in np.flatnonzero(lower):
        texts[i] = texts[i].lower()
    for i in np.flatnonzero(u[:, 1] < P_NO_ACCENTS):
        texts[i] = _strip_accents(texts[i])
    for i in np.flatnonzero(u[:, 2] < P_CURLY_APOSTROPHE):
        texts[i] = texts[i].replace("'", "’")


def _labels(positive: np.ndarray, negative: np.ndarray):
    """Themes, theme:polarity labels and box polarity, built once per distinct mask pair."""
    keys = positive.astype(np.int64) << 32 | negative.astype(np.int64)
    unique, inverse = np.unique(keys, return_inverse=True)
    themes, labels, polarity = [], [], []
    for key in unique.tolist():
        pos, neg = key >> 32, key & 0xFFFFFFFF
        present = [
            (code, bool(pos >> i & 1), bool(neg >> i & 1))
            for i, code in enumerate(THEME_CODES)
            if (pos | neg) >> i & 1
        ]
        themes.append(";".join(code for code, _, _ in present))
        labels.append(";".join(f"{code}:{_polarity_name(p, n)}" for code, p, n in present))
        polarity.append(_polarity_name(bool(pos), bool(neg)))
    lookup = [np.array(values, dtype=object) for values in (themes, labels, polarity)]
    return tuple(values[inverse] for values in lookup)


def _polarity_name(positive: bool, negative: bool) -> str:
    if positive and negative:
        return "mixed"
    return "positive" if positive else ("negative" if negative else "neutral")


def _spans_json(texts: list[str], spans: dict[int, list]) -> dict[int, str]:
    return {
        row: json.dumps(
            [
                {"type": kind, "start": start, "end": end, "text": texts[row][start:end]}
                for start, end, kind in found
            ],
            ensure_ascii=False,
        )
        for row, found in spans.items()
    }


def _scatter(n: int, rows: np.ndarray, values, empty: str = "") -> np.ndarray:
    out = np.full(n, empty, dtype=object)
    if isinstance(values, dict):
        for row, value in values.items():
            out[rows[row]] = value
    else:
        out[rows] = np.asarray(values, dtype=object) if isinstance(values, list) else values
    return out


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------


def _standardised(satisfaction) -> np.ndarray:
    s = np.asarray(satisfaction, dtype=float)
    if s.ndim != 1:
        raise ValueError("satisfaction must be one-dimensional")
    if np.isnan(s).any():
        raise ValueError("satisfaction contains NaN")
    return (np.clip(s, 0.0, 100.0) - SATISFACTION_REF) / SATISFACTION_SCALE


def _ward_indices(ward, n: int) -> np.ndarray:
    """0 for an unknown or missing ward, else 1 + position in WARDS."""
    if ward is None:
        return np.zeros(n, np.int64)
    ward = np.asarray(ward, dtype=object)
    if ward.shape != (n,):
        raise ValueError(f"ward must have shape ({n},), got {ward.shape}")
    codes, uniques = pd.factorize(ward)
    lookup = np.array([_ward_index(value) for value in uniques] + [0], dtype=np.int64)
    return lookup[codes]  # factorize codes missing values as -1: the trailing 0


def _ward_index(value) -> int:
    key = _ward_key(str(value))
    key = WARD_ALIASES.get(key, key)
    if key.startswith(("smr_", "ssr_")):  # every SMR ward ("SMR locomoteur") is rehabilitation
        key = "reeducation"
    return _WARD_CODES.index(key) + 1 if key in WARDS else 0


def _ward_key(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p: float) -> float:
    if not 0.0 < p < 1.0:
        raise ValueError(f"probability must be in (0, 1), got {p}")
    return float(np.log(p / (1.0 - p)))


# ---------------------------------------------------------------------------------------------
# The bank
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pools:
    """Several lists of ids stored end to end; ``draw_from`` picks uniformly in each row's list."""

    members: np.ndarray
    start: np.ndarray
    size: np.ndarray

    @classmethod
    def build(cls, groups: Iterable[Iterable[int]]) -> _Pools:
        groups = [list(group) for group in groups]
        size = np.array([len(group) for group in groups], np.int64)
        start = np.concatenate([[0], np.cumsum(size)[:-1]]).astype(np.int64)
        members = np.array([i for group in groups for i in group], np.int32)
        return cls(members, start, size)

    def draw_from(self, rng, pool: np.ndarray) -> np.ndarray:
        offset = (rng.random(len(pool)) * self.size[pool]).astype(np.int64)
        return self.members[np.minimum(self.start[pool] + offset, len(self.members) - 1)]


@dataclass(frozen=True)
class _Choice:
    """Weighted choice among string ids."""

    ids: np.ndarray
    cdf: np.ndarray

    @classmethod
    def build(cls, ids: list[int], weights: list[float] | None = None) -> _Choice:
        weights = np.ones(len(ids)) if weights is None else np.asarray(weights, float)
        return cls(np.array(ids, np.int32), np.cumsum(weights) / weights.sum())

    def draw(self, rng, n: int) -> np.ndarray:
        index = np.searchsorted(self.cdf, rng.random(n), side="right")
        return self.ids[np.minimum(index, len(self.ids) - 1)]


@dataclass(frozen=True)
class _Fragment:
    text: str
    theme: int
    polarity: int
    questionnaires: frozenset[str]
    ward: str | None


@dataclass(frozen=True)
class _Template:
    parts: tuple[tuple[str, str | None], ...]  # (literal, field that follows or None)
    theme: int  # -1 for none
    polarity: int


@dataclass(frozen=True)
class _Bank:
    strings: np.ndarray  # object array; 0 is ""; fragment f has 4 variants from 1 + 4 f
    next_cap: np.ndarray  # per string: does the text after it start a sentence?
    fragments: tuple[_Fragment, ...]
    frag_theme: np.ndarray
    frag_polarity: np.ndarray
    theme_bit: np.ndarray  # per fragment
    contexts: tuple[tuple[int, frozenset[str], str | None], ...]  # string id, questionnaires, ward
    openers: tuple[_Choice, _Choice]
    closers: _Choice
    connectors_same: _Choice
    connectors_to: tuple[_Choice, _Choice]
    end_marks: _Choice
    empty_end: int
    neutral_answers: _Choice
    inverted_answers: tuple[_Choice, _Choice]
    templates: tuple[_Template, ...]
    templates_by_box: tuple[_Choice, _Choice]
    templates_neutral: _Choice
    names: dict[str, list[str]]
    texts: tuple[str, ...]

    @property
    def overall_bit(self) -> int:
        return 1 << THEME_CODES.index("experience_globale")

    def fragment_string(self, fragment, capital, typo) -> np.ndarray:
        return 1 + 4 * np.maximum(fragment, 0) + 2 * typo + capital


@dataclass(frozen=True)
class _Tables:  # not slotted: theme_search is a cached property
    """What one questionnaire may draw from."""

    theme_cdf: np.ndarray  # (2, n_themes) cumulative weights per polarity

    @functools.cached_property
    def theme_search(self) -> np.ndarray:
        return np.concatenate([self.theme_cdf[_POS], self.theme_cdf[_NEG] + 1.0])

    themes: _Pools  # key polarity * n_themes + theme
    wards: _Pools  # key polarity * (n_wards + 1) + ward index
    contexts: _Pools  # key ward index, 0 = generic


@functools.cache
def _bank() -> _Bank:
    raw = yaml.safe_load(_BANK_PATH.read_text(encoding="utf-8"))
    fragments = tuple(_read_fragments(raw))
    table = _StringTable()
    typo_rng = np.random.default_rng(_TYPO_SEED)
    for fragment in fragments:  # 4 variants each: see _Bank.fragment_string
        for text in (fragment.text, _typo(fragment.text, typo_rng)):
            table.add(text, capital=False)
            table.add(_capitalise(text), capital=False)
    add = table.add_all
    openers, fillers, connectors = raw["openers"], raw["fillers"], raw["connectors"]
    opener_choices = (
        _Choice.build(add(openers["positive"])),
        _Choice.build(add(openers["negative"])),
    )
    contexts = _read_contexts(openers["context"], table)
    closers = _Choice.build(add(raw["closers"]))
    same = _weighted(connectors["same"], add)
    switch = (_weighted(connectors["to_positive"], add), _weighted(connectors["to_negative"], add))
    end_ids = add(list(raw["end_marks"]))
    neutral = _Choice.build(add(fillers["neutral"]))
    inverted = (
        _Choice.build(add(fillers["nothing_good"])),
        _Choice.build(add(fillers["nothing_to_improve"])),
    )
    templates = _read_templates(raw["personal_data"])
    names = _read_names(raw["names"])
    _check_length_preserving(table.texts + [name for group in names.values() for name in group])
    theme = np.array([f.theme for f in fragments], np.int64)
    return _Bank(
        strings=np.array(table.texts, dtype=object),
        next_cap=np.array(table.capital, bool),
        fragments=fragments,
        frag_theme=theme,
        frag_polarity=np.array([f.polarity for f in fragments], np.int64),
        theme_bit=(1 << theme).astype(np.int32),
        contexts=contexts,
        openers=opener_choices,
        closers=closers,
        connectors_same=same,
        connectors_to=switch,
        end_marks=_Choice.build(end_ids, list(raw["end_marks"].values())),
        empty_end=end_ids[list(raw["end_marks"]).index("")],
        neutral_answers=neutral,
        inverted_answers=inverted,
        templates=templates,
        templates_by_box=tuple(
            _Choice.build(
                [i for i, t in enumerate(templates) if t.theme >= 0 and t.polarity == box]
            )
            for box in (_POS, _NEG)
        ),
        templates_neutral=_Choice.build([i for i, t in enumerate(templates) if t.theme < 0]),
        names=names,
        texts=tuple(_all_texts(raw, fragments)),
    )


class _StringTable:
    def __init__(self) -> None:
        self.texts: list[str] = [""]
        self.capital: list[bool] = [True]  # nothing before: start of the comment

    def add(self, text: str, capital: bool | None = None) -> int:
        self.texts.append(text)
        self.capital.append(_ends_sentence(text) if capital is None else capital)
        return len(self.texts) - 1

    def add_all(self, texts: Iterable[str]) -> list[int]:
        return [self.add(_as_text(text, allow_empty=True)) for text in texts]


def _ends_sentence(text: str) -> bool:
    return text.rstrip(" ").endswith((".", "!", "?", "\n"))


def _weighted(mapping: dict, add) -> _Choice:
    return _Choice.build(add(list(mapping)), list(mapping.values()))


def _read_fragments(raw: dict) -> Iterable[_Fragment]:
    themes = {theme.code: (i, theme) for i, theme in enumerate(THEMES)}
    for code, by_polarity in raw["fragments"].items():
        index, theme = themes[code]
        for polarity_name, groups in by_polarity.items():
            polarity = ("positive", "negative").index(polarity_name)
            for group, texts in groups.items():
                allowed = _group_questionnaires(group, theme)
                for text in texts:
                    yield _Fragment(_as_text(text), index, polarity, allowed, None)
    for ward, by_polarity in raw["ward_fragments"].items():
        for polarity_name, by_theme in by_polarity.items():
            polarity = ("positive", "negative").index(polarity_name)
            for code, texts in by_theme.items():
                index, theme = themes[code]
                allowed = frozenset(WARDS[ward]) & frozenset(theme.questionnaires)
                for text in texts:
                    yield _Fragment(_as_text(text), index, polarity, allowed, ward)


def _group_questionnaires(group: str, theme: Theme) -> frozenset[str]:
    groups = {
        "all": theme.questionnaires,
        "nuit": _OVERNIGHT,
        "chir": _SURGICAL,
        **{q: (q,) for q in QUESTIONNAIRES},
    }
    if group not in groups:
        raise ValueError(f"unknown fragment group {group!r} in theme {theme.code}")
    allowed = frozenset(groups[group]) & frozenset(theme.questionnaires)
    if not allowed:
        raise ValueError(f"group {group!r} does not apply to theme {theme.code}")
    return allowed


def _read_contexts(raw: dict, strings: _StringTable):
    entries = []
    for group, texts in raw.items():
        ward = group if group in WARDS else None
        if ward:
            allowed = frozenset(WARDS[ward])
        elif group == "all":
            allowed = frozenset(QUESTIONNAIRES)
        else:
            allowed = frozenset({"nuit": _OVERNIGHT, "chir": _SURGICAL}.get(group, (group,)))
        entries += [(strings.add(_as_text(text)), allowed, ward) for text in texts]
    return tuple(entries)


def _read_templates(raw: dict) -> tuple[_Template, ...]:
    templates = []
    for polarity_name, entries in raw.items():
        polarity = ("positive", "negative", "neutral").index(polarity_name)
        for entry in entries:
            theme = THEME_CODES.index(entry["theme"]) if "theme" in entry else -1
            templates.append(_Template(_template_parts(entry["text"]), theme, polarity))
    return tuple(templates)


def _template_parts(text: str) -> tuple[tuple[str, str | None], ...]:
    pieces = re.split(r"\{(\w+)\}", text)
    parts = []
    for k in range(0, len(pieces), 2):
        field = pieces[k + 1] if k + 1 < len(pieces) else None
        if field is not None and field not in _FIELD_TYPES:
            raise ValueError(f"unknown field {{{field}}} in template {text!r}")
        parts.append((pieces[k], field))
    return tuple(parts)


def _read_names(raw: dict) -> dict[str, list[str]]:
    return {
        "first_f": raw["female"],
        "first_m": raw["male"],
        "last": raw["last"],
        "domains": raw["email_domains"],
    }


def _all_texts(raw: dict, fragments) -> Iterable[str]:
    yield from (fragment.text for fragment in fragments)
    for kind in ("neutral", "nothing_good", "nothing_to_improve"):
        yield from raw["fillers"][kind]
    yield from raw["openers"]["positive"] + raw["openers"]["negative"] + raw["closers"]
    for texts in raw["openers"]["context"].values():
        yield from texts
    for entries in raw["personal_data"].values():
        yield from (entry["text"] for entry in entries)


def _as_text(value, allow_empty: bool = False) -> str:
    if not isinstance(value, str) or not (value or allow_empty):
        raise ValueError(f"bank entry must be a non-empty string, got {value!r}")
    return value


def _check_length_preserving(texts: Iterable[str]) -> None:
    # Styles are applied after the spans are computed: they must not move characters.
    for text in texts:
        for styled in (text.upper(), text.lower(), _strip_accents(text)):
            if len(styled) != len(text):
                raise ValueError(f"styling changes the length of {text!r}")


@functools.cache
def _questionnaire_tables(questionnaire: str) -> _Tables:
    if questionnaire not in QUESTIONNAIRES:
        raise ValueError(f"unknown questionnaire {questionnaire!r}; expected {QUESTIONNAIRES}")
    bank = _bank()
    usable = [i for i, f in enumerate(bank.fragments) if questionnaire in f.questionnaires]
    by_theme = [
        [
            i
            for i in usable
            if bank.fragments[i].ward is None
            and bank.fragments[i].polarity == polarity
            and bank.fragments[i].theme == theme
        ]
        for polarity in (_POS, _NEG)
        for theme in range(len(THEMES))
    ]
    by_ward = [
        [
            i
            for i in usable
            if ward is not None
            and bank.fragments[i].ward == ward
            and bank.fragments[i].polarity == polarity
        ]
        for polarity in (_POS, _NEG)
        for ward in (None, *_WARD_CODES)
    ]
    contexts = [
        [sid for sid, allowed, w in bank.contexts if questionnaire in allowed and w == ward]
        for ward in (None, *_WARD_CODES)
    ]
    cdf = np.array([_theme_cdf(questionnaire, polarity) for polarity in (_POS, _NEG)])
    _check_pools(questionnaire, cdf, by_theme)
    return _Tables(cdf, _Pools.build(by_theme), _Pools.build(by_ward), _Pools.build(contexts))


def _theme_cdf(questionnaire: str, polarity: int) -> np.ndarray:
    factors = _QUESTIONNAIRE_THEME_FACTORS[questionnaire]
    weights = np.array(
        [
            _THEME_WEIGHTS[t.code][polarity]
            * factors.get(t.code, 1.0)
            * (questionnaire in t.questionnaires)
            for t in THEMES
        ]
    )
    return np.cumsum(weights) / weights.sum()


def _check_pools(questionnaire: str, cdf: np.ndarray, by_theme: list[list[int]]) -> None:
    for polarity in (_POS, _NEG):
        weights = np.diff(cdf[polarity], prepend=0.0)
        for theme in np.flatnonzero(weights > 0):
            if not by_theme[polarity * len(THEMES) + theme]:
                raise ValueError(f"no fragment for {THEME_CODES[theme]} in {questionnaire}")


# ---------------------------------------------------------------------------------------------
# Typos: one deterministic misspelt variant per fragment, as people type on a phone
# ---------------------------------------------------------------------------------------------

_HOMOPHONES = (
    (" à ", " a "),
    ("c'est", "cest"),
    ("ça", "sa"),
    ("très", "tres"),
    (" et ", " est "),
    ("ées", "é"),
    ("ai ", "é "),
    ("ont ", "on "),
)


def _typo(text: str, rng: np.random.Generator) -> str:
    operations = (_typo_homophone, _typo_accent, _typo_swap, _typo_double, _typo_drop)
    for k in rng.permutation(len(operations)):
        changed = operations[k](text, rng)
        if changed != text:
            return changed
    return text


def _typo_homophone(text, rng):
    found = [(a, b) for a, b in _HOMOPHONES if a in text]
    if not found:
        return text
    a, b = found[int(rng.integers(len(found)))]
    return text.replace(a, b, 1)


def _typo_accent(text, rng):
    positions = [i for i, c in enumerate(text) if _strip_accents(c) != c]
    if not positions:
        return text
    i = positions[int(rng.integers(len(positions)))]
    return text[:i] + _strip_accents(text[i]) + text[i + 1 :]


def _long_word_letters(text, min_length):
    """Positions of inner letters of words at least min_length long."""
    return [
        m.start() + k
        for m in re.finditer(r"[a-zàâéèêëîïôûùüç]+", text)
        if len(m.group()) >= min_length
        for k in range(1, len(m.group()) - 1)
    ]


def _typo_swap(text, rng):
    positions = _long_word_letters(text, 6)
    if not positions:
        return text
    i = positions[int(rng.integers(len(positions)))]
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def _typo_double(text, rng):
    positions = [i for i in _long_word_letters(text, 5) if text[i] in "lmnprst"]
    if not positions:
        return text
    i = positions[int(rng.integers(len(positions)))]
    return text[:i] + text[i] + text[i:]


def _typo_drop(text, rng):
    positions = _long_word_letters(text, 6)
    if not positions:
        return text
    i = positions[int(rng.integers(len(positions)))]
    return text[:i] + text[i + 1 :]


def _strip_accents(text: str) -> str:
    # Chained str.replace is an order of magnitude faster than str.translate with a dict.
    for accented, plain in _ACCENT_PAIRS:
        if accented in text:
            text = text.replace(accented, plain)
    return text


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
