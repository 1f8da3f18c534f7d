-- hospiscope warehouse schema, version 3 (see warehouse.py for migrations). Codes (FINESS, INSEE) are VARCHAR: leading zeros
-- and Corsica's 2A/2B must survive.

CREATE TABLE IF NOT EXISTS schema_info (version INTEGER NOT NULL);

CREATE SEQUENCE IF NOT EXISTS import_run_ids START 1;
CREATE TABLE IF NOT EXISTS import_runs (
    run_id INTEGER PRIMARY KEY,
    kind VARCHAR NOT NULL,            -- registry | esatis_responses | capacity
    layout VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    source_path VARCHAR,
    sha256 VARCHAR NOT NULL,
    encoding VARCHAR,
    rows_read INTEGER NOT NULL,
    rows_accepted INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    duration_s DOUBLE NOT NULL,
    options JSON,
    metadata JSON,
    hospiscope_version VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS import_issues (
    run_id INTEGER NOT NULL,
    line INTEGER NOT NULL,
    column_name VARCHAR,
    severity VARCHAR NOT NULL,        -- erreur (rejected line) | avertissement
    reason VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS establishments (
    finess_et VARCHAR PRIMARY KEY,
    finess_ej VARCHAR,
    name VARCHAR,
    name_long VARCHAR,
    category_code VARCHAR,
    category_label VARCHAR,
    category_group_code VARCHAR,
    category_group_label VARCHAR,
    legal_status VARCHAR NOT NULL,
    legal_status_basis VARCHAR NOT NULL,
    street VARCHAR,
    postcode VARCHAR,
    city VARCHAR,
    commune_code VARCHAR,
    department_code VARCHAR,
    region_code VARCHAR,
    longitude DOUBLE,
    latitude DOUBLE,
    geo_source VARCHAR,
    opened_on DATE,
    updated_on DATE,
    source_line INTEGER,
    import_run_id INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS capacity (
    finess_et VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    beds_mco INTEGER, places_mco INTEGER,
    beds_smr INTEGER, places_smr INTEGER,
    beds_psy INTEGER, places_psy INTEGER,
    beds_sld INTEGER,
    import_run_id INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS esatis_participation (
    finess_et VARCHAR NOT NULL,
    campaign INTEGER NOT NULL,
    questionnaire VARCHAR NOT NULL,
    participated BOOLEAN NOT NULL,     -- false: NR (non répondant)
    validated BOOLEAN NOT NULL,        -- false: NV (non validé)
    import_run_id INTEGER NOT NULL
);

-- e-Satis response tables (one per questionnaire) are created from the questionnaire
-- catalogue: see warehouse/esatis.py.

CREATE TABLE IF NOT EXISTS stratifications (
    code VARCHAR PRIMARY KEY,
    label VARCHAR NOT NULL,
    description VARCHAR NOT NULL,
    assumption VARCHAR               -- shown in the product when the grouping is ours
);

CREATE TABLE IF NOT EXISTS peer_groups (
    stratification VARCHAR NOT NULL,
    finess_et VARCHAR NOT NULL,
    group_code VARCHAR NOT NULL,
    group_label VARCHAR NOT NULL
);

CREATE SEQUENCE IF NOT EXISTS peer_list_ids START 1;
CREATE TABLE IF NOT EXISTS peer_lists (
    list_id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL UNIQUE,
    description VARCHAR,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS peer_list_members (
    list_id INTEGER NOT NULL,
    finess_et VARCHAR NOT NULL
);

CREATE SEQUENCE IF NOT EXISTS computation_ids START 1;
CREATE TABLE IF NOT EXISTS computation_runs (
    computation_id INTEGER PRIMARY KEY,
    engine VARCHAR NOT NULL,
    indicators VARCHAR[] NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    duration_s DOUBLE NOT NULL,
    hospiscope_version VARCHAR NOT NULL,
    import_runs_seen INTEGER[]         -- import runs in the warehouse when it ran (staleness)
);

-- The results table is created from its declaration, warehouse/results_schema.py: the one
-- list of result columns (name, type, meaning) that finalisation and storage also read.
