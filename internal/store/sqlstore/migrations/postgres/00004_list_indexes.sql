-- +goose Up
-- latest_only_per_device is served by (serial, time) with a device filter;
-- one index less makes bulk probe ingestion markedly faster.
DROP INDEX invmon_probe_device_idx;
CREATE INDEX invmon_probe_device_idx ON inventory_monitor_probe (device_id);
-- The default probe ordering (name, serial, time, ...) starts here.
CREATE INDEX invmon_probe_order_idx ON inventory_monitor_probe (name, serial, time);

-- +goose Down
DROP INDEX invmon_probe_order_idx;
DROP INDEX invmon_probe_device_idx;
CREATE INDEX invmon_probe_device_idx ON inventory_monitor_probe (device_id, serial, time);
