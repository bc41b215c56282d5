package auth_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/inventory-monitor/inventory-monitor/internal/auth"
	"github.com/inventory-monitor/inventory-monitor/internal/auth/authtest"
)

func TestAuthMemory(t *testing.T) {
	authtest.Run(t, authtest.NewMemory())
}

func TestUserPasswordHash(t *testing.T) {
	h, err := auth.HashPassword("s3cret password")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Count(h, "$") != 5 {
		t.Errorf("hash %q is not an argon2id PHC string", h)
	}
	h2, _ := auth.HashPassword("s3cret password")
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	for pw, want := range map[string]bool{"s3cret password": true, "s3cret passworD": false, "": false} {
		ok, err := auth.VerifyPassword(h, pw)
		if err != nil || ok != want {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	for _, bad := range []string{
		"", "plain", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=16$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=19456,t=2,p=1$!!$aGFzaGhhc2hoYXNoaGFzaA",
	} {
		if _, err := auth.VerifyPassword(bad, "x"); err == nil {
			t.Errorf("VerifyPassword accepted the malformed hash %q", bad)
		}
	}
}

func TestTokenClientIP(t *testing.T) {
	cases := []struct {
		remote, realIP, xff string
		trust               bool
		want                string
	}{
		{"192.0.2.1:1234", "", "", false, "192.0.2.1"},
		{"[2001:db8::1]:443", "", "", false, "2001:db8::1"},
		{"192.0.2.1:1234", "198.51.100.7", "203.0.113.5", false, "192.0.2.1"},
		{"192.0.2.1:1234", "198.51.100.7", "203.0.113.5", true, "198.51.100.7"},
		{"192.0.2.1:1234", "", "203.0.113.5, 10.0.0.1", true, "203.0.113.5"},
		{"192.0.2.1:1234", "garbage", "", true, "192.0.2.1"},
		{"[::ffff:192.0.2.9]:80", "", "", false, "192.0.2.9"},
		{"not an address", "", "", false, "<nil>"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/api/", nil)
		r.RemoteAddr = c.remote
		if c.realIP != "" {
			r.Header.Set("X-Real-IP", c.realIP)
		}
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := auth.ClientIP(r, c.trust).String(); got != c.want {
			t.Errorf("ClientIP(%+v) = %s, want %s", c, got, c.want)
		}
	}
}

func TestTokenNormalizeAllowedIPs(t *testing.T) {
	got, err := auth.NormalizeAllowedIPs([]string{" 10.0.0.1 ", "10.9.8.7/16", "::ffff:10.0.0.0/104", "2001:DB8::/32", ""})
	if err != nil {
		t.Fatal(err)
	}
	if want := "10.0.0.1/32,10.9.0.0/16,10.0.0.0/8,2001:db8::/32"; strings.Join(got, ",") != want {
		t.Errorf("NormalizeAllowedIPs = %v, want %s", got, want)
	}
	if _, err := auth.NormalizeAllowedIPs([]string{"10.0.0.0/33"}); err == nil {
		t.Error("accepted 10.0.0.0/33")
	}
}

func TestTokenDisplay(t *testing.T) {
	if got := (auth.Token{Version: 2, Key: "AbCdEfGhIjKl"}).Display(); got != "nbt_AbCdEfGhIjKl" {
		t.Errorf("v2 Display = %q", got)
	}
	if got := (auth.Token{Version: 1, Key: "0123abcd"}).Display(); got != "0123abcd…" {
		t.Errorf("v1 Display = %q", got)
	}
}
