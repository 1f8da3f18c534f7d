"""Tests of the demo e-Satis free-text comments (hospiscope.demo.comments)."""

from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hospiscope.demo import comments
from hospiscope.demo.comments import (
    PERSONAL_DATA_TYPES,
    POLARITIES,
    QUESTIONNAIRES,
    THEME_CODES,
    THEMES,
    CommentBatch,
    bank_fragments,
    fragment_counts,
    generate_comments,
)

SEEDS_DIR = Path("/work/shared/seeds")
BOXES = ("positive", "negative")
# Words that would betray English text in a French bank: only words that are not also French
# ("pain" is bread, "parking" and "top" are used in French).
ENGLISH_WORDS = {
    "the",
    "and",
    "with",
    "nurse",
    "nurses",
    "staff",
    "food",
    "doctor",
    "good",
    "very",
    "waiting",
    "thanks",
    "thank",
    "hospital",
    "care",
    "was",
    "were",
    "room",
    "great",
    "nice",
    "bad",
    "ward",
    "you",
    "they",
    "painful",
    "meal",
}


def national_satisfaction(rng: np.random.Generator, n: int) -> np.ndarray:
    """Latent scores spread like the national e-Satis ones: mean ~77/100, sd ~16."""
    return 100 * rng.beta(4.6, 1.4, n)


def batch_for(questionnaire: str, n: int, seed: int = 0, ward=None, **kwargs) -> CommentBatch:
    rng = np.random.default_rng(seed)
    return generate_comments(rng, questionnaire, national_satisfaction(rng, n), ward, **kwargs)


