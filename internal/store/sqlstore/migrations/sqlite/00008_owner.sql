-- +goose Up
-- PrimaryModel's owner (NetBox users.Owner, by id; NetBox resolves it), on every
-- model but asset types and probes, as upstream's migration 0006 adds it.
ALTER TABLE inventory_monitor_asset ADD COLUMN owner_id integer;
ALTER TABLE inventory_monitor_assetservice ADD COLUMN owner_id integer;
ALTER TABLE inventory_monitor_contract ADD COLUMN owner_id integer;
ALTER TABLE inventory_monitor_contractor ADD COLUMN owner_id integer;
ALTER TABLE inventory_monitor_invoice ADD COLUMN owner_id integer;
ALTER TABLE inventory_monitor_rma ADD COLUMN owner_id integer;
ALTER TABLE inventory_monitor_externalinventory ADD COLUMN owner_id integer;

-- +goose Down
ALTER TABLE inventory_monitor_asset DROP COLUMN owner_id;
ALTER TABLE inventory_monitor_assetservice DROP COLUMN owner_id;
ALTER TABLE inventory_monitor_contract DROP COLUMN owner_id;
ALTER TABLE inventory_monitor_contractor DROP COLUMN owner_id;
ALTER TABLE inventory_monitor_invoice DROP COLUMN owner_id;
ALTER TABLE inventory_monitor_rma DROP COLUMN owner_id;
ALTER TABLE inventory_monitor_externalinventory DROP COLUMN owner_id;
