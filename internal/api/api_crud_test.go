package api_test

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"testing"
)

// Upstream serializer fields (upstream-plugin.md §5.1) as our API serves
// them: NetBox 4.x adds display_url to every full representation, and
// created/last_updated are served on every change-logged model.
var (
	fieldsAssetType = []string{"id", "url", "display_url", "display", "name", "slug", "description", "color",
		"tags", "custom_fields", "created", "last_updated"}
	fieldsContractor = []string{"id", "url", "display_url", "display", "name", "company", "address", "description", "tenant",
		"owner", "tags", "comments", "custom_fields", "created", "last_updated"}
	fieldsContract = []string{"id", "url", "display_url", "display", "name", "name_internal", "description", "contractor", "type",
		"contract_type", "price", "currency", "signed", "accepted", "invoicing_start", "invoicing_end", "parent",
		"owner", "tags", "comments", "custom_fields", "created", "last_updated"}
	fieldsAsset = []string{"id", "url", "display_url", "display", "partnumber", "serial", "asset_numbers", "description",
		"assigned_object_type", "assigned_object_id", "assigned_object", "assignment_status", "lifecycle_status",
		"type", "order_contract", "project", "vendor", "quantity", "price", "currency", "warranty_start", "warranty_end",
		"owner", "comments", "custom_fields", "tags", "created", "last_updated"}
	fieldsProbe = []string{"id", "url", "display_url", "display", "name", "time", "serial", "part", "device_descriptor", "device",
		"site_descriptor", "site", "location_descriptor", "location", "description", "category", "discovered_data",
		"tags", "comments", "custom_fields", "creation_time"}
	fieldsInvoice = []string{"id", "url", "display_url", "display", "name", "name_internal", "project", "description", "contract",
		"price", "currency", "invoicing_start", "invoicing_end", "owner", "tags", "comments", "custom_fields", "created", "last_updated"}
	fieldsAssetService = []string{"id", "url", "display_url", "display", "service_start", "service_end", "service_price",
		"service_currency", "service_category", "service_category_vendor", "description", "asset", "contract",
		"owner", "tags", "comments", "custom_fields", "created", "last_updated"}
	fieldsRMA = []string{"id", "url", "display_url", "display", "rma_number", "asset", "original_serial", "replacement_serial",
		"status", "date_issued", "date_replaced", "issue_description", "vendor_response", "description", "comments",
		"owner", "tags", "custom_fields", "created", "last_updated"}
	fieldsExternalInventory = []string{"id", "url", "display_url", "display", "external_id", "inventory_number", "name",
		"serial_number", "person_id", "person_name", "location_code", "location", "department_code", "project_code",
		"user_name", "user_note", "split_asset", "status", "assets", "description", "comments", "owner", "tags", "custom_fields",
		"created", "last_updated"}

	briefAssetType    = []string{"id", "url", "display", "name", "slug", "color"}
	briefContractor   = []string{"id", "url", "display", "name", "company", "address", "description"}
	briefContract     = []string{"id", "url", "display", "name", "name_internal", "description"}
	briefAsset        = []string{"id", "url", "display", "partnumber", "serial", "asset_numbers", "type", "description", "assignment_status", "assigned_object", "order_contract", "lifecycle_status", "custom_fields"}
	briefProbe        = []string{"id", "url", "display", "name", "serial", "time", "creation_time"}
	briefInvoice      = []string{"id", "url", "display", "name", "name_internal", "description"}
	briefAssetService = []string{"id", "url", "display", "service_start", "service_end", "service_price", "description", "asset", "contract"}
	briefRMA          = []string{"id", "url", "display", "rma_number", "asset", "original_serial", "replacement_serial", "status", "date_issued", "date_replaced"}
)

// fixtures are prerequisite objects shared by an env's entity cases.
type fixtures struct {
	typeID, contractorID, contractID, assetID int64
	prodTag, labTag                           int64
}

// newFixtures creates, through the API, an asset type "switch", a
// contractor "ACME", a contract "Frame" and an asset "FIX-1", plus the
// tags "prod" and "lab".
func newFixtures(e *env) *fixtures {
	e.t.Helper()
	f := &fixtures{}
	f.prodTag = e.tag("Production", "prod", "00ff00").ID
	f.labTag = e.tag("Lab", "lab", "0000ff").ID
	f.typeID = id(e.t, e.create("asset-types", map[string]any{"name": "Switch", "slug": "switch"}))
	f.contractorID = id(e.t, e.create("contractors", map[string]any{"name": "ACME"}))
	f.contractID = id(e.t, e.create("contracts", map[string]any{"name": "Frame", "name_internal": "F-1", "type": "supply", "contractor": f.contractorID}))
	f.assetID = id(e.t, e.create("assets", map[string]any{"serial": "FIX-1", "partnumber": "FIXPN"}))
	return f
}

