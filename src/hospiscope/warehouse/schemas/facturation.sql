-- Billing and recovery (sources/facturation.py, docs/formats/facturation.md): invoices, one
-- row per invoice or batch of invoices, and the CDRi flag per establishment and year.
CREATE TABLE IF NOT EXISTS billing_invoices (
    finess_et VARCHAR NOT NULL,
    invoice_number VARCHAR NOT NULL,  -- unique per establishment
    debtor VARCHAR NOT NULL,          -- AMO | AMC | PATIENT | ETABLISSEMENT | AUTRE
    service_date DATE NOT NULL,       -- date of the care or end of the stay: its year is the
                                      -- invoice's year (period of the indicators)
    issue_date DATE NOT NULL,
    invoice_count INTEGER,            -- invoices of the line (a batch); NULL means 1
    amount DOUBLE NOT NULL,           -- euros, ≥ 0
    recovery_date DATE,               -- last payment received; NULL: nothing recovered yet
    recovered_amount DOUBLE,          -- euros recovered by then; NULL: nothing
    rejected BOOLEAN,                 -- rejected by the debtor; NULL means false
    rejection_reason VARCHAR,
    import_run_id INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS billing_cdri (
    finess_et VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    cdri BOOLEAN NOT NULL,            -- rights of the compulsory insurance consulted with CDRi
    import_run_id INTEGER NOT NULL
);
