package authtest

import (
	"context"
	"errors"
	"net"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/auth"
	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
)

// Clock is a settable time source for auth.Service.Now.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var (
	v1Pattern = regexp.MustCompile(`^[0-9a-f]{40}$`)
	v2Pattern = regexp.MustCompile(`^nbt_[A-Za-z0-9]{12}\.[A-Za-z0-9]{40}$`)
	startTime = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
)

const password = "correct horse battery staple"

// Run checks the behaviour of auth.Service on repo, which must be empty.
// Every auth.Repository implementation runs it.
func Run(t *testing.T, repo auth.Repository) {
	ctx := context.Background()
	pepper, _, err := auth.EnsurePepper(ctx, repo, "")
	if err != nil {
		t.Fatal(err)
	}
	newService := func() (*auth.Service, *Clock) {
		clk := NewClock(startTime)
		s := auth.NewService(repo, pepper)
		s.Now = clk.Now
		return s, clk
	}
	svc, _ := newService()
	mustUser := func(t *testing.T, name string) auth.User {
		t.Helper()
		u, err := svc.CreateUser(ctx, name, password, false)
		if err != nil {
			t.Fatalf("CreateUser(%q): %v", name, err)
		}
		return u
	}
	mustToken := func(t *testing.T, s *auth.Service, user string, o auth.TokenOptions) (string, auth.Token) {
		t.Helper()
		pt, tok, err := s.CreateToken(ctx, user, o)
		if err != nil {
			t.Fatalf("CreateToken(%q, %+v): %v", user, o, err)
		}
		return pt, tok
	}

	t.Run("Pepper", func(t *testing.T) {
		if len(pepper) != 64 {
			t.Errorf("generated pepper has %d bytes, want 64 hex characters", len(pepper))
		}
		again, warnings, err := auth.EnsurePepper(ctx, repo, "")
		if err != nil || string(again) != string(pepper) || len(warnings) != 0 {
			t.Errorf("second EnsurePepper = %q, %v, %v; want the stored %q, no warnings", again, warnings, err, pepper)
		}
		// A short configured key still works (refusing it would lock out an
		// existing installation); it is warned about.
		short, warnings, err := auth.EnsurePepper(ctx, repo, "short")
		if err != nil || string(short) != "short" || len(warnings) == 0 || !strings.Contains(warnings[0], "use at least 16") {
			t.Errorf("a 5-character secret key: %q, %q, %v; want it, with a warning", short, warnings, err)
		}
	})

	t.Run("Users", func(t *testing.T) {
		u, err := svc.CreateUser(ctx, "alice", password, true)
		if err != nil {
			t.Fatal(err)
		}
		if u.ID == 0 || !u.IsSuperuser || !u.IsActive || u.Username != "alice" || !u.Created.Equal(startTime) {
			t.Errorf("created user = %+v", u)
		}
		if _, err := svc.CreateUser(ctx, "alice", password, false); !errors.Is(err, auth.ErrUserExists) {
			t.Errorf("duplicate username: err = %v, want ErrUserExists", err)
		}
		var verr *inventory.ValidationError
		if _, err := svc.CreateUser(ctx, "bad name", password, false); !errors.As(err, &verr) || !verr.Has("username") {
			t.Errorf("invalid username: err = %v, want a validation error on username", err)
		}
		if _, err := svc.CreateUser(ctx, "shorty", "short", false); !errors.As(err, &verr) || !verr.Has("password") {
			t.Errorf("short password: err = %v, want a validation error on password", err)
		}
		mustUser(t, "bob")
		users, err := svc.Users(ctx)
		if err != nil {
			t.Fatal(err)
		}
		names := []string{}
		for _, u := range users {
			names = append(names, u.Username)
		}
		if strings.Join(names, ",") != "alice,bob" {
			t.Errorf("Users = %v, want alice,bob", names)
		}

		_, hash, err := repo.UserByName(ctx, "alice")
		if err != nil || !strings.HasPrefix(hash, "$argon2id$v=19$m=") || strings.Contains(hash, password) {
			t.Errorf("stored hash = %q, %v; want an argon2id PHC string", hash, err)
		}
		if got, err := svc.CheckPassword(ctx, "alice", password); err != nil || got.Username != "alice" {
			t.Errorf("CheckPassword(right) = %v, %v", got, err)
		}
		if _, err := svc.CheckPassword(ctx, "alice", password+"x"); !errors.Is(err, auth.ErrInvalidCredentials) {
			t.Errorf("CheckPassword(wrong) err = %v", err)
		}
		if _, err := svc.CheckPassword(ctx, "nobody", password); !errors.Is(err, auth.ErrInvalidCredentials) {
			t.Errorf("CheckPassword(unknown user) err = %v", err)
		}
		if err := svc.SetPassword(ctx, "alice", "a new password"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CheckPassword(ctx, "alice", password); !errors.Is(err, auth.ErrInvalidCredentials) {
			t.Errorf("old password still accepted: %v", err)
		}
		if _, err := svc.CheckPassword(ctx, "alice", "a new password"); err != nil {
			t.Errorf("new password refused: %v", err)
		}
		if err := svc.SetPassword(ctx, "nobody", "a new password"); !errors.Is(err, auth.ErrUserNotFound) {
			t.Errorf("SetPassword(unknown) err = %v", err)
		}
	})

	t.Run("TokenV2RoundTrip", func(t *testing.T) {
		u := mustUser(t, "v2user")
		pt, tok := mustToken(t, svc, "v2user", auth.TokenOptions{Version: 2, WriteEnabled: true, Description: "ci"})
		if !v2Pattern.MatchString(pt) {
			t.Fatalf("v2 plaintext %q does not match %s", pt, v2Pattern)
		}
		if tok.Version != 2 || tok.Key != pt[4:16] || tok.UserID != u.ID || !tok.Enabled || !tok.WriteEnabled || tok.Description != "ci" {
			t.Errorf("token = %+v", tok)
		}
		for _, h := range []string{"Bearer " + pt, "Token " + pt, "bearer " + pt, "BEARER\t " + pt, "tOkEn " + pt} {
			id, err := svc.Authenticate(ctx, h, nil)
			if err != nil {
				t.Errorf("Authenticate(%q): %v", h, err)
				continue
			}
			if id.User.ID != u.ID || id.Token.ID != tok.ID || !id.WriteEnabled || id.Token.Version != 2 {
				t.Errorf("Authenticate(%q) = %+v", h, id)
			}
		}
	})

	t.Run("TokenV1RoundTrip", func(t *testing.T) {
		u := mustUser(t, "v1user")
		pt, tok := mustToken(t, svc, "v1user", auth.TokenOptions{Version: 1, WriteEnabled: true})
		if !v1Pattern.MatchString(pt) {
			t.Fatalf("v1 plaintext %q does not match %s", pt, v1Pattern)
		}
		if tok.Version != 1 || tok.Key != pt[:8] {
			t.Errorf("token = %+v", tok)
		}
		for _, h := range []string{"Token " + pt, "Bearer " + pt, "token " + pt, "  Token   " + pt + " "} {
			id, err := svc.Authenticate(ctx, h, nil)
			if err != nil {
				t.Errorf("Authenticate(%q): %v", h, err)
				continue
			}
			if id.User.ID != u.ID || id.Token.ID != tok.ID || id.Token.Version != 1 {
				t.Errorf("Authenticate(%q) = %+v", h, id)
			}
		}
	})

	t.Run("TokenRejections", func(t *testing.T) {
		mustUser(t, "rejuser")
		v1, _ := mustToken(t, svc, "rejuser", auth.TokenOptions{Version: 1})
		v2, _ := mustToken(t, svc, "rejuser", auth.TokenOptions{Version: 2})
		key, secret, _ := strings.Cut(strings.TrimPrefix(v2, "nbt_"), ".")
		flip := func(s string) string { // change the last character
			last := s[len(s)-1]
			if last == 'a' {
				return s[:len(s)-1] + "b"
			}
			return s[:len(s)-1] + "a"
		}
		cases := []struct{ header, want string }{
			{"", "Authentication credentials were not provided."},
			{"   ", "Authentication credentials were not provided."},
			{"Basic dXNlcjpwYXNz", "Authentication credentials were not provided."},
			{"Token", `Invalid authorization header: Must be in the form "Bearer <key>.<token>" or "Token <token>"`},
			{"Token " + v1 + " extra", `Invalid authorization header: Must be in the form "Bearer <key>.<token>" or "Token <token>"`},
			{"Token " + flip(v1), "Invalid v1 token"},
			{"Token " + strings.ToUpper(v1), "Invalid v1 token"},
			{"Token short", "Invalid v1 token"},
			{"Token " + secret, "Invalid v1 token"}, // a v2 secret is not a v1 token
			{"Bearer nbt_" + key + "." + flip(secret), "Invalid v2 token"},
			{"Bearer nbt_" + key + "." + secret + "x", "Invalid v2 token"},
			{"Bearer nbt_" + key + ".", "Invalid v2 token"},
			{"Bearer nbt_AAAAAAAAAAAA." + secret, "Invalid v2 token"},
			{"Bearer nbt_" + key + secret, "Invalid authorization header: Could not parse key from v2 token. Did you mean to use 'Token' instead of 'Bearer'?"},
			{"Bearer nbt_" + flip(key) + "." + secret, "Invalid v2 token"},
			{"Token \xff\xfe", "Invalid authorization header: Token contains invalid characters"},
		}
		for _, c := range cases {
			expectError(t, svc, c.header, nil, c.want)
		}
		if !errors.Is(mustFail(t, svc, "", nil), auth.ErrNotProvided) {
			t.Errorf("a missing header is not ErrNotProvided")
		}

		// Another pepper yields other digests: nothing authenticates.
		other := auth.NewService(repo, []byte("another pepper"))
		expectError(t, other, "Token "+v1, nil, "Invalid v1 token")
		expectError(t, other, "Bearer "+v2, nil, "Invalid v2 token")
	})

	t.Run("TokenExpired", func(t *testing.T) {
		s, clk := newService()
		mustUser(t, "expuser")
		exp := startTime.Add(time.Hour)
		v2, tok := mustToken(t, s, "expuser", auth.TokenOptions{Expires: &exp})
		v1, _ := mustToken(t, s, "expuser", auth.TokenOptions{Version: 1, Expires: &exp})
		if tok.Expires == nil || !tok.Expires.Equal(exp) {
			t.Errorf("Expires = %v, want %v", tok.Expires, exp)
		}
		if _, err := s.Authenticate(ctx, "Bearer "+v2, nil); err != nil {
			t.Errorf("before expiry: %v", err)
		}
		clk.Advance(time.Hour) // now == expires: expired (NetBox: now >= expires)
		expectError(t, s, "Bearer "+v2, nil, "Token expired")
		expectError(t, s, "Token "+v1, nil, "Token expired")
		toks, err := s.Tokens(ctx, "expuser")
		if err != nil || len(toks) != 2 || toks[0].Expires == nil || !toks[0].Expires.Equal(exp) {
			t.Errorf("Tokens = %+v, %v", toks, err)
		}

		past := clk.Now().Add(-time.Second)
		var verr *inventory.ValidationError
		if _, _, err := s.CreateToken(ctx, "expuser", auth.TokenOptions{Expires: &past}); !errors.As(err, &verr) || !verr.Has("expires") {
			t.Errorf("expiry in the past: err = %v, want a validation error on expires", err)
		}
		// A year the databases cannot read back (it broke token lists).
		far := time.Date(10240, 8, 16, 0, 0, 0, 0, time.UTC)
		if _, _, err := s.CreateToken(ctx, "expuser", auth.TokenOptions{Expires: &far}); !errors.As(err, &verr) || !verr.Has("expires") {
			t.Errorf("expiry in the year 10240: err = %v, want a validation error on expires", err)
		}
		last := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
		if _, _, err := s.CreateToken(ctx, "expuser", auth.TokenOptions{Expires: &last}); err != nil {
			t.Errorf("expiry in 9999: %v", err)
		} else if _, err := s.Tokens(ctx, "expuser"); err != nil {
			t.Errorf("tokens listed after a 9999 expiry: %v", err) // read back on both databases
		}
	})

	t.Run("TokenDisabledAndRevoked", func(t *testing.T) {
		mustUser(t, "revuser")
		v2, tok2 := mustToken(t, svc, "revuser", auth.TokenOptions{})
		v1, tok1 := mustToken(t, svc, "revuser", auth.TokenOptions{Version: 1})
		for _, id := range []int64{tok1.ID, tok2.ID} {
			if err := svc.SetTokenEnabled(ctx, id, false); err != nil {
				t.Fatal(err)
			}
		}
		expectError(t, svc, "Bearer "+v2, nil, "Token disabled")
		expectError(t, svc, "Token "+v1, nil, "Token disabled")
		if err := svc.SetTokenEnabled(ctx, tok2.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Authenticate(ctx, "Bearer "+v2, nil); err != nil {
			t.Errorf("re-enabled token: %v", err)
		}
		for _, id := range []int64{tok1.ID, tok2.ID} {
			if err := svc.RevokeToken(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		expectError(t, svc, "Bearer "+v2, nil, "Invalid v2 token")
		expectError(t, svc, "Token "+v1, nil, "Invalid v1 token")
		if err := svc.RevokeToken(ctx, tok1.ID); !errors.Is(err, auth.ErrTokenNotFound) {
			t.Errorf("revoking twice: err = %v, want ErrTokenNotFound", err)
		}
		if err := svc.SetTokenEnabled(ctx, 987654, true); !errors.Is(err, auth.ErrTokenNotFound) {
			t.Errorf("enabling an unknown token: err = %v, want ErrTokenNotFound", err)
		}
		if toks, _ := svc.Tokens(ctx, "revuser"); len(toks) != 0 {
			t.Errorf("revoked tokens still listed: %+v", toks)
		}
	})

	t.Run("TokenReadOnly", func(t *testing.T) {
		mustUser(t, "rouser")
		pt, tok := mustToken(t, svc, "rouser", auth.TokenOptions{WriteEnabled: false})
		if tok.WriteEnabled {
			t.Fatal("token created write-enabled")
		}
		id, err := svc.Authenticate(ctx, "Bearer "+pt, nil)
		if err != nil {
			t.Fatal(err)
		}
		if id.WriteEnabled || id.Token.WriteEnabled {
			t.Errorf("identity of a read-only token is write-enabled: %+v", id)
		}
		for m, want := range map[string]bool{"GET": true, "HEAD": true, "OPTIONS": true, "POST": false, "PUT": false, "PATCH": false, "DELETE": false} {
			if id.Allows(m) != want {
				t.Errorf("read-only Allows(%s) = %v", m, !want)
			}
		}
		wpt, _ := mustToken(t, svc, "rouser", auth.TokenOptions{Version: 1, WriteEnabled: true})
		wid, err := svc.Authenticate(ctx, "Token "+wpt, nil)
		if err != nil || !wid.WriteEnabled || !wid.Allows("DELETE") {
			t.Errorf("write token: %+v, %v", wid, err)
		}
	})

	t.Run("TokenAllowedIPs", func(t *testing.T) {
		mustUser(t, "ipuser")
		pt, tok := mustToken(t, svc, "ipuser", auth.TokenOptions{AllowedIPs: []string{"192.0.2.0/24", "2001:db8::/32", "198.51.100.9", "10.1.2.3/8"}})
		want := "192.0.2.0/24,2001:db8::/32,198.51.100.9/32,10.0.0.0/8"
		if strings.Join(tok.AllowedIPs, ",") != want {
			t.Errorf("AllowedIPs = %v, want %s", tok.AllowedIPs, want)
		}
		toks, err := svc.Tokens(ctx, "ipuser")
		if err != nil || len(toks) != 1 || strings.Join(toks[0].AllowedIPs, ",") != want {
			t.Errorf("stored AllowedIPs = %+v, %v", toks, err)
		}
		for _, ip := range []string{"192.0.2.7", "::ffff:192.0.2.7", "2001:db8:1::5", "198.51.100.9", "10.200.0.1"} {
			if _, err := svc.Authenticate(ctx, "Bearer "+pt, net.ParseIP(ip)); err != nil {
				t.Errorf("from %s: %v", ip, err)
			}
		}
		expectError(t, svc, "Bearer "+pt, net.ParseIP("198.51.100.1"), "Source IP 198.51.100.1 is not permitted to authenticate using this token.")
		expectError(t, svc, "Bearer "+pt, net.ParseIP("2001:db9::1"), "Source IP 2001:db9::1 is not permitted to authenticate using this token.")
		expectError(t, svc, "Bearer "+pt, nil, "Client IP address could not be determined for validation. Check that the HTTP server is correctly configured to pass the required header(s).")

		var verr *inventory.ValidationError
		if _, _, err := svc.CreateToken(ctx, "ipuser", auth.TokenOptions{AllowedIPs: []string{"300.1.1.1/8"}}); !errors.As(err, &verr) || !verr.Has("allowed_ips") {
			t.Errorf("invalid CIDR: err = %v, want a validation error on allowed_ips", err)
		}
	})

	t.Run("TokenInactiveUser", func(t *testing.T) {
		mustUser(t, "gone")
		pt, _ := mustToken(t, svc, "gone", auth.TokenOptions{})
		if err := svc.SetUserActive(ctx, "gone", false); err != nil {
			t.Fatal(err)
		}
		expectError(t, svc, "Bearer "+pt, nil, "User inactive")
		if _, err := svc.CheckPassword(ctx, "gone", password); !errors.Is(err, auth.ErrUserInactive) {
			t.Errorf("CheckPassword of an inactive user: err = %v, want ErrUserInactive", err)
		}
		if err := svc.SetUserActive(ctx, "gone", true); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Authenticate(ctx, "Bearer "+pt, nil); err != nil {
			t.Errorf("reactivated user: %v", err)
		}
	})

	t.Run("TokenCacheLagsOnlyForOtherProcessesChangesAndKeepsEveryCheck", func(t *testing.T) {
		cached, clk := newService()
		cached.TokenCacheTTL = time.Second
		other, _ := newService() // the CLI or another instance
		mustUser(t, "cacheuser")
		v2, tok2 := mustToken(t, other, "cacheuser", auth.TokenOptions{})
		v1, tok1 := mustToken(t, other, "cacheuser", auth.TokenOptions{Version: 1})
		authenticate := func(header string) {
			t.Helper()
			if _, err := cached.Authenticate(ctx, header, nil); err != nil {
				t.Fatalf("Authenticate(%q): %v", header, err)
			}
		}
		authenticate("Bearer " + v2)
		authenticate("Token " + v1)

		// Changed elsewhere: accepted until the cached records are a TTL old.
		if err := other.SetTokenEnabled(ctx, tok2.ID, false); err != nil {
			t.Fatal(err)
		}
		if err := other.RevokeToken(ctx, tok1.ID); err != nil {
			t.Fatal(err)
		}
		clk.Advance(999 * time.Millisecond)
		authenticate("Bearer " + v2)
		authenticate("Token " + v1)
		// The secret is still checked against the cached record.
		key, _, _ := strings.Cut(strings.TrimPrefix(v2, auth.TokenPrefix), ".")
		expectError(t, cached, "Bearer "+auth.TokenPrefix+key+"."+strings.Repeat("x", auth.V2SecretLength), nil, "Invalid v2 token")
		clk.Advance(time.Millisecond)
		expectError(t, cached, "Bearer "+v2, nil, "Token disabled")
		expectError(t, cached, "Token "+v1, nil, "Invalid v1 token")

		// Changed through the same service: refused at once.
		if err := cached.SetTokenEnabled(ctx, tok2.ID, true); err != nil {
			t.Fatal(err)
		}
		authenticate("Bearer " + v2)
		if err := cached.SetUserActive(ctx, "cacheuser", false); err != nil {
			t.Fatal(err)
		}
		expectError(t, cached, "Bearer "+v2, nil, "User inactive")
		if err := cached.SetUserActive(ctx, "cacheuser", true); err != nil {
			t.Fatal(err)
		}
		authenticate("Bearer " + v2)
		if err := cached.RevokeToken(ctx, tok2.ID); err != nil {
			t.Fatal(err)
		}
		expectError(t, cached, "Bearer "+v2, nil, "Invalid v2 token")

		// Expiry is checked on every request, cached or not.
		soon := clk.Now().Add(500 * time.Millisecond)
		v2soon, _ := mustToken(t, other, "cacheuser", auth.TokenOptions{Expires: &soon})
		authenticate("Bearer " + v2soon)
		clk.Advance(500 * time.Millisecond)
		expectError(t, cached, "Bearer "+v2soon, nil, "Token expired")
	})

	t.Run("TokenLastUsed", func(t *testing.T) {
		s, clk := newService()
		mustUser(t, "lastuser")
		pt, tok := mustToken(t, s, "lastuser", auth.TokenOptions{})
		lastUsed := func() *time.Time {
			toks, err := s.Tokens(ctx, "lastuser")
			if err != nil || len(toks) != 1 {
				t.Fatalf("Tokens = %+v, %v", toks, err)
			}
			return toks[0].LastUsed
		}
		if tok.LastUsed != nil || lastUsed() != nil {
			t.Fatal("a new token has last_used set")
		}
		t0 := clk.Now()
		id, err := s.Authenticate(ctx, "Bearer "+pt, nil)
		if err != nil {
			t.Fatal(err)
		}
		if id.Token.LastUsed == nil || !id.Token.LastUsed.Equal(t0) {
			t.Errorf("identity LastUsed = %v, want %v", id.Token.LastUsed, t0)
		}
		if lu := lastUsed(); lu == nil || !lu.Equal(t0) {
			t.Errorf("stored last_used = %v, want %v", lu, t0)
		}
		clk.Advance(30 * time.Second)
		if _, err := s.Authenticate(ctx, "Bearer "+pt, nil); err != nil {
			t.Fatal(err)
		}
		if lu := lastUsed(); lu == nil || !lu.Equal(t0) {
			t.Errorf("last_used rewritten within a minute: %v, want %v", lu, t0)
		}
		// A second service (another process) sees the stored value too.
		s2 := auth.NewService(repo, pepper)
		s2.Now = clk.Now
		if _, err := s2.Authenticate(ctx, "Bearer "+pt, nil); err != nil {
			t.Fatal(err)
		}
		if lu := lastUsed(); lu == nil || !lu.Equal(t0) {
			t.Errorf("last_used rewritten within a minute by another service: %v", lu)
		}
		clk.Advance(31 * time.Second)
		if _, err := s.Authenticate(ctx, "Bearer "+pt, nil); err != nil {
			t.Fatal(err)
		}
		if lu := lastUsed(); lu == nil || !lu.Equal(clk.Now()) {
			t.Errorf("last_used after 61 s = %v, want %v", lu, clk.Now())
		}
	})

	t.Run("TokenListing", func(t *testing.T) {
		mustUser(t, "lister")
		_, a := mustToken(t, svc, "lister", auth.TokenOptions{Description: "first"})
		_, b := mustToken(t, svc, "lister", auth.TokenOptions{Version: 1, WriteEnabled: true})
		toks, err := svc.Tokens(ctx, "lister")
		if err != nil {
			t.Fatal(err)
		}
		if len(toks) != 2 || toks[0].ID != a.ID || toks[1].ID != b.ID {
			t.Fatalf("Tokens(lister) = %+v", toks)
		}
		got := toks[0]
		if got.Username != "lister" || got.Description != "first" || got.Key != a.Key || got.Version != 2 ||
			got.WriteEnabled || !got.Enabled || !got.Created.Equal(a.Created) || got.Expires != nil {
			t.Errorf("listed token = %+v, created %+v", got, a)
		}
		if toks[1].Key != b.Key || toks[1].Version != 1 || !toks[1].WriteEnabled {
			t.Errorf("listed v1 token = %+v", toks[1])
		}
		all, err := svc.Tokens(ctx, "")
		if err != nil || len(all) <= 2 {
			t.Errorf("Tokens(all) = %d tokens, %v", len(all), err)
		}
		for i := 1; i < len(all); i++ {
			if all[i-1].ID >= all[i].ID {
				t.Errorf("Tokens(all) not ordered by id")
			}
		}
		if _, err := svc.Tokens(ctx, "nobody"); !errors.Is(err, auth.ErrUserNotFound) {
			t.Errorf("Tokens(unknown user) err = %v", err)
		}
		if _, _, err := svc.CreateToken(ctx, "nobody", auth.TokenOptions{}); !errors.Is(err, auth.ErrUserNotFound) {
			t.Errorf("CreateToken(unknown user) err = %v", err)
		}
	})

	t.Run("TokenRepositoryConstraints", func(t *testing.T) {
		u := mustUser(t, "constraints")
		base := auth.Token{UserID: u.ID, Version: 2, Key: "AAAAAAAAAAAA", Enabled: true, Created: startTime}
		if _, err := repo.CreateToken(ctx, base, strings.Repeat("1", 64)); err != nil {
			t.Fatal(err)
		}
		if _, err := repo.CreateToken(ctx, base, strings.Repeat("2", 64)); !errors.Is(err, auth.ErrDuplicateToken) {
			t.Errorf("duplicate v2 key: err = %v, want ErrDuplicateToken", err)
		}
		other := base
		other.Key = "BBBBBBBBBBBB"
		if _, err := repo.CreateToken(ctx, other, strings.Repeat("1", 64)); !errors.Is(err, auth.ErrDuplicateToken) {
			t.Errorf("duplicate digest: err = %v, want ErrDuplicateToken", err)
		}
		v1 := base
		v1.Version = 1
		v1.Key = "abcdef01"
		for i, d := range []string{"3", "4"} { // v1 display prefixes need not be unique
			if _, err := repo.CreateToken(ctx, v1, strings.Repeat(d, 64)); err != nil {
				t.Errorf("v1 token %d with a repeated display prefix: %v", i, err)
			}
		}
		orphan := base
		orphan.UserID = 987654
		orphan.Key = "CCCCCCCCCCCC"
		if _, err := repo.CreateToken(ctx, orphan, strings.Repeat("5", 64)); !errors.Is(err, auth.ErrUserNotFound) {
			t.Errorf("token of an unknown user: err = %v, want ErrUserNotFound", err)
		}
	})
	t.Run("ChangedSecretKeyIsReported", func(t *testing.T) {
		// Only a token records the key in use: then another key is
		// reported (its tokens would be refused), the same one is not, and
		// reading the key writes nothing (no warning flips back and forth).
		mustUser(t, "pepperuser")
		mustToken(t, svc, "pepperuser", auth.TokenOptions{})
		const other = "another-secret-key-of-some-length"
		for i := 0; i < 2; i++ {
			if _, warnings, _ := auth.EnsurePepper(ctx, repo, other); !slices.Contains(warnings, auth.PepperChangedWarning) {
				t.Errorf("a key other than the tokens': warnings %q, want the changed-key one", warnings)
			}
			if _, warnings, _ := auth.EnsurePepper(ctx, repo, ""); len(warnings) != 0 {
				t.Errorf("the tokens' key: warnings %q, want none", warnings)
			}
		}
	})
}

func mustFail(t *testing.T, s *auth.Service, header string, ip net.IP) error {
	t.Helper()
	id, err := s.Authenticate(context.Background(), header, ip)
	if err == nil {
		t.Fatalf("Authenticate(%q) succeeded as %+v", header, id)
	}
	return err
}

func expectError(t *testing.T, s *auth.Service, header string, ip net.IP, want string) {
	t.Helper()
	err := mustFail(t, s, header, ip)
	var ae *auth.Error
	if !errors.As(err, &ae) {
		t.Errorf("Authenticate(%q): err = %v (%T), want *auth.Error", header, err, err)
		return
	}
	if ae.Message != want {
		t.Errorf("Authenticate(%q) = %q, want %q", header, ae.Message, want)
	}
}
