package storetest

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

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

	// One object is a single INSERT, a batch travels another way (COPY on
	// PostgreSQL): every kind of value must come back the same from both.
	t.Run("BatchStoresEveryKindOfValueAsASingleCreateDoes", func(t *testing.T) {
		e := view(t)
		typ := e.create(schema.AssetTypeName, e.valid(schema.AssetTypeName))
		parent := e.create(schema.ContractName, e.valid(schema.ContractName))
		seen := e.now.Add(-90 * time.Minute).Truncate(time.Microsecond)
		full := map[string]func(n int) store.Patch{
			schema.AssetName: func(n int) store.Patch {
				return store.Patch{"serial": fmt.Sprintf("KIND-%d", n), "partnumber": "PN 1", "assignment_status": "deployed",
					"lifecycle_status": "in_use", "assigned_object_type": "dcim.device", "assigned_object_id": int64(42),
					"type": typ.ID, "order_contract": parent.ID, "quantity": int64(3), "price": dec("1234.56"), "currency": "EUR",
					"warranty_start": date("2026-01-31"), "warranty_end": date("2028-02-29"), "owner": int64(7),
					"description": "Ünïcode ✓", "comments": "line 1\nline 2", "custom_fields": json.RawMessage(`{"rack": "R1", "n": 2}`)}
			},
			schema.ContractName: func(n int) store.Patch {
				return store.Patch{"name": fmt.Sprintf("Kind contract %d", n), "name_internal": fmt.Sprintf("KC-%d", n), "type": "service",
					"parent": parent.ID, "price": dec("0.01"), "currency": "CZK", "signed": date("2025-12-31"),
					"accepted": date("2026-01-02"), "invoicing_start": date("2026-01-01"), "invoicing_end": date("2026-12-31")}
			},
			schema.ProbeName: func(n int) store.Patch {
				return store.Patch{"time": seen, "creation_time": seen.Add(-time.Hour), "name": "Chassis", "serial": fmt.Sprintf("KP-%d", n),
					"part": "ASR-1001", "device_descriptor": "rtr-1", "site_descriptor": "Prague", "location_descriptor": "Hall 2",
					"device": int64(11), "site": int64(12), "location": int64(13), "category": "chassis",
					"discovered_data": json.RawMessage(`{"ifIndex": [1, 2], "sys": null}`)}
			},
		}
		for name, patch := range full {
			t.Run(name, func(t *testing.T) {
				e.t = t
				// Every optional value set, then every one NULL.
				minimal := func(n int) store.Patch {
					p := store.Patch{}
					for k, v := range patch(n) {
						if f := ent(name).Field(k); f != nil && f.Required {
							p[k] = v
						}
					}
					return p
				}
				single := e.create(name, patch(e.next()))
				singleMin := e.create(name, minimal(e.next()))
				batch := e.createMany(name, patch(e.next()), minimal(e.next()), patch(e.next()))
				ignore := cmp.FilterPath(func(p cmp.Path) bool {
					k, ok := p.Last().(cmp.MapIndex)
					if !ok {
						return false
					}
					switch k.Key().String() {
					case "serial", "name", "name_internal", "created", "last_updated":
						return true
					}
					return false
				}, cmp.Ignore())
				for i, r := range batch {
					want := e.get(name, single.ID).Values
					if i == 1 {
						want = e.get(name, singleMin.ID).Values
					}
					diff(t, "stored values", want, e.get(name, r.ID).Values, ignore)
				}
			})
		}
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
