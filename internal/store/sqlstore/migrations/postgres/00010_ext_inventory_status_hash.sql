-- +goose Up
-- External inventory status is unbounded free text: a btree entry cannot
-- hold a status longer than about 2.7 KB and the write would fail. A hash
-- index has no such limit and still serves the status filter (equality;
-- status ranges and ordering by status are not index-assisted, as few
-- queries need them).
DROP INDEX ext_inv_status_idx;
CREATE INDEX ext_inv_status_idx ON inventory_monitor_externalinventory USING hash (status);

-- +goose Down
-- (Fails if a status longer than a btree entry holds was stored since.)
DROP INDEX ext_inv_status_idx;
CREATE INDEX ext_inv_status_idx ON inventory_monitor_externalinventory (status);
