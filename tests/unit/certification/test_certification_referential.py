"""The referential: the imperative criteria our sources name for the 5th cycle, by public;
the 6th cycle's additions; decisions and their order; the domain module stays below the
catalogue, engines and results."""

import ast

import pytest

from hospiscope.certification import (
    CERTIFIED,
    CRITERIA,
    CYCLES,
    RANK,
    CriterionType,
    Decision,
    Public,
    criteria_of,
    criterion,
    decision_of_rank,
    imperative_criteria,
)
from hospiscope.certification.referential import PUBLISHED_IMPERATIVE_COUNT

from support import ROOT


def test_fifth_cycle_imperative_criteria_by_public():
    """facts.md §2: 4 subjects for the patient, 7 for care teams, 5 for the establishment."""
    criteria = imperative_criteria(5)
    by_public = {p: [c.code for c in criteria if c.public is p] for p in Public}
    assert len(by_public[Public.PATIENT]) == 4
    assert len(by_public[Public.CARE_TEAMS]) == 7
    assert len(by_public[Public.ESTABLISHMENT]) == 5
    assert "CHECKLIST_BLOC" in by_public[Public.CARE_TEAMS]
    assert "URGENCES_VITALES" in by_public[Public.ESTABLISHMENT]


def test_published_count_is_17_and_the_gap_is_stated():
    assert PUBLISHED_IMPERATIVE_COUNT[5] == 17
    assert len(imperative_criteria(5)) == 16  # the subjects our sources name


def test_sixth_cycle_adds_esatis_as_imperative_and_keeps_a_referential_per_cycle():
    assert criterion("ESATIS").type is CriterionType.IMPERATIVE
    assert criterion("ESATIS") not in criteria_of(5)
    assert {"ESATIS", "PERTINENCE_ANTIBIOTIQUES"} <= {c.code for c in imperative_criteria(6)}
    assert {"ENGAGEMENT_PATIENT", "DMN_IA"} <= {c.code for c in criteria_of(6)}
    assert CYCLES[6].applicable_from.isoformat() == "2025-09-01"


def test_every_unsourced_choice_is_labelled():
    for item in CRITERIA:
        assert item.source and item.label[0].isupper()
        if 6 in item.cycles and item.type is CriterionType.IMPERATIVE:
            assert item.assumption, item.code  # carried over or public chosen by hospiscope
    assert all(c.assumption is None or "hypothèse" in c.assumption.lower() for c in CRITERIA)


def test_codes_are_stable_identifiers():
    codes = [c.code for c in CRITERIA]
    assert len(codes) == len(set(codes))
    assert all(code.replace("_", "").isalnum() and code.isupper() for code in codes)


def test_unknown_criterion_and_cycle():
    with pytest.raises(KeyError, match="critère de certification inconnu"):
        criterion("NOPE")
    with pytest.raises(KeyError, match="cycle de certification inconnu"):
        criteria_of(4)


def test_decisions_order_and_certified():
    assert sorted(Decision, key=RANK.__getitem__) == [
        Decision.NOT_CERTIFIED,
        Decision.CONDITIONS,
        Decision.CERTIFIED,
        Decision.MENTION,
    ]
    assert set(CERTIFIED) == {Decision.MENTION, Decision.CERTIFIED}
    assert decision_of_rank(2) is Decision.CONDITIONS
    with pytest.raises(ValueError):
        decision_of_rank(5)


def test_domain_module_imports_no_higher_layer():
    for path in sorted((ROOT / "src" / "hospiscope" / "certification").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("hospiscope.") or node.module.startswith(
                    "hospiscope.certification"
                ), (path.name, node.module)
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("hospiscope.") for a in node.names)
