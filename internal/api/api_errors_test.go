package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/inventory-monitor/inventory-monitor/internal/api"
)

// TestValidationErrorsAreKeyedByField checks DRF's 400 shape for field and
// whole-object errors, and that a refused write stores nothing.
func TestValidationErrorsAreKeyedByField(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		f := newFixtures(e)
		assets := e.count("assets")
		cases := []struct {
			name string
			path string
			body any
			want map[string]any
		}{
			{"RequiredFieldMissing", "assets", map[string]any{"partnumber": "PN"}, map[string]any{"serial": []string{"This field is required."}}},
			{"BlankRequiredField", "assets", map[string]any{"serial": ""}, map[string]any{"serial": []string{"This field may not be blank."}}},
			{"PriceWithoutCurrency", "assets", map[string]any{"serial": "A", "price": "10"}, map[string]any{"currency": []string{"Currency is required when price is set."}}},
			{"CurrencyWithoutPrice", "invoices", map[string]any{"name": "I", "name_internal": "I", "contract": f.contractID, "currency": "EUR"},
				map[string]any{"price": []string{"Price is required when currency is set."}}},
			{"StringForQuantity", "assets", map[string]any{"serial": "A", "quantity": "many"}, map[string]any{"quantity": []string{"A valid integer is required."}}},
			{"ObjectForSerial", "assets", map[string]any{"serial": map[string]any{"nested": true}}, map[string]any{"serial": []string{"Not a valid string."}}},
			{"UnknownChoiceValue", "assets", map[string]any{"serial": "A", "assignment_status": "broken"},
				map[string]any{"assignment_status": []string{`"broken" is not a valid choice.`}}},
			{"UnknownRMAStatus", "rmas", map[string]any{"asset": f.assetID, "issue_description": "x", "status": "lost"},
				map[string]any{"status": []string{`"lost" is not a valid choice.`}}},
			{"NegativePrice", "assets", map[string]any{"serial": "A", "price": -1, "currency": "EUR"},
				map[string]any{"price": []string{"Ensure this value is greater than or equal to 0."}}},
			{"NegativeServicePrice", "asset-services", map[string]any{"service_price": "-0.01", "service_currency": "EUR"},
				map[string]any{"service_price": []string{"Ensure this value is greater than or equal to 0."}}},
			{"NegativeQuantity", "assets", map[string]any{"serial": "A", "quantity": -1},
				map[string]any{"quantity": []string{"Ensure this value is greater than or equal to 0."}}},
			{"TooManyDecimalPlaces", "contracts", map[string]any{"name": "C", "name_internal": "C", "type": "supply", "price": "1.234", "currency": "EUR"},
				map[string]any{"price": []string{"Ensure that there are no more than 2 decimal places."}}},
			{"BadDate", "assets", map[string]any{"serial": "A", "warranty_start": "2026-02-30"},
				map[string]any{"warranty_start": []string{"Date has wrong format. Use one of these formats instead: YYYY-MM-DD."}}},
			{"TooLongString", "assets", map[string]any{"serial": "A", "partnumber": strings.Repeat("x", 65)},
				map[string]any{"partnumber": []string{"Ensure this field has no more than 64 characters."}}},
			{"UnknownRelatedPK", "assets", map[string]any{"serial": "A", "type": 99999},
				map[string]any{"type": []string{"Related object not found using the provided numeric ID: 99999"}}},
			{"UnknownRelatedAttributes", "assets", map[string]any{"serial": "A", "order_contract": map[string]any{"name": "Nope"}},
				map[string]any{"order_contract": []string{`Related object not found using the provided attributes: {"name":"Nope"}`}}},
			// A value that cannot be read does not hide the other fields' errors.
			{"EveryBadFieldIsReported", "assets", map[string]any{"serial": "E", "lifecycle_status": "x", "warranty_end": "bad"},
				map[string]any{"lifecycle_status": []string{`"x" is not a valid choice.`},
					"warranty_end": []string{"Date has wrong format. Use one of these formats instead: YYYY-MM-DD."}}},
			{"EveryBadReferenceIsReported", "assets", map[string]any{"type": 999999, "order_contract": map[string]any{"name": "nope"}},
				map[string]any{"serial": []string{"This field is required."}, "type": []string{"Related object not found using the provided numeric ID: 999999"},
					"order_contract": []string{`Related object not found using the provided attributes: {"name":"nope"}`}}},
			{"NetBoxObjectByAttributes", "probes", map[string]any{"name": "p", "serial": "S", "time": "2025-01-01T00:00:00Z", "device": map[string]any{"name": "rtr1"}},
				map[string]any{"device": []string{`NetBox objects can only be referenced by numeric ID (or {"id": N}) here: this server does not hold NetBox's data to find {"name":"rtr1"}.`}}},
			{"UnknownTag", "assets", map[string]any{"serial": "A", "tags": []any{map[string]any{"slug": "nope"}}},
				map[string]any{"tags": []string{`Related object not found using the provided attributes: {"slug":"nope"}`}}},
			{"NullTag", "assets", map[string]any{"serial": "A", "tags": []any{nil}},
				map[string]any{"tags": []string{"This field may not be null."}}},
			{"TagByMisspelledAttribute", "assets", map[string]any{"serial": "A", "tags": []any{map[string]any{"nmae": "Lab"}}},
				map[string]any{"tags": []string{`Related object not found using the provided attributes: {"nmae":"Lab"}`}}},
			{"TagByEmptyDictMatchesEveryTag", "assets", map[string]any{"serial": "A", "tags": []any{map[string]any{}}},
				map[string]any{"tags": []string{`Multiple objects match the provided attributes: {}`}}},
			{"TagWhoseOtherAttributeDiffers", "assets", map[string]any{"serial": "A", "tags": []any{map[string]any{"name": "Lab", "color": "123456"}}},
				map[string]any{"tags": []string{`Related object not found using the provided attributes: {"color":"123456","name":"Lab"}`}}},
			{"RelatedByPartialName", "assets", map[string]any{"serial": "A", "type": map[string]any{"name": "Swi"}},
				map[string]any{"type": []string{`Related object not found using the provided attributes: {"name":"Swi"}`}}},
			{"RelatedByOtherCase", "assets", map[string]any{"serial": "A", "type": map[string]any{"slug": "SWITCH"}},
				map[string]any{"type": []string{`Related object not found using the provided attributes: {"slug":"SWITCH"}`}}},
			{"RelatedByUnknownField", "assets", map[string]any{"serial": "A", "type": map[string]any{"nmae": "Switch"}},
				map[string]any{"type": []string{`Related object not found using the provided attributes: {"nmae":"Switch"}`}}},
			{"NullInManyToMany", "external-inventory", map[string]any{"inventory_number": "N", "name": "N", "assets": []any{nil}},
				map[string]any{"assets": []string{"This field may not be null."}}},
			{"SlugWithSpaces", "asset-types", map[string]any{"name": "T", "slug": "bad slug"},
				map[string]any{"slug": []string{`Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.`}}},
			{"ColorNotLowercaseHex", "asset-types", map[string]any{"name": "T", "slug": "t", "color": "FF0000"},
				map[string]any{"color": []string{"Enter a valid hexadecimal RGB color code."}}},
			{"WhitespaceOnlySerial", "assets", map[string]any{"serial": "   "}, map[string]any{"serial": []string{"This field may not be blank."}}},
			{"AssignedTypeWithoutID", "assets", map[string]any{"serial": "A", "assigned_object_type": "dcim.device"},
				map[string]any{"assigned_object_id": []string{"This field cannot be null."}}},
			{"CustomFieldsNotAnObject", "assets", map[string]any{"serial": "A", "custom_fields": []any{}},
				map[string]any{"custom_fields": []string{"Invalid data. Expected a dictionary, but got list."}}},
			{"ContractIsItsOwnParent", "contracts", nil, nil}, // see below
			{"InvoicingStartAfterEnd", "invoices", map[string]any{"name": "I", "name_internal": "I", "contract": f.contractID,
				"invoicing_start": "2026-05-01", "invoicing_end": "2026-04-01"},
				map[string]any{"invoicing_start": []string{"Invoicing Start cannot be set after Invoicing End"}}},
		}
		for _, c := range cases {
			if c.body == nil {
				continue
			}
			t.Run(c.name, func(t *testing.T) {
				e.t = t
				before := e.count(c.path)
				r := e.do("POST", endpoint(c.path), c.body)
				wantJSON(t, r, http.StatusBadRequest, c.want)
				if n := e.count(c.path); n != before {
					t.Errorf("refused POST wrote %d object(s)", n-before)
				}
			})
		}
		t.Run("ContractCannotBeItsOwnParent", func(t *testing.T) {
			e.t = t
			r := e.do("PATCH", detailPath("contracts", f.contractID), map[string]any{"parent": f.contractID})
			wantJSON(t, r, http.StatusBadRequest, map[string]any{"parent": []string{"A contract cannot be its own parent."}})
		})
		t.Run("WholeObjectErrorUnderAll", func(t *testing.T) {
			e.t = t
			e.create("contractors", map[string]any{"name": "First", "tenant": 5})
			r := e.do("POST", endpoint("contractors"), map[string]any{"name": "Second", "tenant": 5})
			wantJSON(t, r, http.StatusBadRequest, map[string]any{"__all__": []string{"The tenant 5 is already assigned to another contractor."}})
		})
		t.Run("NothingWrittenByAnyRefusal", func(t *testing.T) {
			e.t = t
			if n := e.count("assets"); n != assets {
				t.Errorf("assets: %d, want %d", n, assets)
			}
		})
	})
}