// entityCase describes one endpoint for the operation matrix.
type entityCase struct {
	path   string
	model  string // Django's model class name: "No <model> matches the given query."
	fields []string
	brief  []string // nil: no brief form (full representation)
	// required are the fields a PUT must carry.
	required []string
	// choices are the choice fields OPTIONS must describe, with values.
	choices map[string][]string
	// valid returns a valid, unique create body (n distinguishes objects).
	valid func(f *fixtures, n int) map[string]any
	// patch is a partial update; patched checks its effect.
	patch   map[string]any
	patched map[string]any
}

func entityCases() []entityCase {
	return []entityCase{
		{
			path: "asset-types", model: "AssetType", fields: fieldsAssetType, brief: briefAssetType,
			required: []string{"name", "slug"},
			valid: func(f *fixtures, n int) map[string]any {
				return map[string]any{"name": fmt.Sprintf("Type %d", n), "slug": fmt.Sprintf("type-%d", n), "color": "aa1409", "tags": []any{map[string]any{"slug": "prod"}}}
			},
			patch: map[string]any{"description": "patched"}, patched: map[string]any{"description": "patched"},
		},
		{
			path: "assets", model: "Asset", fields: fieldsAsset, brief: briefAsset,
			required: []string{"serial"},
			choices: map[string][]string{
				"assignment_status":    {"reserved", "deployed", "loaned", "stocked"},
				"lifecycle_status":     {"new", "in_stock", "in_use", "in_maintenance", "retired", "disposed"},
				"assigned_object_type": {"dcim.site", "dcim.location", "dcim.rack", "dcim.device", "dcim.module"},
			},
			valid: func(f *fixtures, n int) map[string]any {
				return map[string]any{"serial": fmt.Sprintf("SN-%d", n), "partnumber": fmt.Sprintf("PN-%d", n), "type": map[string]any{"slug": "switch"},
					"assigned_object_type": "dcim.device", "assigned_object_id": 12, "price": "10.50", "currency": "EUR",
					"warranty_start": "2026-01-01", "warranty_end": "2028-12-31", "tags": []any{map[string]any{"slug": "prod"}, f.labTag}}
			},
			patch:   map[string]any{"lifecycle_status": "retired", "quantity": 3, "price": 7, "tags": []any{}},
			patched: map[string]any{"lifecycle_status": "retired", "quantity": 3, "price": 7, "tags": []any{}},
		},
		{
			path: "asset-services", model: "AssetService", fields: fieldsAssetService, brief: briefAssetService,
			valid: func(f *fixtures, n int) map[string]any {
				return map[string]any{"asset": f.assetID, "contract": map[string]any{"name": "Frame"}, "service_category": fmt.Sprintf("Care %d", n),
					"service_start": "2026-01-01", "service_end": "2026-12-31", "service_price": 100, "service_currency": "EUR"}
			},
			patch: map[string]any{"service_category_vendor": "Dell", "service_price": "250.75"}, patched: map[string]any{"service_category_vendor": "Dell", "service_price": 250.75},
		},
		{
			path: "contracts", model: "Contract", fields: fieldsContract, brief: briefContract,
			required: []string{"name", "name_internal", "type"},
			choices:  map[string][]string{"type": {"supply", "order", "service", "other"}},
			valid: func(f *fixtures, n int) map[string]any {
				return map[string]any{"name": fmt.Sprintf("Contract %d", n), "name_internal": fmt.Sprintf("C-%d", n), "type": "service",
					"contractor": map[string]any{"name": "ACME"}, "parent": f.contractID, "price": 99.5, "currency": "EUR", "signed": "2026-02-01"}
			},
			patch: map[string]any{"parent": nil, "type": "order"}, patched: map[string]any{"parent": nil, "type": "order", "contract_type": "contract"},
		},
		{
			path: "contractors", model: "Contractor", fields: fieldsContractor, brief: briefContractor,
			required: []string{"name"},
			valid: func(f *fixtures, n int) map[string]any {
				return map[string]any{"name": fmt.Sprintf("Vendor %d", n), "company": "Corp", "tenant": 100 + n}
			},
			patch: map[string]any{"tenant": nil, "address": "Main St 1"}, patched: map[string]any{"tenant": nil, "address": "Main St 1"},
		},
		{
			path: "invoices", model: "Invoice", fields: fieldsInvoice, brief: briefInvoice,
			required: []string{"name", "name_internal", "contract"},
			valid: func(f *fixtures, n int) map[string]any {
				return map[string]any{"name": fmt.Sprintf("Invoice %d", n), "name_internal": fmt.Sprintf("I-%d", n), "contract": map[string]any{"name": "Frame"},
					"price": "5000", "currency": "EUR", "invoicing_start": "2026-01-01", "invoicing_end": "2026-03-31"}
			},
			patch: map[string]any{"project": "PRJ-9"}, patched: map[string]any{"project": "PRJ-9"},
		},
		{
			path: "probes", model: "Probe", fields: fieldsProbe, brief: briefProbe,
			required: []string{"time", "name", "serial"},
			valid: func(f *fixtures, n int) map[string]any {
				return map[string]any{"time": "2026-03-14T10:00:00Z", "creation_time": "2026-03-01T00:00:00Z", "name": "Linecard",
					"serial": fmt.Sprintf("PS-%d", n), "device": 12, "site": map[string]any{"id": 3}, "discovered_data": map[string]any{"slot": n}}
			},
			patch: map[string]any{"category": "module"}, patched: map[string]any{"category": "module"},
		},
		{
			path: "rmas", model: "RMA", fields: fieldsRMA, brief: briefRMA,
			required: []string{"asset", "issue_description"},
			choices:  map[string][]string{"status": {"pending", "shipped", "received", "investigating", "approved", "rejected", "completed"}},
			valid: func(f *fixtures, n int) map[string]any {
				return map[string]any{"rma_number": fmt.Sprintf("R-%d", n), "asset": map[string]any{"serial": "FIX-1"}, "issue_description": "fan broken",
					"date_issued": "2026-03-01"}
			},
			patch: map[string]any{"status": "shipped", "vendor_response": "ok"}, patched: map[string]any{"status": "shipped", "vendor_response": "ok"},
		},
		{
			path: "external-inventory", model: "ExternalInventory", fields: fieldsExternalInventory,
			required: []string{"inventory_number", "name"},
			valid: func(f *fixtures, n int) map[string]any {
				return map[string]any{"external_id": fmt.Sprintf("EXT-%d", n), "inventory_number": fmt.Sprintf("INV-%03d", n), "name": "Server",
					"serial_number": "ABC", "assets": []any{}}
			},
			patch: map[string]any{"person_name": "John Smith"}, patched: map[string]any{"person_name": "John Smith"},
		},
	}
}

