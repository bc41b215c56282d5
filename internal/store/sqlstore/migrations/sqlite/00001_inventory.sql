-- +goose Up
-- SQLite: text dates (YYYY-MM-DD) and timestamps (fixed-width UTC ISO 8601) compare
-- correctly as strings; decimals are integer hundredths.
CREATE TABLE inventory_monitor_tag (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name text NOT NULL UNIQUE,
    slug text NOT NULL UNIQUE,
    color text NOT NULL DEFAULT '9e9e9e',
    description text NOT NULL DEFAULT '',
    created text,
    last_updated text
);

CREATE TABLE inventory_monitor_taggeditem (
    object_type text NOT NULL,
    object_id integer NOT NULL,
    tag_id integer NOT NULL REFERENCES inventory_monitor_tag (id) ON DELETE CASCADE,
    PRIMARY KEY (object_type, object_id, tag_id)
);
CREATE INDEX invmon_taggeditem_tag_idx ON inventory_monitor_taggeditem (tag_id);

CREATE TABLE inventory_monitor_assettype (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name text NOT NULL UNIQUE,
    slug text NOT NULL UNIQUE,
    description text NOT NULL DEFAULT '',
    color text NOT NULL DEFAULT '',
    custom_field_data text NOT NULL DEFAULT '{}',
    created text,
    last_updated text
);

CREATE TABLE inventory_monitor_contractor (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name text NOT NULL,
    company text,
    address text,
    tenant_id integer,
    description text NOT NULL DEFAULT '',
    comments text NOT NULL DEFAULT '',
    custom_field_data text NOT NULL DEFAULT '{}',
    created text,
    last_updated text
);
-- One contractor per tenant, enforced by the database too (upstream checks it only in clean()).
CREATE UNIQUE INDEX invmon_contractor_tenant_uniq ON inventory_monitor_contractor (tenant_id);

CREATE TABLE inventory_monitor_contract (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name text NOT NULL,
    name_internal text NOT NULL,
    contractor_id integer REFERENCES inventory_monitor_contractor (id) ON DELETE RESTRICT,
    type text NOT NULL DEFAULT '',
    price integer,
    currency text,
    signed text,
    accepted text,
    invoicing_start text,
    invoicing_end text,
    parent_id integer REFERENCES inventory_monitor_contract (id) ON DELETE CASCADE,
    description text NOT NULL DEFAULT '',
    comments text NOT NULL DEFAULT '',
    custom_field_data text NOT NULL DEFAULT '{}',
    created text,
    last_updated text
);
CREATE INDEX invmon_contract_contractor_idx ON inventory_monitor_contract (contractor_id);
CREATE INDEX invmon_contract_parent_idx ON inventory_monitor_contract (parent_id);
CREATE INDEX invmon_contract_name_idx ON inventory_monitor_contract (name);

CREATE TABLE inventory_monitor_asset (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnumber text,
    serial text NOT NULL,
    assignment_status text NOT NULL DEFAULT 'stocked',
    lifecycle_status text NOT NULL DEFAULT 'new',
    assigned_object_type text,
    assigned_object_id integer CHECK (assigned_object_id >= 0),
    type_id integer REFERENCES inventory_monitor_assettype (id) ON DELETE RESTRICT,
    order_contract_id integer REFERENCES inventory_monitor_contract (id) ON DELETE RESTRICT,
    project text,
    vendor text,
    quantity integer NOT NULL DEFAULT 1 CHECK (quantity >= 0),
    price integer CHECK (price >= 0),
    currency text,
    warranty_start text,
    warranty_end text,
    description text NOT NULL DEFAULT '',
    comments text NOT NULL DEFAULT '',
    custom_field_data text NOT NULL DEFAULT '{}',
    created text,
    last_updated text
);
CREATE INDEX invmon_asset_partnumber_idx ON inventory_monitor_asset (partnumber);
CREATE INDEX invmon_asset_serial_idx ON inventory_monitor_asset (serial);
CREATE INDEX invmon_asset_desc_idx ON inventory_monitor_asset (description);
CREATE INDEX invmon_asset_assign_status_idx ON inventory_monitor_asset (assignment_status);
CREATE INDEX invmon_asset_lifecycle_idx ON inventory_monitor_asset (lifecycle_status);
CREATE INDEX invmon_asset_assigned_obj_idx ON inventory_monitor_asset (assigned_object_type, assigned_object_id);
CREATE INDEX invmon_asset_project_idx ON inventory_monitor_asset (project);
CREATE INDEX invmon_asset_vendor_idx ON inventory_monitor_asset (vendor);
CREATE INDEX invmon_asset_warr_start_idx ON inventory_monitor_asset (warranty_start);
CREATE INDEX invmon_asset_warr_end_idx ON inventory_monitor_asset (warranty_end);
CREATE INDEX invmon_asset_type_idx ON inventory_monitor_asset (type_id);
CREATE INDEX invmon_asset_order_contract_idx ON inventory_monitor_asset (order_contract_id);

CREATE TABLE inventory_monitor_assetservice (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    service_start text,
    service_end text,
    service_price integer CHECK (service_price >= 0),
    service_currency text,
    service_category text,
    service_category_vendor text,
    asset_id integer REFERENCES inventory_monitor_asset (id) ON DELETE RESTRICT,
    contract_id integer REFERENCES inventory_monitor_contract (id) ON DELETE RESTRICT,
    description text NOT NULL DEFAULT '',
    comments text NOT NULL DEFAULT '',
    custom_field_data text NOT NULL DEFAULT '{}',
    created text,
    last_updated text
);
CREATE INDEX invmon_service_asset_idx ON inventory_monitor_assetservice (asset_id);
CREATE INDEX invmon_service_contract_idx ON inventory_monitor_assetservice (contract_id);

