package schema

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
)

// filled is a record of e with a distinct, non-empty value in every stored
// field, and such records as the objects its foreign keys point to.
func filled(e *Entity, related bool) *Record {
	r := NewRecord(e)
	r.ID = 7
	for i, f := range e.StoredFields() {
		var v any
		switch f.Kind {
		case String:
			v = f.Name + "-" + e.Name
		case Choice:
			v = f.Choices.Choices[len(f.Choices.Choices)-1].Value
		case ContentType:
			v = f.ContentTypes[0]
		case Int, ForeignKey, NetBoxRef:
			v = int64(100 + i)
		case Decimal:
			v = inventory.Decimal(12345 + i)
		case Date, DateTime:
			v = time.Date(2024, 1, 1+i, 0, 0, 0, 0, time.UTC)
		case JSON:
			v = []byte(`{"k":"` + f.Name + `"}`)
		default:
			continue
		}
		r.Values[f.Name] = v
		if f.Kind == ForeignKey && related {
			rel := filled(Inventory.Entity(f.Ref), false)
			rel.ID = v.(int64)
			r.SetRelated(f.Name, rel)
		}
	}
	return r
}

// TestDisplayReadsOnlyDisplayFields: every entity's string form is the
// same on a record that holds only its DisplayFields (and of its related
// objects only the fields named "rel.field") as on a complete record, so
// that related objects read with fewer columns display alike.
func TestDisplayReadsOnlyDisplayFields(t *testing.T) {
	for _, e := range Inventory.Entities {
		if e.Display == nil {
			continue
		}
		full := filled(e, true)
		part := NewRecord(e)
		part.ID = full.ID
		for _, name := range e.DisplayFields {
			rel, field, isRel := strings.Cut(name, ".")
			if !isRel {
				if e.Field(name) == nil {
					t.Fatalf("%s: DisplayFields names unknown field %q", e.Name, name)
				}
				part.Values[name] = full.Values[name]
				continue
			}
			f := e.Field(rel)
			if f == nil || f.Kind != ForeignKey || Inventory.Entity(f.Ref).Field(field) == nil {
				t.Fatalf("%s: DisplayFields names %q: want a foreign key and a field of its entity", e.Name, name)
			}
			part.Values[rel] = full.Values[rel]
			p := part.Rel(rel)
			if p == nil {
				p = NewRecord(Inventory.Entity(f.Ref))
				p.ID = full.Rel(rel).ID
				part.SetRelated(rel, p)
			}
			p.Values[field] = full.Rel(rel).Values[field]
		}
		want, got := e.Display(full), e.Display(part)
		if got != want {
			t.Errorf("%s: Display of the DisplayFields only = %q, of the whole record %q: DisplayFields misses a field Display reads", e.Name, got, want)
		}
		if want == "#"+strconv.FormatInt(full.ID, 10) {
			t.Errorf("%s: Display of a complete record is the fallback %q: the test record does not exercise it", e.Name, want)
		}
	}
}

func TestObjectTypesNameTheirEntityWithDjangosVerboseName(t *testing.T) {
	for objectType, want := range map[string]string{
		"inventory_monitor.asset":             "asset",
		"inventory_monitor.assettype":         "asset type",
		"inventory_monitor.assetservice":      "asset service",
		"inventory_monitor.rma":               "RMA",
		"inventory_monitor.externalinventory": "External Inventory Item",
		"dcim.asset":                          "",
		"inventory_monitor.objectchange":      "",
		"asset":                               "",
	} {
		got := ""
		if e := Inventory.ByObjectType(objectType); e != nil {
			got = e.DjangoVerboseName()
		}
		if got != want {
			t.Errorf("ByObjectType(%q).DjangoVerboseName() = %q, want %q", objectType, got, want)
		}
	}
}
