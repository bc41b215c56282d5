package filter

import (
	"testing"
	"time"
)

func TestTimestampsAreReadAsDjangoReadsThem(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s, us int) time.Time {
		return time.Date(y, mo, d, h, mi, s, us*1000, time.UTC)
	}
	for in, want := range map[string]time.Time{
		"2025-01-05T09:00:00Z":             utc(2025, 1, 5, 9, 0, 0, 0),
		"2025-01-05T09:00:00.5Z":           utc(2025, 1, 5, 9, 0, 0, 500000),
		"2025-01-05T09:00:00.1234567891Z":  utc(2025, 1, 5, 9, 0, 0, 123456), // further digits dropped
		"2025-01-05T09:00Z":                utc(2025, 1, 5, 9, 0, 0, 0),
		"2025-01-05T10:00+01:00":           utc(2025, 1, 5, 9, 0, 0, 0),
		"2025-01-05T10:00:00+0100":         utc(2025, 1, 5, 9, 0, 0, 0), // strftime's %z
		"2025-01-05T10:00:00+01":           utc(2025, 1, 5, 9, 0, 0, 0),
		"2025-01-05T07:30:00-01:30":        utc(2025, 1, 5, 9, 0, 0, 0),
		"2025-01-05 09:00Z":                utc(2025, 1, 5, 9, 0, 0, 0),
		"2025-01-05T09":                    utc(2025, 1, 5, 9, 0, 0, 0),
		"2025-01-05T09:00:00":              utc(2025, 1, 5, 9, 0, 0, 0), // no zone: UTC
		"2025-01-05":                       utc(2025, 1, 5, 0, 0, 0, 0),
		"20250105T090000Z":                 utc(2025, 1, 5, 9, 0, 0, 0),
		"2025-1-5 9:00":                    utc(2025, 1, 5, 9, 0, 0, 0), // Django's own pattern
		"2025-1-5T9:00:00,25 +01:00":       utc(2025, 1, 5, 8, 0, 0, 250000),
		"2024-02-29T23:59:59.999999+00:00": utc(2024, 2, 29, 23, 59, 59, 999999),
		"2020-1-1":                         utc(2020, 1, 1, 0, 0, 0, 0), // DateTimeField's %Y-%m-%d
	} {
		got, ok := ParseDateTime(in)
		if !ok || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("ParseDateTime(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "2025", "2025-01", "2025-13-01T00:00Z", "2025-02-30T00:00Z", "2023-02-29", "2025-01-05T24:00Z",
		"2025-01-05T09:60Z", "2025-01-05T09:00:61Z", "2025-01-05T09:00+24:00", "0000-01-01T00:00Z", "2025-01-05T09:00 Z x",
		"2025-01-05X09:00", "tomorrow", "2025-01-05T09:00:00+1", "2025-01-05T09:0000", "2025-0105T09:00", "20250105T09:00",
		"9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+01:00"} {
		if got, ok := ParseDateTime(in); ok {
			t.Errorf("ParseDateTime(%q) = %v, want refused", in, got)
		}
	}
}

func TestDatesAreReadAsDjangoReadsThem(t *testing.T) {
	for in, want := range map[string]time.Time{
		"2025-01-05": time.Date(2025, 1, 5, 0, 0, 0, 0, time.UTC),
		"2025-1-5":   time.Date(2025, 1, 5, 0, 0, 0, 0, time.UTC),
		"20250105":   time.Date(2025, 1, 5, 0, 0, 0, 0, time.UTC),
		"2024-02-29": time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
	} {
		if got, ok := ParseDate(in); !ok || !got.Equal(want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "2025-0105", "202501-05", "2025-01-05T00:00", "2025-01-05Z", "2023-02-29", "2025-00-10", "2025-1-32", "05/01/2025", "2025-01-05 "} {
		if got, ok := ParseDate(in); ok {
			t.Errorf("ParseDate(%q) = %v, want refused", in, got)
		}
	}
}
