package inventory

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		in      string
		max     int
		want    Decimal
		wantErr string
	}{
		{"12", 19, 1200, ""},
		{"12.5", 19, 1250, ""},
		{"12.50", 19, 1250, ""},
		{"-3", 19, -300, ""},
		{"-0.05", 19, -5, ""},
		{"0", 19, 0, ""},
		{"-0", 19, 0, ""},
		{"0.00", 19, 0, ""},
		{"+1.00", 19, 100, ""},
		{".5", 19, 50, ""},
		{"5.", 19, 500, ""},
		{"007.10", 19, 710, ""},
		{" 7 ", 19, 700, ""},
		{"12345678901234567.89", 19, 1234567890123456789, ""},
		{"-92233720368547758.08", 19, math.MinInt64, ""},
		{"123.45", 5, 12345, ""},
		// Not plain decimal notation.
		{"1e3", 19, 0, ErrNotANumber.Error()},
		{"", 19, 0, ErrNotANumber.Error()},
		{"-", 19, 0, ErrNotANumber.Error()},
		{".", 19, 0, ErrNotANumber.Error()},
		{"--1", 19, 0, ErrNotANumber.Error()},
		{"1.2.3", 19, 0, ErrNotANumber.Error()},
		{"1,5", 19, 0, ErrNotANumber.Error()},
		{"1 000", 19, 0, ErrNotANumber.Error()},
		{"1_000", 19, 0, ErrNotANumber.Error()},
		{"NaN", 19, 0, ErrNotANumber.Error()},
		{"Infinity", 19, 0, ErrNotANumber.Error()},
		{"0x10", 19, 0, ErrNotANumber.Error()},
		// Decimal places count trailing zeros, as DRF does.
		{"1.234", 19, 0, "Ensure that there are no more than 2 decimal places."},
		{"1.000", 19, 0, "Ensure that there are no more than 2 decimal places."},
		{"0.001", 19, 0, "Ensure that there are no more than 2 decimal places."},
		{"1.234", 0, 0, "Ensure that there are no more than 2 decimal places."},
		// DRF order: total digits, then decimal places, then whole digits.
		{"12345678901234567890", 19, 0, "Ensure that there are no more than 19 digits in total."},
		{"123.456", 5, 0, "Ensure that there are no more than 5 digits in total."},
		{"1234.5", 5, 0, "Ensure that there are no more than 3 digits before the decimal point."},
		{"123456789012345678", 19, 0, "Ensure that there are no more than 17 digits before the decimal point."},
		// decimal(19,2) admits values beyond int64 cents.
		{"92233720368547758.08", 19, 0, "Ensure this value is less than or equal to 92233720368547758.07."},
		{"-92233720368547758.09", 19, 0, "Ensure this value is greater than or equal to -92233720368547758.08."},
		{"99999999999999999999999", 0, 0, "Ensure this value is less than or equal to 92233720368547758.07."},
	}
	for _, tt := range tests {
		got, err := ParseDecimal(tt.in, tt.max)
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if got != tt.want || gotErr != tt.wantErr {
			t.Errorf("ParseDecimal(%q, %d) = %d, %q; want %d, %q", tt.in, tt.max, got, gotErr, tt.want, tt.wantErr)
		}
	}
}

func TestParseDecimalErrorsAreMatchable(t *testing.T) {
	if _, err := ParseDecimal("x", 19); !errors.Is(err, ErrNotANumber) {
		t.Errorf("invalid input: err = %v, want ErrNotANumber", err)
	}
	if _, err := ParseDecimal("1.001", 19); !errors.Is(err, ErrDecimalPlaces) {
		t.Errorf("three places: err = %v, want ErrDecimalPlaces", err)
	}
}

