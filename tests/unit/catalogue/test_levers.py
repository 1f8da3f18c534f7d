"""The lever catalogue (catalogue/levers/levers.yaml): every measure of the annex XII table is
there, in order, with a stable id, a field of action and a lever type from the closed lists,
its scope, and indicator codes that exist in the catalogue or are planned by issue 11; an
invalid file fails with a French sentence naming the entry."""

import copy
import subprocess
import sys

import pytest

from hospiscope.catalogue import catalogue_meta
from hospiscope.catalogue.levers import (
    FIELDS,
    PARTS,
    PLANNED,
    LeverError,
    get_lever,
    levers,
    levers_for,
)
from hospiscope.catalogue.levers import model as lever_model
from hospiscope.catalogue.levers.docs import render_levers
from hospiscope.catalogue.levers.loader import parse, read_raw
from hospiscope.catalogue.levers.model import PREFIX, TABLE, TYPE_RANK

# Counted by hand in the seed's text (shared/seeds/003_724bce3d4c598e12.txt, annex XII §1,
# text lines 200-279): one measure per bullet of the « Mesures » column, a measure cut by a page
# break counted once (CASF/EHPAD billing, heavy-imaging steering), cells without bullets split
# by meaning (absenteeism 2, capacity 2, alternatives 3, imaging 2). 79 = 56 in the part
# « fonctions administratives, financières et techniques » + 23 in « activités de soins ».
MEASURES_IN_THE_TABLE = 79
# In italics in the annex (national measures), cross-checked with its « Mesure nationale » notes.
NATIONAL = {
    "L-FACT-09",
    "L-RECO-06",
    "L-ACHA-02",
    "L-MOL-01",
    "L-SICV-02",
    "L-SICV-03",
    "L-SILOG-01",
    "L-FONC-01",
    "L-MOA-01",
}
# Planned codes built alongside this catalogue by the other parts of issue 11 (billing and
# recovery, stocks and payments): they may already be in the catalogue when the parts are
# merged; move them to `indicators` then. Any other planned code found in the catalogue fails.
BUILT_ALONGSIDE = {
    "EFF_DELAI_FACTURATION",
    "EFF_DELAI_FACT_AMO",
    "EFF_DELAI_FACT_AMC",
    "EFF_DELAI_FACT_PATIENT",
    "EFF_DELAI_FACT_INTER",
    "EFF_TAUX_REJET",
    "EFF_RECOUVREMENT_AMC_6M",
    "EFF_CREANCES_PATIENT",
    "EFF_STOCK_MEDICAMENTS",
    "EFF_STOCK_DM",
    "EFF_STOCK_AUTRES",
    "EFF_DELAI_PAIEMENT",
    "EFF_COTISATIONS_ECHEANCE",
}


def test_every_measure_of_the_table_is_there():
    found = levers()
    assert len(found) == MEASURES_IN_THE_TABLE
    assert sum(1 for lever in found if lever.part == "fonctions") == 56
    assert {lever.id for lever in found if lever.scope == "national"} == NATIONAL


def test_ids_are_unique_stable_and_in_the_table_order():
    found = levers()
    ids = [lever.id for lever in found]
    assert len(set(ids)) == len(ids)
    ranks = [TYPE_RANK[(lever.field, lever.lever_type)] for lever in found]
    assert ranks == sorted(ranks)
    assert all(lever.id.startswith(f"L-{PREFIX[lever.lever_type]}-") for lever in found)
    # Every lever type of the closed list has at least one measure.
    assert {(lever.field, lever.lever_type) for lever in found} == set(TYPE_RANK)


def test_fields_and_lever_types_come_from_the_closed_lists():
    assert set(PARTS) == {part for part, _, _ in TABLE}
    for lever in levers():
        assert lever.field in FIELDS
        assert lever.lever_type in FIELDS[lever.field]
        assert lever.part in PARTS


def test_every_lever_has_a_source_and_a_review_record():
    for lever in levers():
        assert "annexe XII" in lever.source_document
        assert lever.source_section.startswith(f"§ 1 › {lever.field} › ")
        assert lever.review.authored_by
        assert lever.review.next_review > lever.review.reviewed_on


def test_every_named_indicator_exists():
    known = catalogue_meta()
    for lever in levers():
        missing = [code for code in lever.indicators if code not in known]
        assert not missing, f"{lever.id}: codes absent from the catalogue {missing}"


def test_every_planned_code_is_planned_and_not_built_yet():
    known = catalogue_meta()
    for lever in levers():
        assert set(lever.planned_indicators) <= set(PLANNED), lever.id
        landed = [c for c in lever.planned_indicators if c in known and c not in BUILT_ALONGSIDE]
        assert not landed, f"{lever.id}: {landed} now exist: move them to `indicators`"


def test_no_code_is_unknown_to_both_the_catalogue_and_the_plan():
    known = set(catalogue_meta()) | set(PLANNED)
    for lever in levers():
        assert set(lever.codes) <= known, lever.id