// TestMalformedBodiesAreBadRequests sends bodies no serializer can read:
// each is a 400 with a message, never a 500, and nothing is written.
func TestMalformedBodiesAreBadRequests(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		f := newFixtures(e)
		cases := []struct {
			name, method, path string
			body               rawBody
			want               any
		}{
			{"TruncatedJSON", "POST", endpoint("assets"), `{"serial": `, map[string]any{"detail": "JSON parse error - unexpected end of JSON input"}},
			{"TrailingGarbage", "POST", endpoint("assets"), `{"serial":"A"} x`, map[string]any{"detail": "JSON parse error - invalid character 'x' after top-level value"}},
			{"EmptyBody", "POST", endpoint("assets"), ``, map[string]any{"detail": "Expected a JSON object or list in the request body."}},
			{"StringBody", "POST", endpoint("assets"), `"serial"`, map[string]any{"detail": "Invalid data. Expected a dictionary, but got str."}},
			{"NumberBody", "POST", endpoint("assets"), `42`, map[string]any{"detail": "Invalid data. Expected a dictionary, but got number."}},
			{"ListOfNumbers", "POST", endpoint("assets"), `[1, 2]`, map[string]any{"detail": "Item 0: Invalid data. Expected a dictionary, but got number."}},
			{"ListForDetailPATCH", "PATCH", detailPath("assets", f.assetID), `[{"serial": "X"}]`, map[string]any{"detail": "Invalid data. Expected a dictionary, but got list."}},
			{"DictForBulkPATCH", "PATCH", endpoint("assets"), `{"id": 1, "serial": "X"}`, map[string]any{"detail": `Bulk update expects a list of objects, each with an "id".`}},
			{"DictForBulkDELETE", "DELETE", endpoint("assets"), `{"id": 1}`, map[string]any{"detail": `Bulk delete expects a list of objects, each with an "id".`}},
			{"BulkPATCHWithoutID", "PATCH", endpoint("assets"), `[{"serial": "X"}]`, []any{map[string]any{"id": []string{"This field is required."}}}},
			{"BulkDELETEWithBadID", "DELETE", endpoint("assets"), `[{"id": "one"}]`, []any{map[string]any{"id": []string{"A valid integer is required."}}}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				e.t = t
				r := e.do(c.method, c.path, c.body)
				wantJSON(t, r, http.StatusBadRequest, c.want)
				diff(t, "assets after the refused request", []int64{f.assetID}, e.ids("assets", ""))
				diff(t, "serial unchanged", "FIX-1", e.get("assets", f.assetID)["serial"])
			})
		}
	})
}

