package inventory

import "time"

// IsRecentlyProbed reports whether the last probe is recent: Python's
// (now - last).days <= days, where .days floors the elapsed time to whole
// days (a probe in the future counts as recent). A nil last is never recent.
//
// Upstream §13 item 12 used this on detail pages but a stricter
// "time >= now - days" cutoff in the asset list, so the two could disagree.
// Here list (SQL, via RecentCutoff) and detail share this single definition.
func IsRecentlyProbed(now time.Time, last *time.Time, days int) bool {
	if last == nil {
		return false
	}
	return last.After(RecentCutoff(now, days))
}

// RecentCutoff is the exclusive lower bound of recent probe times: a probe is
// recent exactly when time > cutoff (strict). floor(e/1d) <= days holds iff
// e < (days+1)d, so cutoff = now - (days+1) days; the cutoff instant itself is
// stale. Use ">" in SQL, not ">=": with microsecond storage, "> cutoff"
// stays exact even when cutoff is truncated to microseconds.
func RecentCutoff(now time.Time, days int) time.Time {
	// UTC days are exactly 24h, and AddDate cannot overflow like Duration.
	return now.UTC().AddDate(0, 0, -(days + 1))
}
