package filter

import (
	"regexp"
	"strconv"
	"time"
)

// Dates and timestamps are read as NetBox reads them: Django's parse_date
// and parse_datetime, which try Python's fromisoformat first (ISO 8601,
// basic or extended) and then Django's own, laxer pattern (one-digit
// months, days and hours; a comma before the fraction; a space before the
// zone). Scanners and scripts send all of these.
var (
	// fromisoformat, extended (2025-01-05T09:00:00) or basic
	// (20250105T090000), each with its separators throughout; then T, t or
	// a space and hh[:mm[:ss[.f…]]], then Z or ±hh[:mm[:ss[.f…]]].
	isoDateTime = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?)?` + isoZone)
	isoBasic    = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})(?:[Tt ](\d{2})(?:(\d{2})(?:(\d{2})(?:[.,](\d+))?)?)?)?` + isoZone)
	// Django's datetime_re and date_re.
	djangoDateTime = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d{0,6})?)?\s*` +
		`(?:([Z])|([+-])(\d{2})(?::?(\d{2}))?()())?$`)
	djangoDate = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})$`)
)

const isoZone = `(?:([Zz])|([+-])(\d{2})(?::?(\d{2})(?::?(\d{2})(?:\.\d+)?)?)?)?$`

// ParseDateTime reads a timestamp (a plain date is its midnight; without a
// zone, UTC: NetBox's default TIME_ZONE).
func ParseDateTime(s string) (time.Time, bool) {
	for _, re := range []*regexp.Regexp{isoDateTime, isoBasic, djangoDateTime} {
		if m := re.FindStringSubmatch(s); m != nil {
			if t, ok := dateTimeOf(m); ok {
				return t, true
			}
		}
	}
	return ParseDate(s) // Django's DateTimeField also reads %Y-%m-%d
}

// ParseDate reads a calendar date.
func ParseDate(s string) (time.Time, bool) {
	m := djangoDate.FindStringSubmatch(s)
	if m == nil {
		if m = isoBasic.FindStringSubmatch(s); m == nil || m[4] != "" || m[8] != "" || m[9] != "" {
			return time.Time{}, false
		}
	}
	return dateTimeOf(m[:4])
}

// dateTimeOf builds the time from a match: year, month, day, then
// optionally hour, minute, second, fraction, "Z", offset sign, hours,
// minutes, seconds. Out-of-range fields (February 30th, 24:00) fail.
func dateTimeOf(m []string) (time.Time, bool) {
	num := func(i int) int {
		if i >= len(m) || m[i] == "" {
			return 0
		}
		n, _ := strconv.Atoi(m[i])
		return n
	}
	year, month, day := num(1), num(2), num(3)
	hour, minute, second := num(4), num(5), num(6)
	nanos := 0
	if len(m) > 7 && m[7] != "" {
		frac := (m[7] + "000000")[:6] // microseconds; further digits are dropped
		us, _ := strconv.Atoi(frac)
		nanos = us * 1000
	}
	if year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59 {
		return time.Time{}, false
	}
	zone := time.UTC
	if len(m) > 9 && m[9] != "" {
		oh, om, os := num(10), num(11), num(12)
		if oh > 23 || om > 59 || os > 59 {
			return time.Time{}, false
		}
		offset := oh*3600 + om*60 + os
		if m[9] == "-" {
			offset = -offset
		}
		zone = time.FixedZone("", offset)
	}
	t := time.Date(year, time.Month(month), day, hour, minute, second, nanos, zone)
	if t.Day() != day { // normalised: no such day in that month
		return time.Time{}, false
	}
	if y := t.UTC().Year(); y < 1 || y > 9999 { // beyond Python's datetime (and SQLite's text order)
		return time.Time{}, false
	}
	return t.UTC(), true
}
