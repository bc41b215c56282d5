package inventory

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var today = time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC)

// d returns today+n days, like d(n) in upstream's tests.
func d(n int) *time.Time { t := today.AddDate(0, 0, n); return &t }

func wd(n int) *int { return &n }

func TestToday(t *testing.T) {
	prague := time.FixedZone("CEST", 2*3600)
	tests := []struct{ now, want time.Time }{
		{time.Date(2025, 6, 15, 23, 59, 59, 999, time.UTC), today},
		// 00:30 local is still the previous UTC date.
		{time.Date(2025, 6, 16, 0, 30, 0, 0, prague), today},
	}
	for _, tt := range tests {
		if got := Today(tt.now); !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("Today(%v) = %v, want %v", tt.now, got, tt.want)
		}
	}
}

func TestFormatTimeDelta(t *testing.T) {
	tests := []struct {
		days int
		want string
	}{
		{0, "today"}, {1, "in 1 day"}, {-1, "1 day ago"}, {45, "in 45 days"}, {89, "in 89 days"},
		{90, "in 3 months"}, {-90, "3 months ago"}, {729, "in 24 months"}, {730, "in 2 years"},
		{-4000, "11 years ago"}, {365, "in 12 months"}, {1100, "in 3 years"},
	}
	for _, tt := range tests {
		if got := FormatTimeDelta(tt.days); got != tt.want {
			t.Errorf("FormatTimeDelta(%d) = %q, want %q", tt.days, got, tt.want)
		}
	}
}