func TestDecimalFromFloat(t *testing.T) {
	tests := []struct {
		in      float64
		want    Decimal
		wantErr string
	}{
		{12.5, 1250, ""},
		{12, 1200, ""},
		{1e3, 100000, ""},
		{-0.05, -5, ""},
		{0.07, 7, ""},
		{0.1 + 0.2, 30, ""}, // binary noise within 1e-9 of a cent value
		{12345678901234.57, 1234567890123457, ""},
		{12.345, 0, "Ensure that there are no more than 2 decimal places."},
		{0.001, 0, "Ensure that there are no more than 2 decimal places."},
		{1e20, 0, "Ensure that there are no more than 19 digits in total."},
		{math.NaN(), 0, ErrNotANumber.Error()},
		{math.Inf(1), 0, ErrNotANumber.Error()},
	}
	for _, tt := range tests {
		got, err := DecimalFromFloat(tt.in, 19)
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if got != tt.want || gotErr != tt.wantErr {
			t.Errorf("DecimalFromFloat(%v) = %d, %q; want %d, %q", tt.in, got, gotErr, tt.want, tt.wantErr)
		}
	}
}

func TestDecimalStringHasExactlyTwoPlaces(t *testing.T) {
	tests := []struct {
		in   Decimal
		want string
	}{
		{0, "0.00"}, {5, "0.05"}, {-5, "-0.05"}, {-100, "-1.00"}, {123450, "1234.50"},
		{math.MaxInt64, "92233720368547758.07"}, {math.MinInt64, "-92233720368547758.08"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("Decimal(%d).String() = %q, want %q", int64(tt.in), got, tt.want)
		}
		if back, err := ParseDecimal(tt.in.String(), 19); err != nil || back != tt.in {
			t.Errorf("round trip of %q = %d, %v", tt.want, back, err)
		}
	}
}

// Expected values are Python's repr(float(Decimal(s))).
func TestJSONNumberMatchesPythonFloatRepr(t *testing.T) {
	tests := []struct {
		in   Decimal
		want string
	}{
		{100000, "1000.0"},
		{123450, "1234.5"},
		{5, "0.05"},
		{1, "0.01"},
		{10, "0.1"},
		{0, "0.0"},
		{-5, "-0.05"},
		{123456789012345678, "1234567890123456.8"},
		{1000000000000000000, "1e+16"},
		{999999999999999999, "1e+16"},
		{1234567890123456789, "1.2345678901234568e+16"},
		{math.MaxInt64, "9.223372036854776e+16"},
		{math.MinInt64, "-9.223372036854776e+16"},
	}
	for _, tt := range tests {
		if got := tt.in.JSONNumber(); got != tt.want {
			t.Errorf("Decimal(%d).JSONNumber() = %q, want %q", int64(tt.in), got, tt.want)
		}
	}
}

func TestPlainDecimalRewritesExponentFormAsPythonsDecimalReadsIt(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		err      error
	}{
		{"1e2", "100", nil},
		{"-1.5E+3", "-1500", nil},
		{"+2.50e1", "25.0", nil},
		{"1.2340e1", "12.340", nil},
		{"5e-1", "0.5", nil},
		{"1e-3", "0.001", nil},
		{".5e1", "5", nil},
		{"0e0", "0", nil},
		{"12", "12", nil},
		{"1e41", "", errMaxDigits(19)},
		{"1e-41", "", ErrDecimalPlaces},
		{"1e99999999999", "", errMaxDigits(19)},
		{"1e-99999999999", "", ErrDecimalPlaces},
		{"0x1e5", "", ErrNotANumber},
		{"0b1e1", "", ErrNotANumber},
		{"1_0e1", "", ErrNotANumber},
		{"e5", "", ErrNotANumber},
		{"1e", "", ErrNotANumber},
		{"1e+-2", "", ErrNotANumber},
		{"1.2.3e1", "", ErrNotANumber},
	} {
		got, err := PlainDecimal(tt.in, 19)
		if got != tt.want || fmt.Sprint(err) != fmt.Sprint(tt.err) {
			t.Errorf("PlainDecimal(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}
