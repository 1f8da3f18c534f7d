-- Certification of health establishments by HAS (sources/certification.py,
-- docs/formats/certification.md). Codes are those of hospiscope.certification.

CREATE TABLE IF NOT EXISTS certification_decisions (
    finess_et VARCHAR NOT NULL,
    decision_date DATE NOT NULL,
    decision VARCHAR NOT NULL,        -- certifie_mention | certifie | certifie_sous_conditions
                                      -- | non_certifie
    cycle INTEGER NOT NULL,           -- 5 (référentiel 2021) | 6 (référentiel 2025)
    visit_date DATE,                  -- the visit the decision follows (NULL: not known)
    import_run_id INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS certification_criteria (
    finess_et VARCHAR NOT NULL,
    visit_date DATE NOT NULL,
    cycle INTEGER NOT NULL,
    criterion VARCHAR NOT NULL,       -- hospiscope code (certification/referential.py)
    criterion_type VARCHAR NOT NULL,  -- imperatif | standard | avance
    result VARCHAR NOT NULL,          -- satisfait | non_satisfait | non_applicable
    import_run_id INTEGER NOT NULL
);