def test_the_planned_list_is_literal_and_unique():
    assert len(set(PLANNED)) == len(PLANNED)
    assert set(PLANNED) >= BUILT_ALONGSIDE
    assert all(code.startswith("EFF_") for code in PLANNED)


def test_evidence_is_what_the_catalogue_holds_now(monkeypatch):
    assert get_lever("L-SORT-01").evidence() == ("AUDIT_MCO_QLS", "AUDIT_CA_QLS")
    assert get_lever("l-fact-05").evidence() == ("EFF_DELAI_FACT_INTER",)  # landed, moved
    assert "EFF_TROS" not in get_lever("L-BLOC-01").evidence()  # still planned
    # When a planned definition lands, the lever's evidence includes it without any edit.
    landed = dict(catalogue_meta()) | {"EFF_TROS": None}
    monkeypatch.setattr(lever_model, "catalogue_meta", lambda: landed)
    assert "EFF_TROS" in get_lever("L-BLOC-01").evidence()


def test_levers_for_an_indicator():
    assert [lever.id for lever in levers_for("eff_tros")] == ["L-BLOC-01", "L-BLOC-04", "L-BLOC-05"]
    assert [lever.id for lever in levers_for("AUDIT_MCO_QLS")] == ["L-SORT-01"]
    assert levers_for("REG_ETAB") == ()
    with pytest.raises(LeverError, match="levier inconnu"):
        get_lever("L-XXX-01")


def test_levers_load_without_computation_code():
    script = (
        "import sys; from hospiscope.catalogue.levers import levers; "
        "assert [l.evidence() for l in levers()]; "
        "print(sorted(m for m in ('ibis', 'pandas', 'scipy') if m in sys.modules))"
    )
    found = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == "[]"


# --- invalid files: a French sentence naming the entry ------------------------------------


def _raw_with(position: int, **changes):
    raw = copy.deepcopy(read_raw())
    entry = raw["levers"][position - 1]
    for key, value in changes.items():
        if value is None:
            entry.pop(key)
        else:
            entry[key] = value
    return raw


@pytest.mark.parametrize(
    ("position", "changes", "message"),
    [
        (3, {"scope": "régional"}, r"entrée n° 3 \(L-FACT-03\) : « scope » : valeur non admise"),
        (3, {"label": None}, r"entrée n° 3 \(L-FACT-03\) : « label » : champ obligatoire absent"),
        (2, {"colour": "bleu"}, r"entrée n° 2 \(L-FACT-02\) : « colour » : champ inconnu"),
        (1, {"field": "Cuisine"}, r"entrée n° 1 \(L-FACT-01\) : .*champ d'action inconnu"),
        (1, {"lever_type": "Absentéisme"}, r"type de levier « Absentéisme » inconnu pour le"),
        (1, {"id": "L-RECO-01"}, r"l'identifiant d'un levier de ce type commence par L-FACT-"),
        (2, {"id": "L-FACT-01"}, r"entrée n° 2 \(L-FACT-01\) : identifiant déjà utilisé"),
        (2, {"id": "L-FACT-07"}, r"entrée n° 2 \(L-FACT-07\) : numéro attendu 02"),
        (1, {"planned_indicators": ["EFF_INCONNU"]}, r"absents de la liste PLANNED"),
        (1, {"indicators": ["EFF_TROS", "EFF_TROS"]}, r"cités deux fois"),
        (1, {"indicators": ["pas un code"]}, r"codes d'indicateurs mal formés"),
    ],
)
def test_an_invalid_entry_is_named_in_french(position, changes, message):
    with pytest.raises(LeverError, match=message):
        parse(_raw_with(position, **changes))


def test_an_entry_out_of_the_table_order_is_refused():
    raw = copy.deepcopy(read_raw())
    raw["levers"].insert(0, raw["levers"].pop(9))  # L-RECO-01 before the billing measures
    with pytest.raises(LeverError, match=r"entrée n° 2 \(L-FACT-01\) : hors de l'ordre"):
        parse(raw)


def test_an_invalid_review_date_is_named():
    raw = _raw_with(4, review={"reviewed_on": "hier"})
    with pytest.raises(LeverError, match=r"« review\.reviewed_on » : date invalide"):
        parse(raw)


# --- the generated page --------------------------------------------------------------------


def test_the_page_lists_every_lever_national_apart():
    text = render_levers()
    assert all(f"### {lever.id}" in text for lever in levers())
    section = text.split("### Systèmes d'information")[1].split("\n### ")[0]
    local, national = section.split("Mesures nationales :")
    assert "[L-SICV-01]" in local and "[L-SICV-02]" not in local
    assert "[L-SICV-02]" in national and "[L-SICV-03]" in national
    assert "[AUDIT_MCO_QLS](AUDIT_MCO_QLS.md)" in text
    assert "EFF_TROS (prévu)" in text
    assert "non relu par un second relecteur" in text
