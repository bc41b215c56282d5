package storetest

import (
	"testing"

	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

// testCounts checks that the count of an unfiltered list (answered from the
// stored row count) always equals a real count, through creates, failed
// bulk writes, deletes and cascades.
func testCounts(t *testing.T, open Opener) {
	e := newEnv(t, open)
	check := func(entity string) {
		t.Helper()
		stored := *e.list(entity, "").Count
		real := *e.list(entity, "id__gte=0").Count
		if stored != real {
			t.Errorf("%s: unfiltered count %d, real count %d", entity, stored, real)
		}
	}
	top := e.create("contract", store.Patch{"name": "Top", "name_internal": "T", "type": "supply"})
	for i := 0; i < 3; i++ {
		e.create("contract", store.Patch{"name": "Sub", "name_internal": "S", "type": "supply", "parent": top.ID})
	}
	check("contract")
	e.createErr("contract", store.Patch{"name": "ok", "name_internal": "x", "type": "supply"}, store.Patch{"name": ""})
	check("contract")
	e.mustDelete("contract", top.ID) // cascades to the three subcontracts
	check("contract")
	if got := *e.list("contract", "").Count; got != 0 {
		t.Errorf("after cascade: %d contracts, want 0", got)
	}
	as := e.createMany("asset", store.Patch{"serial": "A"}, store.Patch{"serial": "B"})
	e.mustDelete("asset", as[0].ID)
	check("asset")
}