def plain(text: str) -> str:
    """Lower case without accents or typographic apostrophes, as styles may change both."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def all_texts(batch: CommentBatch) -> list[str]:
    return [text for box in BOXES for text in getattr(batch, box) if text]


@pytest.fixture(scope="module")
def mco() -> CommentBatch:
    return batch_for("mco48h", 60_000, seed=11)


@pytest.fixture(scope="module")
def by_questionnaire() -> dict[str, CommentBatch]:
    # A uniform satisfaction spread reaches rare combinations (negative themes in the positive
    # box and the reverse) faster than the national one.
    out = {}
    for seed, questionnaire in enumerate(QUESTIONNAIRES):
        rng = np.random.default_rng(100 + seed)
        out[questionnaire] = generate_comments(rng, questionnaire, rng.uniform(0, 100, 60_000))
    return out


# ---- taxonomy and bank -------------------------------------------------------------------


def test_themes_are_frozen_dataclasses_with_unique_codes():
    assert isinstance(THEMES, tuple)
    assert len(set(THEME_CODES)) == len(THEMES)
    for theme in THEMES:
        assert dataclasses.is_dataclass(theme)
        assert theme.label and len(theme.description) > 40
        assert set(theme.questionnaires) <= set(QUESTIONNAIRES)
        with pytest.raises(dataclasses.FrozenInstanceError):
            theme.code = "x"  # type: ignore[misc]


def test_rehabilitation_theme_is_smr_only():
    themes = {theme.code: theme for theme in THEMES}
    assert themes["reeducation"].questionnaires == ("smr",)
    assert themes["repas"].questionnaires == QUESTIONNAIRES


def test_every_theme_and_polarity_has_at_least_25_fragments():
    counts = fragment_counts()
    assert set(counts) == {(code, box) for code in THEME_CODES for box in BOXES}
    assert min(counts.values()) >= 25, {k: v for k, v in counts.items() if v < 25}


def test_bank_fragments_are_distinct_within_theme_and_polarity():
    bank = comments._bank()
    keys = [(f.theme, f.polarity, f.text) for f in bank.fragments]
    duplicates = {key for key in keys if keys.count(key) > 1}
    assert not duplicates


def test_bank_is_written_in_french():
    texts = [re.sub(r"\{\w+\}", " ", text) for text in bank_fragments()]  # drop {fields}
    words = {w for text in texts for w in re.findall(r"[a-z]+", text.lower())}
    assert not words & ENGLISH_WORDS


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="seed documents not available")
def test_no_bank_sentence_is_copied_from_the_seed_documents():
    def words(text: str) -> list[str]:
        return re.findall(r"[a-z0-9]+", re.sub(r"\{\w+\}", " ", plain(text)))

    seeds = " ".join(
        " ".join(words(path.read_text(encoding="utf-8", errors="replace")))
        for path in SEEDS_DIR.glob("*.txt")
    )
    seeds = f" {seeds} "
    # Whole sentences of at least 4 words: shorter ones ("à améliorer") are just French.
    copied = [
        text
        for text in bank_fragments()
        if len(words(text)) >= 4 and f" {' '.join(words(text))} " in seeds
    ]
    assert not copied


# ---- API contract -----------------------------------------------------------------------------


def test_same_seed_and_inputs_give_identical_output():
    first = batch_for("ca", 5_000, seed=3, ward=np.array(["ophtalmologie"] * 5_000))
    second = batch_for("ca", 5_000, seed=3, ward=np.array(["ophtalmologie"] * 5_000))
    for name, values in first.columns().items():
        assert values.tolist() == second.columns()[name].tolist(), name
    other = batch_for("ca", 5_000, seed=4)
    assert other.positive.tolist() != first.positive.tolist()


def test_columns_are_aligned_with_the_input(mco):
    assert len(mco) == 60_000
    for name, values in mco.columns().items():
        assert values.shape == (60_000,), name
        assert values.dtype == object, name
        assert all(isinstance(v, str) for v in values[:2_000]), name


def test_empty_boxes_have_empty_ground_truth(mco):
    for box in BOXES:
        empty = getattr(mco, box) == ""
        assert empty.any() and (~empty).any()
        assert (getattr(mco, f"{box}_themes")[empty] == "").all()
        assert (getattr(mco, f"{box}_polarity")[empty] == "").all()
        assert (getattr(mco, f"{box}_personal_data")[empty] == "[]").all()
        assert set(getattr(mco, f"{box}_polarity")[~empty]) <= set(POLARITIES)


def test_labels_agree_with_themes_and_box_polarity(mco):
    for box in BOXES:
        for themes, labels, polarity in zip(
            getattr(mco, f"{box}_themes"),
            getattr(mco, f"{box}_labels"),
            getattr(mco, f"{box}_polarity"),
            strict=True,
        ):
            pairs = [label.split(":") for label in labels.split(";") if label]
            assert [code for code, _ in pairs] == [c for c in themes.split(";") if c]
            assert all(code in THEME_CODES for code, _ in pairs)
            tones = {tone for _, tone in pairs}
            if polarity == "neutral":
                assert not pairs
            elif polarity == "mixed":
                assert "mixed" in tones or {"positive", "negative"} <= tones
            elif polarity:
                assert tones == {polarity}


def test_empty_input_gives_an_empty_batch():
    batch = generate_comments(np.random.default_rng(0), "smr", np.array([]))
    assert len(batch) == 0


@pytest.mark.parametrize(
    ("questionnaire", "satisfaction", "ward"),
    [
        ("hospit", np.array([50.0]), None),
        ("ca", np.array([np.nan]), None),
        ("ca", np.ones((2, 2)), None),
        ("ca", np.ones(3), np.array(["cardiologie"])),
    ],
)
def test_bad_inputs_are_rejected(questionnaire, satisfaction, ward):
    with pytest.raises(ValueError):
        generate_comments(np.random.default_rng(0), questionnaire, satisfaction, ward)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(0, 300),
    questionnaire=st.sampled_from(QUESTIONNAIRES),
    p=st.floats(0.0, 1.0),
)
def test_any_draw_keeps_spans_and_alignment(seed, n, questionnaire, p):
    rng = np.random.default_rng(seed)
    batch = generate_comments(
        rng,
        questionnaire,
        rng.uniform(0, 100, n),
        rng.choice(["maternite", "cardio", "x", None], n),
        p_personal_data=p,
    )
    assert all(len(values) == n for values in batch.columns().values())
    for box in BOXES:
        for text, spans in zip(
            getattr(batch, box), getattr(batch, f"{box}_personal_data"), strict=True
        ):
            for span in json.loads(spans):
                assert text[span["start"] : span["end"]] == span["text"]


# ---- personal data -----------------------------------------------------------------------------

SPAN_PATTERNS = {
    "phone": r"(\+33 \d|0\d)([ .]?\d\d){4}",
    "email": r"[a-z]+(\.[a-z]+|[a-z]*\d\d)@[a-z]+\.(fr|com|net)",
    "date": r"\d{1,2}(/\d\d/| [a-zéû]+ )\d{4}",
    "id_number": r"[12] \d\d \d\d \d\d \d{3} \d{3} \d\d|20\d\d-\d{6}",
    "person_name": r"[A-Za-zÀ-ÿ' -]+",
}


def test_personal_data_spans_point_at_the_personal_data(mco):
    names = {plain(n) for group in comments._bank().names.values() for n in group}
    seen = set()
    for box in BOXES:
        for text, spans in zip(
            getattr(mco, box), getattr(mco, f"{box}_personal_data"), strict=True
        ):
            for span in json.loads(spans):
                value = text[span["start"] : span["end"]]
                assert value == span["text"]
                assert span["type"] in PERSONAL_DATA_TYPES
                assert re.fullmatch(SPAN_PATTERNS[span["type"]], value.lower()), span
                if span["type"] == "person_name":
                    assert set(plain(value).split()) <= {w for n in names for w in n.split()}
                seen.add(span["type"])
    assert seen == set(PERSONAL_DATA_TYPES)


@pytest.mark.parametrize("p", [0.0, 0.03, 0.10])
def test_share_of_boxes_with_personal_data_follows_the_parameter(p):
    batch = batch_for("ca", 80_000, seed=5, p_personal_data=p)
    written = sum((getattr(batch, box) != "").sum() for box in BOXES)
    with_data = sum((getattr(batch, f"{box}_personal_data") != "[]").sum() for box in BOXES)
    assert with_data / written == pytest.approx(p, abs=0.004)


# ---- calibration and satisfaction ----------------------------------------------------------


def test_positive_to_negative_ratio_of_written_boxes_is_close_to_has_2022():
    # HAS 2022: 1 132 142 positive vs 882 826 negative usable comments, ratio 1.28.
    written = {box: 0 for box in BOXES}
    for seed, (questionnaire, n) in enumerate(
        (("ca", 170_000), ("mco48h", 120_000), ("smr", 10_000))
    ):
        batch = batch_for(questionnaire, n, seed=seed)
        for box in BOXES:
            written[box] += (getattr(batch, box) != "").sum()
    assert written["positive"] / written["negative"] == pytest.approx(1.28, abs=0.05)


def test_dissatisfied_patients_criticise_more_and_praise_less():
    def rates(score):
        rng = np.random.default_rng(int(score))
        batch = generate_comments(rng, "mco48h", np.full(40_000, float(score)))
        negative_written = batch.negative != ""
        n_negative_themes = [labels.count(":negative") for labels in batch.negative_labels]
        return (
            (batch.positive != "").mean(),
            negative_written.mean(),
            (batch.positive_polarity == "negative").mean(),
            np.mean(n_negative_themes),
        )

    unhappy, happy = rates(20), rates(95)
    assert unhappy[0] < happy[0] - 0.1  # fewer write what went well
    assert unhappy[1] > happy[1] + 0.2  # more write what went wrong
    assert unhappy[2] > happy[2] + 0.05  # "rien" in the positive box
    assert unhappy[3] > 2 * happy[3]  # and longer lists of problems


def test_happy_patients_write_praise_in_the_negative_box():
    rng = np.random.default_rng(8)
    batch = generate_comments(rng, "ca", np.full(20_000, 97.0))
    praise = batch.negative[batch.negative_polarity == "positive"]
    assert len(praise) > 0.15 * (batch.negative != "").sum()
    assert any(plain(text).startswith("rien") for text in praise)
    mixed = batch.negative_labels[batch.negative_polarity == "mixed"]
    assert all(":positive" in labels or ":mixed" in labels for labels in mixed)


# ---- themes and vocabulary per questionnaire and ward ------------------------------------------


@pytest.mark.parametrize("questionnaire", QUESTIONNAIRES)
def test_every_applicable_theme_appears_and_no_other(by_questionnaire, questionnaire):
    batch = by_questionnaire[questionnaire]
    applicable = {t.code for t in THEMES if questionnaire in t.questionnaires}
    for box in BOXES:
        for tone in ("positive", "negative"):
            seen = {
                label.split(":")[0]
                for labels in getattr(batch, f"{box}_labels")
                for label in labels.split(";")
                if label.endswith(tone)
            }
            if tone != box:  # contrasting remarks ("... mais repas froids") are rarer
                assert seen <= applicable
            else:
                assert seen == applicable, (box, tone, applicable - seen)


FORBIDDEN = {
    # No night, dinner or tray in ambulatory surgery: the patient goes home the same day.
    "ca": r"\bnuits?\b|\bdiner\b|\bplateau|petit[- ]dejeuner",
    # The collation is the ambulatory snack; longer stays have meals.
    "mco48h": r"\bcollation",
    # Rehabilitation patients do not go to the operating theatre during their stay.
    "smr": r"\bcollation|\bbloc\b|anesth|chirurg",
}


@pytest.mark.parametrize("questionnaire", QUESTIONNAIRES)
def test_vocabulary_fits_the_questionnaire(by_questionnaire, questionnaire):
    texts = [plain(text) for text in all_texts(by_questionnaire[questionnaire])]
    offending = [text for text in texts if re.search(FORBIDDEN[questionnaire], text)]
    assert not offending, offending[:3]
    if questionnaire == "ca":
        assert any("collation" in text for text in texts)


def test_ward_fragments_appear_only_in_their_ward():
    n = 40_000
    rng = np.random.default_rng(21)
    wards = rng.choice(np.array(["Maternité", "cardiologie", "orthopedie", None], object), n)
    batch = generate_comments(rng, "mco48h", national_satisfaction(rng, n), wards)
    maternity = r"sages?-femmes?|\bbebe|allaitement|allaite\b|accouch|peridurale|maternite"
    cardiology = r"coronarographie|infarctus|\bstent|\bscope"
    for box in BOXES:
        texts = [plain(text) for text in getattr(batch, box)]
        for pattern, ward in ((maternity, "Maternité"), (cardiology, "cardiologie")):
            hits = np.array([bool(re.search(pattern, text)) for text in texts])
            assert hits.any()
            assert (wards[hits] == ward).all()


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("Maternité", "maternite"),
        ("Chirurgie orthopédique", "chirurgie_orthopedique"),
        ("Orthopédie", "chirurgie_orthopedique"),
        ("Ophtalmologie", "ophtalmologie"),
        ("SMR locomoteur", "reeducation"),
        ("SMR neurologique", "reeducation"),
        ("Pneumologie", None),
        (None, None),
    ],
)
def test_ward_labels_are_matched_loosely(label, code):
    expected = 0 if code is None else list(comments.WARDS).index(code) + 1
    assert comments._ward_index(label) == expected


def test_unknown_or_incompatible_ward_gets_generic_fragments_only():
    n = 20_000
    batch = batch_for("smr", n, seed=2, ward=np.array(["maternite"] * n))  # no maternity in SMR
    assert not any(re.search(r"bebe|accouch", plain(text)) for text in all_texts(batch))


# ---- realism and volume ------------------------------------------------------------------------


def test_generated_text_is_french_and_varied(mco):
    texts = all_texts(mco)
    words = {w for text in texts for w in re.findall(r"[a-z]+", text.lower())}
    assert not words & ENGLISH_WORDS
    assert len(set(mco.positive.tolist())) > 15_000
    lengths = np.array([len(text) for text in texts])
    assert lengths.min() <= 3 and lengths.max() > 250  # from "." to several sentences
    assert any(text.isupper() for text in texts)  # some people write in capitals
    assert any("’" in text for text in texts) and any("'" in text for text in texts)


def test_two_hundred_thousand_rows_in_one_call():
    # Volume smoke test, not a timing: a campaign is generated in large vectorised calls.
    batch = batch_for("ca", 200_000, seed=9)
    assert len(batch) == 200_000
    assert 0.3 < (batch.positive != "").mean() < 0.8