func TestDateStatus(t *testing.T) {
	tests := []struct {
		name        string
		start, end  *time.Time
		warningDays *int
		want        *Status
	}{
		{"disabled when warning days is nil", d(-10), d(10), nil, nil},
		{"no dates", nil, nil, wd(60), nil},
		{"end only, past", nil, d(-5), wd(60), &Status{"danger", "Expired 5 days ago"}},
		{"end only, today is expired", nil, d(0), wd(60), &Status{"danger", "Expired today"}},
		{"end only, tomorrow", nil, d(1), wd(60), &Status{"warning", "Expires in 1 day"}},
		{"last orange day", d(-400), d(60), wd(60), &Status{"warning", "Expires in 60 days"}},
		{"first green day", d(-400), d(61), wd(60), &Status{"success", "Valid until 2025-08-15"}},
		{"ends today", d(-400), d(0), wd(60), &Status{"danger", "Expired today"}},
		{"long expired", d(-800), d(-400), wd(60), &Status{"danger", "Expired 13 months ago"}},
		{"valid far ahead", d(-400), d(900), wd(60), &Status{"success", "Valid until 2027-12-02"}},
		{"open-ended", d(-100), nil, wd(60), &Status{"success", "Active"}},
		{"open-ended starting today", d(0), nil, wd(60), &Status{"success", "Active"}},
		{"future start", d(30), d(500), wd(60), &Status{"info", "Starts in 30 days"}},
		{"future start ending soon is blue", d(10), d(40), wd(60), &Status{"info", "Starts in 10 days"}},
		{"future start, open-ended", d(1), nil, wd(60), &Status{"info", "Starts in 1 day"}},
		{"zero warning days: tomorrow is green", nil, d(1), wd(0), &Status{"success", "Valid until 2025-06-16"}},
		{"negative warning days never warn", nil, d(1), wd(-5), &Status{"success", "Valid until 2025-06-16"}},
		{"short period ending tomorrow warns within threshold", d(-1), d(1), wd(60), &Status{"warning", "Expires in 1 day"}},
		{"short period ended today", d(-1), d(0), wd(0), &Status{"danger", "Expired today"}},
		{"end before start is expired", d(-1), d(-3), wd(60), &Status{"danger", "Expired 3 days ago"}},
	}
	for _, tt := range tests {
		got := DateStatus(tt.start, tt.end, tt.warningDays, today)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

// Upstream (§13 item 14) paints a started ≤2-day period orange whatever the
// threshold; we follow the filter band instead.
func TestShortPeriodAgreesWithFilterBandWhenWarningDaysBelowTwo(t *testing.T) {
	tests := []struct {
		name        string
		start, end  *time.Time
		warningDays int
		want        *Status
	}{
		{"two days left, threshold 1", d(0), d(2), 1, &Status{"success", "Valid until 2025-06-17"}},
		{"one day left, threshold 0", d(-1), d(1), 0, &Status{"success", "Valid until 2025-06-16"}},
		{"one day left, threshold 1", d(-1), d(1), 1, &Status{"warning", "Expires in 1 day"}},
		{"two days left, threshold 2", d(0), d(2), 2, &Status{"warning", "Expires in 2 days"}},
	}
	for _, tt := range tests {
		got := DateStatus(tt.start, tt.end, &tt.warningDays, today)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
		if band := DateBand(tt.start, tt.end, &tt.warningDays, today); got.Band() != band {
			t.Errorf("%s: badge band %q, filter band %q", tt.name, got.Band(), band)
		}
	}
}

func TestStatusBand(t *testing.T) {
	tests := []struct {
		s    *Status
		want string
	}{
		{nil, "none"}, {&Status{Color: "danger"}, "expired"}, {&Status{Color: "warning"}, "expiring"},
		{&Status{Color: "success"}, "valid"}, {&Status{Color: "info"}, "valid"},
	}
	for _, tt := range tests {
		if got := tt.s.Band(); got != tt.want {
			t.Errorf("%+v.Band() = %q, want %q", tt.s, got, tt.want)
		}
	}
}

// §11.1 rows evaluated as pure functions (warning days 60/60): the badge band
// and the filter band must both equal the expected band.
func TestAcceptanceRowsBadgeBandEqualsFilterBand(t *testing.T) {
	const war, svc = 60, 60
	type period struct{ start, end *time.Time }
	tests := []struct {
		name     string
		warranty period
		wantWar  string
		services []period
		wantSvc  []string
	}{
		{"EXPIRED", period{d(-800), d(-400)}, "expired", []period{{d(-800), d(-400)}}, []string{"expired"}},
		{"ENDS-TODAY", period{d(-400), d(0)}, "expired", []period{{d(-400), d(0)}}, []string{"expired"}},
		{"LAST-ORANGE-DAY", period{d(-400), d(war)}, "expiring", []period{{d(-400), d(svc)}}, []string{"expiring"}},
		{"FIRST-GREEN-DAY", period{d(-400), d(war + 1)}, "valid", []period{{d(-400), d(svc + 1)}}, []string{"valid"}},
		{"VALID", period{d(-400), d(900)}, "valid", []period{{d(-400), d(900)}}, []string{"valid"}},
		{"OPEN-ENDED", period{d(-100), nil}, "valid", []period{{d(-100), nil}}, []string{"valid"}},
		{"NOT-STARTED", period{d(30), d(500)}, "valid", []period{{d(30), d(500)}}, []string{"valid"}},
		{"NOT-STARTED-ENDS-SOON", period{d(10), d(40)}, "valid", []period{{d(10), d(40)}}, []string{"valid"}},
		{"END-ONLY", period{nil, d(-5)}, "expired", []period{{nil, d(-5)}}, []string{"expired"}},
		{"NO-DATES", period{}, "none", []period{{}}, []string{"none"}},
		{"NOTHING", period{}, "none", nil, nil},
		{"MIXED", period{d(-400), d(900)}, "valid",
			[]period{{d(-900), d(-500)}, {d(-400), d(5)}, {d(-200), d(700)}}, []string{"expired", "expiring", "valid"}},
	}
	for _, tt := range tests {
		w := tt.warranty
		if got := DateStatus(w.start, w.end, wd(war), today).Band(); got != tt.wantWar {
			t.Errorf("%s warranty badge band = %q, want %q", tt.name, got, tt.wantWar)
		}
		if got := DateBand(w.start, w.end, wd(war), today); got != tt.wantWar {
			t.Errorf("%s warranty filter band = %q, want %q", tt.name, got, tt.wantWar)
		}
		var badge, filter []string
		for _, s := range tt.services {
			badge = append(badge, DateStatus(s.start, s.end, wd(svc), today).Band())
			filter = append(filter, DateBand(s.start, s.end, wd(svc), today))
		}
		if diff := cmp.Diff(tt.wantSvc, badge); diff != "" {
			t.Errorf("%s service badge bands (-want +got):\n%s", tt.name, diff)
		}
		if diff := cmp.Diff(tt.wantSvc, filter); diff != "" {
			t.Errorf("%s service filter bands (-want +got):\n%s", tt.name, diff)
		}
	}
	// The not-started rows are blue (info), not orange.
	if got := DateStatus(d(10), d(40), wd(war), today); got.Color != "info" {
		t.Errorf("NOT-STARTED-ENDS-SOON colour = %q, want info", got.Color)
	}
}

// §11.3 warranty data (start dates assumed d(−400) where the spec gives none):
// 11 SVC-* assets have no warranty, WAR-NULL has a start only.
func TestBadgeTestDataWarrantyFilterCounts(t *testing.T) {
	type w struct{ start, end *time.Time }
	assets := []w{
		{d(-400), d(-30)}, {d(-400), d(0)}, {d(-400), d(3)}, {d(-400), d(60)}, {d(-400), d(61)},
		{d(-400), d(900)}, {d(-100), nil}, {}, // WAR-RED … WAR-NONE
		{d(-400), d(-30)}, {d(-400), d(900)}, {d(-400), d(900)}, // BOTH-RED, BOTH-GREEN, BOTH-SPLIT
	}
	for range 11 {
		assets = append(assets, w{})
	}
	got := map[string]int{}
	for _, a := range assets {
		got[DateBand(a.start, a.end, wd(60), today)]++
	}
	want := map[string]int{"expired": 3, "expiring": 2, "valid": 5, "none": 12}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("warranty band counts (-want +got):\n%s", diff)
	}
}

func TestBadgeBandEqualsFilterBandForAllCombinations(t *testing.T) {
	offsets := []int{-800, -61, -60, -59, -3, -2, -1, 0, 1, 2, 3, 29, 30, 31, 59, 60, 61, 62, 900}
	dates := []*time.Time{nil}
	for _, o := range offsets {
		dates = append(dates, d(o))
	}
	thresholds := []*int{nil, wd(-3), wd(0), wd(1), wd(2), wd(3), wd(30), wd(60)}
	n := 0
	for _, start := range dates {
		for _, end := range dates {
			for _, w := range thresholds {
				s := DateStatus(start, end, w, today)
				band := DateBand(start, end, w, today)
				if w == nil {
					if s != nil {
						t.Fatalf("DateStatus(%v, %v, nil) = %+v, want nil", start, end, s)
					}
					// Filters still band with threshold today+0.
					if zero := DateBand(start, end, wd(0), today); band != zero {
						t.Errorf("DateBand(%v, %v, nil) = %q, want %q as with 0", start, end, band, zero)
					}
					continue
				}
				if s == nil {
					if start != nil || end != nil || band != "none" {
						t.Errorf("DateStatus(%v, %v, %d) = nil, filter band %q", start, end, *w, band)
					}
					continue
				}
				n++
				if s.Band() != band {
					t.Errorf("start=%v end=%v warningDays=%d: badge %+v (band %q), filter band %q",
						start, end, *w, *s, s.Band(), band)
				}
			}
		}
	}
	if n < 2000 {
		t.Fatalf("only %d combinations checked", n)
	}
}
