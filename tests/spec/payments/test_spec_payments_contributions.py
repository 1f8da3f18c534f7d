"""Social contributions paid at their due date: per establishment and year of the month of
pay, contributions paid no more than 3 days before their due date and not after it
(numerator) over contributions (denominator); the due date is the file's, else the 5th of
the following month (January of the next year for December); a contribution without a
payment date is late. Aggregates pool the counts (speclib checks the levels)."""

from hospiscope.catalogue import get_indicator

from speclib import run_spec

CONTRIBUTIONS = """
finess_et | year | month | body    | due_on     | paid_on    | amount | import_run_id
010000024 | 2024 | 1     | URSSAF  |            | 2024-02-05 | 1000   | 1
010000024 | 2024 | 1     | CNRACL  | 2024-02-05 | 2024-02-02 | 800    | 1
010000024 | 2024 | 2     | URSSAF  |            | 2024-02-28 | 1000   | 1
010000024 | 2024 | 2     | CNRACL  | 2024-03-05 | 2024-03-06 | 800    | 1
010000024 | 2024 | 12    | URSSAF  |            | 2025-01-03 | 1000   | 1
010000024 | 2024 | 12    | CNRACL  |            |            | 800    | 1
010000024 | 2024 | 3     | URSSAF  | 2024-04-08 | 2024-04-08 | 1000   | 1
010000024 | 2023 | 12    | URSSAF  |            | 2024-01-05 | 900    | 1
010002129 | 2024 | 6     | IRCANTEC| 2024-07-05 | 2024-07-05 | 50     | 1
"""


def test_contributions_paid_at_their_due_date(engine, warehouse_schemas):
    run_spec(
        engine,
        warehouse_schemas,
        get_indicator("EFF_COTISATIONS_ECHEANCE"),
        {"social_contributions": CONTRIBUTIONS},
        {
            # At the due date: January URSSAF (5 Feb by default), January CNRACL (3 days
            # early: tolerated), December URSSAF (5 Jan 2025 by default, 2 days early), March
            # URSSAF (the file's due date). Not: February URSSAF (6 days early), February
            # CNRACL (1 day late), December CNRACL (not paid).
            ("etablissement", "010000024", "2024"): (4, 7),
            ("etablissement", "010000024", "2023"): (1, 1),  # paid 5 January 2024
            ("etablissement", "010002129", "2024"): (1, 1),
        },
    )
