package inventory

import "time"

// Validation rules shared by several models (upstream clean() methods and
// the deliberate fixes of upstream's gaps).

// CheckPriceCurrency enforces "price ⇔ currency": a price (zero included,
// as upstream's code does — its README is wrong) needs a currency, and a
// currency needs a price.
func CheckPriceCurrency(v *ValidationError, price *Decimal, currency string, priceField, currencyField, priceLabel string) {
	if price != nil && currency == "" {
		v.Add(currencyField, "Currency is required when "+lowerFirst(priceLabel)+" is set.")
	}
	if currency != "" && price == nil {
		v.Add(priceField, priceLabel+" is required when currency is set.")
	}
}

// CheckPeriod refuses a period whose start lies after its end. Upstream
// checks this only for invoicing; we check warranty and service periods
// too (upstream bug §13.5).
func CheckPeriod(v *ValidationError, start, end *time.Time, startField, startLabel, endLabel string) {
	if start != nil && end != nil && start.After(*end) {
		v.Add(startField, startLabel+" cannot be set after "+endLabel)
	}
}

// CheckProbeTimes enforces creation_time ≤ time.
func CheckProbeTimes(v *ValidationError, creation, seen *time.Time) {
	if creation != nil && seen != nil && creation.After(*seen) {
		v.Add("creation_time", "Creation time cannot be after probe time.")
	}
}

// DefaultProbeCreationTime is the creation time a probe gets when the
// input has none. Upstream uses "now", which makes every probe with a past
// time fail its own creation_time ≤ time rule (upstream bug §13.6); the
// first discovery cannot be later than the sighting, so we take the
// earlier of the two.
func DefaultProbeCreationTime(now, seen time.Time) time.Time {
	if seen.Before(now) {
		return seen
	}
	return now
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	b := []byte(s)
	if b[0] >= 'A' && b[0] <= 'Z' {
		b[0] += 'a' - 'A'
	}
	return string(b)
}
