-- +goose Up
-- PostgreSQL only (its btree index entries have a size limit; SQLite's
-- do not): the version stays in step with the PostgreSQL migrations.
SELECT 1;

-- +goose Down
SELECT 1;
