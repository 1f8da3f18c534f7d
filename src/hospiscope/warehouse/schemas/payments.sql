-- Payments (sources/payments.py, docs/formats/payments.md): supplier invoices paid, and
-- monthly social contributions with their due date and payment date. Amounts in euros.
CREATE TABLE IF NOT EXISTS supplier_payments (
    finess_et VARCHAR NOT NULL,
    supplier VARCHAR NOT NULL,         -- SIRET or supplier code of the finance system
    invoice_id VARCHAR NOT NULL,       -- the supplier's invoice number
    received_on DATE NOT NULL,         -- invoice (payment request) received
    service_done_on DATE,              -- goods or services delivered, when known
    paid_on DATE NOT NULL,
    amount DOUBLE NOT NULL,            -- paid, all taxes included
    import_run_id INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS social_contributions (
    finess_et VARCHAR NOT NULL,
    year INTEGER NOT NULL,             -- of the month of pay
    month INTEGER NOT NULL,            -- 1 … 12
    body VARCHAR NOT NULL,             -- collecting body: URSSAF, CNRACL, IRCANTEC…
    due_on DATE,                       -- NULL: the 5th of the following month
    paid_on DATE,                      -- NULL: not paid when exported (late)
    amount DOUBLE NOT NULL,
    import_run_id INTEGER NOT NULL
);
