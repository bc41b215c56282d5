package inventory

import (
	"fmt"
	"math"
	"time"
)

// Status is a computed date status (upstream get_date_status): Color is a
// Bootstrap colour ("danger", "warning", "success", "info").
type Status struct{ Color, Message string }

// Today returns the UTC calendar date of now at midnight; upstream uses
// timezone.now().date(), the UTC date, not the server's local date.
func Today(now time.Time) time.Time {
	y, m, d := now.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dayNum is the calendar date of t (in t's own location) as days since epoch.
func dayNum(t time.Time) int {
	y, m, d := t.Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// daysBetween is Python's (b - a).days for dates.
func daysBetween(a, b time.Time) int { return dayNum(b) - dayNum(a) }

// DateStatus implements upstream §4.1 for the period start..end, both
// optional. warningDays nil disables the indicator (returns nil).
//
// Deliberate deviation (upstream §13 item 14): upstream paints a started
// period of at most 2 days orange whenever it has not ended, even when
// warningDays < 2, while its filter band says "valid". Here such a period
// is "warning" only when d <= warningDays and otherwise success "Valid until
// …", so badges and filters always agree. With that fix the short-period rule
// coincides with the plain expiration rule and needs no branch of its own.
func DateStatus(start, end *time.Time, warningDays *int, today time.Time) *Status {
	switch {
	case warningDays == nil, start == nil && end == nil:
		return nil
	case start != nil && daysBetween(today, *start) > 0:
		return &Status{"info", "Starts " + FormatTimeDelta(daysBetween(today, *start))}
	case end == nil:
		return &Status{"success", "Active"}
	}
	d := daysBetween(today, *end)
	switch {
	case d <= 0:
		return &Status{"danger", "Expired " + FormatTimeDelta(d)}
	case d <= *warningDays:
		return &Status{"warning", "Expires " + FormatTimeDelta(d)}
	}
	return &Status{"success", "Valid until " + end.Format(time.DateOnly)}
}

// FormatTimeDelta humanizes a signed day count: "today", "in 45 days",
// "1 day ago", "in 3 months" (from 90 days), "in 2 years" (from 730 days).
func FormatTimeDelta(days int) string {
	if days == 0 {
		return "today"
	}
	abs := days
	if abs < 0 {
		abs = -abs
	}
	n, unit := abs, "day"
	switch {
	case abs >= 730:
		n, unit = int(math.Round(float64(abs)/365.25)), "year"
	case abs >= 90:
		n, unit = int(math.Round(float64(abs)/30.44)), "month"
	}
	v := fmt.Sprintf("%d %s", n, unit)
	if n != 1 {
		v += "s"
	}
	if days < 0 {
		return v + " ago"
	}
	return "in " + v
}

// Band maps a status colour to its filter band; a nil status is "none".
func (s *Status) Band() string {
	if s == nil {
		return "none"
	}
	switch s.Color {
	case "danger":
		return "expired"
	case "warning":
		return "expiring"
	case "success", "info":
		return "valid"
	}
	return "none"
}

// DateBand is the filter band of §4.1's SQL table, evaluated in Go; the store
// implements the same predicates in SQL. For every input where DateStatus is
// non-nil, DateStatus(...).Band() == DateBand(...). A nil warningDays
// disables the badge (DateStatus is nil) but filters still band the row with
// threshold today+0, i.e. as if warningDays were 0: no "expiring" band.
func DateBand(start, end *time.Time, warningDays *int, today time.Time) string {
	wd := 0
	if warningDays != nil {
		wd = *warningDays
	}
	switch {
	case start == nil && end == nil:
		return "none"
	case end == nil, start != nil && daysBetween(today, *start) > 0:
		return "valid"
	}
	switch d := daysBetween(today, *end); {
	case d <= 0:
		return "expired"
	case d <= wd:
		return "expiring"
	}
	return "valid"
}
