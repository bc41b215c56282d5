package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

func testEntityRules(t *testing.T, open Opener) {
	view := sharedEnv(t, open)
	t.Run("PriceRequiresCurrencyAndCurrencyRequiresPrice", func(t *testing.T) {
		e := view(t)
		cases := []struct {
			entity, price, currency, needCurrency, needPrice string
		}{
			{schema.AssetName, "price", "currency", "Currency is required when price is set.", "Price is required when currency is set."},
			{schema.ContractName, "price", "currency", "Currency is required when price is set.", "Price is required when currency is set."},
			{schema.InvoiceName, "price", "currency", "Currency is required when price is set.", "Price is required when currency is set."},
			{schema.AssetServiceName, "service_price", "service_currency", "Currency is required when service price is set.", "Service price is required when currency is set."},
		}
		for _, c := range cases {
			t.Run(c.entity, func(t *testing.T) {
				e.t = t
				diff(t, "price without currency", msgs(c.currency, c.needCurrency), e.createFields(c.entity, with(e.valid(c.entity), c.price, dec("10"))))
				// Zero is a price too (upstream §13.1: the README is wrong, the code is right).
				diff(t, "zero price without currency", msgs(c.currency, c.needCurrency), e.createFields(c.entity, with(e.valid(c.entity), c.price, dec("0"))))
				diff(t, "blank currency", msgs(c.currency, c.needCurrency), e.createFields(c.entity, with(e.valid(c.entity), c.price, dec("1"), c.currency, "")))
				diff(t, "currency without price", msgs(c.price, c.needPrice), e.createFields(c.entity, with(e.valid(c.entity), c.currency, "EUR")))
				r := e.create(c.entity, with(e.valid(c.entity), c.price, dec("0"), c.currency, "EUR"))
				// Any currency string is accepted (upstream never validates it).
				e.create(c.entity, with(e.valid(c.entity), c.price, dec("1.5"), c.currency, "XYZ"))
				e.create(c.entity, e.valid(c.entity))
				// Rules run on the merged record: clearing one half on update fails.
				diff(t, "update clears currency", msgs(c.currency, c.needCurrency), e.updateFields(c.entity, r.ID, store.Patch{c.currency: nil}))
				diff(t, "update clears price", msgs(c.price, c.needPrice), e.updateFields(c.entity, r.ID, store.Patch{c.price: nil}))
				e.update(c.entity, r.ID, store.Patch{c.price: nil, c.currency: nil})
			})
		}
	})

	t.Run("PeriodStartMustNotFollowEnd", func(t *testing.T) {
		e := view(t)
		cases := []struct{ entity, start, end, msg string }{
			{schema.AssetName, "warranty_start", "warranty_end", "Warranty Start cannot be set after Warranty End"},
			{schema.AssetServiceName, "service_start", "service_end", "Service Start cannot be set after Service End"},
			{schema.ContractName, "invoicing_start", "invoicing_end", "Invoicing Start cannot be set after Invoicing End"},
			{schema.InvoiceName, "invoicing_start", "invoicing_end", "Invoicing Start cannot be set after Invoicing End"},
		}
		for _, c := range cases {
			t.Run(c.entity, func(t *testing.T) {
				e.t = t
				diff(t, "start after end", msgs(c.start, c.msg), e.createFields(c.entity, with(e.valid(c.entity), c.start, e.day(2), c.end, e.day(1))))
				e.create(c.entity, with(e.valid(c.entity), c.start, e.day(1), c.end, e.day(1))) // one-day period
				e.create(c.entity, with(e.valid(c.entity), c.start, e.day(5)))                  // open-ended
				e.create(c.entity, with(e.valid(c.entity), c.end, e.day(-5)))                   // end only
				r := e.create(c.entity, with(e.valid(c.entity), c.start, e.day(0), c.end, e.day(10)))
				diff(t, "update moves end before start", msgs(c.start, c.msg), e.updateFields(c.entity, r.ID, store.Patch{c.end: e.day(-1)}))
			})
		}
	})

	t.Run("ProbeCreationTimeMustNotFollowTime", func(t *testing.T) {
		e := view(t)
		seen := e.now.Add(-48 * time.Hour)
		diff(t, "creation after time", msgs("creation_time", "Creation time cannot be after probe time."),
			e.createFields(schema.ProbeName, with(e.valid(schema.ProbeName), "time", seen, "creation_time", seen.Add(time.Second))))
		same := e.create(schema.ProbeName, with(e.valid(schema.ProbeName), "time", seen, "creation_time", seen))
		diff(t, "update", msgs("creation_time", "Creation time cannot be after probe time."),
			e.updateFields(schema.ProbeName, same.ID, store.Patch{"time": seen.Add(-time.Minute)}))
	})

	t.Run("ProbeWithPastTimeAndNoCreationTimeIsAccepted", func(t *testing.T) {
		// Upstream §13.6: creation_time defaulted to now made this fail.
		e := view(t)
		past := e.now.AddDate(0, -2, 0)
		p := e.get(schema.ProbeName, e.create(schema.ProbeName, with(e.valid(schema.ProbeName), "time", past)).ID)
		if got := p.Time("creation_time"); got == nil || !got.Equal(past) {
			t.Errorf("creation_time = %v, want the probe time %v", got, past)
		}
		// A probe time in the future gets "now", which is not after it.
		future := e.now.Add(time.Hour)
		f := e.create(schema.ProbeName, with(e.valid(schema.ProbeName), "time", future))
		if got := f.Time("creation_time"); got == nil || !got.Equal(e.now) {
			t.Errorf("creation_time = %v, want now %v", got, e.now)
		}
		// An explicit null stays null.
		n := e.create(schema.ProbeName, with(e.valid(schema.ProbeName), "time", past, "creation_time", nil))
		if got := n.Time("creation_time"); got != nil {
			t.Errorf("explicit null creation_time became %v", got)
		}
	})

	t.Run("ContractHierarchy", func(t *testing.T) {
		e := view(t)
		contract := func(name string, parent *schema.Record) *schema.Record {
			p := with(e.valid(schema.ContractName), "name", name)
			if parent != nil {
				p["parent"] = parent.ID
			}
			return e.create(schema.ContractName, p)
		}
		top := contract("Top", nil)
		sub := contract("Sub", top)
		if got, _ := sub.Int("parent"); got != top.ID {
			t.Fatalf("subcontract parent = %d, want %d", got, top.ID)
		}

		t.Run("ParentThatIsASubcontractIsRefused", func(t *testing.T) {
			e.t = t
			diff(t, "create", msgs("parent", "Subcontract cannot be set as Parent Contract"),
				e.createFields(schema.ContractName, with(e.valid(schema.ContractName), "parent", sub.ID)))
			other := contract("Other", nil)
			errs := e.updateFields(schema.ContractName, other.ID, store.Patch{"parent": sub.ID})
			wantMsg(t, errs, "parent", "Subcontract cannot be set as Parent Contract")
		})
		t.Run("ContractCannotBeItsOwnParent", func(t *testing.T) {
			e.t = t
			lone := contract("Lone", nil)
			if errs := e.updateFields(schema.ContractName, lone.ID, store.Patch{"parent": lone.ID}); len(errs["parent"]) == 0 {
				t.Errorf("self-parent accepted: %v", errs)
			}
		})
		t.Run("ContractWithSubcontractsCannotGetAParent", func(t *testing.T) {
			e.t = t
			other := contract("Other2", nil)
			if errs := e.updateFields(schema.ContractName, top.ID, store.Patch{"parent": other.ID}); len(errs["parent"]) == 0 {
				t.Errorf("contract with subcontracts became a subcontract: %v", errs)
			}
		})
		t.Run("NoCycleThroughItsOwnSubcontract", func(t *testing.T) {
			e.t = t
			if errs := e.updateFields(schema.ContractName, top.ID, store.Patch{"parent": sub.ID}); len(errs["parent"]) == 0 {
				t.Errorf("cycle accepted: %v", errs)
			}
		})
		t.Run("NoCycleWithinOneBatch", func(t *testing.T) {
			e.t = t
			a, b := contract("A", nil), contract("B", nil)
			_, err := e.s.Update(e.ctx, ent(schema.ContractName), []store.Update{
				{ID: a.ID, Patch: store.Patch{"parent": b.ID}},
				{ID: b.ID, Patch: store.Patch{"parent": a.ID}},
			}, e.meta)
			be := e.bulkErr(err, 2)
			if be.Items[0].Empty() && be.Items[1].Empty() {
				t.Errorf("mutual parents accepted in one batch")
			}
			for _, r := range []*schema.Record{a, b} {
				if _, ok := e.get(schema.ContractName, r.ID).Int("parent"); ok {
					t.Errorf("contract %d got a parent from a failed batch", r.ID)
				}
			}
		})
		t.Run("NoSecondLevelWithinOneBatch", func(t *testing.T) {
			e.t = t
			a, b, c := contract("A2", nil), contract("B2", nil), contract("C2", nil)
			// b under a and c under b: c's parent would be a subcontract.
			_, err := e.s.Update(e.ctx, ent(schema.ContractName), []store.Update{
				{ID: b.ID, Patch: store.Patch{"parent": a.ID}},
				{ID: c.ID, Patch: store.Patch{"parent": b.ID}},
			}, e.meta)
			be := e.bulkErr(err, 2)
			if be.Items[0].Empty() && be.Items[1].Empty() {
				t.Errorf("two-level hierarchy accepted in one batch")
			}
			// And in the other order: c under b, then b (now a parent) under a.
			_, err = e.s.Update(e.ctx, ent(schema.ContractName), []store.Update{
				{ID: c.ID, Patch: store.Patch{"parent": b.ID}},
				{ID: b.ID, Patch: store.Patch{"parent": a.ID}},
			}, e.meta)
			be = e.bulkErr(err, 2)
			if be.Items[0].Empty() && be.Items[1].Empty() {
				t.Errorf("two-level hierarchy accepted in one batch (reverse order)")
			}
		})
		t.Run("NoCycleAtAnyDepthOfLegacyData", func(t *testing.T) {
			e.t = t
			// A three-level chain written behind the store's back (legacy
			// upstream data, §13.3): c1 <- c2 <- c3.
			c1, c2, c3 := contract("L1", nil), contract("L2", nil), contract("L3", nil)
			e.mustExec(fmt.Sprintf("UPDATE inventory_monitor_contract SET parent_id = %d WHERE id = %d", c1.ID, c2.ID))
			e.mustExec(fmt.Sprintf("UPDATE inventory_monitor_contract SET parent_id = %d WHERE id = %d", c2.ID, c3.ID))
			if errs := e.updateFields(schema.ContractName, c1.ID, store.Patch{"parent": c3.ID}); len(errs["parent"]) == 0 {
				t.Errorf("cycle through a deep chain accepted: %v", errs)
			}
		})
		t.Run("ValidMovesAreAllowed", func(t *testing.T) {
			e.t = t
			other := contract("NewTop", nil)
			// A subcontract moves to another top-level contract, with a
			// contractor different from its parent's (no check upstream).
			contractor := e.create(schema.ContractorName, e.valid(schema.ContractorName))
			moved := e.update(schema.ContractName, sub.ID, store.Patch{"parent": other.ID, "contractor": contractor.ID})
			if got, _ := moved.Int("parent"); got != other.ID {
				t.Errorf("parent = %d, want %d", got, other.ID)
			}
			// Re-saving a subcontract without touching its parent is fine.
			e.update(schema.ContractName, sub.ID, store.Patch{"description": "resaved"})
			// A subcontract can be made top-level again.
			if _, ok := e.update(schema.ContractName, sub.ID, store.Patch{"parent": nil}).Int("parent"); ok {
				t.Errorf("parent not cleared")
			}
		})
	})

	t.Run("OneContractorPerTenant", func(t *testing.T) {
		e := view(t)
		msg := "The tenant 5 is already assigned to another contractor."
		first := e.create(schema.ContractorName, with(e.valid(schema.ContractorName), "tenant", int64(5)))
		diff(t, "second contractor", msgs(inventory.NonField, msg), e.createFields(schema.ContractorName, with(e.valid(schema.ContractorName), "tenant", int64(5))))

		be := e.createErr(schema.ContractorName,
			with(e.valid(schema.ContractorName), "tenant", int64(6)),
			with(e.valid(schema.ContractorName), "tenant", int64(6)))
		if !be.Items[0].Empty() {
			t.Errorf("first of a batch pair rejected: %v", be.Items[0])
		}
		if be.Items[1] == nil {
			t.Fatalf("second of a batch pair accepted")
		}
		diff(t, "within a batch", msgs(inventory.NonField, "The tenant 6 is already assigned to another contractor."), be.Items[1].Fields)

		other := e.create(schema.ContractorName, e.valid(schema.ContractorName))
		diff(t, "update", msgs(inventory.NonField, msg), e.updateFields(schema.ContractorName, other.ID, store.Patch{"tenant": int64(5)}))
		e.update(schema.ContractorName, first.ID, store.Patch{"tenant": int64(5), "name": "renamed"})
		// Any number of contractors may have no tenant.
		e.createMany(schema.ContractorName, e.valid(schema.ContractorName), e.valid(schema.ContractorName))
	})

	t.Run("OneContractorPerTenantIsEnforcedByTheDatabase", func(t *testing.T) {
		e := view(t)
		e.create(schema.ContractorName, with(e.valid(schema.ContractorName), "tenant", int64(15)))
		err := e.exec("INSERT INTO inventory_monitor_contractor (name, tenant_id, description, comments, custom_field_data) VALUES ('Sneaky', 15, '', '', '{}')")
		if err == nil {
			t.Fatalf("the database accepted a second contractor for tenant 15")
		}
		e.mustExec("INSERT INTO inventory_monitor_contractor (name, tenant_id, description, comments, custom_field_data) VALUES ('Fine', 16, '', '', '{}')")
		e.mustExec("INSERT INTO inventory_monitor_contractor (name, description, comments, custom_field_data) VALUES ('No tenant', '', '', '{}')")
	})
}
