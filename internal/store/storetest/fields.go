package storetest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

const notFound = "Related object not found using the provided numeric ID: %d"

func testFields(t *testing.T, open Opener) {
	view := sharedEnv(t, open)
	t.Run("RequiredFieldAbsentOnCreateIsRequired", func(t *testing.T) {
		e := view(t)
		for _, en := range schema.Inventory.Entities {
			for _, f := range en.Fields {
				if !f.Required || f.Default != nil || f.ReadOnly {
					continue
				}
				t.Run(en.Name+"."+f.Name, func(t *testing.T) {
					e.t = t
					errs := e.createFields(en.Name, without(e.valid(en.Name), f.Name))
					diff(t, "errors", msgs(f.Name, "This field is required."), errs)
				})
			}
		}
	})

	t.Run("RequiredStringBlankMayNotBeBlankAndNullMayNotBeNull", func(t *testing.T) {
		e := view(t)
		for _, en := range schema.Inventory.Entities {
			for _, f := range en.Fields {
				if !f.Required || f.ReadOnly {
					continue
				}
				t.Run(en.Name+"."+f.Name, func(t *testing.T) {
					e.t = t
					if f.Kind == schema.String {
						errs := e.createFields(en.Name, with(e.valid(en.Name), f.Name, ""))
						diff(t, "blank on create", msgs(f.Name, "This field may not be blank."), errs)
					}
					errs := e.createFields(en.Name, with(e.valid(en.Name), f.Name, nil))
					diff(t, "null on create", msgs(f.Name, "This field may not be null."), errs)
					// The same on update of a valid object.
					r := e.create(en.Name, e.valid(en.Name))
					if f.Kind == schema.String {
						diff(t, "blank on update", msgs(f.Name, "This field may not be blank."), e.updateFields(en.Name, r.ID, store.Patch{f.Name: ""}))
					}
					diff(t, "null on update", msgs(f.Name, "This field may not be null."), e.updateFields(en.Name, r.ID, store.Patch{f.Name: nil}))
				})
			}
		}
	})

	t.Run("OptionalFieldsAcceptNull", func(t *testing.T) {
		e := view(t)
		for _, en := range schema.Inventory.Entities {
			p := e.valid(en.Name)
			for _, f := range en.Fields {
				if f.Null && !f.ReadOnly {
					if _, set := p[f.Name]; !set {
						p[f.Name] = nil
					}
				}
			}
			r := e.create(en.Name, p)
			for _, f := range en.Fields {
				if en.Name == schema.RMAName && f.Name == "original_serial" {
					continue // filled from the asset on save
				}
				if f.Null && !f.ReadOnly && p[f.Name] == nil {
					if v, ok := r.Values[f.Name]; ok && v != nil {
						t.Errorf("%s.%s = %v, want NULL", en.Name, f.Name, v)
					}
				}
			}
		}
	})

	t.Run("TextIsStoredWithoutSurroundingWhitespaceAndBlankAfterTrimming", func(t *testing.T) {
		// As NetBox's serializers and forms trim: a padded serial is the
		// serial, whitespace alone is blank (required → error, unique
		// nullable → NULL). Choices are not trimmed (DRF's ChoiceField).
		e := view(t)
		r := e.create(schema.AssetName, with(e.valid(schema.AssetName), "serial", " \tSN-TRIM-1  ", "description", "  two words "))
		if got := e.get(schema.AssetName, r.ID); got.Str("serial") != "SN-TRIM-1" || got.Str("description") != "two words" {
			t.Errorf("stored serial %q, description %q; want them trimmed", got.Str("serial"), got.Str("description"))
		}
		diff(t, "whitespace-only required on create", msgs("serial", "This field may not be blank."),
			e.createFields(schema.AssetName, with(e.valid(schema.AssetName), "serial", "   ")))
		diff(t, "whitespace-only required on update", msgs("serial", "This field may not be blank."),
			e.updateFields(schema.AssetName, r.ID, store.Patch{"serial": " \n "}))
		rmas := e.createMany(schema.RMAName, with(e.valid(schema.RMAName), "rma_number", "  "), with(e.valid(schema.RMAName), "rma_number", " "))
		for _, rma := range rmas {
			if v, ok := e.get(schema.RMAName, rma.ID).Values["rma_number"]; ok && v != nil {
				t.Errorf("rma_number of whitespace stored as %q, want NULL", v)
			}
		}
		errs := e.createFields(schema.AssetName, with(e.valid(schema.AssetName), "lifecycle_status", " in_use"))
		if len(errs["lifecycle_status"]) != 1 {
			t.Errorf("padded choice value: errors %v, want one on lifecycle_status", errs)
		}
	})

	t.Run("NullJSONFieldIsTheEmptyObjectOnCreateAndUpdate", func(t *testing.T) {
		e := view(t)
		for _, en := range schema.Inventory.Entities {
			for _, f := range en.Fields {
				if f.Kind != schema.JSON || f.ReadOnly || f.Null {
					continue
				}
				t.Run(en.Name+"."+f.Name, func(t *testing.T) {
					e.t = t
					r := e.create(en.Name, with(e.valid(en.Name), f.Name, nil))
					if got := string(e.get(en.Name, r.ID).Values[f.Name].(json.RawMessage)); got != "{}" {
						t.Errorf("create with null: %s, want {}", got)
					}
					e.update(en.Name, r.ID, store.Patch{f.Name: json.RawMessage(`{"k":"v"}`)})
					e.update(en.Name, r.ID, store.Patch{f.Name: nil})
					if got := string(e.get(en.Name, r.ID).Values[f.Name].(json.RawMessage)); got != "{}" {
						t.Errorf("update with null: %s, want {}", got)
					}
				})
			}
		}
	})

	t.Run("CustomFieldsUpdateReplacesOnlyTheKeysSent", func(t *testing.T) {
		// NetBox's custom-fields field starts an update from the stored data.
		e := view(t)
		r := e.create(schema.ContractorName, with(e.valid(schema.ContractorName), "custom_fields", json.RawMessage(`{"a":1,"b":"x"}`)))
		e.update(schema.ContractorName, r.ID, store.Patch{"custom_fields": json.RawMessage(`{"b":null,"c":[1],"d":"<b>&"}`)})
		got := e.get(schema.ContractorName, r.ID).Values["custom_fields"].(json.RawMessage)
		var m map[string]any
		if err := json.Unmarshal(got, &m); err != nil {
			t.Fatal(err)
		}
		diff(t, "custom fields", map[string]any{"a": 1.0, "b": nil, "c": []any{1.0}, "d": "<b>&"}, m)
		if !strings.Contains(string(got), `"<b>&"`) {
			t.Errorf("stored %s: text rewritten (HTML escapes)", got)
		}
	})

	t.Run("SlugAndColorFormatsAreEnforced", func(t *testing.T) {
		e := view(t)
		slugMsg := `Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.`
		colorMsg := "Enter a valid hexadecimal RGB color code."
		for _, c := range []struct {
			field, value string
			want         map[string][]string
		}{
			{"slug", "bad slug", msgs("slug", slugMsg)},
			{"slug", "dots.and/slashes", msgs("slug", slugMsg)},
			{"slug", "ünïcode", msgs("slug", slugMsg)},
			{"slug", "Ok_slug-9", nil},
			{"color", "#ff000", msgs("color", colorMsg)},
			{"color", "FF0000", msgs("color", colorMsg)},
			{"color", "zzzzzz", msgs("color", colorMsg)},
			{"color", "ff00", msgs("color", colorMsg)},
			{"color", "ff0000", nil},
			{"color", "", nil},
		} {
			p := with(e.valid(schema.AssetTypeName), c.field, c.value)
			if c.want == nil {
				e.create(schema.AssetTypeName, p)
				continue
			}
			diff(t, c.field+"="+c.value, c.want, e.createFields(schema.AssetTypeName, p))
		}
	})

	t.Run("MaxLengthCountsCharactersAndIsEnforced", func(t *testing.T) {
		// Multi-byte characters at exactly the limit must fit the column
		// on every database; one more character is refused.
		e := view(t)
		for _, en := range schema.Inventory.Entities {
			for _, f := range en.Fields {
				if f.Kind != schema.String || f.ReadOnly {
					continue
				}
				t.Run(en.Name+"."+f.Name, func(t *testing.T) {
					e.t = t
					n := f.MaxLen
					if n == 0 {
						n = 5000 // unbounded: a long text (beyond an index entry's size limit) must be stored whole
					}
					long := incompressible(n-3) + fmt.Sprintf("%03d", e.next()%1000)
					if f.Format != schema.FreeText {
						long = strings.Repeat("a", n-3) + fmt.Sprintf("%03d", e.next()%1000) // ASCII slugs, hex colours
					}
					base := func() store.Patch {
						p := e.valid(en.Name)
						if price, ok := strings.CutSuffix(f.Name, "currency"); ok {
							p[price+"price"] = dec("1") // a currency needs a price
						}
						return p
					}
					r := e.create(en.Name, with(base(), f.Name, long))
					if got := e.get(en.Name, r.ID).Str(f.Name); got != long {
						t.Errorf("stored %d characters, want %d", len([]rune(got)), n)
					}
					if f.MaxLen == 0 {
						return
					}
					want := msgs(f.Name, fmt.Sprintf("Ensure this field has no more than %d characters.", f.MaxLen))
					if f.Format == schema.Color { // seven characters are no colour either
						want[f.Name] = append(want[f.Name], "Enter a valid hexadecimal RGB color code.")
					}
					diff(t, "create", want, e.createFields(en.Name, with(base(), f.Name, long+"x")))
					diff(t, "update", want, e.updateFields(en.Name, r.ID, store.Patch{f.Name: long + "x"}))
				})
			}
		}
	})

	t.Run("AssetWithEveryTextAtItsLongestInFourByteCharactersIsStored", func(t *testing.T) {
		// Index entries have a size limit on PostgreSQL: the default
		// ordering's index must hold the longest values of all its columns.
		e := view(t)
		p := e.valid(schema.AssetName)
		ent := ent(schema.AssetName)
		for _, f := range ent.Fields {
			if f.Kind == schema.String && f.MaxLen > 0 && !f.ReadOnly {
				p[f.Name] = wide(f.MaxLen, e.next())
			}
		}
		p["price"] = dec("99999999.99")
		r := e.create(schema.AssetName, p)
		got := e.get(schema.AssetName, r.ID)
		for _, f := range ent.Fields {
			if want, ok := p[f.Name].(string); ok && f.Kind == schema.String && got.Str(f.Name) != want {
				t.Errorf("%s: stored %d characters, want %d", f.Name, len([]rune(got.Str(f.Name))), len([]rune(want)))
			}
		}
	})

	t.Run("ChoiceFieldsRejectUnknownValues", func(t *testing.T) {
		e := view(t)
		for _, en := range schema.Inventory.Entities {
			for _, f := range en.Fields {
				if f.Kind != schema.Choice {
					continue
				}
				t.Run(en.Name+"."+f.Name, func(t *testing.T) {
					e.t = t
					diff(t, "errors", msgs(f.Name, `"x" is not a valid choice.`), e.createFields(en.Name, with(e.valid(en.Name), f.Name, "x")))
					for _, v := range f.Choices.Values() {
						r := e.create(en.Name, with(e.valid(en.Name), f.Name, v))
						if got := e.get(en.Name, r.ID).Str(f.Name); got != v {
							t.Errorf("stored %q, want %q", got, v)
						}
					}
				})
			}
		}
	})

	t.Run("DefaultsApplyWhenOmitted", func(t *testing.T) {
		e := view(t)
		a := e.create(schema.AssetName, store.Patch{"serial": "SN-D"})
		diff(t, "asset defaults", map[string]any{"assignment_status": "stocked", "lifecycle_status": "new", "quantity": int64(1), "description": "", "comments": ""},
			map[string]any{"assignment_status": a.Values["assignment_status"], "lifecycle_status": a.Values["lifecycle_status"], "quantity": a.Values["quantity"],
				"description": a.Values["description"], "comments": a.Values["comments"]})
		if got := a.Time("created"); got == nil || !got.Equal(e.now) {
			t.Errorf("created = %v, want %v", got, e.now)
		}
		if got := a.Time("last_updated"); got == nil || !got.Equal(e.now) {
			t.Errorf("last_updated = %v, want %v", got, e.now)
		}
		rma := e.create(schema.RMAName, store.Patch{"asset": a.ID, "issue_description": "dead"})
		if got := rma.Str("status"); got != "investigating" {
			t.Errorf("RMA status = %q, want investigating", got)
		}
		if got := rma.Str("vendor_response"); got != "" {
			t.Errorf("RMA vendor_response = %q, want blank", got)
		}
		// Explicit values win over defaults.
		b := e.create(schema.AssetName, store.Patch{"serial": "SN-E", "assignment_status": "deployed", "lifecycle_status": "in_use", "quantity": int64(0)})
		diff(t, "explicit", []any{"deployed", "in_use", int64(0)}, []any{b.Values["assignment_status"], b.Values["lifecycle_status"], b.Values["quantity"]})
	})

	t.Run("ReadOnlyAndComputedFieldsAreIgnoredOnWrite", func(t *testing.T) {
		e := view(t)
		past := e.now.AddDate(-1, 0, 0)
		a := e.create(schema.AssetName, store.Patch{"serial": "SN-RO", "created": past, "last_updated": past})
		if got := a.Time("created"); got == nil || !got.Equal(e.now) {
			t.Errorf("created = %v, want the store clock %v", got, e.now)
		}
	})

	t.Run("UnknownFieldsAndMistypedValuesAreRejected", func(t *testing.T) {
		e := view(t)
		errs := e.createFields(schema.AssetName, store.Patch{"serial": "SN-1", "bogus": "x"})
		if len(errs["bogus"]) == 0 {
			t.Errorf("unknown field accepted: %v", errs)
		}
		errs = e.createFields(schema.AssetName, store.Patch{"serial": int64(5)})
		if len(errs["serial"]) == 0 {
			t.Errorf("int for a string field accepted: %v", errs)
		}
	})

	t.Run("NegativeAmountsAndQuantitiesAreRejected", func(t *testing.T) {
		e := view(t)
		const msg = "Ensure this value is greater than or equal to 0."
		cases := []struct {
			entity, field string
			value         any
			extra         []any
		}{
			{schema.AssetName, "price", dec("-0.01"), []any{"currency", "EUR"}},
			{schema.AssetName, "quantity", int64(-1), nil},
			{schema.AssetName, "assigned_object_id", int64(-1), []any{"assigned_object_type", "dcim.site"}},
			{schema.AssetServiceName, "service_price", dec("-1"), []any{"service_currency", "EUR"}},
			{schema.ContractName, "price", dec("-5"), []any{"currency", "EUR"}},
			{schema.InvoiceName, "price", dec("-5"), []any{"currency", "EUR"}},
		}
		for _, c := range cases {
			p := with(with(e.valid(c.entity), c.extra...), c.field, c.value)
			diff(t, c.entity+"."+c.field, msgs(c.field, msg), e.createFields(c.entity, p))
		}
		// Zero is fine (the model allows quantity 0, upstream §13.2).
		e.create(schema.AssetName, store.Patch{"serial": "Z", "quantity": int64(0), "price": dec("0"), "currency": "EUR"})
	})

	t.Run("DecimalsRoundTripAndRespectMaxDigits", func(t *testing.T) {
		e := view(t)
		for _, s := range []string{"0", "0.01", "1234.5", "12345678901234567.89", "12345678901234.56"} {
			a := e.create(schema.AssetName, store.Patch{"serial": "SN", "price": dec(s), "currency": "EUR"})
			if got := e.get(schema.AssetName, a.ID).Dec("price"); got == nil || *got != dec(s) {
				t.Errorf("price %s stored as %v", s, got)
			}
		}
		// service_price is decimal(12,2): ten whole digits at most.
		svc := e.create(schema.AssetServiceName, with(e.valid(schema.AssetServiceName), "service_price", dec("9999999999.99"), "service_currency", "CZK"))
		if got := e.get(schema.AssetServiceName, svc.ID).Dec("service_price"); got == nil || *got != dec("9999999999.99") {
			t.Errorf("service_price stored as %v", got)
		}
		diff(t, "too many digits", msgs("service_price", "Ensure that there are no more than 12 digits in total."),
			e.createFields(schema.AssetServiceName, with(e.valid(schema.AssetServiceName), "service_price", dec("10000000000"), "service_currency", "CZK")))
	})

	t.Run("AssignedObjectTypeIsLimitedToFiveDcimTypes", func(t *testing.T) {
		e := view(t)
		for i, ct := range schema.AssignableTypes {
			a := e.create(schema.AssetName, store.Patch{"serial": "SN", "assigned_object_type": ct, "assigned_object_id": int64(i + 1)})
			diff(t, ct, []any{ct, int64(i + 1)}, []any{a.Values["assigned_object_type"], a.Values["assigned_object_id"]})
		}
		if got := len(schema.AssignableTypes); got != 5 {
			t.Errorf("%d assignable types, want 5", got)
		}
		for _, ct := range []string{"dcim.interface", "tenancy.tenant", "dcim.Device", ""} {
			errs := e.createFields(schema.AssetName, store.Patch{"serial": "SN", "assigned_object_type": ct, "assigned_object_id": int64(1)})
			if len(errs["assigned_object_type"]) == 0 {
				t.Errorf("content type %q accepted: %v", ct, errs)
			}
		}
	})

	t.Run("GenericReferenceHalfSetNamesTheMissingHalf", func(t *testing.T) {
		e := view(t)
		const msg = "This field cannot be null."
		diff(t, "type only", msgs("assigned_object_id", msg), e.createFields(schema.AssetName, store.Patch{"serial": "S", "assigned_object_type": "dcim.device"}))
		diff(t, "id only", msgs("assigned_object_type", msg), e.createFields(schema.AssetName, store.Patch{"serial": "S", "assigned_object_id": int64(3)}))
		a := e.create(schema.AssetName, store.Patch{"serial": "S", "assigned_object_type": "dcim.rack", "assigned_object_id": int64(3)})
		diff(t, "clear id on update", msgs("assigned_object_id", msg), e.updateFields(schema.AssetName, a.ID, store.Patch{"assigned_object_id": nil}))
		diff(t, "clear type on update", msgs("assigned_object_type", msg), e.updateFields(schema.AssetName, a.ID, store.Patch{"assigned_object_type": nil}))
		cleared := e.update(schema.AssetName, a.ID, store.Patch{"assigned_object_type": nil, "assigned_object_id": nil})
		if cleared.Values["assigned_object_type"] != nil || cleared.Values["assigned_object_id"] != nil {
			t.Errorf("clearing both halves left %v", cleared.Values)
		}
	})

	t.Run("ForeignKeysMustExist", func(t *testing.T) {
		e := view(t)
		const missing = int64(987654)
		msg := fmt.Sprintf(notFound, missing)
		cases := []struct{ entity, field string }{
			{schema.AssetName, "type"},
			{schema.AssetName, "order_contract"},
			{schema.AssetServiceName, "asset"},
			{schema.AssetServiceName, "contract"},
			{schema.ContractName, "contractor"},
			{schema.ContractName, "parent"},
			{schema.InvoiceName, "contract"},
			{schema.RMAName, "asset"},
		}
		for _, c := range cases {
			diff(t, c.entity+"."+c.field, msgs(c.field, msg), e.createFields(c.entity, with(e.valid(c.entity), c.field, missing)))
		}
		a := e.create(schema.AssetName, e.valid(schema.AssetName))
		diff(t, "many-to-many", msgs("assets", msg),
			e.createFields(schema.ExternalInventoryName, with(e.valid(schema.ExternalInventoryName), "assets", []int64{a.ID, missing})))
		diff(t, "tags", msgs("tags", msg), e.createFields(schema.AssetName, with(e.valid(schema.AssetName), "tags", []int64{missing})))
		diff(t, "on update", msgs("type", msg), e.updateFields(schema.AssetName, a.ID, store.Patch{"type": missing}))
	})

	t.Run("UniqueFieldsAgainstTableAndWithinBatch", func(t *testing.T) {
		e := view(t)
		asset := e.create(schema.AssetName, e.valid(schema.AssetName))
		// DRF's UniqueValidator message: "<model verbose_name> with this
		// <field verbose_name> already exists.", both as declared.
		cases := []struct {
			entity, field string
			base          func() store.Patch
			msg           string
		}{
			{schema.AssetTypeName, "name", func() store.Patch { return e.valid(schema.AssetTypeName) }, "asset type with this name already exists."},
			{schema.AssetTypeName, "slug", func() store.Patch { return e.valid(schema.AssetTypeName) }, "asset type with this slug already exists."},
			{schema.RMAName, "rma_number", func() store.Patch { return store.Patch{"asset": asset.ID, "issue_description": "x"} }, "RMA with this rma number already exists."},
			{schema.ExternalInventoryName, "external_id", func() store.Patch { return e.valid(schema.ExternalInventoryName) },
				"External Inventory Item with this External System ID already exists."},
		}
		for _, c := range cases {
			t.Run(c.entity+"."+c.field, func(t *testing.T) {
				e.t = t
				first := e.create(c.entity, with(c.base(), c.field, "U-1"))
				// Against the table.
				errs := e.createFields(c.entity, with(c.base(), c.field, "U-1"))
				diff(t, "duplicate of a stored value", msgs(c.field, c.msg), errs)
				// Within one batch: the second occurrence is the bad item.
				be := e.createErr(c.entity, with(c.base(), c.field, "U-2"), with(c.base(), c.field, "U-2"))
				if !be.Items[0].Empty() || be.Items[1].Empty() || len(be.Items[1].Fields[c.field]) == 0 {
					t.Errorf("duplicate within a batch: %v", be.Items)
				}
				if got := e.ids(c.entity, c.field+"=U-2"); len(got) != 0 {
					t.Errorf("failed batch stored %v", got)
				}
				// Case matters (Django unique is case-sensitive).
				e.create(c.entity, with(c.base(), c.field, "u-1"))
				// Updating to a taken value fails; keeping one's own value does not.
				other := e.create(c.entity, with(c.base(), c.field, "U-3"))
				if errs := e.updateFields(c.entity, other.ID, store.Patch{c.field: "U-1"}); len(errs[c.field]) == 0 {
					t.Errorf("update to a taken value: %v", errs)
				}
				e.update(c.entity, first.ID, store.Patch{c.field: "U-1", "description": "same value again"})
			})
		}
	})

	t.Run("BlankUniqueCodesAreStoredAsNull", func(t *testing.T) {
		e := view(t)
		asset := e.create(schema.AssetName, e.valid(schema.AssetName))
		rmas := e.createMany(schema.RMAName,
			store.Patch{"asset": asset.ID, "issue_description": "a", "rma_number": ""},
			store.Patch{"asset": asset.ID, "issue_description": "b", "rma_number": ""},
			store.Patch{"asset": asset.ID, "issue_description": "c"})
		for _, r := range rmas {
			if v, ok := e.get(schema.RMAName, r.ID).Values["rma_number"]; ok {
				t.Errorf("rma_number stored as %q, want NULL", v)
			}
		}
		items := e.createMany(schema.ExternalInventoryName,
			with(e.valid(schema.ExternalInventoryName), "external_id", ""),
			with(e.valid(schema.ExternalInventoryName), "external_id", ""))
		for _, r := range items {
			if v, ok := e.get(schema.ExternalInventoryName, r.ID).Values["external_id"]; ok {
				t.Errorf("external_id stored as %q, want NULL", v)
			}
		}
		// Setting a code back to blank on update stores NULL too.
		r := e.create(schema.RMAName, store.Patch{"asset": asset.ID, "issue_description": "d", "rma_number": "R-1"})
		if v, ok := e.update(schema.RMAName, r.ID, store.Patch{"rma_number": ""}).Values["rma_number"]; ok {
			t.Errorf("rma_number updated to %q, want NULL", v)
		}
		diff(t, "rma_number=null", ids(append(rmas, r)...), e.idSet(schema.RMAName, "rma_number=null&asset_id="+formatInt(asset.ID)))
	})

	t.Run("JSONFieldsRoundTrip", func(t *testing.T) {
		e := view(t)
		p := with(e.valid(schema.ProbeName), "discovered_data", json.RawMessage(`{"ports":[1,2],"vendor":"Žluťoučký"}`),
			"custom_fields", json.RawMessage(`{"cost_center":"42"}`))
		r := e.get(schema.ProbeName, e.create(schema.ProbeName, p).ID)
		var got, want any
		if err := json.Unmarshal(r.JSON("discovered_data"), &got); err != nil {
			t.Fatal(err)
		}
		_ = json.Unmarshal([]byte(`{"ports":[1,2],"vendor":"Žluťoučký"}`), &want)
		diff(t, "discovered_data", want, got)
		// Omitted custom fields are an empty object.
		a := e.get(schema.AssetName, e.create(schema.AssetName, e.valid(schema.AssetName)).ID)
		var cf map[string]any
		if err := json.Unmarshal(a.JSON("custom_fields"), &cf); err != nil || len(cf) != 0 {
			t.Errorf("custom_fields = %s, want {}", a.JSON("custom_fields"))
		}
	})

	t.Run("DatesAndTimesRoundTrip", func(t *testing.T) {
		e := view(t)
		a := e.create(schema.AssetName, store.Patch{"serial": "S", "warranty_start": date("1999-12-31"), "warranty_end": date("2100-01-01")})
		got := e.get(schema.AssetName, a.ID)
		diff(t, "dates", []string{"1999-12-31", "2100-01-01"}, []string{got.Time("warranty_start").Format("2006-01-02"), got.Time("warranty_end").Format("2006-01-02")})
		seen := e.now.Add(-90*time.Minute - 123456*time.Microsecond)
		p := e.get(schema.ProbeName, e.create(schema.ProbeName, with(e.valid(schema.ProbeName), "time", seen)).ID)
		if !p.Time("time").Equal(seen) {
			t.Errorf("probe time %v, want %v (microseconds kept)", p.Time("time"), seen)
		}
	})

	t.Run("TagsAreStoredAndReplaced", func(t *testing.T) {
		e := view(t)
		a, b := e.tag("alpha"), e.tag("beta")
		r := e.create(schema.AssetName, with(e.valid(schema.AssetName), "tags", []int64{b.ID, a.ID, a.ID}))
		diff(t, "tags", []string{"alpha", "beta"}, tagNames(e.get(schema.AssetName, r.ID)))
		e.update(schema.AssetName, r.ID, store.Patch{"description": "untouched tags"})
		diff(t, "tags kept", []string{"alpha", "beta"}, tagNames(e.get(schema.AssetName, r.ID)))
		e.update(schema.AssetName, r.ID, store.Patch{"tags": []int64{b.ID}})
		diff(t, "tags replaced", []string{"beta"}, tagNames(e.get(schema.AssetName, r.ID)))
		e.update(schema.AssetName, r.ID, store.Patch{"tags": []int64{}})
		diff(t, "tags cleared", []string(nil), tagNames(e.get(schema.AssetName, r.ID)))
	})
}