// merge returns a copy of a with b's keys set.
func merge(a, b map[string]any) map[string]any {
	out := maps.Clone(a)
	maps.Copy(out, b)
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return s
}

func sortedKeys(m map[string]any) []string { return sorted(slices.Collect(maps.Keys(m))) }

// TestEveryEndpointSupportsEveryOperation drives list, detail, POST (one
// and many), PUT/PATCH (one and bulk), DELETE (one and bulk) and OPTIONS on
// all nine endpoints, checking the upstream field sets on the way.
func TestEveryEndpointSupportsEveryOperation(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		f := newFixtures(e)
		for _, c := range entityCases() {
			t.Run(c.path, func(t *testing.T) {
				e.t = t
				list := endpoint(c.path)

				// POST one → 201 with the full representation.
				r := e.do("POST", list, c.valid(f, 1))
				want(t, r, http.StatusCreated)
				a := r.obj(t)
				diff(t, "POST fields", sorted(c.fields), sortedKeys(a))
				aID := id(t, a)
				diff(t, "url", e.url(detailPath(c.path, aID)), a["url"])
				diff(t, "display_url", e.url(fmt.Sprintf("/plugins/inventory-monitor/%s/%d/", c.path, aID)), a["display_url"])

				// POST a list → 201 with a list, in input order.
				r = e.do("POST", list, []any{c.valid(f, 2), c.valid(f, 3)})
				want(t, r, http.StatusCreated)
				created := r.list(t)
				if len(created) != 2 {
					t.Fatalf("POST list returned %d objects", len(created))
				}
				bID, cID := id(t, created[0].(map[string]any)), id(t, created[1].(map[string]any))
				if !(aID < bID && bID < cID) {
					t.Errorf("ids %d, %d, %d not increasing in input order", aID, bID, cID)
				}

				// list and detail.
				idq := fmt.Sprintf("?id=%d&id=%d&id=%d&ordering=id", aID, bID, cID)
				diff(t, "listed ids", []int64{aID, bID, cID}, e.ids(c.path, idq))
				r = e.do("GET", detailPath(c.path, aID), nil)
				want(t, r, http.StatusOK)
				diff(t, "detail equals the created object", a, r.obj(t))

				// brief list.
				r = e.do("GET", list+idq+"&brief=true", nil)
				want(t, r, http.StatusOK)
				res := r.results(t)
				wantBrief := c.brief
				if wantBrief == nil {
					wantBrief = c.fields // no brief_fields upstream: full representation
				}
				diff(t, "brief fields", sorted(wantBrief), sortedKeys(res[0]))
				diff(t, "brief values", pick(a, wantBrief...), res[0])

				// PATCH one.
				r = e.do("PATCH", detailPath(c.path, aID), c.patch)
				want(t, r, http.StatusOK)
				diff(t, "PATCH result", c.patched, pick(r.obj(t), slices.Collect(maps.Keys(c.patched))...))
				r = e.do("GET", detailPath(c.path, aID), nil)
				diff(t, "PATCH persisted", c.patched, pick(r.obj(t), slices.Collect(maps.Keys(c.patched))...))

				// PUT one: a full body → 200; missing required fields → 400.
				r = e.do("PUT", detailPath(c.path, aID), c.valid(f, 4))
				want(t, r, http.StatusOK)
				diff(t, "PUT fields", sorted(c.fields), sortedKeys(r.obj(t)))
				if len(c.required) > 0 {
					r = e.do("PUT", detailPath(c.path, aID), map[string]any{"description": "only this"})
					wantErr := map[string]any{}
					for _, name := range c.required {
						wantErr[name] = []string{"This field is required."}
					}
					wantJSON(t, r, http.StatusBadRequest, wantErr)
				}

				// bulk PATCH and PUT on the list URL.
				r = e.do("PATCH", list, []any{merge(map[string]any{"id": bID}, c.patch), merge(map[string]any{"id": cID}, c.patch)})
				want(t, r, http.StatusOK)
				updated := r.list(t)
				if len(updated) != 2 {
					t.Fatalf("bulk PATCH returned %d objects", len(updated))
				}
				for i, u := range updated {
					um := u.(map[string]any)
					diff(t, fmt.Sprintf("bulk PATCH item %d", i), c.patched, pick(um, slices.Collect(maps.Keys(c.patched))...))
					diff(t, "bulk PATCH id", []int64{bID, cID}[i], id(t, um))
				}
				r = e.do("PUT", list, []any{merge(c.valid(f, 5), map[string]any{"id": bID}), merge(c.valid(f, 6), map[string]any{"id": cID})})
				want(t, r, http.StatusOK)
				if n := len(r.list(t)); n != 2 {
					t.Errorf("bulk PUT returned %d objects", n)
				}

				// OPTIONS on the list (POST) and the detail (PUT).
				r = e.do("OPTIONS", list, nil)
				want(t, r, http.StatusOK)
				checkOptions(t, r, "POST", c)
				r = e.do("OPTIONS", detailPath(c.path, aID), nil)
				want(t, r, http.StatusOK)
				checkOptions(t, r, "PUT", c)

				// DELETE one → 204 without body; then 404.
				r = e.do("DELETE", detailPath(c.path, aID), nil)
				want(t, r, http.StatusNoContent)
				if len(r.Body) != 0 {
					t.Errorf("DELETE answered a body: %s", r)
				}
				r = e.do("GET", detailPath(c.path, aID), nil)
				wantJSON(t, r, http.StatusNotFound, map[string]any{"detail": "No " + c.model + " matches the given query."})

				// bulk DELETE.
				r = e.do("DELETE", list, []any{map[string]any{"id": bID}, map[string]any{"id": cID}})
				want(t, r, http.StatusNoContent)
				diff(t, "ids after bulk delete", []int64{}, e.ids(c.path, idq))
			})
		}
	})
}

