package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// fuzzEnvs opens one populated env per database for a fuzz target.
func fuzzEnvs(f *testing.F) []*env {
	f.Helper()
	var envs []*env
	for _, d := range dialects {
		e := newEnv(f, d)
		fx := newFixtures(e)
		e.create("assets", map[string]any{"serial": "SN-1", "partnumber": "PN-1", "type": fx.typeID, "price": "10.50", "currency": "EUR",
			"assigned_object_type": "dcim.device", "assigned_object_id": 12, "tags": []any{fx.prodTag}, "warranty_end": "2026-06-30"})
		e.create("probes", map[string]any{"time": "2026-03-14T10:00:00Z", "creation_time": "2026-03-01T00:00:00Z", "name": "n", "serial": "SN-1", "device": 12})
		e.create("rmas", map[string]any{"asset": fx.assetID, "issue_description": "x", "rma_number": "R-1"})
		e.create("invoices", map[string]any{"name": "I", "name_internal": "I", "contract": fx.contractID})
		e.create("asset-services", map[string]any{"asset": fx.assetID, "contract": fx.contractID})
		e.create("external-inventory", map[string]any{"inventory_number": "INV-1", "name": "X", "assets": []any{fx.assetID}})
		envs = append(envs, e)
	}
	return envs
}

// querySafe percent-encodes the bytes an HTTP request line cannot carry,
// keeping '%' so that the fuzzer can still produce any escape (%00, %ff,
// invalid ones like %zz).
func querySafe(s string) string {
	const allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/?%[]"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if strings.IndexByte(allowed, c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
		}
	}
	return b.String()
}

// FuzzListQuery sends arbitrary query strings to every list endpoint and
// the change log: the answer is never a 5xx and always JSON.
func FuzzListQuery(f *testing.F) {
	for _, q := range []string{
		// realistic
		"", "limit=10", "limit=0", "limit=5000&offset=20", "offset=3", "start=1&limit=2", "ordering=-id", "ordering=serial,-quantity",
		"brief=1", "fields=id,display", "omit=tags,comments", "q=SN", "q=", "serial=SN-1&serial=SN-2", "serial__ic=sn", "serial__n=SN-1",
		"tag=prod&tag=lab", "tag_id=1", "id=1&id=2", "id__n=1", "price__gte=5&price__lte=100", "price__isnull=true",
		"warranty_end__lt=2027-01-01", "created__gte=2026-01-01T00:00:00Z", "last_updated__lte=2030-01-01",
		"assigned_object_type=dcim.device&assigned_object_id=12", "has_duplicates=true", "has_external_inventory_items=False",
		"warranty_status=expired&warranty_status=none", "service_status=valid", "type_id=1", "order_contract=null",
		"contract_type=Subcontract", "master_contracts=1", "contractor=ACME", "latest_only=true", "latest_only_per_device=1",
		"time__gte=2026-03-01T00:00:00Z", "status=completed", "has_assets=false", "asset_id=1", "name__empty=true",
		"description__iew=x", "vendor__nisw=a", "partnumber__ie=pn-1", "serial__regex=^SN", "serial__iregex=sn-[0-9]+",
		// nasty
		"serial=a;b", "ordering=serial&ordering=-id", "serial=%zz", "device=x", "owner__n=x", "type_id=99999", "contractor=nope",
		"lifecycle_status__ic=use", "serial__regex=\\pL", "tag__any=x", "created_by_request=r",
		"limit=-1", "limit=abc", "limit=99999999999999999999", "offset=-5", "offset=99999999999999999999", "offset=9223372036854775807",
		"start=-1", "start=abc", "start=1&offset=1", "start=1&ordering=id", "start=9223372036854775807", "ordering=,,,-", "ordering=--id",
		"fields=", "fields=,,", "brief=&omit=", "id=abc", "id=9999999999999999999", "id=-1", "price=1e400", "price=NaN",
		"price=-0", "quantity=-99999999999", "quantity__gt=9223372036854775807", "warranty_end=0000-01-01", "warranty_end=2026-02-30",
		"created=not-a-date", "time__gte=2026-03-01T25:00:00Z", "assignment_status=", "assignment_status=foo",
		"tag=%00", "serial=%00", "q=%00", "serial=%ff", "q=%c3%28", "serial__ic=%25", "serial__ic=_", "q=%27%3B--",
		"serial__regex=(", "serial__iregex=[", "partnumber__regex=a{99999}", "serial__regex=\\", "q=" + strings.Repeat("a", 5000),
		"%zz=1", "a=%", "==&&==", "serial", "serial__=x", "__=x", "serial__ic__n=x", "id__lt=1&id__gt=1",
		"price__gte=1e3", "price=10.001", "price__n=1e-30", "quantity=4.5", "quantity__lte=1e30", "id__gt=1.5", "id=.5e1",
		"price=1e41", "price__lt=-1e-41", "assigned_object_type=DCIM.Device", "assigned_object_type__n=x.y", "serial=%20%20",
		"created_by_request=%7Burn:uuid:6f1c1c3e-0000-4000-8000-000000000001%7D", "cf_x=1", "time__gte=2025-1-5T9:00+01",
		"warranty_end=20250105", "time__lt=2025-01-05T09:00:00,123456789%20-0130",
		"has_duplicates=maybe", "cf_x=1", "format=json", "exclude=x",
		// the change log's own filters
		"user=admin", "user=x&user__n=y", "user_id=1", "user_id=x", "time_after=2026-01-01", "time_before=x", "time_after=null",
		"action__ic=cr", "action=x", "object_repr__regex=(", "changed_object_type_id=1", "changed_object_id__gt=0", "ordering=-time,user",
	} {
		f.Add(q)
	}
	envs := fuzzEnvs(f)
	cases := entityCases()
	f.Fuzz(func(t *testing.T, q string) {
		paths := []string{pluginAPI + "object-changes/"}
		for _, c := range cases {
			paths = append(paths, endpoint(c.path))
		}
		for _, e := range envs {
			for _, path := range paths {
				r := doRequest(t, e.srv, e.token, "GET", path+"?"+querySafe(q), nil)
				if r.Status >= 500 {
					t.Fatalf("%s: %s", e.dialect, r)
				}
				if !json.Valid(r.Body) || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
					t.Fatalf("%s: not JSON: %s", e.dialect, r)
				}
				if r.Status != http.StatusOK && r.Status != http.StatusBadRequest {
					t.Fatalf("%s: want 200 or 400: %s", e.dialect, r)
				}
			}
		}
	})
}

