-- Hand hygiene (sources/hygiene.py): consumption of alcohol-based hand rub and personalised
-- objective per establishment and campaign year. NULL volumes: missing data (status DI).
CREATE TABLE IF NOT EXISTS hygiene_icsha (
    finess_et VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    version VARCHAR NOT NULL,          -- ICSHA.2 | ICSHA.3 (one indicator per version)
    volume_litres DOUBLE,
    objective_litres DOUBLE,
    not_concerned BOOLEAN,             -- true: NC (non concerné); NULL means false
    import_run_id INTEGER NOT NULL
);
