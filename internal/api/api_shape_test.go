package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/inventory-monitor/inventory-monitor/internal/schema"
)

const created = "2026-03-15T12:00:00Z" // storeNow as the API renders it

func (e *env) apiURL(path string, id int64) string { return e.url(detailPath(path, id)) }

func (e *env) uiURL(path string, id int64) string {
	return e.url(fmt.Sprintf("/plugins/inventory-monitor/%s/%d/", path, id))
}

func (e *env) tagJSON(tg schema.Tag) map[string]any {
	return map[string]any{
		"id": tg.ID, "url": e.url(fmt.Sprintf("/api/extras/tags/%d/", tg.ID)), "display_url": e.url(fmt.Sprintf("/extras/tags/%d/", tg.ID)),
		"display": tg.Name, "name": tg.Name, "slug": tg.Slug, "color": tg.Color,
	}
}

// netbox is the brief form of a NetBox object known only by id (NetBox
// not configured): the display text doubles as its name.
func (e *env) netbox(path, objectType string, id int64) map[string]any {
	display := fmt.Sprintf("%s #%d", objectType, id)
	return map[string]any{"id": id, "url": e.url(fmt.Sprintf("/api/%s/%d/", path, id)), "display": display, "name": display}
}

// get fetches one object.
func (e *env) get(path string, id int64) map[string]any {
	e.t.Helper()
	r := e.do("GET", detailPath(path, id), nil)
	want(e.t, r, http.StatusOK)
	return r.obj(e.t)
}

