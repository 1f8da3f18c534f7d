-- Composition of the groupements hospitaliers de territoire (sources/ght.py, warehouse/ght.py,
-- docs/formats.md). One row per member; exactly one of finess_ej / finess_et is set: a member
-- given as an EJ means every ET of that EJ. Each import replaces the whole composition.
CREATE TABLE IF NOT EXISTS ght_members (
    ght_code VARCHAR,
    ght_name VARCHAR,
    support_finess_et VARCHAR,        -- the GHT's support establishment (an ET)
    finess_ej VARCHAR NULL,
    finess_et VARCHAR NULL,
    origin VARCHAR,                   -- import | hypothese_demo (sources.ght.ORIGIN_LABELS)
    import_run INTEGER
);
