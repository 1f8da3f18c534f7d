-- Stock inventories (sources/stocks.py, docs/formats/stocks.md): stock value of a family at
-- an inventory date and its consumption over the 12 months before it, in euros.
CREATE TABLE IF NOT EXISTS stock_inventories (
    finess_et VARCHAR NOT NULL,
    inventory_date DATE NOT NULL,
    stock_family VARCHAR NOT NULL,     -- MEDICAMENTS | DM | AUTRES
    stock_value DOUBLE NOT NULL,       -- euros, valued at the weighted average price
    consumption_12m DOUBLE,            -- euros over the 12 months to the inventory date;
                                       -- NULL: missing (status DI)
    import_run_id INTEGER NOT NULL
);