func (e *env) tag(name string) schema.Tag {
	e.t.Helper()
	tg, err := e.s.CreateTag(e.ctx, schema.Tag{Name: name, Slug: strings.ToLower(name)})
	if err != nil {
		e.t.Fatalf("create tag %s: %v", name, err)
	}
	return tg
}

func tagNames(r *schema.Record) []string {
	var out []string
	for _, t := range r.Tags {
		out = append(out, t.Name)
	}
	return out
}

// incompressible is n characters (multi-byte among them) in no pattern
// that compression would shrink: stored as long as they are.
func incompressible(n int) string {
	letters := []rune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789žšč-")
	return scramble(n, 2463534242, func(x uint32) rune { return letters[x%uint32(len(letters))] })
}

// wide is n four-byte characters in no repeating pattern (seeded by seed).
func wide(n, seed int) string {
	return scramble(n, uint32(seed)*2654435761+1, func(x uint32) rune {
		return rune(0x1F300 + x%0x250) // pictographs: four bytes each in UTF-8
	})
}

// scramble is n characters char(x) of a xorshift sequence from seed.
func scramble(n int, seed uint32, char func(uint32) rune) string {
	out := make([]rune, n)
	x := seed
	for i := range out {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		out[i] = char(x)
	}
	return string(out)
}
