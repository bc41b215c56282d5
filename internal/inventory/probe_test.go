package inventory

import (
	"testing"
	"time"
)

// floorDays is Python's timedelta.days: elapsed time floored to whole days.
func floorDays(d time.Duration) int {
	n := d / (24 * time.Hour)
	if d%(24*time.Hour) != 0 && d < 0 {
		n--
	}
	return int(n)
}

func TestIsRecentlyProbedUsesFlooredElapsedDays(t *testing.T) {
	now := time.Date(2025, 6, 15, 12, 30, 0, 123456789, time.UTC)
	at := func(d time.Duration) *time.Time { t := now.Add(d); return &t }
	const day = 24 * time.Hour
	tests := []struct {
		name string
		last *time.Time
		want bool
	}{
		{"never probed", nil, false},
		{"just now", at(0), true},
		{"future probe", at(time.Hour), true},
		{"exactly 7 days ago", at(-7 * day), true},
		{"8 days minus 1ns ago", at(-8*day + 1), true},
		{"exactly 8 days ago", at(-8 * day), false},
		{"9 days ago", at(-9 * day), false},
	}
	for _, tt := range tests {
		if got := IsRecentlyProbed(now, tt.last, 7); got != tt.want {
			t.Errorf("%s: IsRecentlyProbed = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestRecentCutoffAgreesWithIsRecentlyProbedAroundBoundary(t *testing.T) {
	now := time.Date(2025, 6, 15, 12, 30, 0, 123456789, time.UTC)
	for _, days := range []int{-1, 0, 1, 7, 30} {
		cutoff := RecentCutoff(now, days)
		// SQL stores microseconds; pgx truncates the bound the same way.
		cutoffMicro := cutoff.Truncate(time.Microsecond)
		for _, off := range []time.Duration{-2 * time.Microsecond, -time.Microsecond, -1, 0, 1, time.Microsecond, 2 * time.Microsecond, time.Hour, -time.Hour} {
			last := cutoff.Add(off)
			got := IsRecentlyProbed(now, &last, days)
			if want := floorDays(now.Sub(last)) <= days; got != want {
				t.Errorf("days=%d off=%v: IsRecentlyProbed = %v, floor rule says %v", days, off, got, want)
			}
			if sql := last.After(cutoff); sql != got {
				t.Errorf("days=%d off=%v: time > cutoff = %v, IsRecentlyProbed = %v", days, off, sql, got)
			}
			lastMicro := last.Truncate(time.Microsecond)
			if sql, want := lastMicro.After(cutoffMicro), IsRecentlyProbed(now, &lastMicro, days); sql != want {
				t.Errorf("days=%d off=%v: microsecond time > cutoff = %v, IsRecentlyProbed = %v", days, off, sql, want)
			}
		}
		if IsRecentlyProbed(now, &cutoff, days) {
			t.Errorf("days=%d: the cutoff instant itself must be stale (use > not >=)", days)
		}
	}
}
