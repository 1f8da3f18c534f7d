"""Rejection rate: invoices rejected by the compulsory insurer (AMO) / invoices sent to it, in
number of invoices (`invoice_count`, NULL = 1), per establishment and year of care; other
debtors do not count. The CDRi flag of the establishment and year rides along as
`stat_cdri` / `stat_sans_cdri`, and the finish gives each establishment the national mean of
its kind (1.29 % with CDRi, 3.59 % without: the bounds of grids/facturation.yaml)."""

import json

import pandas as pd
import pytest

from hospiscope.catalogue import get_indicator
from hospiscope.results.finalize import finalize

from speclib import run_spec

COLUMNS = (
    "finess_et | invoice_number | debtor | service_date | issue_date | invoice_count | "
    "amount | rejected | rejection_reason | import_run_id"
)
# 010000024, 2023: 100 + 3 + 1 (an empty count is one invoice) sent, 3 + 1 rejected; the
# rejected AMC batch does not count. 010002129: nothing rejected (an empty flag is `non`).
# 2A0000022, 2024: no CDRi line.
INVOICES = f"""
{COLUMNS}
010000024 | A1 | AMO | 2023-02-01 | 2023-02-20 | 100 | 9000 | false |          | 1
010000024 | A2 | AMO | 2023-02-01 | 2023-02-20 | 3   | 270  | true  | droits   | 1
010000024 | A3 | AMO | 2023-05-01 | 2023-05-20 |     | 90   | true  | doublon  | 1
010000024 | A4 | AMC | 2023-05-01 | 2023-05-20 | 7   | 300  | true  | contrat  | 1
010002129 | B1 | AMO | 2023-08-01 | 2023-08-09 | 50  | 4000 |       |          | 1
2A0000022 | C1 | AMO | 2024-03-01 | 2024-03-09 | 10  | 900  | false |          | 1
2A0000022 | C2 | AMO | 2024-03-01 | 2024-03-30 | 1   | 90   | true  | droits   | 1
"""
CDRI = """
finess_et | year | cdri  | import_run_id
010000024 | 2023 | true  | 2
010000024 | 2022 | true  | 2
010002129 | 2023 | false | 2
"""
E = "etablissement"
EXPECTED = {
    (E, "010000024", "2023"): (4, 104),
    (E, "010002129", "2023"): (0, 50),
    (E, "2A0000022", "2024"): (1, 11),
}


def test_rejected_over_sent_invoices(engine, warehouse_schemas):
    run_spec(
        engine,
        warehouse_schemas,
        get_indicator("EFF_TAUX_REJET"),
        {"billing_invoices": INVOICES, "billing_cdri": CDRI},
        EXPECTED,
    )


@pytest.fixture(scope="module")
def published(warehouse_schemas):
    from speclib import arrow_table

    indicator = get_indicator("EFF_TAUX_REJET")
    frames = {
        "billing_invoices": arrow_table(warehouse_schemas["billing_invoices"], INVOICES),
        "billing_cdri": arrow_table(warehouse_schemas["billing_cdri"], CDRI),
    }
    raw = indicator.reference({name: table.to_pandas() for name, table in frames.items()})
    raw = raw.assign(entity_kind="etablissement")
    national = raw.drop(columns=["entity_id"]).groupby("period", as_index=False).sum()
    national = national.assign(entity_kind="national", entity_id="FR")
    out = finalize(indicator, pd.concat([raw, national], ignore_index=True))
    return out.set_index(["entity_kind", "entity_id", "period"])


def test_cdri_flags_and_the_mean_of_its_kind(published):
    with_cdri = json.loads(published.loc[(E, "010000024", "2023"), "details"])
    assert with_cdri["cdri"] == "oui" and with_cdri["reference_moyenne_pct"] == 1.29
    assert with_cdri["ecart_reference_points"] == pytest.approx(4 / 104 * 100 - 1.29, abs=0.01)
    without = json.loads(published.loc[(E, "010002129", "2023"), "details"])
    assert without["cdri"] == "non" and without["reference_moyenne_pct"] == 3.59
    unknown = json.loads(published.loc[(E, "2A0000022", "2024"), "details"])
    assert unknown["cdri"] == "non renseigné" and "reference_moyenne_pct" not in unknown
    group = json.loads(published.loc[("national", "FR", "2023"), "details"])
    assert group["etablissements_avec_cdri"] == 1 and group["etablissements_sans_cdri"] == 1


def test_classes_against_the_two_means(published):
    # 3.85 %: beyond the mean without CDRi; 0 %: below the mean with CDRi; 9.1 %: beyond.
    classes = published["class"].to_dict()
    assert classes[(E, "010000024", "2023")] == "moyenne_sans_cdri_ou_plus"
    assert classes[(E, "010002129", "2023")] == "sous_moyenne_cdri"
    assert published.loc[(E, "010000024", "2023"), "ci_method"] == "Wilson"
