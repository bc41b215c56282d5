-- +goose Up
-- The default asset ordering as the store writes it (ascending, NULLs
-- last: PostgreSQL's default), so a page of assets reads its rows in index
-- order instead of sorting every asset that shares a part number.
-- SQLite has had its equivalent since 00004.
CREATE INDEX invmon_asset_order_idx ON inventory_monitor_asset (
    partnumber, serial, description, project, vendor, quantity, price, currency,
    order_contract_id, warranty_start, warranty_end, id);

-- +goose Down
DROP INDEX invmon_asset_order_idx;
