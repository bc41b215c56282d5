-- +goose Up
-- Row counts of the entity tables, kept by the store in each write's
-- transaction, so an unfiltered list answers its count without scanning
-- the table (count(*) over millions of probes). The store recounts at start-up.
CREATE TABLE inventory_monitor_rowcount (
    table_name varchar(100) PRIMARY KEY,
    n bigint NOT NULL
);
INSERT INTO inventory_monitor_rowcount (table_name, n) SELECT 'inventory_monitor_assettype', COUNT(*) FROM inventory_monitor_assettype;
INSERT INTO inventory_monitor_rowcount (table_name, n) SELECT 'inventory_monitor_asset', COUNT(*) FROM inventory_monitor_asset;
INSERT INTO inventory_monitor_rowcount (table_name, n) SELECT 'inventory_monitor_assetservice', COUNT(*) FROM inventory_monitor_assetservice;
INSERT INTO inventory_monitor_rowcount (table_name, n) SELECT 'inventory_monitor_contract', COUNT(*) FROM inventory_monitor_contract;
INSERT INTO inventory_monitor_rowcount (table_name, n) SELECT 'inventory_monitor_contractor', COUNT(*) FROM inventory_monitor_contractor;
INSERT INTO inventory_monitor_rowcount (table_name, n) SELECT 'inventory_monitor_invoice', COUNT(*) FROM inventory_monitor_invoice;
INSERT INTO inventory_monitor_rowcount (table_name, n) SELECT 'inventory_monitor_probe', COUNT(*) FROM inventory_monitor_probe;
INSERT INTO inventory_monitor_rowcount (table_name, n) SELECT 'inventory_monitor_rma', COUNT(*) FROM inventory_monitor_rma;
INSERT INTO inventory_monitor_rowcount (table_name, n) SELECT 'inventory_monitor_externalinventory', COUNT(*) FROM inventory_monitor_externalinventory;

-- +goose Down
DROP TABLE inventory_monitor_rowcount;
