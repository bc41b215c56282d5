-- +goose Up
-- Users and API tokens. Tokens are stored only as digests: v1 as
-- HMAC-SHA256(pepper, token), v2 as the public key plus
-- HMAC-SHA256(pepper, secret). For v1, token_key holds the first 8
-- characters of the token, for display only.
CREATE TABLE inventory_monitor_user (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username text NOT NULL UNIQUE,
    password text NOT NULL DEFAULT '',
    is_superuser integer NOT NULL DEFAULT 0 CHECK (is_superuser IN (0, 1)),
    is_active integer NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    created text NOT NULL
);

CREATE TABLE inventory_monitor_token (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id integer NOT NULL REFERENCES inventory_monitor_user (id) ON DELETE CASCADE,
    version integer NOT NULL CHECK (version IN (1, 2)),
    token_key text NOT NULL,
    digest text NOT NULL,
    write_enabled integer NOT NULL DEFAULT 1 CHECK (write_enabled IN (0, 1)),
    enabled integer NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    expires text,
    description text NOT NULL DEFAULT '',
    allowed_ips text NOT NULL DEFAULT '[]',
    created text NOT NULL,
    last_used text
);
CREATE UNIQUE INDEX invmon_token_digest_uniq ON inventory_monitor_token (digest);
CREATE UNIQUE INDEX invmon_token_key_uniq ON inventory_monitor_token (token_key) WHERE version = 2;
CREATE INDEX invmon_token_user_idx ON inventory_monitor_token (user_id);

-- Server-wide settings, e.g. the generated token pepper.
CREATE TABLE inventory_monitor_setting (
    name text PRIMARY KEY,
    value text NOT NULL
);

-- +goose Down
DROP TABLE inventory_monitor_setting;
DROP TABLE inventory_monitor_token;
DROP TABLE inventory_monitor_user;
