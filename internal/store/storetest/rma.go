package storetest

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

func testRMA(t *testing.T, open Opener) {
	view := sharedEnv(t, open)
	newAsset := func(e *env, serial string) *schema.Record {
		return e.create(schema.AssetName, store.Patch{"serial": serial})
	}
	rma := func(asset *schema.Record, kv ...any) store.Patch {
		return with(store.Patch{"asset": asset.ID, "issue_description": "fan failure"}, kv...)
	}
	serialOf := func(e *env, asset *schema.Record) string { return e.get(schema.AssetName, asset.ID).Str("serial") }
	assetUpdates := func(e *env, asset *schema.Record) []store.ObjectChange {
		var out []store.ObjectChange
		for _, c := range e.changes(schema.AssetName, asset.ID) {
			if c.Action == "update" {
				out = append(out, c)
			}
		}
		return out
	}

	t.Run("BlankOriginalSerialIsFilledFromTheAsset", func(t *testing.T) {
		e := view(t)
		a := newAsset(e, "SN-OLD")
		r1 := e.create(schema.RMAName, rma(a))
		r2 := e.create(schema.RMAName, rma(a, "original_serial", ""))
		r3 := e.create(schema.RMAName, rma(a, "original_serial", "GIVEN"))
		diff(t, "original serials", []string{"SN-OLD", "SN-OLD", "GIVEN"}, []string{r1.Str("original_serial"), r2.Str("original_serial"), r3.Str("original_serial")})

		// Later saves fill it again while it is blank, from the asset's
		// current serial.
		e.update(schema.AssetName, a.ID, store.Patch{"serial": "SN-NOW"})
		if got := e.update(schema.RMAName, r1.ID, store.Patch{"original_serial": ""}).Str("original_serial"); got != "SN-NOW" {
			t.Errorf("blanked original serial = %q, want SN-NOW", got)
		}
		if got := e.update(schema.RMAName, r3.ID, store.Patch{"original_serial": nil}).Str("original_serial"); got != "SN-NOW" {
			t.Errorf("nulled original serial = %q, want SN-NOW", got)
		}
		// Saves that leave a set serial alone keep it.
		if got := e.update(schema.RMAName, r2.ID, store.Patch{"vendor_response": "ok"}).Str("original_serial"); got != "SN-OLD" {
			t.Errorf("original serial changed to %q", got)
		}
	})

	t.Run("CompletedOnCreateSwapsTheAssetSerial", func(t *testing.T) {
		e := view(t)
		a := newAsset(e, "SN-BROKEN")
		e.meta.RequestID = "req-rma-create"
		r := e.create(schema.RMAName, rma(a, "status", "completed", "replacement_serial", "SN-NEW"))
		if got := serialOf(e, a); got != "SN-NEW" {
			t.Errorf("asset serial = %q, want SN-NEW", got)
		}
		// The original serial is the pre-replacement one.
		if got := r.Str("original_serial"); got != "SN-BROKEN" {
			t.Errorf("original serial = %q, want SN-BROKEN", got)
		}
		ups := assetUpdates(e, a)
		if len(ups) != 1 {
			t.Fatalf("asset change-log updates = %d, want 1", len(ups))
		}
		diff(t, "serial pre/post", []string{"SN-BROKEN", "SN-NEW"}, []string{snapshotField(t, ups[0].PrechangeData, "serial"), snapshotField(t, ups[0].PostchangeData, "serial")})
		diff(t, "entry meta", []any{"req-rma-create", "tester", testUserID}, []any{ups[0].RequestID, ups[0].UserName, *ups[0].UserID})
	})

	t.Run("CompletionOnUpdateSwapsTheAssetSerialOnce", func(t *testing.T) {
		e := view(t)
		a := newAsset(e, "SN-A")
		r := e.create(schema.RMAName, rma(a, "status", "shipped", "replacement_serial", "SN-B"))
		if got := serialOf(e, a); got != "SN-A" {
			t.Fatalf("serial swapped before completion: %q", got)
		}
		e.update(schema.RMAName, r.ID, store.Patch{"status": "completed"})
		if got := serialOf(e, a); got != "SN-B" {
			t.Errorf("asset serial = %q, want SN-B", got)
		}
		if n := len(assetUpdates(e, a)); n != 1 {
			t.Errorf("asset change-log updates = %d, want 1", n)
		}

		// Re-saving the completed RMA never re-applies it, even with a new
		// replacement serial or after the asset serial was edited.
		e.update(schema.AssetName, a.ID, store.Patch{"serial": "SN-MANUAL"})
		e.update(schema.RMAName, r.ID, store.Patch{"status": "completed", "replacement_serial": "SN-C"})
		e.update(schema.RMAName, r.ID, store.Patch{"vendor_response": "done"})
		if got := serialOf(e, a); got != "SN-MANUAL" {
			t.Errorf("re-saving a completed RMA changed the serial to %q", got)
		}
		// Leaving "completed" does not revert the serial.
		e.update(schema.RMAName, r.ID, store.Patch{"status": "approved"})
		if got := serialOf(e, a); got != "SN-MANUAL" {
			t.Errorf("leaving completed changed the serial to %q", got)
		}
		// Coming back to "completed" is a new completion.
		e.update(schema.RMAName, r.ID, store.Patch{"status": "completed"})
		if got := serialOf(e, a); got != "SN-C" {
			t.Errorf("completed again: serial %q, want SN-C", got)
		}
	})

	t.Run("CompletionWithoutReplacementSerialDoesNothing", func(t *testing.T) {
		e := view(t)
		a := newAsset(e, "SN-KEEP")
		r := e.create(schema.RMAName, rma(a, "status", "completed"))
		e.create(schema.RMAName, rma(a, "status", "completed", "replacement_serial", ""))
		r2 := e.create(schema.RMAName, rma(a, "status", "pending"))
		e.update(schema.RMAName, r2.ID, store.Patch{"status": "completed"})
		e.update(schema.RMAName, r.ID, store.Patch{"vendor_response": "no replacement"})
		if got := serialOf(e, a); got != "SN-KEEP" {
			t.Errorf("asset serial = %q, want SN-KEEP", got)
		}
		if n := len(assetUpdates(e, a)); n != 0 {
			t.Errorf("asset change-log updates = %d, want 0", n)
		}
	})

	t.Run("CompletionsInOneBatchApplyInTurn", func(t *testing.T) {
		e := view(t)
		a := newAsset(e, "SN-0")
		e.createMany(schema.RMAName,
			rma(a, "status", "completed", "replacement_serial", "SN-1"),
			rma(a, "status", "completed", "replacement_serial", "SN-2"))
		if got := serialOf(e, a); got != "SN-2" {
			t.Errorf("asset serial = %q, want SN-2 (the last completion wins)", got)
		}
		if n := len(assetUpdates(e, a)); n != 2 {
			t.Errorf("asset change-log updates = %d, want 2", n)
		}
	})

	t.Run("CompletionThatWouldLeaveTheAssetInvalidFailsTheWholeWrite", func(t *testing.T) {
		e := view(t)
		a := newAsset(e, "SN-LEGACY")
		ok := newAsset(e, "SN-OK")
		// Legacy data that upstream accepted: warranty start after its end.
		e.mustExec(fmt.Sprintf("UPDATE inventory_monitor_asset SET warranty_start = '2025-06-01', warranty_end = '2025-01-01' WHERE id = %d", a.ID))
		r := e.create(schema.RMAName, rma(a, "status", "received", "replacement_serial", "SN-REPL"))
		fine := e.create(schema.RMAName, rma(ok))
		before := len(e.allChanges())

		_, err := e.s.Update(e.ctx, ent(schema.RMAName), []store.Update{
			{ID: fine.ID, Patch: store.Patch{"vendor_response": "fine"}},
			{ID: r.ID, Patch: store.Patch{"status": "completed"}},
		}, e.meta)
		be := e.bulkErr(err, 2)
		if !be.Items[0].Empty() || be.Items[1].Empty() {
			t.Errorf("error not aligned with the bad item: %v", be.Items)
		}
		if got := e.get(schema.RMAName, r.ID).Str("status"); got != "received" {
			t.Errorf("RMA status = %q, want received (nothing written)", got)
		}
		if got := serialOf(e, a); got != "SN-LEGACY" {
			t.Errorf("asset serial = %q, want SN-LEGACY", got)
		}
		if n := len(e.allChanges()); n != before {
			t.Errorf("change-log entries %d → %d after a failed write", before, n)
		}
		// With SkipMissing and a missing id first, the error stays on the
		// bad item's position in the input.
		skip := e.meta
		skip.SkipMissing = true
		_, err = e.s.Update(e.ctx, ent(schema.RMAName), []store.Update{
			{ID: 987654321, Patch: store.Patch{"vendor_response": "ghost"}},
			{ID: fine.ID, Patch: store.Patch{"vendor_response": "fine"}},
			{ID: r.ID, Patch: store.Patch{"status": "completed"}},
		}, skip)
		be = e.bulkErr(err, 3)
		if !be.Items[0].Empty() || !be.Items[1].Empty() || be.Items[2].Empty() {
			t.Errorf("error not aligned with the bad item after a skipped id: %v", be.Items)
		}
		// Created directly as completed: the RMA is not created either.
		n := e.count(schema.RMAName)
		e.createErr(schema.RMAName, rma(a, "status", "completed", "replacement_serial", "SN-REPL"))
		if got := e.count(schema.RMAName); got != n {
			t.Errorf("RMAs %d → %d after a failed create", n, got)
		}
	})
}

// snapshotField reads one field of a change-log snapshot as a string.
func snapshotField(t *testing.T, data json.RawMessage, field string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("snapshot %s: %v", data, err)
	}
	s, _ := m[field].(string)
	return s
}