// TestObjectsRenderInUpstreamShape creates one rich object of every entity
// (related objects given by pk and by attribute dict, tags by id and by
// slug) and compares the whole representation: nested brief objects,
// display strings as upstream's __str__, computed contract_type and
// asset_numbers, assigned_object, decimals as numbers, ISO dates.
func TestObjectsRenderInUpstreamShape(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		prod := e.tag("Production", "prod", "00ff00")
		lab := e.tag("Lab", "lab", "0000ff")

		// Asset type: tags by slug dict.
		r := e.do("POST", endpoint("asset-types"), map[string]any{"name": "Server", "slug": "server", "description": "Rack server", "color": "aa1409",
			"tags": []any{map[string]any{"slug": "prod"}}})
		want(t, r, http.StatusCreated)
		typ := r.obj(t)
		typID := id(t, typ)
		wantJSON(t, r, http.StatusCreated, map[string]any{
			"id": typID, "url": e.apiURL("asset-types", typID), "display_url": e.uiURL("asset-types", typID), "display": "Server (Rack server)",
			"name": "Server", "slug": "server", "description": "Rack server", "color": "aa1409",
			"tags": []any{e.tagJSON(prod)}, "custom_fields": map[string]any{}, "created": created, "last_updated": created,
		})

		// Contractor with a tenant (NetBox not configured: "tenancy.tenant #5").
		r = e.do("POST", endpoint("contractors"), map[string]any{"name": "John Doe", "company": "ACME Corp", "address": "Main St 1",
			"description": "supplier", "tenant": 5, "owner": 3, "comments": "**vip**", "tags": []any{prod.ID}, "custom_fields": map[string]any{}})
		want(t, r, http.StatusCreated)
		ctr := r.obj(t)
		ctrID := id(t, ctr)
		wantJSON(t, r, http.StatusCreated, map[string]any{
			"id": ctrID, "url": e.apiURL("contractors", ctrID), "display_url": e.uiURL("contractors", ctrID),
			"display": "John Doe (ACME Corp) [tenancy.tenant #5]",
			"name":    "John Doe", "company": "ACME Corp", "address": "Main St 1", "description": "supplier",
			"tenant": e.netbox("tenancy/tenants", "tenancy.tenant", 5), "owner": e.netbox("users/owners", "users.owner", 3), "tags": []any{e.tagJSON(prod)}, "comments": "**vip**",
			"custom_fields": map[string]any{}, "created": created, "last_updated": created,
		})

		// Contract: contractor by attribute dict, decimal given as a number.
		r = e.do("POST", endpoint("contracts"), map[string]any{"name": "Main Contract", "name_internal": "MC-001", "contractor": map[string]any{"name": "John Doe"},
			"type": "supply", "price": 1234.5, "currency": "EUR", "signed": "2026-01-10", "accepted": "2026-01-20",
			"invoicing_start": "2026-02-01", "invoicing_end": "2027-01-31", "description": "main"})
		want(t, r, http.StatusCreated)
		main := r.obj(t)
		mainID := id(t, main)
		wantJSON(t, r, http.StatusCreated, map[string]any{"owner": nil,
			"id": mainID, "url": e.apiURL("contracts", mainID), "display_url": e.uiURL("contracts", mainID),
			"display": "Main Contract (MC-001) via John Doe", "name": "Main Contract", "name_internal": "MC-001", "description": "main",
			"contractor": pick(ctr, briefContractor...), "type": "supply", "contract_type": "contract", "price": 1234.5, "currency": "EUR",
			"signed": "2026-01-10", "accepted": "2026-01-20", "invoicing_start": "2026-02-01", "invoicing_end": "2027-01-31",
			"parent": nil, "tags": []any{}, "comments": "", "custom_fields": map[string]any{}, "created": created, "last_updated": created,
		})
		if !strings.Contains(string(r.Body), `"price":1234.5`) {
			t.Errorf("decimal price is not a JSON number: %s", r.Body)
		}

		// Subcontract: parent by attribute dict.
		r = e.do("POST", endpoint("contracts"), map[string]any{"name": "Support", "name_internal": "SUP-1", "type": "service", "parent": map[string]any{"name": "Main Contract"}})
		want(t, r, http.StatusCreated)
		sub := r.obj(t)
		subID := id(t, sub)
		diff(t, "subcontract", map[string]any{"display": "Support (SUP-1) [Sub: Main Contract]", "contract_type": "subcontract",
			"parent": pick(main, briefContract...), "contractor": nil},
			pick(sub, "display", "contract_type", "parent", "contractor"))

		// Invoice: display with contract, project and price.
		r = e.do("POST", endpoint("invoices"), map[string]any{"name": "Invoice-Q1", "name_internal": "IQ1", "project": "PRJ-001", "contract": mainID,
			"price": "5000", "currency": "EUR", "invoicing_start": "2026-01-01", "invoicing_end": "2026-03-31"})
		want(t, r, http.StatusCreated)
		inv := r.obj(t)
		invID := id(t, inv)
		wantJSON(t, r, http.StatusCreated, map[string]any{"owner": nil,
			"id": invID, "url": e.apiURL("invoices", invID), "display_url": e.uiURL("invoices", invID),
			"display": "Invoice-Q1 (Main Contract) [PRJ-001] 5000.00 EUR", "name": "Invoice-Q1", "name_internal": "IQ1", "project": "PRJ-001",
			"description": "", "contract": pick(main, briefContract...), "price": 5000, "currency": "EUR",
			"invoicing_start": "2026-01-01", "invoicing_end": "2026-03-31", "tags": []any{}, "comments": "", "custom_fields": map[string]any{},
			"created": created, "last_updated": created,
		})
		if !strings.Contains(string(r.Body), `"price":5000.0`) {
			t.Errorf("decimal price is not rendered as a number like DRF's 5000.0: %s", r.Body)
		}

		// Asset assigned to dcim.device 12; type by slug dict, contract by pk, tags by id and slug.
		r = e.do("POST", endpoint("assets"), map[string]any{"partnumber": "PROD-123", "serial": "SN12345", "vendor": "Dell", "project": "P1",
			"description": "core switch", "assigned_object_type": "dcim.device", "assigned_object_id": 12, "assignment_status": "deployed",
			"lifecycle_status": "in_use", "type": map[string]any{"slug": "server"}, "order_contract": mainID, "quantity": 2, "price": "99.90",
			"currency": "EUR", "warranty_start": "2026-01-01", "warranty_end": "2028-12-31", "comments": "x",
			"tags": []any{map[string]any{"slug": "prod"}, lab.ID}})
		want(t, r, http.StatusCreated)
		asset := r.obj(t)
		assetID := id(t, asset)
		wantJSON(t, r, http.StatusCreated, map[string]any{"owner": nil,
			"id": assetID, "url": e.apiURL("assets", assetID), "display_url": e.uiURL("assets", assetID), "display": "PROD-123 [SN12345] (Dell)",
			"partnumber": "PROD-123", "serial": "SN12345", "asset_numbers": nil, "description": "core switch",
			"assigned_object_type": "dcim.device", "assigned_object_id": 12,
			"assigned_object":   e.netbox("dcim/devices", "dcim.device", 12),
			"assignment_status": "deployed", "lifecycle_status": "in_use",
			"type": pick(typ, briefAssetType...), "order_contract": pick(main, briefContract...), "project": "P1", "vendor": "Dell",
			"quantity": 2, "price": 99.9, "currency": "EUR", "warranty_start": "2026-01-01", "warranty_end": "2028-12-31",
			"comments": "x", "custom_fields": map[string]any{}, "tags": []any{e.tagJSON(lab), e.tagJSON(prod)},
			"created": created, "last_updated": created,
		})

		// External inventory linked to the asset: asset_numbers follows.
		r = e.do("POST", endpoint("external-inventory"), map[string]any{"external_id": "EXT-1", "inventory_number": "INV-001", "name": "Server Hardware",
			"serial_number": "ABC123", "person_name": "John Smith", "status": "A", "assets": []any{assetID}})
		want(t, r, http.StatusCreated)
		ext := r.obj(t)
		extID := id(t, ext)
		e.create("external-inventory", map[string]any{"inventory_number": "INV-000", "name": "Chassis", "assets": []any{assetID}})
		asset = e.get("assets", assetID)
		diff(t, "asset_numbers", "INV-000, INV-001", asset["asset_numbers"])
		wantJSON(t, r, http.StatusCreated, map[string]any{"owner": nil,
			"id": extID, "url": e.apiURL("external-inventory", extID), "display_url": e.uiURL("external-inventory", extID),
			"display":     "INV-001 Server Hardware [SN: ABC123] → John Smith",
			"external_id": "EXT-1", "inventory_number": "INV-001", "name": "Server Hardware", "serial_number": "ABC123", "person_id": nil,
			"person_name": "John Smith", "location_code": nil, "location": nil, "department_code": nil, "project_code": nil,
			"user_name": nil, "user_note": nil, "split_asset": nil, "status": "A",
			"assets":      []any{merge(pick(asset, briefAsset...), map[string]any{"asset_numbers": "INV-001"})},
			"description": "", "comments": "", "tags": []any{}, "custom_fields": map[string]any{}, "created": created, "last_updated": created,
		})
		diff(t, "external inventory assets after the second link", []any{pick(asset, briefAsset...)}, e.get("external-inventory", extID)["assets"])

		// Asset service: asset by serial dict, contract by pk.
		r = e.do("POST", endpoint("asset-services"), map[string]any{"service_start": "2026-01-01", "service_end": "2026-12-31", "service_price": "100.00",
			"service_currency": "EUR", "service_category": "Maintenance", "service_category_vendor": "Dell",
			"asset": map[string]any{"serial": "SN12345"}, "contract": subID})
		want(t, r, http.StatusCreated)
		svc := r.obj(t)
		svcID := id(t, svc)
		wantJSON(t, r, http.StatusCreated, map[string]any{"owner": nil,
			"id": svcID, "url": e.apiURL("asset-services", svcID), "display_url": e.uiURL("asset-services", svcID),
			"display": "PROD-123 (SN12345) (Support) [Maintenance]", "service_start": "2026-01-01", "service_end": "2026-12-31",
			"service_price": 100, "service_currency": "EUR", "service_category": "Maintenance", "service_category_vendor": "Dell",
			"description": "", "asset": pick(asset, briefAsset...), "contract": pick(sub, briefContract...),
			"tags": []any{}, "comments": "", "custom_fields": map[string]any{}, "created": created, "last_updated": created,
		})

		// Probe: NetBox references by pk and {"id": n}; JSON data kept.
		r = e.do("POST", endpoint("probes"), map[string]any{"time": "2026-03-14T10:00:00Z", "creation_time": "2026-03-01T00:00:00.5Z",
			"serial": "SN12345", "name": "Linecard", "part": "PROD-123", "device_descriptor": "sw1", "device": 12, "site": map[string]any{"id": 3},
			"location": 4, "site_descriptor": "DC1", "location_descriptor": "Room 1", "category": "module",
			"discovered_data": map[string]any{"slot": 1, "fw": "1.2"}, "tags": []any{prod.ID}})
		want(t, r, http.StatusCreated)
		probe := r.obj(t)
		probeID := id(t, probe)
		wantJSON(t, r, http.StatusCreated, map[string]any{
			"id": probeID, "url": e.apiURL("probes", probeID), "display_url": e.uiURL("probes", probeID), "display": "SN12345 - Linecard",
			"name": "Linecard", "time": "2026-03-14T10:00:00Z", "serial": "SN12345", "part": "PROD-123",
			"device_descriptor": "sw1", "device": e.netbox("dcim/devices", "dcim.device", 12),
			"site_descriptor": "DC1", "site": e.netbox("dcim/sites", "dcim.site", 3),
			"location_descriptor": "Room 1", "location": e.netbox("dcim/locations", "dcim.location", 4),
			"description": "", "category": "module", "discovered_data": map[string]any{"slot": 1, "fw": "1.2"},
			"tags": []any{e.tagJSON(prod)}, "comments": "", "custom_fields": map[string]any{}, "creation_time": "2026-03-01T00:00:00.500000Z", // DRF: isoformat's six digits
		})

		// RMA: original serial filled from the asset; status label in display.
		r = e.do("POST", endpoint("rmas"), map[string]any{"rma_number": "12345", "asset": assetID, "status": "approved",
			"issue_description": "fan broken", "date_issued": "2026-03-01"})
		want(t, r, http.StatusCreated)
		rma := r.obj(t)
		rmaID := id(t, rma)
		wantJSON(t, r, http.StatusCreated, map[string]any{"owner": nil,
			"id": rmaID, "url": e.apiURL("rmas", rmaID), "display_url": e.uiURL("rmas", rmaID), "display": "RMA#12345 PROD-123 (SN12345) [Approved]",
			"rma_number": "12345", "asset": pick(asset, briefAsset...), "original_serial": "SN12345", "replacement_serial": nil,
			"status": "approved", "date_issued": "2026-03-01", "date_replaced": nil, "issue_description": "fan broken", "vendor_response": "",
			"description": "", "comments": "", "tags": []any{}, "custom_fields": map[string]any{}, "created": created, "last_updated": created,
		})

		// The detail GET of each object equals what the POST answered.
		for _, o := range []struct {
			path string
			obj  map[string]any
		}{{"asset-types", typ}, {"contractors", ctr}, {"invoices", inv}, {"asset-services", svc}, {"probes", probe}, {"rmas", rma}} {
			diff(t, o.path+" GET equals POST", o.obj, e.get(o.path, id(t, o.obj)))
		}

		// Every list item equals its detail, nested objects included (a
		// list page reads the objects its rows point to differently).
		listed := 0
		for _, ent := range schema.Inventory.Entities {
			r := e.do("GET", endpoint(ent.Path)+"?limit=1000", nil)
			want(t, r, http.StatusOK)
			for _, item := range r.results(t) {
				diff(t, fmt.Sprintf("%s %v listed as in its detail", ent.Path, item["id"]), e.get(ent.Path, id(t, item)), item)
				listed++
			}
		}
		if listed < 9 {
			t.Errorf("listed %d objects, want one of each entity at least", listed)
		}
	})
}