// TestOversizedBodiesAreBadRequests builds the server with a 2 KiB body
// limit: a larger POST, bulk PATCH or bulk DELETE is a 400 that names the
// problem, and nothing is written.
func TestOversizedBodiesAreBadRequests(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		a := e.create("assets", map[string]any{"serial": "KEEP"})
		big := strings.Repeat("x", 4096)
		for _, c := range []struct {
			name, method, path string
			body               any
		}{
			{"POST", "POST", endpoint("assets"), map[string]any{"serial": "A", "comments": big}},
			{"POSTList", "POST", endpoint("assets"), []any{map[string]any{"serial": "A"}, map[string]any{"serial": "B", "comments": big}}},
			{"BulkPATCH", "PATCH", endpoint("assets"), []any{map[string]any{"id": id(t, a), "comments": big}}},
			{"PUT", "PUT", detailPath("assets", id(t, a)), map[string]any{"serial": "CHANGED", "comments": big}},
			{"BulkDELETE", "DELETE", endpoint("assets"), []any{map[string]any{"id": id(t, a), "changelog_message": big}}},
		} {
			t.Run(c.name, func(t *testing.T) {
				e.t = t
				r := e.do(c.method, c.path, c.body)
				want(t, r, http.StatusBadRequest)
				msg, _ := r.obj(t)["detail"].(string)
				if !strings.Contains(msg, "too large") {
					t.Errorf("detail %q does not say the body is too large", msg)
				}
				diff(t, "assets", []any{map[string]any{"serial": "KEEP", "comments": ""}},
					[]any{pick(e.get("assets", id(t, a)), "serial", "comments")})
				if n := e.count("assets"); n != 1 {
					t.Errorf("%d assets stored, want 1", n)
				}
			})
		}
		t.Run("BodyUnderTheLimitIsAccepted", func(t *testing.T) {
			e.t = t
			r := e.do("POST", endpoint("assets"), map[string]any{"serial": "SMALL", "comments": strings.Repeat("y", 1000)})
			want(t, r, http.StatusCreated)
		})
	}, withOptions(func(o *api.Options) { o.MaxBodyBytes = 2048 }))
}

