package inventory

import "testing"

func TestCurrencySymbol(t *testing.T) {
	cs := []Currency{{"EUR", "Euro", "€"}, {"NOS", "No symbol", ""}, {"EUR", "Duplicate", "E"}}
	tests := []struct{ code, want string }{
		{"", ""},
		{"EUR", "€"}, // first match wins
		{"NOS", "NOS"},
		{"XYZ", "XYZ"},
		{"eur", "eur"}, // codes are case-sensitive
	}
	for _, tt := range tests {
		if got := CurrencySymbol(tt.code, cs); got != tt.want {
			t.Errorf("CurrencySymbol(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
	if got := CurrencySymbol("CZK", DefaultCurrencies); got != "Kč" {
		t.Errorf("default CZK symbol = %q", got)
	}
}

func TestFormatPrice(t *testing.T) {
	p := func(d Decimal) *Decimal { return &d }
	tests := []struct {
		price    *Decimal
		currency string
		want     string
	}{
		{nil, "EUR", "---"},
		// §4.3's "1000"/"1234.5" illustrate dropping zeros; the separator
		// still applies, as in upstream's f"{value:,}".
		{p(100000), "", "1 000"},
		{p(123450), "", "1 234.5"},
		{p(99950), "", "999.5"},
		{p(123456750), "", "1 234 567.5"},
		{p(123450), "EUR", "1 234.5 €"},
		{p(123450), "XYZ", "1 234.5 XYZ"},
		{p(10000000000), "CZK", "100 000 000 Kč"},
		{p(99900), "USD", "999 $"},
		{p(0), "GBP", "0 £"},
		{p(5), "", "0.05"},
		{p(-5), "", "-0.05"},
		{p(-123456750), "EUR", "-1 234 567.5 €"},
		{p(-100000), "JPY", "-1 000 ¥"},
	}
	for _, tt := range tests {
		if got := FormatPrice(tt.price, tt.currency, DefaultCurrencies); got != tt.want {
			t.Errorf("FormatPrice(%v, %q) = %q, want %q", tt.price, tt.currency, got, tt.want)
		}
	}
}
