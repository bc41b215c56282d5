package filter

import (
	"math"
	"math/big"
	"regexp"
	"strings"

	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
)

// Nothing is a filter value no row has: a number between two of a column's
// steps compared for equality (quantity=1.5, price=91.845).
var Nothing = nothing{}

type nothing struct{}

// decimalSyntax is Python's Decimal notation, which Django's DecimalField
// (the form field of NetBox's number filters) reads: 91.840, .5, 1e3.
var decimalSyntax = regexp.MustCompile(`^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$`)

// numberIn reads a number filter's value for a column of integers counting
// units of 10^-places (0: integers; 2: the cents prices are kept in) and
// returns the int64 to compare with, or Nothing. A value between two units
// rounds the way its lookup means (price__gte=0.001 is price__gte=0.01),
// and one beyond int64 stands at its end; equality with either matches
// nothing.
func numberIn(s, lookup string, places int) (any, bool) {
	if !decimalSyntax.MatchString(s) {
		return nil, false
	}
	plain, err := inventory.PlainDecimal(s, 0)
	if err != nil {
		return nil, false
	}
	neg := strings.HasPrefix(plain, "-")
	intPart, frac, _ := strings.Cut(strings.TrimLeft(plain, "+-"), ".")
	ranged := lookup == "gt" || lookup == "gte" || lookup == "lt" || lookup == "lte"
	if intPart = strings.TrimLeft(intPart, "0"); len(intPart) > 19 {
		// Beyond int64 whatever the fraction (and no big.Int built from a
		// megabyte of digits).
		switch {
		case !ranged:
			return Nothing, true
		case neg:
			return int64(math.MinInt64), true
		}
		return int64(math.MaxInt64), true
	}
	rest := ""
	if len(frac) > places {
		frac, rest = frac[:places], frac[places:]
	}
	n, _ := new(big.Int).SetString("0"+intPart+frac+strings.Repeat("0", places-len(frac)), 10)
	if neg {
		n.Neg(n) // truncated toward zero
	}
	if strings.Trim(rest, "0") != "" {
		switch {
		case !ranged:
			return Nothing, true
		case (lookup == "gte" || lookup == "lt") && !neg: // round up
			n.Add(n, big.NewInt(1))
		case (lookup == "gt" || lookup == "lte") && neg: // round down
			n.Sub(n, big.NewInt(1))
		}
	}
	if !n.IsInt64() {
		switch {
		case !ranged:
			return Nothing, true
		case n.Sign() > 0:
			return int64(math.MaxInt64), true
		}
		return int64(math.MinInt64), true
	}
	return n.Int64(), true
}
