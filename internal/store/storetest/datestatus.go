package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/config"
	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

// period is an optional start..end as day offsets from today.
type period struct{ start, end *int }

func dp(n int) *int { return &n }

// badgeAsset is one row of an acceptance table: warranty and services.
type badgeAsset struct {
	serial   string
	warranty period
	services []period
}

var bands = []string{"expired", "expiring", "valid", "none"}

// createBadgeAssets stores the table and returns serial → asset id.
func (e *env) createBadgeAssets(rows []badgeAsset) map[string]int64 {
	e.t.Helper()
	at := func(n *int) any {
		if n == nil {
			return nil
		}
		return e.day(*n)
	}
	out := map[string]int64{}
	for _, r := range rows {
		a := e.create(schema.AssetName, store.Patch{"serial": r.serial, "warranty_start": at(r.warranty.start), "warranty_end": at(r.warranty.end)})
		out[r.serial] = a.ID
		for _, s := range r.services {
			e.create(schema.AssetServiceName, store.Patch{"asset": a.ID, "service_start": at(s.start), "service_end": at(s.end)})
		}
	}
	return out
}

// badgeBands derives the expected filter result from the badge colours
// (inventory.DateStatus): serial sets per band, for warranty and service.
func (e *env) badgeBands(rows []badgeAsset, settings config.Settings) (warranty, service map[string][]string) {
	at := func(n *int) *time.Time {
		if n == nil {
			return nil
		}
		d := e.day(*n)
		return &d
	}
	warranty, service = map[string][]string{}, map[string][]string{}
	for _, r := range rows {
		st := inventory.DateStatus(at(r.warranty.start), at(r.warranty.end), settings.WarningDays("warranty"), e.today)
		warranty[st.Band()] = append(warranty[st.Band()], r.serial)
		if len(r.services) == 0 {
			service["none"] = append(service["none"], r.serial)
		}
		seen := map[string]bool{}
		for _, s := range r.services {
			st := inventory.DateStatus(at(s.start), at(s.end), settings.WarningDays("service"), e.today)
			if st == nil { // a service without dates has no badge and no band
				continue
			}
			if b := st.Band(); !seen[b] {
				seen[b] = true
				service[b] = append(service[b], r.serial)
			}
		}
	}
	for _, m := range []map[string][]string{warranty, service} {
		for _, v := range m {
			slices.Sort(v)
		}
	}
	return warranty, service
}

// checkBands compares each band filter, within the assets selected by
// scope, with want (and counts, when given).
func (e *env) checkBands(scope, attr string, want map[string][]string, counts map[string]int) {
	e.t.Helper()
	for _, band := range bands {
		got := e.strs(schema.AssetName, "serial", join(scope, attr+"_status="+band))
		w := want[band]
		if len(got) == 0 {
			got = nil
		}
		diff(e.t, attr+"_status="+band, w, got)
		if counts != nil && len(got) != counts[band] {
			e.t.Errorf("%s_status=%s: %d assets, want %d", attr, band, len(got), counts[band])
		}
	}
}

