package inventory

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Decimal is a decimal(N,2) amount stored as an integer number of hundredths.
type Decimal int64

// DecimalPlaces is the scale of every amount column (decimal(N,2)).
const DecimalPlaces = 2

var (
	// ErrNotANumber is DRF's invalid-input message; HTML forms may map it
	// to Django's "Enter a number." with errors.Is.
	ErrNotANumber    = errors.New("A valid number is required.")
	ErrDecimalPlaces = errors.New("Ensure that there are no more than 2 decimal places.")
)

func errMaxDigits(n int) error {
	return fmt.Errorf("Ensure that there are no more than %d digits in total.", n)
}

// ParseDecimal parses plain decimal notation ("12", "-3", "12.5", ".5",
// "+1.00"; no exponents, no separators) and validates it like DRF's
// DecimalField(max_digits=maxDigits, decimal_places=2): total digits, then
// decimal places, then whole digits. As in DRF, digits are counted as written
// apart from leading zeros, so "1.000" has 3 decimal places and is rejected.
// maxDigits <= 0 disables the digit checks; values beyond int64 cents get a
// Django-style range message.
func ParseDecimal(s string, maxDigits int) (Decimal, error) {
	s = strings.TrimSpace(s)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "" && frac == "" || !allDigits(intPart) || !allDigits(frac) {
		return 0, ErrNotANumber
	}
	// Digit counting as Python's Decimal.as_tuple(): leading zeros dropped,
	// trailing zeros kept, zero itself is one digit.
	coeff := strings.TrimLeft(intPart+frac, "0")
	if coeff == "" {
		coeff = "0"
	}
	total, places := len(coeff), len(frac)
	if places > total {
		total = places
	}
	whole := total - places
	if maxDigits > 0 {
		switch {
		case total > maxDigits:
			return 0, errMaxDigits(maxDigits)
		case places > DecimalPlaces:
			return 0, ErrDecimalPlaces
		case whole > maxDigits-DecimalPlaces:
			return 0, fmt.Errorf("Ensure that there are no more than %d digits before the decimal point.", maxDigits-DecimalPlaces)
		}
	} else if places > DecimalPlaces {
		return 0, ErrDecimalPlaces
	}
	cents := intPart + frac + strings.Repeat("0", DecimalPlaces-places)
	if neg {
		cents = "-" + cents
	}
	v, err := strconv.ParseInt(cents, 10, 64)
	if err != nil {
		// decimal(19,2) admits 17 whole digits, more than int64 cents hold.
		if neg {
			return 0, fmt.Errorf("Ensure this value is greater than or equal to %s.", Decimal(math.MinInt64))
		}
		return 0, fmt.Errorf("Ensure this value is less than or equal to %s.", Decimal(math.MaxInt64))
	}
	return Decimal(v), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// DecimalFromFloat converts a JSON number. The shortest round-trip decimal
// form is validated first (what DRF sees via str(float)); failing only on
// decimal places, a float within 1e-9 of a whole number of cents (binary
// noise such as 0.1+0.2) is rounded to that amount instead.
func DecimalFromFloat(f float64, maxDigits int) (Decimal, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, ErrNotANumber
	}
	d, err := ParseDecimal(strconv.FormatFloat(f, 'f', -1, 64), maxDigits)
	if !errors.Is(err, ErrDecimalPlaces) {
		return d, err
	}
	c := math.Round(f * 100)
	if math.Abs(f-c/100) > 1e-9 {
		return 0, err
	}
	return ParseDecimal(strconv.FormatFloat(c/100, 'f', DecimalPlaces, 64), maxDigits)
}

// String formats with exactly two decimals: "1234.50", "-0.05".
func (d Decimal) String() string {
	u := uint64(d) // two's complement keeps MinInt64 representable
	sign := ""
	if d < 0 {
		sign, u = "-", -u
	}
	return fmt.Sprintf("%s%d.%02d", sign, u/100, u%100)
}

// JSONNumber renders the amount as Python's repr(float(value)), which is what
// DRF emits with COERCE_DECIMAL_TO_STRING=False: "1000.0", "1234.5", "0.05",
// and exponent form from 1e16 up ("1e+16").
func (d Decimal) JSONNumber() string {
	f, _ := strconv.ParseFloat(d.String(), 64) // correctly rounded, like float(Decimal)
	e := strconv.FormatFloat(f, 'e', -1, 64)
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return e
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// PlainDecimal rewrites a number in exponent form ("1e2", "-1.5E+3") as
// plain digits ("100", "-1500"), as Python's Decimal reads it; digits
// after the point are kept (they count as decimal places). An exponent
// beyond any field's digits is refused without expanding it.
func PlainDecimal(s string, maxDigits int) (string, error) {
	i := strings.IndexAny(s, "eE")
	if i < 0 {
		return s, nil
	}
	mant, expText := s[:i], s[i+1:]
	sign := ""
	if mant != "" && (mant[0] == '+' || mant[0] == '-') {
		sign, mant = strings.TrimPrefix(mant[:1], "+"), mant[1:]
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	digits := expText
	if digits != "" && (digits[0] == '+' || digits[0] == '-') {
		digits = digits[1:]
	}
	if intPart+frac == "" || !allDigits(intPart) || !allDigits(frac) || digits == "" || !allDigits(digits) {
		return "", ErrNotANumber
	}
	exp := 99999 // any exponent this long is out of bounds
	if len(digits) <= 4 {
		exp, _ = strconv.Atoi(digits)
	}
	if strings.HasPrefix(expText, "-") {
		exp = -exp
	}
	switch {
	case exp > 40:
		return "", errMaxDigits(maxDigits)
	case exp < -40:
		return "", ErrDecimalPlaces
	}
	all := intPart + frac
	point := len(intPart) + exp // where the decimal point lands in all
	switch {
	case point <= 0:
		return sign + "0." + strings.Repeat("0", -point) + all, nil
	case point >= len(all):
		return sign + all + strings.Repeat("0", point-len(all)), nil
	}
	return sign + all[:point] + "." + all[point:], nil
}
