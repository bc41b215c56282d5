-- +goose Up
-- Trigram indexes serve q's case-insensitive substring search (ILIKE
-- '%term%') on the columns upstream searches for assets. pg_trgm ships
-- with PostgreSQL and is a trusted extension (the database owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX invmon_asset_serial_trgm ON inventory_monitor_asset USING gin (serial gin_trgm_ops);
CREATE INDEX invmon_asset_partnumber_trgm ON inventory_monitor_asset USING gin (partnumber gin_trgm_ops);
CREATE INDEX invmon_asset_description_trgm ON inventory_monitor_asset USING gin (description gin_trgm_ops);
CREATE INDEX invmon_asset_project_trgm ON inventory_monitor_asset USING gin (project gin_trgm_ops);
CREATE INDEX invmon_asset_vendor_trgm ON inventory_monitor_asset USING gin (vendor gin_trgm_ops);
CREATE INDEX invmon_contract_name_trgm ON inventory_monitor_contract USING gin (name gin_trgm_ops);
CREATE INDEX ext_inv_invnum_trgm ON inventory_monitor_externalinventory USING gin (inventory_number gin_trgm_ops);

-- +goose Down
DROP INDEX ext_inv_invnum_trgm;
DROP INDEX invmon_contract_name_trgm;
DROP INDEX invmon_asset_vendor_trgm;
DROP INDEX invmon_asset_project_trgm;
DROP INDEX invmon_asset_description_trgm;
DROP INDEX invmon_asset_partnumber_trgm;
DROP INDEX invmon_asset_serial_trgm;
