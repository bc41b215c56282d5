package storetest

import (
	"testing"

	"github.com/inventory-monitor/inventory-monitor/internal/inventory"

	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

func testBulk(t *testing.T, open Opener) {
	view := sharedEnv(t, open)
	t.Run("CreateWithOneBadItemWritesNothing", func(t *testing.T) {
		e := view(t)
		typ := e.create(schema.AssetTypeName, e.valid(schema.AssetTypeName))
		before := e.count(schema.AssetName)
		be := e.createErr(schema.AssetName,
			store.Patch{"serial": "A", "type": typ.ID},
			store.Patch{"serial": "B", "price": dec("3")},
			store.Patch{"serial": "C"},
			store.Patch{"partnumber": "no serial"})
		diff(t, "aligned errors", []map[string][]string{
			nil,
			msgs("currency", "Currency is required when price is set."),
			nil,
			msgs("serial", "This field is required."),
		}, fieldsOf(be.Items))
		if n := e.count(schema.AssetName) - before; n != 0 {
			t.Errorf("%d assets written", n)
		}
		// The same batch without the bad items goes through whole.
		recs := e.createMany(schema.AssetName, store.Patch{"serial": "A", "type": typ.ID}, store.Patch{"serial": "C"})
		diff(t, "serials in input order", []string{"A", "C"}, []string{recs[0].Str("serial"), recs[1].Str("serial")})
	})

	t.Run("LargeBatchIsAtomicToo", func(t *testing.T) {
		e := view(t)
		before := e.count(schema.ProbeName)
		ps := make([]store.Patch, 1500)
		for i := range ps {
			ps[i] = store.Patch{"time": e.now, "name": "p", "serial": "S"}
		}
		ps[1234] = store.Patch{"time": e.now, "name": "p"}
		be := e.createErr(schema.ProbeName, ps...)
		for i, it := range be.Items {
			if (i == 1234) == it.Empty() {
				t.Errorf("item %d: %v", i, it)
			}
		}
		if n := e.count(schema.ProbeName) - before; n != 0 {
			t.Errorf("%d probes written", n)
		}
		ps[1234] = store.Patch{"time": e.now, "name": "p", "serial": "S"}
		if got := len(e.createMany(schema.ProbeName, ps...)); got != 1500 {
			t.Errorf("created %d", got)
		}
		if n := e.count(schema.ProbeName) - before; n != 1500 {
			t.Errorf("%d probes stored", n)
		}
	})

	t.Run("UpdateWithOneBadItemWritesNothing", func(t *testing.T) {
		e := view(t)
		as := e.createMany(schema.AssetName, store.Patch{"serial": "A"}, store.Patch{"serial": "B"}, store.Patch{"serial": "C"})
		before := len(e.allChanges())
		_, err := e.s.Update(e.ctx, ent(schema.AssetName), []store.Update{
			{ID: as[0].ID, Patch: store.Patch{"serial": "A2"}},
			{ID: as[1].ID, Patch: store.Patch{"serial": "B2"}},
			{ID: as[2].ID, Patch: store.Patch{"serial": "", "quantity": int64(-1)}},
		}, e.meta)
		be := e.bulkErr(err, 3)
		diff(t, "aligned errors", []map[string][]string{nil, nil, {
			"serial":   {"This field may not be blank."},
			"quantity": {"Ensure this value is greater than or equal to 0."},
		}}, fieldsOf(be.Items))
		diff(t, "serials", []string{"A", "B", "C"}, e.strs(schema.AssetName, "serial", idQuery(as...)))
		if n := len(e.allChanges()); n != before {
			t.Errorf("failed update wrote %d change-log entries", n-before)
		}
	})

	t.Run("DeleteWithOneProtectedItemDeletesNothing", func(t *testing.T) {
		e := view(t)
		as := e.createMany(schema.AssetName, store.Patch{"serial": "A"}, store.Patch{"serial": "B"}, store.Patch{"serial": "C"})
		e.create(schema.RMAName, store.Patch{"asset": as[1].ID, "issue_description": "x"})
		e.protected(e.del(schema.AssetName, as[0].ID, as[1].ID, as[2].ID))
		diff(t, "serials", []string{"A", "B", "C"}, e.strs(schema.AssetName, "serial", idQuery(as...)))
		e.mustDelete(schema.AssetName, as[0].ID, as[2].ID)
		diff(t, "serials after", []string{"B"}, e.strs(schema.AssetName, "serial", idQuery(as...)))
	})

	t.Run("BulkUpdateAndDeleteOfManyObjects", func(t *testing.T) {
		e := view(t)
		items, changes := e.count(schema.ExternalInventoryName), len(e.allChanges())
		ps := make([]store.Patch, 120)
		for i := range ps {
			ps[i] = e.valid(schema.ExternalInventoryName)
		}
		recs := e.createMany(schema.ExternalInventoryName, ps...)
		ups := make([]store.Update, len(recs))
		for i, r := range recs {
			ups[i] = store.Update{ID: r.ID, Patch: store.Patch{"status": "B"}}
		}
		if _, err := e.s.Update(e.ctx, ent(schema.ExternalInventoryName), ups, e.meta); err != nil {
			t.Fatal(err)
		}
		if got := len(e.ids(schema.ExternalInventoryName, "status=B")); got != 120 {
			t.Errorf("%d updated", got)
		}
		e.mustDelete(schema.ExternalInventoryName, ids(recs...)...)
		if n := e.count(schema.ExternalInventoryName); n != items {
			t.Errorf("%d left, want %d", n, items)
		}
		if n := len(e.allChanges()) - changes; n != 360 {
			t.Errorf("%d change-log entries, want 360", n)
		}
	})
}

// fieldsOf turns a BulkError's items into their field maps (nil for good items).
func fieldsOf(items []*inventory.ValidationError) []map[string][]string {
	out := make([]map[string][]string, len(items))
	for i, it := range items {
		if !it.Empty() {
			out[i] = it.Fields
		}
	}
	return out
}

// idQuery is a query string selecting exactly recs.
func idQuery(recs ...*schema.Record) string {
	parts := make([]string, len(recs))
	for i, r := range recs {
		parts[i] = "id=" + formatInt(r.ID)
	}
	return join(parts...)
}
