package inventory

import "strings"

// Currency is one configured currency (plugin setting "currencies").
type Currency struct{ Code, Name, Symbol string }

// DefaultCurrencies is the upstream default of the "currencies" setting.
var DefaultCurrencies = []Currency{
	{"CZK", "Czech Koruna", "Kč"},
	{"EUR", "Euro", "€"},
	{"USD", "US Dollar", "$"},
	{"GBP", "British Pound", "£"},
	{"JPY", "Japanese Yen", "¥"},
}

// CurrencySymbol returns the symbol of the first currency with this code, the
// code itself when that entry has no symbol or no entry matches, and "" for
// an empty code. Currency codes are never validated, so unknown codes occur.
func CurrencySymbol(code string, cs []Currency) string {
	if code == "" {
		return ""
	}
	for _, c := range cs {
		if c.Code == code {
			if c.Symbol != "" {
				return c.Symbol
			}
			return code
		}
	}
	return code
}

// FormatPrice renders a price for display (§4.3): nil is "---"; trailing
// fractional zeros are dropped ("1000", "1234.5"); thousands are separated by
// plain spaces; the currency symbol, if any, follows after a space.
func FormatPrice(price *Decimal, currency string, cs []Currency) string {
	if price == nil {
		return "---"
	}
	s := price.String()
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	if frac = strings.TrimRight(frac, "0"); frac != "" {
		b.WriteString("." + frac)
	}
	if sym := CurrencySymbol(currency, cs); sym != "" {
		b.WriteString(" " + sym)
	}
	return b.String()
}
