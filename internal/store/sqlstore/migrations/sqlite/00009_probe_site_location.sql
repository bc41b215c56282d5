-- +goose Up
-- Probes by site and by location (a NetBox site's or location's probes, and
-- their counts) without scanning every probe. Few sites and locations, new
-- probes land at the end of each one's run: cheap to keep up on ingestion.
CREATE INDEX invmon_probe_site_idx ON inventory_monitor_probe (site_id);
CREATE INDEX invmon_probe_location_idx ON inventory_monitor_probe (location_id);

-- +goose Down
DROP INDEX invmon_probe_location_idx;
DROP INDEX invmon_probe_site_idx;