// TestBulkCreateErrorsAreAlignedAndAtomic checks the 4.4–4.6 list shape of
// bulk create errors and that a bulk write with one bad item writes nothing.
func TestBulkCreateErrorsAreAlignedAndAtomic(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		f := newFixtures(e)
		t.Run("CreateWithMissingField", func(t *testing.T) {
			e.t = t
			r := e.do("POST", endpoint("assets"), []any{map[string]any{"serial": "A"}, map[string]any{"partnumber": "no serial"}})
			wantJSON(t, r, http.StatusBadRequest, []any{map[string]any{}, map[string]any{"serial": []string{"This field is required."}}})
			diff(t, "assets", []int64{f.assetID}, e.ids("assets", ""))
		})
		t.Run("CreateWithDecodeAndRuleErrors", func(t *testing.T) {
			e.t = t
			r := e.do("POST", endpoint("assets"), []any{
				map[string]any{"serial": map[string]any{}},
				map[string]any{"serial": "B"},
				map[string]any{"serial": "C", "price": 5},
			})
			wantJSON(t, r, http.StatusBadRequest, []any{
				map[string]any{"serial": []string{"Not a valid string."}},
				map[string]any{},
				map[string]any{"currency": []string{"Currency is required when price is set."}},
			})
			diff(t, "assets", []int64{f.assetID}, e.ids("assets", ""))
		})
		t.Run("CreateManyProbesWithOneBad", func(t *testing.T) {
			e.t = t
			items := make([]any, 300)
			for i := range items {
				items[i] = map[string]any{"time": "2026-03-14T10:00:00Z", "creation_time": "2026-03-14T10:00:00Z", "name": "p", "serial": fmt.Sprintf("S%d", i)}
			}
			items[250] = map[string]any{"time": "2026-03-14T10:00:00Z", "name": "p"}
			r := e.do("POST", endpoint("probes"), items)
			want(t, r, http.StatusBadRequest)
			errs := r.list(t)
			if len(errs) != 300 {
				t.Fatalf("%d error items, want 300", len(errs))
			}
			diff(t, "item 250", map[string]any{"serial": []string{"This field is required."}}, errs[250])
			diff(t, "item 0", map[string]any{}, errs[0])
			if n := e.count("probes"); n != 0 {
				t.Errorf("%d probes written", n)
			}
		})
		t.Run("BulkUpdateWithOneBadItem", func(t *testing.T) {
			e.t = t
			b := e.create("assets", map[string]any{"serial": "B"})
			r := e.do("PATCH", endpoint("assets"), []any{
				map[string]any{"id": f.assetID, "serial": "CHANGED"},
				map[string]any{"id": id(t, b), "quantity": -5},
			})
			wantJSON(t, r, http.StatusBadRequest, []any{map[string]any{}, map[string]any{"quantity": []string{"Ensure this value is greater than or equal to 0."}}})
			diff(t, "serial", "FIX-1", e.get("assets", f.assetID)["serial"])
		})
		t.Run("BulkPUTWithMissingRequiredField", func(t *testing.T) {
			e.t = t
			r := e.do("PUT", endpoint("assets"), []any{
				map[string]any{"id": f.assetID, "serial": "CHANGED"},
				map[string]any{"id": f.assetID, "description": "no serial"},
			})
			wantJSON(t, r, http.StatusBadRequest, []any{map[string]any{}, map[string]any{"serial": []string{"This field is required."}}})
			diff(t, "serial", "FIX-1", e.get("assets", f.assetID)["serial"])
		})
		t.Run("BulkWritesPassOverMissingObjects", func(t *testing.T) {
			// As NetBox's bulk views (pk__in): ids naming no object are
			// skipped, the others written; errors stay aligned with the input.
			e.t = t
			r := e.do("PATCH", endpoint("assets"), []any{
				map[string]any{"id": 999999, "serial": "GHOST"},
				map[string]any{"id": f.assetID, "serial": "CHANGED"},
			})
			want(t, r, http.StatusOK)
			if got := r.list(t); len(got) != 1 || got[0].(map[string]any)["id"] != float64(f.assetID) {
				t.Errorf("updated: %v, want only asset %d", got, f.assetID)
			}
			diff(t, "serial", "CHANGED", e.get("assets", f.assetID)["serial"])
			r = e.do("PATCH", endpoint("assets"), []any{
				map[string]any{"id": 999999, "serial": "GHOST"},
				map[string]any{"id": f.assetID, "serial": ""},
			})
			wantJSON(t, r, http.StatusBadRequest, []any{map[string]any{}, map[string]any{"serial": []string{"This field may not be blank."}}})
			want(t, e.do("PATCH", endpoint("assets"), []any{map[string]any{"id": f.assetID, "serial": "FIX-1"}}), http.StatusOK)
			r = e.do("PUT", endpoint("assets"), []any{map[string]any{"id": 999999, "serial": "GHOST"}, map[string]any{"id": f.assetID, "serial": "FIX-1"}})
			want(t, r, http.StatusOK)
			if got := r.list(t); len(got) != 1 {
				t.Errorf("PUT with a missing id updated %d objects, want 1: %v", len(got), got)
			}
			gone := e.create("assets", map[string]any{"serial": "GONE"})
			want(t, e.do("DELETE", endpoint("assets"), []any{map[string]any{"id": 999999}, map[string]any{"id": id(t, gone)}}), http.StatusNoContent)
			want(t, e.do("GET", detailPath("assets", id(t, gone)), nil), http.StatusNotFound)
		})
		t.Run("EmptyBulkListsWriteNothing", func(t *testing.T) {
			// NetBox: an empty list is a valid bulk request (a script's
			// filter(...).delete() that matched nothing).
			e.t = t
			before := e.count("assets")
			wantJSON(t, e.do("POST", endpoint("assets"), []any{}), http.StatusCreated, []any{})
			wantJSON(t, e.do("PATCH", endpoint("assets"), []any{}), http.StatusOK, []any{})
			wantJSON(t, e.do("PUT", endpoint("assets"), []any{}), http.StatusOK, []any{})
			want(t, e.do("DELETE", endpoint("assets"), []any{}), http.StatusNoContent)
			if n := e.count("assets"); n != before {
				t.Errorf("assets: %d, want %d", n, before)
			}
		})
	})
}

