-- +goose Up
-- The common asset filters: lifecycle status with vendor (compared by
-- equality with the matching distinct vendors) and the warranty band, read
-- from the index alone. (q's text search is served by the trigram indexes
-- of 00005; SQLite adds its own text indexes here.)
CREATE INDEX invmon_asset_filter_idx ON inventory_monitor_asset (lifecycle_status, vendor, warranty_start, warranty_end);

-- +goose Down
DROP INDEX invmon_asset_filter_idx;
