-- HAS open data in its current long layout, the BQSS (sources/bqss, docs/formats.md « BQSS »).
-- Mapped keys become results of origin 'publie' (table results); the rest is kept here.

CREATE TABLE IF NOT EXISTS bqss_metadata (
    name VARCHAR NOT NULL,            -- the key
    title VARCHAR,
    description VARCHAR,
    type VARCHAR NOT NULL,            -- integer, float, string, classe, boolean, date, …
    source VARCHAR,                   -- IQSS questionnaire patient, Certification v2021, …
    extra JSON,                       -- indicateur, secteur, theme, version, finess_type…
    source_line INTEGER NOT NULL,
    import_run_id INTEGER NOT NULL
);

-- HAS's own list of establishments (every FINESS category, historised): reference data, so its
-- columns keep HAS's names (num_finess_et) and it is not counted as data about establishments
-- (warehouse/unregistered.py looks for finess_et).
CREATE TABLE IF NOT EXISTS bqss_establishments (
    num_finess_et VARCHAR NOT NULL,
    num_finess_ej VARCHAR,
    name VARCHAR,
    extra JSON,                       -- the other columns of the establishment file
    source_line INTEGER NOT NULL,
    import_run_id INTEGER NOT NULL
);

-- Lines of the values file whose key hospiscope does not map (kept, never an error).
CREATE TABLE IF NOT EXISTS bqss_raw_values (
    year INTEGER NOT NULL,
    finess VARCHAR NOT NULL,
    finess_type VARCHAR NOT NULL,     -- geo | jur
    key VARCHAR NOT NULL,
    value_boolean BOOLEAN,
    value_string VARCHAR,
    value_integer BIGINT,
    value_float DOUBLE,
    value_date DATE,
    missing_value VARCHAR,
    source_line INTEGER NOT NULL,
    import_run_id INTEGER NOT NULL
);