// TestMissingObjectsAreNotFound checks 404 {"detail": "No <Model> matches
// the given query."} on every detail operation.
func TestMissingObjectsAreNotFound(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		for _, c := range entityCases() {
			for _, m := range []struct {
				method string
				body   any
			}{{"GET", nil}, {"PATCH", map[string]any{"description": "x"}}, {"PUT", map[string]any{}}, {"DELETE", nil}} {
				r := e.do(m.method, detailPath(c.path, 424242), m.body)
				wantJSON(t, r, http.StatusNotFound, map[string]any{"detail": "No " + c.model + " matches the given query."})
			}
		}
		r := e.do("GET", pluginAPI+"assets/abc/", nil)
		wantJSON(t, r, http.StatusNotFound, map[string]any{"detail": "No Asset matches the given query."})
		r = e.do("GET", pluginAPI+"no-such-endpoint/", nil)
		wantJSON(t, r, http.StatusNotFound, map[string]any{"detail": "Not found."})
	})
}

// TestUnsupportedMethodIsMethodNotAllowed checks the JSON 405 for a method
// an endpoint does not have (the response must also be in the OpenAPI
// document, which the central request helper checks).
func TestUnsupportedMethodIsMethodNotAllowed(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		a := e.create("assets", map[string]any{"serial": "A"})
		r := e.do("POST", detailPath("assets", id(t, a)), map[string]any{})
		wantJSON(t, r, http.StatusMethodNotAllowed, map[string]any{"detail": `Method "POST" not allowed.`})
		// The read-only endpoints too (they answered 404).
		for _, c := range []struct{ method, path string }{
			{"POST", "/api/status/"}, {"DELETE", "/api/"}, {"PUT", "/api/plugins/"},
			{"POST", pluginAPI}, {"POST", pluginAPI + "object-changes/"}, {"DELETE", pluginAPI + "object-changes/1/"},
		} {
			r := e.do(c.method, c.path, nil)
			if r.Status != http.StatusMethodNotAllowed || r.Header.Get("Allow") != "GET, HEAD, OPTIONS" {
				t.Errorf("%s %s: %d, Allow %q; want 405, Allow: GET, HEAD, OPTIONS", c.method, c.path, r.Status, r.Header.Get("Allow"))
			}
		}
	})
}

// TestReadOnlyEndpointsAnswerOptionsWithoutActions: OPTIONS on a read-only
// endpoint is Django REST framework's view metadata with nothing to write
// (NetBox answers it; it was a 405), and needs a login like GET.
func TestReadOnlyEndpointsAnswerOptionsWithoutActions(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		for path, name := range map[string]string{
			"/api/": "API Root", "/api/status/": "Status", "/api/plugins/": "Plugins",
			"/api/plugins/installed-plugins/": "Installed Plugins", pluginAPI: "Inventory Monitor",
			pluginAPI + "object-changes/": "Object Change List", pluginAPI + "object-changes/7/": "Object Change Instance",
		} {
			wantJSON(t, e.do("OPTIONS", path, nil), http.StatusOK, map[string]any{
				"name": name, "description": "", "renders": []any{"application/json"}, "parses": []any{"application/json"},
			})
			r := e.do("OPTIONS", path, nil, noAuth())
			wantJSON(t, r, http.StatusForbidden, map[string]any{"detail": "Authentication credentials were not provided."})
		}
	})
}