// TestRelatedObjectsAreOptionalAndNullable checks that upstream §13 item 10
// is not copied: nested related fields may be omitted and set to null.
func TestRelatedObjectsAreOptionalAndNullable(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		t.Run("AssetWithoutTypeOrOrderContract", func(t *testing.T) {
			e.t = t
			a := e.create("assets", map[string]any{"serial": "BARE-1"})
			diff(t, "asset", map[string]any{"type": nil, "order_contract": nil, "assigned_object": nil, "assigned_object_type": nil,
				"assigned_object_id": nil, "assignment_status": "stocked", "lifecycle_status": "new", "quantity": 1, "display": "[BARE-1]"},
				pick(a, "type", "order_contract", "assigned_object", "assigned_object_type", "assigned_object_id", "assignment_status",
					"lifecycle_status", "quantity", "display"))
			r := e.do("PATCH", detailPath("assets", id(t, a)), map[string]any{"type": nil, "order_contract": nil})
			want(t, r, http.StatusOK)
		})
		t.Run("ContractWithoutContractorOrParent", func(t *testing.T) {
			e.t = t
			c := e.create("contracts", map[string]any{"name": "Solo", "name_internal": "Solo", "type": "other"})
			diff(t, "contract", map[string]any{"contractor": nil, "parent": nil, "contract_type": "contract", "display": "Solo"},
				pick(c, "contractor", "parent", "contract_type", "display"))
		})
		t.Run("ContractorWithoutTenant", func(t *testing.T) {
			e.t = t
			c := e.create("contractors", map[string]any{"name": "Freelancer"})
			diff(t, "contractor", map[string]any{"tenant": nil, "display": "Freelancer"}, pick(c, "tenant", "display"))
		})
		t.Run("UnparentingASubcontractWithNull", func(t *testing.T) {
			e.t = t
			parent := e.create("contracts", map[string]any{"name": "Parent", "name_internal": "P", "type": "supply"})
			child := e.create("contracts", map[string]any{"name": "Child", "name_internal": "C", "type": "supply", "parent": id(t, parent)})
			diff(t, "before", "subcontract", child["contract_type"])
			r := e.do("PATCH", detailPath("contracts", id(t, child)), map[string]any{"parent": nil})
			want(t, r, http.StatusOK)
			diff(t, "after PATCH parent=null", map[string]any{"parent": nil, "contract_type": "contract", "display": "Child (C)"},
				pick(r.obj(t), "parent", "contract_type", "display"))
			diff(t, "persisted", nil, e.get("contracts", id(t, child))["parent"])
		})
	})
}