// checkOptions checks DRF's metadata: every serializer field under
// actions.<action>, and choice fields with [{value, display_name}].
func checkOptions(t *testing.T, r *resp, action string, c entityCase) {
	t.Helper()
	m := r.obj(t)
	actions, _ := m["actions"].(map[string]any)
	fields, ok := actions[action].(map[string]any)
	if !ok {
		t.Fatalf("OPTIONS: no actions.%s: %s", action, r)
	}
	diff(t, "OPTIONS fields", sorted(c.fields), sortedKeys(fields))
	for name, values := range c.choices {
		fm, _ := fields[name].(map[string]any)
		cs, _ := fm["choices"].([]any)
		var got []string
		for _, ch := range cs {
			chm, _ := ch.(map[string]any)
			v, _ := chm["value"].(string)
			dn, _ := chm["display_name"].(string)
			if dn == "" {
				t.Errorf("OPTIONS %s choice %q has no display_name", name, v)
			}
			got = append(got, v)
		}
		diff(t, "OPTIONS choices of "+name, values, got)
		if fm["type"] != "choice" {
			t.Errorf("OPTIONS %s type = %v, want choice", name, fm["type"])
		}
	}
	for _, name := range c.required {
		if fm, _ := fields[name].(map[string]any); fm["required"] != true {
			t.Errorf("OPTIONS %s: required = %v, want true", name, fm["required"])
		}
	}
}
