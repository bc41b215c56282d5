package storetest

import (
	"testing"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/config"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

func (e *env) probe(serial string, at time.Time) {
	e.t.Helper()
	e.create(schema.ProbeName, store.Patch{"serial": serial, "name": "p", "time": at})
}

func (e *env) summaries(assetIDs ...int64) map[int64]store.ProbeSummary {
	e.t.Helper()
	m, err := e.s.ProbeSummaries(e.ctx, assetIDs)
	if err != nil {
		e.t.Fatalf("ProbeSummaries: %v", err)
	}
	return m
}

func testProbeSummaries(t *testing.T, open Opener) {
	view := sharedEnv(t, open)
	t.Run("LastProbeMatchesOwnAndRMASerialsExactly", func(t *testing.T) {
		e := view(t)
		own := e.create(schema.AssetName, store.Patch{"serial": "SN-OWN"})
		viaOrig := e.create(schema.AssetName, store.Patch{"serial": "SN-NEW"})
		viaRepl := e.create(schema.AssetName, store.Patch{"serial": "SN-X"})
		caseOnly := e.create(schema.AssetName, store.Patch{"serial": "SN-CASE"})
		substr := e.create(schema.AssetName, store.Patch{"serial": "SN-SUB"})
		nothing := e.create(schema.AssetName, store.Patch{"serial": "SN-NONE"})
		e.create(schema.RMAName, store.Patch{"asset": viaOrig.ID, "issue_description": "x", "original_serial": "SN-ORIG"})
		e.create(schema.RMAName, store.Patch{"asset": viaRepl.ID, "issue_description": "x", "replacement_serial": "SN-REPL"})

		h := func(n int) time.Time { return e.now.Add(-time.Duration(n) * time.Hour) }
		e.probe("SN-OWN", h(100))
		e.probe("SN-OWN", h(2)) // newest of SN-OWN
		e.probe("SN-OWN", h(50))
		e.probe("SN-ORIG", h(3))
		e.probe("SN-NEW", h(30))
		e.probe("SN-REPL", h(4))
		e.probe("SN-X", h(400))
		e.probe("sn-case", h(1))
		e.probe("SN-SUB-2", h(1))
		e.probe("XSN-SUB", h(1))

		got := e.summaries(own.ID, viaOrig.ID, viaRepl.ID, caseOnly.ID, substr.ID, nothing.ID)
		type sum struct {
			Last   *time.Time
			Recent bool
		}
		conv := map[int64]sum{}
		for id, s := range got {
			conv[id] = sum{s.LastProbe, s.Recent}
		}
		tp := func(t time.Time) *time.Time { return &t }
		diff(t, "summaries", map[int64]sum{
			own.ID:      {tp(h(2)), true},
			viaOrig.ID:  {tp(h(3)), true}, // the RMA's original serial is newer than its own
			viaRepl.ID:  {tp(h(4)), true}, // the replacement serial
			caseOnly.ID: {nil, false},     // exact, case-sensitive
			substr.ID:   {nil, false},     // no substring matches
			nothing.ID:  {nil, false},
		}, conv)
	})

	t.Run("RecentUsesProbeRecentDaysWithWholeDayBoundary", func(t *testing.T) {
		for _, days := range []int{7, 0} {
			cfg := config.DefaultSettings()
			cfg.ProbeRecentDays = days
			e := newEnvWith(t, open, cfg)
			mk := func(serial string, at time.Time) int64 {
				a := e.create(schema.AssetName, store.Patch{"serial": serial})
				e.probe(serial, at)
				return a.ID
			}
			window := time.Duration(days+1) * 24 * time.Hour
			inside := mk("INSIDE", e.now.Add(-window+time.Second))  // (now-last).days == days
			edge := mk("EDGE", e.now.Add(-window+time.Microsecond)) // still days whole days
			boundary := mk("BOUNDARY", e.now.Add(-window))          // days+1 whole days: stale
			outside := mk("OUTSIDE", e.now.Add(-window-time.Hour))  // stale
			future := mk("FUTURE", e.now.Add(time.Hour))            // recent
			got := e.summaries(inside, edge, boundary, outside, future)
			recent := map[string]bool{}
			for name, id := range map[string]int64{"inside": inside, "edge": edge, "boundary": boundary, "outside": outside, "future": future} {
				recent[name] = got[id].Recent
				if got[id].LastProbe == nil {
					t.Errorf("days=%d %s: no last probe", days, name)
				}
			}
			diff(t, "recent", map[string]bool{"inside": true, "edge": true, "boundary": false, "outside": false, "future": true}, recent)
		}
	})

	t.Run("NoProbesAndUnknownAssets", func(t *testing.T) {
		e := view(t)
		a := e.create(schema.AssetName, store.Patch{"serial": "LONELY"})
		got := e.summaries(a.ID, 999999)
		if s, ok := got[a.ID]; ok && (s.LastProbe != nil || s.Recent) {
			t.Errorf("asset without probes: %+v", s)
		}
		if s := got[999999]; s.LastProbe != nil || s.Recent {
			t.Errorf("unknown asset: %+v", s)
		}
		if got := e.summaries(); len(got) != 0 {
			t.Errorf("no ids: %v", got)
		}
	})

	t.Run("ManyAssetsInOneCall", func(t *testing.T) {
		e := view(t)
		ps := make([]store.Patch, 2500)
		probes := make([]store.Patch, 0, 2500)
		for i := range ps {
			serial := "BULK-" + formatInt(int64(i))
			ps[i] = store.Patch{"serial": serial}
			if i%2 == 0 {
				probes = append(probes, store.Patch{"serial": serial, "name": "p", "time": e.now.Add(-time.Duration(i) * time.Minute)})
			}
		}
		assets := e.createMany(schema.AssetName, ps...)
		e.createMany(schema.ProbeName, probes...)
		got := e.summaries(ids(assets...)...)
		for i, a := range assets {
			s := got[a.ID]
			if (i%2 == 0) != (s.LastProbe != nil) {
				t.Fatalf("asset %d: %+v", i, s)
			}
			if i%2 == 0 && !s.LastProbe.Equal(e.now.Add(-time.Duration(i)*time.Minute)) {
				t.Fatalf("asset %d: last probe %v", i, s.LastProbe)
			}
		}
	})
}
