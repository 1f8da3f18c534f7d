-- Staff flu vaccination (sources/vaccination.py): staff vaccinated and staff total per
-- establishment and winter season. NULL counts: missing data (status DI).
CREATE TABLE IF NOT EXISTS vaccination_grippe (
    finess_et VARCHAR NOT NULL,
    season VARCHAR NOT NULL,           -- "2023-2024"
    vaccinated INTEGER,
    staff INTEGER,
    not_concerned BOOLEAN,             -- true: NC (non concerné); NULL means false
    import_run_id INTEGER NOT NULL
);
