package main

import (
	"strings"
	"testing"
	"time"
)

func TestBaseURLMustBeAnAbsoluteHTTPURL(t *testing.T) {
	for _, c := range []struct {
		base string
		ok   bool
	}{
		{"", true},
		{"https://inventory.example.com", true},
		{"http://10.0.0.5:8080/inventory", true},
		{"inventory.example.com", false},
		{"https://inventory.example.com/x?y=1", false},
		{"https://inventory.example.com/#top", false},
		{"https://inventory.example.com?", false},
		{"https://inventory.example.com#", false},
		{"ftp://inventory.example.com", false},
		{"https://user:secret@inventory.example.com", false},
		{"https://", false},
	} {
		err := checkBaseURL(c.base)
		if (err == nil) != c.ok {
			t.Errorf("checkBaseURL(%q) = %v, want ok=%v", c.base, err, c.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "base_url") {
			t.Errorf("checkBaseURL(%q): %q does not name the config key", c.base, err)
		}
	}
}

func TestTokenExpiryRefusesDurationsBeyondTheCalendar(t *testing.T) {
	now := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		in   string
		want time.Time // zero: refused
	}{
		{"30d", now.AddDate(0, 0, 30)},
		{"12h", now.Add(12 * time.Hour)},
		{"2027-01-01", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"0d", time.Time{}},
		{"-5d", time.Time{}},
		{"99999999d", time.Time{}},
		{"soon", time.Time{}},
	} {
		got, err := parseExpiry(c.in, now)
		if c.want.IsZero() != (err != nil) || !got.Equal(c.want) {
			t.Errorf("parseExpiry(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}
