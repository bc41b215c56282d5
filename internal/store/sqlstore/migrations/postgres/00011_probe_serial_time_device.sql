-- +goose Up
-- The serial index carries the device too, so that "the newest probe of a
-- serial on its device" (latest_only_per_device) is answered from the
-- index alone instead of reading every later probe of the serial from the
-- table (on two million probes: 1.7 s instead of 24 s on SQLite).
DROP INDEX invmon_probe_serial_time_idx;
CREATE INDEX invmon_probe_serial_time_idx ON inventory_monitor_probe (serial, time, device_id);

-- +goose Down
DROP INDEX invmon_probe_serial_time_idx;
CREATE INDEX invmon_probe_serial_time_idx ON inventory_monitor_probe (serial, time);
