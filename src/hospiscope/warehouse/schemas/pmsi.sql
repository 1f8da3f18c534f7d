-- Stays with a total hip (non-fracture) or knee replacement, for ISO-ORTHO.
CREATE TABLE IF NOT EXISTS arthroplasty_stays (
    finess_et VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    stay_id VARCHAR NOT NULL,
    procedure VARCHAR NOT NULL,       -- PTH | PTG
    age INTEGER NOT NULL,
    sex VARCHAR NOT NULL,
    obesity BOOLEAN NOT NULL,
    diabetes BOOLEAN NOT NULL,
    comorbidity VARCHAR NOT NULL,     -- Charlson class: 0 | 1-2 | 3+
    infection BOOLEAN NOT NULL,       -- surgical-site infection within 90 days
    import_run_id INTEGER NOT NULL
);