// FuzzCreateBody POSTs arbitrary bodies to every endpoint: the answer is a
// 201 or a 400 with a JSON body, never a 5xx.
func FuzzCreateBody(f *testing.F) {
	for _, b := range []string{
		// realistic
		`{"serial": "SN-9", "partnumber": "PN", "type": 1, "price": "10.50", "currency": "EUR", "tags": [{"slug": "prod"}]}`,
		`{"serial": "SN-9", "assigned_object_type": "dcim.device", "assigned_object_id": 12, "order_contract": {"name": "Frame"}}`,
		`[{"serial": "A"}, {"serial": "B", "quantity": 3}]`,
		`{"name": "T", "slug": "t", "color": "ff0000"}`,
		`{"name": "C", "name_internal": "C", "type": "supply", "contractor": {"name": "ACME"}, "parent": null}`,
		`{"name": "Vendor", "company": "Corp", "tenant": 3}`,
		`{"name": "I", "name_internal": "I", "contract": 1, "price": 5000, "currency": "EUR", "invoicing_start": "2026-01-01"}`,
		`{"time": "2026-03-14T10:00:00Z", "creation_time": "2026-03-01T00:00:00Z", "name": "n", "serial": "S", "device": 12, "discovered_data": {"a": [1, 2]}}`,
		`{"asset": 1, "issue_description": "broken", "status": "completed", "replacement_serial": "NEW"}`,
		`{"inventory_number": "INV-9", "name": "X", "assets": [1]}`,
		`{"asset": {"serial": "FIX-1"}, "contract": 1, "service_price": "1.00", "service_currency": "EUR"}`,
		`{"serial": "SN", "changelog_message": "import", "custom_fields": {}}`,
		// nasty
		``, ` `, `null`, `true`, `0`, `"x"`, `[]`, `[null]`, `[[]]`, `{}`, `{"": ""}`, `{"serial": null}`, `{"serial": ""}`,
		`{"serial": 1e400}`, `{"serial": {"a": 1}}`, `{"serial": ["a"]}`, `{"serial": "a\u0000b"}`, `{"serial": "\ud800"}`,
		"{\"serial\": \"\xff\xfe\"}", `{"serial": "A", "quantity": "many"}`, `{"serial": "A", "quantity": 1.5}`,
		`{"serial": "A", "quantity": 99999999999999999999}`, `{"serial": "A", "quantity": -1}`, `{"serial": "A", "price": -1, "currency": "EUR"}`,
		`{"serial": "A", "price": "NaN", "currency": "EUR"}`, `{"serial": "A", "price": 1e30, "currency": "EUR"}`,
		`{"serial": "A", "price": "0.001", "currency": "EUR"}`, `{"serial": "A", "price": "1e2", "currency": "EUR"}`,
		`{"serial": "A", "price": "-1.5E+3", "currency": "EUR"}`, `{"serial": "A", "price": "0x1e5", "currency": "EUR"}`,
		`{"serial": "A", "price": 1.2340e1, "currency": "EUR"}`, `{"serial": "A", "price": "1e99999999999", "currency": "EUR"}`,
		`{"serial": " padded ", "custom_fields": {"<b>": "&"}}`, `{"serial": "A", "type": {"name": "x", "slug": null}}`, `{"serial": "A", "type": ""}`, `{"serial": "A", "warranty_start": "0000-01-01"}`,
		`{"serial": "A", "warranty_start": "2026-02-30"}`, `{"serial": "A", "type": -1}`, `{"serial": "A", "type": {"id": "x"}}`,
		`{"serial": "A", "type": {"slug__regex": "("}}`, `{"serial": "A", "type": {"name": [1]}}`, `{"serial": "A", "type": true}`,
		`{"serial": "A", "tags": "prod"}`, `{"serial": "A", "tags": [{"slug": null}]}`, `{"serial": "A", "tags": [1.5]}`,
		`{"serial": "A", "assigned_object_type": "dcim.cable", "assigned_object_id": 1}`, `{"serial": "A", "assigned_object_id": -1}`,
		`{"serial": "A", "assignment_status": {"value": "stocked"}}`, `{"serial": "A", "custom_fields": []}`,
		`{"serial": "A", "custom_fields": {"k\u0000": 1}}`, `{"time": "2026-03-14T10:00:00Z", "name": "n", "serial": "S", "discovered_data": "\u0000"}`,
		`{"time": "0000-01-01T00:00:00Z", "name": "n", "serial": "S"}`, `{"time": "2026-13-01T00:00:00Z", "name": "n", "serial": "S"}`,
		`{"time": "2026-03-14T10:00:00+99:00", "name": "n", "serial": "S"}`, `{"rma_number": "", "asset": 1, "issue_description": "x"}`,
		`{"name": "C", "name_internal": "C", "type": "supply", "parent": 1}`, `{"name": "Vendor", "tenant": -5}`, `{"name": "Vendor", "tenant": {"id": {}}}`,
		`{"inventory_number": "I", "name": "X", "assets": [1, 1, 1]}`, `{"inventory_number": "I", "name": "X", "assets": {"id": 1}}`,
		`{"serial": "` + strings.Repeat("x", 300) + `"}`, `{"serial": "A"} {"serial": "B"}`, `{"serial": "A",}`, `{"serial": 'A'}`,
		strings.Repeat("[", 20000) + strings.Repeat("]", 20000), `{"id": 5, "serial": "A"}`, `{"changelog_message": {"x": 1}, "serial": "A"}`,
	} {
		f.Add(b)
	}
	envs := fuzzEnvs(f)
	cases := entityCases()
	f.Fuzz(func(t *testing.T, body string) {
		for _, e := range envs {
			for _, c := range cases {
				r := doRequest(t, e.srv, e.token, "POST", endpoint(c.path), rawBody(body))
				if r.Status != http.StatusCreated && r.Status != http.StatusBadRequest {
					t.Fatalf("%s: want 201 or 400: %s", e.dialect, r)
				}
				if !json.Valid(r.Body) || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
					t.Fatalf("%s: not JSON: %s", e.dialect, r)
				}
			}
		}
	})
}
