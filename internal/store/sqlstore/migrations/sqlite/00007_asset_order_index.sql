-- +goose Up
-- PostgreSQL adds the default asset ordering index here; SQLite has had
-- its own (with its NULL placement) since 00004.
SELECT 1;

-- +goose Down
SELECT 1;
