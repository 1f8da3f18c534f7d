-- Imports replaced by a corrected file (`hospiscope import … --remplace`, warehouse/replacement.py):
-- the rows of the replaced campaigns are removed in the transaction that imports the correction.
-- Results computed from a replaced run keep it in their import_runs: they are then stale.
CREATE TABLE IF NOT EXISTS replaced_imports (
    run_id INTEGER NOT NULL,          -- the replaced import run
    replaced_by INTEGER NOT NULL,     -- the import run of the corrected file
    replaced_at TIMESTAMP NOT NULL,
    scope VARCHAR NOT NULL,           -- what was replaced, in French ("campagne 2024")
    rows_removed INTEGER NOT NULL,
    rows_kept INTEGER NOT NULL        -- rows of the run outside the replaced campaigns
);
