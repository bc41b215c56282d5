package storetest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

func (e *env) protected(err error) *inventory.ProtectedError {
	e.t.Helper()
	var pe *inventory.ProtectedError
	if !errors.As(err, &pe) {
		e.t.Fatalf("got %v (%T), want *inventory.ProtectedError", err, err)
	}
	return pe
}

func testDelete(t *testing.T, open Opener) {
	view := sharedEnv(t, open)
	t.Run("AssetWithOrderContractIsProtected", func(t *testing.T) {
		e := view(t)
		vendor := e.create(schema.ContractorName, store.Patch{"name": "ACME"})
		c := e.create(schema.ContractName, store.Patch{"name": "Main", "name_internal": "MC-1", "type": "order", "contractor": vendor.ID})
		a := e.create(schema.AssetName, store.Patch{"serial": "SN-1", "order_contract": c.ID})
		pe := e.protected(e.del(schema.AssetName, a.ID))
		diff(t, "protected error", &inventory.ProtectedError{
			Message: "Cannot delete an Asset that is linked to a Contract. Please remove the order_contract association first.",
			Objects: []string{fmt.Sprintf("Main (MC-1) via ACME (%d)", c.ID)},
		}, pe)
		if !e.exists(schema.AssetName, a.ID) {
			t.Fatalf("protected asset deleted")
		}
		e.update(schema.AssetName, a.ID, store.Patch{"order_contract": nil})
		e.mustDelete(schema.AssetName, a.ID)
	})

	t.Run("AssetLinkedToExternalInventoryIsProtected", func(t *testing.T) {
		e := view(t)
		a := e.create(schema.AssetName, store.Patch{"serial": "SN-1"})
		x := e.create(schema.ExternalInventoryName, store.Patch{"inventory_number": "INV-1", "name": "Server", "serial_number": "ABC", "person_name": "Jan", "assets": []int64{a.ID}})
		pe := e.protected(e.del(schema.AssetName, a.ID))
		diff(t, "protected error", &inventory.ProtectedError{
			Message: "Cannot delete an Asset that is linked to a External Inventory Items. Please remove the external inventory items association first.",
			Objects: []string{fmt.Sprintf("INV-1 Server [SN: ABC] → Jan (%d)", x.ID)},
		}, pe)
		e.update(schema.ExternalInventoryName, x.ID, store.Patch{"assets": []int64{}})
		e.mustDelete(schema.AssetName, a.ID)
	})

	t.Run("ExternalInventoryWithAssetsIsProtected", func(t *testing.T) {
		e := view(t)
		a := e.create(schema.AssetName, store.Patch{"serial": "SN-1", "partnumber": "PN", "vendor": "Dell"})
		b := e.create(schema.AssetName, store.Patch{"serial": "SN-2"})
		x := e.create(schema.ExternalInventoryName, store.Patch{"inventory_number": "INV-1", "name": "Server", "assets": []int64{b.ID, a.ID}})
		pe := e.protected(e.del(schema.ExternalInventoryName, x.ID))
		diff(t, "protected error", &inventory.ProtectedError{
			Message: "Cannot delete an External Inventory item that is linked to Assets. Please remove the asset associations first.",
			Objects: []string{fmt.Sprintf("PN [SN-1] (Dell) (%d)", a.ID), fmt.Sprintf("[SN-2] (%d)", b.ID)},
		}, pe)
		empty := e.create(schema.ExternalInventoryName, store.Patch{"inventory_number": "INV-2", "name": "Spare"})
		e.mustDelete(schema.ExternalInventoryName, empty.ID)
		e.update(schema.ExternalInventoryName, x.ID, store.Patch{"assets": nil})
		e.mustDelete(schema.ExternalInventoryName, x.ID)
		if !e.exists(schema.AssetName, a.ID) {
			t.Errorf("deleting the item deleted its former asset")
		}
	})

	t.Run("ObjectsInUseAreProtectedListingDependents", func(t *testing.T) {
		e := view(t)
		typ := e.create(schema.AssetTypeName, store.Patch{"name": "Server", "slug": "server"})
		vendor := e.create(schema.ContractorName, store.Patch{"name": "ACME"})
		c := e.create(schema.ContractName, store.Patch{"name": "Svc", "name_internal": "Svc", "type": "service", "contractor": vendor.ID})
		a := e.create(schema.AssetName, store.Patch{"serial": "SN-1", "partnumber": "PN", "type": typ.ID})
		inv := e.create(schema.InvoiceName, store.Patch{"name": "INV-Q1", "name_internal": "Q1", "contract": c.ID, "price": dec("5000"), "currency": "EUR"})
		svc := e.create(schema.AssetServiceName, store.Patch{"asset": a.ID, "contract": c.ID, "service_category": "Maintenance"})
		rma := e.create(schema.RMAName, store.Patch{"asset": a.ID, "issue_description": "x", "rma_number": "42", "status": "approved"})

		cases := []struct {
			entity  string
			id      int64
			objects []string
		}{
			{schema.AssetTypeName, typ.ID, []string{fmt.Sprintf("PN [SN-1] (%d)", a.ID)}},
			{schema.ContractorName, vendor.ID, []string{fmt.Sprintf("Svc via ACME (%d)", c.ID)}},
			{schema.ContractName, c.ID, []string{
				fmt.Sprintf("INV-Q1 (Svc) 5000.00 EUR (%d)", inv.ID),
				fmt.Sprintf("PN (SN-1) (Svc) [Maintenance] (%d)", svc.ID),
			}},
			{schema.AssetName, a.ID, []string{
				fmt.Sprintf("PN (SN-1) (Svc) [Maintenance] (%d)", svc.ID),
				fmt.Sprintf("RMA#42 PN (SN-1) [Approved] (%d)", rma.ID),
			}},
		}
		for _, c := range cases {
			pe := e.protected(e.del(c.entity, c.id))
			diff(t, c.entity+" dependents", c.objects, pe.Objects, cmpopts.SortSlices(func(a, b string) bool { return a < b }))
			want := fmt.Sprintf("Unable to delete object. %d dependent objects were found: ", len(c.objects))
			if got := pe.Error(); len(got) < len(want) || got[:len(want)] != want {
				t.Errorf("%s: message %q, want prefix %q", c.entity, got, want)
			}
			if !e.exists(c.entity, c.id) {
				t.Errorf("%s %d deleted although protected", c.entity, c.id)
			}
		}
		// Removing the dependents in order makes every delete possible.
		e.mustDelete(schema.RMAName, rma.ID)
		e.mustDelete(schema.AssetServiceName, svc.ID)
		e.mustDelete(schema.InvoiceName, inv.ID)
		e.mustDelete(schema.AssetName, a.ID)
		e.mustDelete(schema.AssetTypeName, typ.ID)
		e.mustDelete(schema.ContractName, c.ID)
		e.mustDelete(schema.ContractorName, vendor.ID)
	})

	t.Run("ContractDeleteCascadesToSubcontracts", func(t *testing.T) {
		e := view(t)
		top := e.create(schema.ContractName, store.Patch{"name": "Top", "name_internal": "T", "type": "supply"})
		subs := e.createMany(schema.ContractName,
			store.Patch{"name": "S1", "name_internal": "S1", "type": "supply", "parent": top.ID},
			store.Patch{"name": "S2", "name_internal": "S2", "type": "supply", "parent": top.ID})
		other := e.create(schema.ContractName, store.Patch{"name": "Other", "name_internal": "O", "type": "supply"})
		e.mustDelete(schema.ContractName, top.ID)
		for _, r := range append(subs, top) {
			if e.exists(schema.ContractName, r.ID) {
				t.Errorf("contract %d survived the cascade", r.ID)
			}
			if n := len(e.changes(schema.ContractName, r.ID)); n != 2 {
				t.Errorf("contract %d has %d change-log entries, want create + delete", r.ID, n)
			}
		}
		if !e.exists(schema.ContractName, other.ID) {
			t.Errorf("unrelated contract deleted")
		}
		// Deleting a parent together with its subcontracts is the same.
		top2 := e.create(schema.ContractName, store.Patch{"name": "Top2", "name_internal": "T2", "type": "supply"})
		sub2 := e.create(schema.ContractName, store.Patch{"name": "S3", "name_internal": "S3", "type": "supply", "parent": top2.ID})
		e.mustDelete(schema.ContractName, sub2.ID, top2.ID)
		if e.exists(schema.ContractName, top2.ID) || e.exists(schema.ContractName, sub2.ID) {
			t.Errorf("contracts survived")
		}
	})

	t.Run("ContractCascadeIsRefusedWhenASubcontractIsProtected", func(t *testing.T) {
		e := view(t)
		top := e.create(schema.ContractName, store.Patch{"name": "Top", "name_internal": "T", "type": "supply"})
		s1 := e.create(schema.ContractName, store.Patch{"name": "S1", "name_internal": "S1", "type": "supply", "parent": top.ID})
		s2 := e.create(schema.ContractName, store.Patch{"name": "S2", "name_internal": "S2", "type": "supply", "parent": top.ID})
		inv := e.create(schema.InvoiceName, store.Patch{"name": "I", "name_internal": "I", "contract": s2.ID})
		before := len(e.allChanges())
		pe := e.protected(e.del(schema.ContractName, top.ID))
		diff(t, "dependents", []string{fmt.Sprintf("I (S2) (%d)", inv.ID)}, pe.Objects)
		for _, r := range []*schema.Record{top, s1, s2} {
			if !e.exists(schema.ContractName, r.ID) {
				t.Errorf("contract %d deleted by a refused cascade", r.ID)
			}
		}
		if n := len(e.allChanges()); n != before {
			t.Errorf("refused delete wrote %d change-log entries", n-before)
		}
	})

	t.Run("MissingObjectsAreNotFound", func(t *testing.T) {
		e := view(t)
		a := e.create(schema.AssetName, e.valid(schema.AssetName))
		const missing = int64(424242)
		check := func(what string, err error) {
			t.Helper()
			var nf *inventory.NotFoundError
			if !errors.As(err, &nf) {
				t.Errorf("%s: got %v (%T), want *inventory.NotFoundError", what, err, err)
				return
			}
			diff(t, what, &inventory.NotFoundError{Model: "Asset", ID: missing}, nf)
		}
		_, err := e.s.Get(e.ctx, ent(schema.AssetName), missing)
		check("get", err)
		_, err = e.s.Update(e.ctx, ent(schema.AssetName), []store.Update{{ID: a.ID, Patch: store.Patch{"description": "x"}}, {ID: missing, Patch: store.Patch{"description": "y"}}}, e.meta)
		check("update", err)
		check("delete", e.del(schema.AssetName, a.ID, missing))
		r := e.get(schema.AssetName, a.ID)
		if r.Str("description") != "" {
			t.Errorf("failed update wrote description %q", r.Str("description"))
		}
		for _, en := range schema.Inventory.Entities {
			if _, err := e.s.Get(e.ctx, en, missing); !errors.As(err, new(*inventory.NotFoundError)) {
				t.Errorf("%s: get missing: %v", en.Name, err)
			}
		}
	})

	t.Run("DeletingTaggedObjectsAndProbesWorks", func(t *testing.T) {
		e := view(t)
		tg := e.tag("gone")
		a := e.create(schema.AssetName, with(e.valid(schema.AssetName), "tags", []int64{tg.ID}))
		p := e.create(schema.ProbeName, with(e.valid(schema.ProbeName), "tags", []int64{tg.ID}))
		e.mustDelete(schema.AssetName, a.ID)
		e.mustDelete(schema.ProbeName, p.ID)
		if got := e.ids(schema.AssetName, "tag=gone"); len(got) != 0 {
			t.Errorf("tag filter still finds %v", got)
		}
		// A new object that reuses nothing still has no tags.
		b := e.create(schema.AssetName, e.valid(schema.AssetName))
		if len(e.get(schema.AssetName, b.ID).Tags) != 0 {
			t.Errorf("stale tags on a new object")
		}
	})
}
