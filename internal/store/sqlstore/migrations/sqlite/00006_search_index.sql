-- +goose Up
-- Trigram full-text indexes serve q's case-insensitive substring search.
-- Each holds lower() copies of the searched columns (lower() folds ASCII
-- only, exactly as LIKE does) and matches case-sensitively, so the phrase
-- query of a lowercased ASCII term of three or more characters finds
-- exactly the rows that LIKE '%term%' finds; shorter and non-ASCII terms
-- keep the LIKE scan. Triggers keep them in step with their tables.
CREATE VIRTUAL TABLE invmon_asset_search USING fts5(
    description, serial, partnumber, project, vendor,
    content='', contentless_delete=1, tokenize='trigram case_sensitive 1');
INSERT INTO invmon_asset_search (rowid, description, serial, partnumber, project, vendor)
    SELECT id, lower(description), lower(serial), lower(partnumber), lower(project), lower(vendor)
    FROM inventory_monitor_asset;
-- +goose StatementBegin
CREATE TRIGGER invmon_asset_search_insert AFTER INSERT ON inventory_monitor_asset BEGIN
    INSERT INTO invmon_asset_search (rowid, description, serial, partnumber, project, vendor)
    VALUES (new.id, lower(new.description), lower(new.serial), lower(new.partnumber), lower(new.project), lower(new.vendor));
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER invmon_asset_search_update AFTER UPDATE OF id, description, serial, partnumber, project, vendor ON inventory_monitor_asset BEGIN
    DELETE FROM invmon_asset_search WHERE rowid = old.id;
    INSERT INTO invmon_asset_search (rowid, description, serial, partnumber, project, vendor)
    VALUES (new.id, lower(new.description), lower(new.serial), lower(new.partnumber), lower(new.project), lower(new.vendor));
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER invmon_asset_search_delete AFTER DELETE ON inventory_monitor_asset BEGIN
    DELETE FROM invmon_asset_search WHERE rowid = old.id;
END;
-- +goose StatementEnd

CREATE VIRTUAL TABLE ext_inv_search USING fts5(
    inventory_number, name, serial_number, external_id, person_id, person_name,
    location_code, location, department_code, project_code, user_name, user_note,
    content='', contentless_delete=1, tokenize='trigram case_sensitive 1');
INSERT INTO ext_inv_search (rowid, inventory_number, name, serial_number, external_id, person_id, person_name,
        location_code, location, department_code, project_code, user_name, user_note)
    SELECT id, lower(inventory_number), lower(name), lower(serial_number), lower(external_id), lower(person_id), lower(person_name),
        lower(location_code), lower(location), lower(department_code), lower(project_code), lower(user_name), lower(user_note)
    FROM inventory_monitor_externalinventory;
-- +goose StatementBegin
CREATE TRIGGER ext_inv_search_insert AFTER INSERT ON inventory_monitor_externalinventory BEGIN
    INSERT INTO ext_inv_search (rowid, inventory_number, name, serial_number, external_id, person_id, person_name,
        location_code, location, department_code, project_code, user_name, user_note)
    VALUES (new.id, lower(new.inventory_number), lower(new.name), lower(new.serial_number), lower(new.external_id),
        lower(new.person_id), lower(new.person_name), lower(new.location_code), lower(new.location),
        lower(new.department_code), lower(new.project_code), lower(new.user_name), lower(new.user_note));
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ext_inv_search_update AFTER UPDATE OF id, inventory_number, name, serial_number, external_id, person_id,
        person_name, location_code, location, department_code, project_code, user_name, user_note
        ON inventory_monitor_externalinventory BEGIN
    DELETE FROM ext_inv_search WHERE rowid = old.id;
    INSERT INTO ext_inv_search (rowid, inventory_number, name, serial_number, external_id, person_id, person_name,
        location_code, location, department_code, project_code, user_name, user_note)
    VALUES (new.id, lower(new.inventory_number), lower(new.name), lower(new.serial_number), lower(new.external_id),
        lower(new.person_id), lower(new.person_name), lower(new.location_code), lower(new.location),
        lower(new.department_code), lower(new.project_code), lower(new.user_name), lower(new.user_note));
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ext_inv_search_delete AFTER DELETE ON inventory_monitor_externalinventory BEGIN
    DELETE FROM ext_inv_search WHERE rowid = old.id;
END;
-- +goose StatementEnd

-- The common asset filters: lifecycle status with vendor (compared by
-- equality with the matching distinct vendors) and the warranty band, read
-- from the index alone.
CREATE INDEX invmon_asset_filter_idx ON inventory_monitor_asset (lifecycle_status, vendor, warranty_start, warranty_end);
-- Statistics for the new index, or the planner keeps preferring the
-- lifecycle_status index it has statistics for.
ANALYZE inventory_monitor_asset;

-- +goose Down
DROP INDEX invmon_asset_filter_idx;
DROP TRIGGER ext_inv_search_delete;
DROP TRIGGER ext_inv_search_update;
DROP TRIGGER ext_inv_search_insert;
DROP TABLE ext_inv_search;
DROP TRIGGER invmon_asset_search_delete;
DROP TRIGGER invmon_asset_search_update;
DROP TRIGGER invmon_asset_search_insert;
DROP TABLE invmon_asset_search;
