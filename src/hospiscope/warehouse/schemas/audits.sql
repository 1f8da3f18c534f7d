-- Record audits (process indicators, QUALHAS-like): one row per audited record and indicator.
CREATE TABLE IF NOT EXISTS audit_records (
    finess_et VARCHAR NOT NULL,
    campaign INTEGER NOT NULL,        -- HAS campaign publishing the result
    indicator VARCHAR NOT NULL,       -- sources/audits.py INDICATORS (CA_QLS, HAD_DOSSIER…)
    record_number INTEGER NOT NULL,   -- order number in the audit sample, not a patient id
    outcome VARCHAR NOT NULL,         -- oui | non | NA (record excluded from the indicator)
    import_run_id INTEGER NOT NULL
);