// TestProtectedDeletesConflict checks 409 with the dependent objects, for
// single and bulk deletes, and that nothing is deleted.
func TestProtectedDeletesConflict(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		f := newFixtures(e)
		typ := e.create("asset-types", map[string]any{"name": "Router", "slug": "router"})
		used := e.create("assets", map[string]any{"serial": "SN-R", "partnumber": "PN-R", "type": id(t, typ)})
		free := e.create("assets", map[string]any{"serial": "SN-FREE"})
		rma := e.create("rmas", map[string]any{"asset": f.assetID, "issue_description": "dead", "rma_number": "77"})
		linked := e.create("assets", map[string]any{"serial": "SN-C", "order_contract": f.contractID})

		t.Run("AssetTypeInUse", func(t *testing.T) {
			e.t = t
			r := e.do("DELETE", detailPath("asset-types", id(t, typ)), nil)
			want(t, r, http.StatusConflict)
			diff(t, "detail", fmt.Sprintf("Unable to delete object. 1 dependent objects were found: PN-R [SN-R] (%d)", id(t, used)), r.obj(t)["detail"])
			if reason, ok := r.obj(t)["reason"]; ok {
				t.Errorf("NetBox's 409 body is detail only; got reason %q", reason)
			}
			e.get("asset-types", id(t, typ))
		})
		t.Run("ContractorWithContracts", func(t *testing.T) {
			e.t = t
			r := e.do("DELETE", detailPath("contractors", f.contractorID), nil)
			want(t, r, http.StatusConflict)
			diff(t, "detail", fmt.Sprintf("Unable to delete object. 1 dependent objects were found: Frame (F-1) via ACME (%d)", f.contractID), r.obj(t)["detail"])
		})
		t.Run("AssetWithRMA", func(t *testing.T) {
			e.t = t
			r := e.do("DELETE", detailPath("assets", f.assetID), nil)
			want(t, r, http.StatusConflict)
			diff(t, "detail", fmt.Sprintf("Unable to delete object. 1 dependent objects were found: %s (%d)", rma["display"], id(t, rma)), r.obj(t)["detail"])
		})
		t.Run("AssetLinkedToAContract", func(t *testing.T) {
			e.t = t
			r := e.do("DELETE", detailPath("assets", id(t, linked)), nil)
			want(t, r, http.StatusConflict)
			msg, _ := r.obj(t)["detail"].(string)
			if !strings.HasPrefix(msg, "Unable to delete object. 1 dependent objects were found: Frame (F-1) via ACME") {
				t.Errorf("detail %q", msg)
			}
			diff(t, "reason", "Cannot delete an Asset that is linked to a Contract. Please remove the order_contract association first.", r.obj(t)["reason"])
		})
		t.Run("ExternalInventoryLinkedToAssets", func(t *testing.T) {
			e.t = t
			ext := e.create("external-inventory", map[string]any{"inventory_number": "INV-1", "name": "Box", "assets": []any{id(t, free)}})
			r := e.do("DELETE", detailPath("external-inventory", id(t, ext)), nil)
			want(t, r, http.StatusConflict)
			diff(t, "detail", fmt.Sprintf("Unable to delete object. 1 dependent objects were found: [SN-FREE] (%d)", id(t, free)), r.obj(t)["detail"])
			// ... and the asset is protected by the link too.
			r = e.do("DELETE", detailPath("assets", id(t, free)), nil)
			want(t, r, http.StatusConflict)
			diff(t, "detail", fmt.Sprintf("Unable to delete object. 1 dependent objects were found: INV-1 Box (%d)", id(t, ext)), r.obj(t)["detail"])
			// Unlinking (PATCH assets=[]) makes both deletable.
			want(t, e.do("PATCH", detailPath("external-inventory", id(t, ext)), map[string]any{"assets": []any{}}), http.StatusOK)
			want(t, e.do("DELETE", detailPath("external-inventory", id(t, ext)), nil), http.StatusNoContent)
		})
		t.Run("BulkDeleteWithOneProtectedDeletesNothing", func(t *testing.T) {
			e.t = t
			r := e.do("DELETE", endpoint("assets"), []any{map[string]any{"id": id(t, free)}, map[string]any{"id": f.assetID}})
			want(t, r, http.StatusConflict)
			e.get("assets", id(t, free))
			e.get("assets", f.assetID)
		})
	})
}

