package sqlstore

import (
	"testing"
	"time"
)

// The fixed-width reader must agree with time.Parse on every input it
// accepts and refuse what time.Parse refuses.
func TestSQLiteTimeTextReadsLikeTimeParse(t *testing.T) {
	for _, s := range []string{
		"2026-11-25", "0001-01-01", "9999-12-31", "2024-02-29", "2023-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-1-25", "2026/11/25", "20x6-11-25",
		"2026-11-25T13:04:05.123456Z", "2026-11-25T00:00:00.000000Z", "2026-11-25T23:59:59.999999Z", "2026-11-25T24:00:00.000000Z",
		"2026-11-25T13:60:05.000000Z", "2026-11-25T13:04:60.000000Z", "2026-02-30T13:04:05.000000Z", "2026-11-25T13:04:05.12345xZ",
		"2026-11-25T13:04:05.123456+", "2026-11-25 13:04:05.123456Z",
	} {
		layout := time.RFC3339Nano
		if len(s) == len("2006-01-02") {
			layout = "2006-01-02"
		}
		want, err := time.Parse(layout, s)
		got, ok := parseSQLiteTime(s)
		switch {
		case ok && err != nil:
			t.Errorf("%s: read as %v, time.Parse refuses it: %v", s, got, err)
		case ok && !got.Equal(want):
			t.Errorf("%s: read as %v, time.Parse reads %v", s, got, want)
		case ok && got.Location() != time.UTC:
			t.Errorf("%s: location %v, want UTC", s, got.Location())
		}
	}
	for _, s := range []string{"2026-11-25", "2026-11-25T13:04:05.123456Z"} {
		if _, ok := parseSQLiteTime(s); !ok {
			t.Errorf("%s: not read by the fixed-width reader", s)
		}
	}
}