CREATE TABLE inventory_monitor_invoice (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name text NOT NULL,
    name_internal text NOT NULL,
    project text,
    contract_id integer NOT NULL REFERENCES inventory_monitor_contract (id) ON DELETE RESTRICT,
    price integer CHECK (price >= 0),
    currency text,
    invoicing_start text,
    invoicing_end text,
    description text NOT NULL DEFAULT '',
    comments text NOT NULL DEFAULT '',
    custom_field_data text NOT NULL DEFAULT '{}',
    created text,
    last_updated text
);
CREATE INDEX invmon_invoice_contract_idx ON inventory_monitor_invoice (contract_id);

CREATE TABLE inventory_monitor_probe (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time text NOT NULL,
    creation_time text,
    device_descriptor text,
    site_descriptor text,
    location_descriptor text,
    part text,
    name text NOT NULL,
    serial text NOT NULL,
    device_id integer,
    site_id integer,
    location_id integer,
    description text NOT NULL DEFAULT '',
    comments text NOT NULL DEFAULT '',
    discovered_data text NOT NULL DEFAULT '{}',
    category text,
    custom_field_data text NOT NULL DEFAULT '{}'
);
CREATE INDEX invmon_probe_time_idx ON inventory_monitor_probe (time);
-- (serial, time) answers "last probe of a serial" with one index probe and
-- also serves every lookup by serial alone.
CREATE INDEX invmon_probe_serial_time_idx ON inventory_monitor_probe (serial, time);
CREATE INDEX invmon_probe_device_idx ON inventory_monitor_probe (device_id, serial, time);

CREATE TABLE inventory_monitor_rma (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rma_number text UNIQUE,
    asset_id integer NOT NULL REFERENCES inventory_monitor_asset (id) ON DELETE RESTRICT,
    original_serial text,
    replacement_serial text,
    status text NOT NULL DEFAULT 'investigating',
    date_issued text,
    date_replaced text,
    issue_description text NOT NULL,
    vendor_response text NOT NULL DEFAULT '',
    description text NOT NULL DEFAULT '',
    comments text NOT NULL DEFAULT '',
    custom_field_data text NOT NULL DEFAULT '{}',
    created text,
    last_updated text
);
CREATE INDEX invmon_rma_asset_idx ON inventory_monitor_rma (asset_id);
CREATE INDEX invmon_rma_original_serial_idx ON inventory_monitor_rma (original_serial);
CREATE INDEX invmon_rma_replacement_serial_idx ON inventory_monitor_rma (replacement_serial);

CREATE TABLE inventory_monitor_externalinventory (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    external_id text UNIQUE,
    inventory_number text NOT NULL,
    name text NOT NULL,
    serial_number text,
    person_id text,
    person_name text,
    location_code text,
    location text,
    department_code text,
    project_code text,
    user_name text,
    user_note text,
    split_asset text,
    status text,
    description text NOT NULL DEFAULT '',
    comments text NOT NULL DEFAULT '',
    custom_field_data text NOT NULL DEFAULT '{}',
    created text,
    last_updated text
);
CREATE INDEX ext_inv_invnum_idx ON inventory_monitor_externalinventory (inventory_number);
CREATE INDEX ext_inv_serial_idx ON inventory_monitor_externalinventory (serial_number);
CREATE INDEX ext_inv_personid_idx ON inventory_monitor_externalinventory (person_id);
CREATE INDEX ext_inv_loccode_idx ON inventory_monitor_externalinventory (location_code);
CREATE INDEX ext_inv_deptcode_idx ON inventory_monitor_externalinventory (department_code);
CREATE INDEX ext_inv_projcode_idx ON inventory_monitor_externalinventory (project_code);
CREATE INDEX ext_inv_status_idx ON inventory_monitor_externalinventory (status);

CREATE TABLE inventory_monitor_externalinventory_assets (
    externalinventory_id integer NOT NULL REFERENCES inventory_monitor_externalinventory (id) ON DELETE CASCADE,
    asset_id integer NOT NULL REFERENCES inventory_monitor_asset (id) ON DELETE CASCADE,
    PRIMARY KEY (externalinventory_id, asset_id)
);
CREATE INDEX invmon_extinv_assets_asset_idx ON inventory_monitor_externalinventory_assets (asset_id);

CREATE TABLE inventory_monitor_objectchange (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time text NOT NULL,
    user_id integer,
    user_name text NOT NULL DEFAULT '',
    request_id text NOT NULL DEFAULT '',
    action text NOT NULL,
    changed_object_type text NOT NULL,
    changed_object_id integer NOT NULL,
    object_repr text NOT NULL,
    message text NOT NULL DEFAULT '',
    prechange_data text,
    postchange_data text
);
CREATE INDEX invmon_objectchange_object_idx ON inventory_monitor_objectchange (changed_object_type, changed_object_id);
CREATE INDEX invmon_objectchange_time_idx ON inventory_monitor_objectchange (time);
CREATE INDEX invmon_objectchange_request_idx ON inventory_monitor_objectchange (request_id);

-- +goose Down
DROP TABLE inventory_monitor_objectchange;
DROP TABLE inventory_monitor_externalinventory_assets;
DROP TABLE inventory_monitor_externalinventory;
DROP TABLE inventory_monitor_rma;
DROP TABLE inventory_monitor_probe;
DROP TABLE inventory_monitor_invoice;
DROP TABLE inventory_monitor_assetservice;
DROP TABLE inventory_monitor_asset;
DROP TABLE inventory_monitor_contract;
DROP TABLE inventory_monitor_contractor;
DROP TABLE inventory_monitor_assettype;
DROP TABLE inventory_monitor_taggeditem;
DROP TABLE inventory_monitor_tag;