// TestWritesNeverAnswer500 sends values the databases cannot store as
// given; the API must refuse them with a 400 (DRF: "Null characters are
// not allowed.") instead of failing inside the database.
func TestWritesNeverAnswer500(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		t.Run("NULInAString", func(t *testing.T) {
			e.t = t
			r := e.do("POST", endpoint("assets"), map[string]any{"serial": "a\x00b"})
			wantJSON(t, r, http.StatusBadRequest, map[string]any{"serial": []string{"Null characters are not allowed."}})
		})
		t.Run("NULInJSONData", func(t *testing.T) {
			e.t = t
			r := e.do("POST", endpoint("probes"), map[string]any{"serial": "S", "name": "n", "time": "2026-03-14T10:00:00Z",
				"creation_time": "2026-03-14T10:00:00Z", "discovered_data": map[string]any{"k": "a\x00"}})
			want(t, r, http.StatusBadRequest)
			if _, ok := r.obj(t)["discovered_data"]; !ok {
				t.Errorf("no discovered_data error: %s", r)
			}
		})
		t.Run("NullJSONOnUpdateIsTheEmptyObject", func(t *testing.T) {
			e.t = t
			a := e.create("assets", map[string]any{"serial": "S-CF", "custom_fields": map[string]any{"k": "v"}})
			r := e.do("PATCH", detailPath("assets", id(t, a)), map[string]any{"custom_fields": nil})
			want(t, r, http.StatusOK)
			diff(t, "custom_fields", map[string]any{}, r.obj(t)["custom_fields"])
			p := e.create("probes", map[string]any{"serial": "S", "name": "n", "time": "2026-03-14T10:00:00Z", "discovered_data": map[string]any{"k": 1}})
			r = e.do("PATCH", endpoint("probes"), []any{map[string]any{"id": id(t, p), "discovered_data": nil}})
			want(t, r, http.StatusOK)
			diff(t, "discovered_data", map[string]any{}, r.list(t)[0].(map[string]any)["discovered_data"])
		})
		t.Run("NULInCustomFieldName", func(t *testing.T) {
			e.t = t
			r := e.do("POST", endpoint("assets"), map[string]any{"serial": "S", "custom_fields": map[string]any{"k\x00": 1}})
			want(t, r, http.StatusBadRequest)
		})
	})
}

// TestNestedObjectsAreLookedUpExactly writes related objects as attribute
// dicts, as NetBox's nested form allows: the attributes must equal one
// object's fields exactly (not a filter's partial or case-folded match),
// and "" is null as for DRF's related fields.
func TestNestedObjectsAreLookedUpExactly(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		f := newFixtures(e)
		initech := id(t, e.create("contractors", map[string]any{"name": "Initech"}))
		e.create("contractors", map[string]any{"name": "Initech Services"})
		c := e.create("contracts", map[string]any{"name": "K", "name_internal": "K", "type": "other", "contractor": map[string]any{"name": "Initech"}})
		diff(t, "contractor", float64(initech), c["contractor"].(map[string]any)["id"])
		a := e.create("assets", map[string]any{"serial": "NEST-1", "type": map[string]any{"slug": "switch", "name": "Switch"},
			"tags": []any{map[string]any{"name": "Lab", "slug": "lab"}}})
		diff(t, "type", float64(f.typeID), a["type"].(map[string]any)["id"])
		diff(t, "tags", float64(f.labTag), a["tags"].([]any)[0].(map[string]any)["id"])
		r := e.do("PATCH", detailPath("assets", id(t, a)), map[string]any{"type": "", "assigned_object_type": "", "assigned_object_id": nil})
		want(t, r, http.StatusOK)
		if got := r.obj(t)["type"]; got != nil {
			t.Errorf(`type after PATCH "": %v, want null`, got)
		}
	})
}

// TestDecimalsAreReadAsDRFReadsThem: a JSON number is a float to DRF, so
// trailing zeros of its fraction do not count as decimal places; a
// string is a Decimal, exponent form included; a far exponent is refused
// without expanding it.
func TestDecimalsAreReadAsDRFReadsThem(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		for i, c := range []struct {
			price string // raw JSON
			want  any    // the price read back, or the error message
		}{
			{`12.340`, 12.34},
			{`12.000`, 12.0},
			{`"1e2"`, 100.0},
			{`1.5E+3`, 1500.0},
			{`"0.5e1"`, 5.0},
			{`"12.340"`, "Ensure that there are no more than 2 decimal places."},
			{`1.234`, "Ensure that there are no more than 2 decimal places."},
			{`"1e-3"`, "Ensure that there are no more than 2 decimal places."},
			{`"1e999999999"`, "Ensure that there are no more than 19 digits in total."},
			{`"1e-999999999"`, "Ensure that there are no more than 2 decimal places."},
			{`"1e"`, "A valid number is required."},
			{`"0x1e5"`, "A valid number is required."},
			{`1.2340e1`, 12.34},
			{`"1.2340e1"`, "Ensure that there are no more than 2 decimal places."},
			{`"` + strings.Repeat("1", 1001) + `e1"`, "String value too large."},
		} {
			body := rawBody(fmt.Sprintf(`{"serial": "DEC-%d", "price": %s, "currency": "EUR"}`, i, c.price))
			r := e.do("POST", endpoint("assets"), body)
			if msg, isErr := c.want.(string); isErr {
				wantJSON(t, r, http.StatusBadRequest, map[string]any{"price": []string{msg}})
				continue
			}
			want(t, r, http.StatusCreated)
			diff(t, c.price, c.want, r.obj(t)["price"])
		}
	})
}

