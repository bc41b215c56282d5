-- +goose Up
-- PostgreSQL adds trigram indexes for search here; SQLite keeps its scan.
SELECT 1;

-- +goose Down
SELECT 1;