func testDateStatus(t *testing.T, open Opener) {
	// Both acceptance tables share a store; the second one's serials carry
	// the upstream prefix BADGE-TEST-, which scopes the queries.
	view := sharedEnv(t, open)
	const onlyFirst, onlySecond = "serial__nisw=BADGE-TEST-", "serial__isw=BADGE-TEST-"

	t.Run("FilterBandsEqualBadgeColours", func(t *testing.T) {
		// Upstream test_date_status.py (§11.1) with warning days 60/60.
		e := view(t)
		war, svc := 60, 60
		rows := []badgeAsset{
			{"EXPIRED", period{dp(-800), dp(-400)}, []period{{dp(-800), dp(-400)}}},
			{"ENDS-TODAY", period{dp(-400), dp(0)}, []period{{dp(-400), dp(0)}}},
			{"LAST-ORANGE-DAY", period{dp(-400), dp(war)}, []period{{dp(-400), dp(svc)}}},
			{"FIRST-GREEN-DAY", period{dp(-400), dp(war + 1)}, []period{{dp(-400), dp(svc + 1)}}},
			{"VALID", period{dp(-400), dp(900)}, []period{{dp(-400), dp(900)}}},
			{"OPEN-ENDED", period{dp(-100), nil}, []period{{dp(-100), nil}}},
			{"NOT-STARTED", period{dp(30), dp(500)}, []period{{dp(30), dp(500)}}},
			{"NOT-STARTED-ENDS-SOON", period{dp(10), dp(40)}, []period{{dp(10), dp(40)}}},
			{"END-ONLY", period{nil, dp(-5)}, []period{{nil, dp(-5)}}},
			{"NO-DATES", period{}, []period{{}}},
			{"NOTHING", period{}, nil},
			{"MIXED", period{dp(-400), dp(900)}, []period{{dp(-900), dp(-500)}, {dp(-400), dp(5)}, {dp(-200), dp(700)}}},
		}
		e.createBadgeAssets(rows)
		wantWar, wantSvc := e.badgeBands(rows, e.settings)
		// The table's own expectations, so a wrong DateStatus cannot hide a wrong filter.
		diff(t, "warranty bands from badges", map[string][]string{
			"expired":  {"END-ONLY", "ENDS-TODAY", "EXPIRED"},
			"expiring": {"LAST-ORANGE-DAY"},
			"valid":    {"FIRST-GREEN-DAY", "MIXED", "NOT-STARTED", "NOT-STARTED-ENDS-SOON", "OPEN-ENDED", "VALID"},
			"none":     {"NO-DATES", "NOTHING"},
		}, wantWar)
		diff(t, "service bands from badges", map[string][]string{
			"expired":  {"END-ONLY", "ENDS-TODAY", "EXPIRED", "MIXED"},
			"expiring": {"LAST-ORANGE-DAY", "MIXED"},
			"valid":    {"FIRST-GREEN-DAY", "MIXED", "NOT-STARTED", "NOT-STARTED-ENDS-SOON", "OPEN-ENDED", "VALID"},
			"none":     {"NOTHING"},
		}, wantSvc)
		e.checkBands(onlyFirst, "warranty", wantWar, nil)
		e.checkBands(onlyFirst, "service", wantSvc, nil)
		// Several bands are ORed; "none" combines with the others.
		diff(t, "expired|none", []string{"END-ONLY", "ENDS-TODAY", "EXPIRED", "MIXED", "NOTHING"},
			e.strs(schema.AssetName, "serial", onlyFirst+"&service_status=expired&service_status=none"))
		diff(t, "warranty expiring|none", []string{"LAST-ORANGE-DAY", "NO-DATES", "NOTHING"},
			e.strs(schema.AssetName, "serial", onlyFirst+"&warranty_status=expiring&warranty_status=none"))
		// Combined with another filter.
		diff(t, "with q", []string{"MIXED"}, e.strs(schema.AssetName, "serial", "service_status=expiring&q=mix"))
	})

	t.Run("BadgeTestDataCounts", func(t *testing.T) {
		// scripts/generate_badge_testdata.py (§11.3), warning days 60/60.
		e := view(t)
		s, w := 60, 60
		none := []period(nil)
		rows := []badgeAsset{
			{"SVC-RED", period{}, []period{{dp(-800), dp(-400)}}},
			{"SVC-RED-EDGE", period{}, []period{{dp(-400), dp(0)}}},
			{"SVC-ORANGE", period{}, []period{{dp(-400), dp(5)}}},
			{"SVC-ORANGE-EDGE", period{}, []period{{dp(-400), dp(s)}}},
			{"SVC-GREEN-EDGE", period{}, []period{{dp(-400), dp(s + 1)}}},
			{"SVC-GREEN", period{}, []period{{dp(-400), dp(900)}}},
			{"SVC-NULL", period{}, []period{{dp(-100), nil}}},
			{"SVC-FUTURE", period{}, []period{{dp(30), dp(500)}}},
			{"SVC-NONE", period{}, none},
			{"SVC-MIXED", period{}, []period{{dp(-900), dp(-500)}, {dp(-400), dp(10)}, {dp(-200), dp(700)}}},
			{"SVC-MIXED-NULL", period{}, []period{{dp(-900), dp(-500)}, {dp(-100), nil}}},
			{"WAR-RED", period{dp(-800), dp(-400)}, none},
			{"WAR-RED-EDGE", period{dp(-400), dp(0)}, none},
			{"WAR-ORANGE", period{dp(-400), dp(3)}, none},
			{"WAR-ORANGE-EDGE", period{dp(-400), dp(w)}, none},
			{"WAR-GREEN-EDGE", period{dp(-400), dp(w + 1)}, none},
			{"WAR-GREEN", period{dp(-400), dp(900)}, none},
			{"WAR-NULL", period{dp(-100), nil}, none},
			{"WAR-NONE", period{}, none},
			{"BOTH-RED", period{dp(-800), dp(-400)}, []period{{dp(-800), dp(-400)}}},
			{"BOTH-GREEN", period{dp(-400), dp(900)}, []period{{dp(-400), dp(900)}}},
			{"BOTH-SPLIT", period{dp(-400), dp(900)}, []period{{dp(-800), dp(-400)}}},
		}
		for i := range rows {
			rows[i].serial = "BADGE-TEST-" + rows[i].serial
		}
		e.createBadgeAssets(rows)
		wantWar, wantSvc := e.badgeBands(rows, e.settings)
		e.checkBands(onlySecond, "service", wantSvc, map[string]int{"expired": 6, "expiring": 3, "valid": 7, "none": 9})
		e.checkBands(onlySecond, "warranty", wantWar, map[string]int{"expired": 3, "expiring": 2, "valid": 5, "none": 12})
	})

	t.Run("WarningDaysSettingMovesAndDisablesTheExpiringBand", func(t *testing.T) {
		rows := []badgeAsset{
			{"D0", period{dp(-10), dp(0)}, []period{{dp(-10), dp(0)}}},
			{"D1", period{dp(-10), dp(1)}, []period{{dp(-10), dp(1)}}},
			{"D2", period{dp(-10), dp(2)}, []period{{dp(-10), dp(2)}}},
			{"D10", period{dp(-10), dp(10)}, []period{{dp(-10), dp(10)}}},
			{"D11", period{dp(-10), dp(11)}, []period{{dp(-10), dp(11)}}},
			{"D45", period{dp(-10), dp(45)}, []period{{dp(-10), dp(45)}}},
			{"SHORT", period{dp(-1), dp(1)}, []period{{dp(-1), dp(1)}}},
			{"FUT", period{dp(1), dp(2)}, []period{{dp(1), dp(2)}}},
		}
		ten, zero := 10, 0
		settings := []struct {
			name        string
			wd          map[string]*int
			disabled    bool
			warExpiring []string
			svcExpiring []string
		}{
			{"defaults", nil, false, []string{"D1", "D10", "D11", "D2", "D45", "SHORT"}, []string{"D1", "D10", "D11", "D2", "D45", "SHORT"}},
			{"warranty 10, service 0", map[string]*int{"warranty": &ten, "service": &zero}, false, []string{"D1", "D10", "D2", "SHORT"}, nil},
			{"warranty off", map[string]*int{"warranty": nil}, false, nil, []string{"D1", "D10", "D11", "D2", "D45", "SHORT"}},
			{"all off", nil, true, nil, nil},
		}
		for _, st := range settings {
			t.Run(st.name, func(t *testing.T) {
				cfg := config.DefaultSettings()
				cfg.SetWarningDays(st.wd, st.disabled)
				e := newEnvWith(t, open, cfg)
				e.createBadgeAssets(rows)
				diff(t, "warranty expiring", st.warExpiring, nilIfEmpty(e.strs(schema.AssetName, "serial", "warranty_status=expiring")))
				diff(t, "service expiring", st.svcExpiring, nilIfEmpty(e.strs(schema.AssetName, "serial", "service_status=expiring")))
				// Whatever the threshold, every dated row is in exactly one band
				// and agrees with the badge whenever a badge is shown.
				for _, attr := range []string{"warranty", "service"} {
					total := 0
					for _, b := range bands {
						total += len(e.strs(schema.AssetName, "serial", attr+"_status="+b))
					}
					if total != len(rows) {
						t.Errorf("%s: bands cover %d of %d assets", attr, total, len(rows))
					}
				}
				if wd := cfg.WarningDays("warranty"); wd != nil {
					want, _ := e.badgeBands(rows, cfg)
					e.checkBands("", "warranty", want, nil)
				}
			})
		}
	})
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}