// TestNonJSONBodiesAreUnsupportedMediaType: NetBox's API parses JSON; a
// form post (curl -d's default) is a 415 naming the type, not a confusing
// "expected a dictionary"; a JSON type with parameters, or none, is read.
func TestNonJSONBodiesAreUnsupportedMediaType(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		contentType := func(ct string) func(*http.Request) {
			return func(r *http.Request) {
				if ct == "" {
					r.Header.Del("Content-Type")
				} else {
					r.Header.Set("Content-Type", ct)
				}
			}
		}
		before := e.count("asset-types")
		for _, ct := range []string{"application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x", "nonsense/;;"} {
			r := e.do("POST", endpoint("asset-types"), rawBody(`{"name": "T", "slug": "t"}`), contentType(ct))
			wantJSON(t, r, http.StatusUnsupportedMediaType, map[string]any{"detail": fmt.Sprintf("Unsupported media type %q in request.", ct)})
		}
		if n := e.count("asset-types"); n != before {
			t.Errorf("refused bodies wrote %d object(s)", n-before)
		}
		want(t, e.do("POST", endpoint("asset-types"), rawBody(`{"name": "T1", "slug": "t1"}`), contentType("application/json; charset=utf-8")), http.StatusCreated)
		want(t, e.do("POST", endpoint("asset-types"), rawBody(`{"name": "T2", "slug": "t2"}`), contentType("")), http.StatusCreated)
	})
}

// TestDatesAndTimestampsAreReadAsDjangoReadsThem: scanners' and scripts'
// spellings (no seconds, %z offsets, one-digit months, basic format) are
// accepted in bodies and filters alike, and written back in DRF's form.
// TestAnUpdatesUnreadableValueIsItsOnlyError: the other fields of a
// single PUT/PATCH are checked as an update of the object (not as a new
// one: no "required" or "already exists" about the object's own values).
func TestAnUpdatesUnreadableValueIsItsOnlyError(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		a := id(t, e.create("assets", map[string]any{"serial": "U-1"}))
		wantJSON(t, e.do("PATCH", detailPath("assets", a), map[string]any{"quantity": "x", "vendor": "V"}), http.StatusBadRequest,
			map[string]any{"quantity": []string{"A valid integer is required."}})
		typ := id(t, e.create("asset-types", map[string]any{"name": "Fan Tray", "slug": "fan-tray"}))
		wantJSON(t, e.do("PUT", detailPath("asset-types", typ), map[string]any{"name": "Fan Tray", "slug": "fan-tray", "color": []any{"x"}}), http.StatusBadRequest,
			map[string]any{"color": []string{"Not a valid string."}})
		wantJSON(t, e.do("PATCH", detailPath("assets", a), map[string]any{"quantity": "x", "lifecycle_status": "lost"}), http.StatusBadRequest,
			map[string]any{"quantity": []string{"A valid integer is required."}, "lifecycle_status": []string{`"lost" is not a valid choice.`}})
	})
}

func TestDatesAndTimestampsAreReadAsDjangoReadsThem(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		r := e.do("POST", endpoint("probes"), map[string]any{"name": "p", "serial": "TZ-1", "time": "2025-01-05T10:00+0100", "creation_time": "2025-01-05 08:30Z"})
		want(t, r, http.StatusCreated)
		diff(t, "probe times", map[string]any{"time": "2025-01-05T09:00:00Z", "creation_time": "2025-01-05T08:30:00Z"}, pick(r.obj(t), "time", "creation_time"))
		r = e.do("POST", endpoint("assets"), map[string]any{"serial": "D-1", "warranty_start": "2025-1-5", "warranty_end": "20251231"})
		want(t, r, http.StatusCreated)
		diff(t, "asset dates", map[string]any{"warranty_start": "2025-01-05", "warranty_end": "2025-12-31"}, pick(r.obj(t), "warranty_start", "warranty_end"))
		diff(t, "probes by time__gte with an offset", 1, e.page(endpoint("probes")+"?time__gte="+url.QueryEscape("2025-01-05T10:00+01:00")).Count)
		diff(t, "probes after it", 0, e.page(endpoint("probes")+"?time__gt="+url.QueryEscape("2025-01-05T10:00+01")).Count)
		diff(t, "assets by a one-digit date", 1, e.page(endpoint("assets")+"?warranty_start=2025-1-5").Count)
		wantJSON(t, e.do("GET", endpoint("assets")+"?warranty_start=2025-02-30", nil), http.StatusBadRequest,
			map[string]any{"warranty_start": []string{"Enter a valid date."}})
	})
}
