"""The indicator files are the definition: their literal META, merged with the family
defaults, is the metadata of the catalogue; it is read without importing any computation,
and an invalid or non-literal META fails with an error naming its file."""

import subprocess
import sys

import pytest

from hospiscope.catalogue import catalogue, catalogue_meta, get_meta
from hospiscope.catalogue.definitions import _certification, audit_had_dossier
from hospiscope.catalogue.loader import (
    DEFINITIONS,
    MetadataError,
    definition_files,
    indicator_meta,
    read_literal,
)
from hospiscope.catalogue.lookup import UnknownIndicator
from hospiscope.certification import DECISION_LABELS, RANK, Result, criterion
from hospiscope.certification.referential import RESULT_LABELS, UNNAMED_IMPERATIVE_NOTE
from hospiscope.certification.schedule import ASSUMPTIONS as SCHEDULE_ASSUMPTIONS


def test_metadata_is_read_without_computation_code():
    script = (
        "import sys; from hospiscope.catalogue import catalogue_meta; "
        "assert len(catalogue_meta()) == 76; "
        "print(sorted(m for m in ('ibis', 'pandas', 'scipy', 'statsmodels') if m in sys.modules))"
    )
    found = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == "[]"


def test_the_catalogue_uses_the_metadata_of_its_files():
    metas = catalogue_meta()
    assert list(metas) == list(catalogue())
    assert all(indicator.meta == metas[code] for code, indicator in catalogue().items())
    assert len(definition_files()) == len(metas)


def test_metadata_lookup_ignores_case_and_suggests_codes():
    assert get_meta("icsha2").code == "ICSHA2"
    with pytest.raises(UnknownIndicator, match="ICSHA2"):
        get_meta("ICSHA")


def _definition(tmp_path, body: str):
    path = tmp_path / "bad_indicator.py"
    path.write_text(f"META = {body}\n", "utf-8")
    return path


def test_an_invalid_literal_names_its_file_and_field(tmp_path):
    path = _definition(tmp_path, repr(audit_had_dossier.META | {"method_version": "v2"}))
    expected = r"(?s)bad_indicator\.py: invalid metadata.*method_version"
    with pytest.raises(MetadataError, match=expected):
        indicator_meta(read_literal(path, "META"), path)


def test_a_non_literal_meta_names_its_file_and_line(tmp_path):
    path = _definition(tmp_path, '{"code": f"AUDIT_{1}"}')
    with pytest.raises(MetadataError, match=r"bad_indicator\.py, line 1: META must be a plain"):
        read_literal(path, "META")


def test_a_file_may_not_repeat_its_family_defaults(tmp_path):
    literal = audit_had_dossier.META | {"ci_method": "exact"}
    with pytest.raises(MetadataError, match=r"repeats the defaults of _audits.DEFAULTS.*ci_method"):
        indicator_meta(literal, tmp_path / "x.py")
    other = indicator_meta(audit_had_dossier.META | {"ci_method": "wilson"}, tmp_path / "x.py")
    assert other.ci_method == "wilson"  # overriding a default with another value is allowed


def test_every_family_defaults_literal_is_used():
    used = {read_literal(path, "META").get("defaults") for path in definition_files()}
    for module in DEFINITIONS.glob("_*.py"):
        text = module.read_text("utf-8")
        for line in text.splitlines():
            if line.endswith("DEFAULTS = {"):
                assert f"{module.stem}.{line.split(' = ')[0]}" in used


def test_certification_labels_agree_with_the_referential():
    """The definition files state the labels and assumptions of certification/ in full: they
    must not drift from it."""
    decisions = sorted(RANK, key=RANK.__getitem__, reverse=True)
    assert set(SCHEDULE_ASSUMPTIONS) <= set(get_meta("CERT_DECISION").assumptions)
    assert get_meta("CERT_DECISION").class_labels == tuple(
        (d.value, DECISION_LABELS[d]) for d in decisions
    )
    assert _certification.CRITERION_DEFAULTS["class_labels"] == tuple(
        (r.value, RESULT_LABELS[r]) for r in (Result.MET, Result.NOT_MET)
    )
    for code, meta in catalogue_meta().items():
        if code.startswith("CERT_IMP_"):
            own = criterion(code.removeprefix("CERT_IMP_"))
            assert meta.label.endswith(own.label)
            assert UNNAMED_IMPERATIVE_NOTE in meta.assumptions
            assert not own.assumption or own.assumption in meta.assumptions


def test_targets_name_their_source_and_audit_targets_are_assumptions():
    for code, meta in catalogue_meta().items():
        if meta.target is None:
            assert meta.target_source is None, code
        elif code.startswith("AUDIT_"):  # no audit objective is published in our sources
            assert "hypothèse hospiscope" in meta.target_source
            assert meta.target_source in meta.assumptions


def test_every_review_record_is_honest():
    for code, meta in catalogue_meta().items():
        review = meta.review
        assert review.checked, f"{code}: say what was checked and against what"
        assert review.open_questions, code
        # No second person has checked a definition yet: none may be invented.
        assert review.checked_by is None, code
