package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/auth"
	"github.com/inventory-monitor/inventory-monitor/internal/version"
)

// TestTokenRules checks NetBox's token authentication: 403 (never 401)
// with NetBox's messages, v1 and v2 tokens with either keyword, expiry,
// disabled and read-only tokens.
func TestTokenRules(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		list := endpoint("assets")
		v1 := e.newToken(auth.TokenOptions{Version: 1, WriteEnabled: true})
		readOnly := e.newToken(auth.TokenOptions{Version: 2})
		readOnlyV1 := e.newToken(auth.TokenOptions{Version: 1})
		expiring := e.newToken(auth.TokenOptions{Version: 2, WriteEnabled: true, Expires: ptr(e.clock.Now().Add(time.Hour))})
		fenced := e.newToken(auth.TokenOptions{Version: 2, WriteEnabled: true, AllowedIPs: []string{"10.0.0.0/8"}})
		disabled, disabledTok, err := e.svc.CreateToken(ctx, "alice", auth.TokenOptions{Version: 2, WriteEnabled: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.svc.SetTokenEnabled(ctx, disabledTok.ID, false); err != nil {
			t.Fatal(err)
		}
		a := e.create("assets", map[string]any{"serial": "KEEP"})

		denied := func(t *testing.T, r *resp, msg string) {
			t.Helper()
			wantJSON(t, r, http.StatusForbidden, map[string]any{"detail": msg})
		}
		t.Run("NoHeader", func(t *testing.T) {
			e.t = t
			for _, m := range []string{"GET", "OPTIONS", "POST", "DELETE"} {
				denied(t, e.do(m, list, nil, noAuth()), "Authentication credentials were not provided.")
			}
			denied(t, e.do("GET", detailPath("assets", id(t, a)), nil, noAuth()), "Authentication credentials were not provided.")
			denied(t, e.do("GET", pluginAPI+"object-changes/", nil, noAuth()), "Authentication credentials were not provided.")
		})
		t.Run("UnknownKeywordIsNoCredentials", func(t *testing.T) {
			e.t = t
			denied(t, e.do("GET", list, nil, authz("Basic YWxpY2U6c2VjcmV0")), "Authentication credentials were not provided.")
		})
		t.Run("InvalidV1", func(t *testing.T) {
			e.t = t
			denied(t, e.do("GET", list, nil, authz("Token 0123456789abcdef0123456789abcdef01234567")), "Invalid v1 token")
			wrong := "0" // a last character other than the token's own
			if v1[39] == '0' {
				wrong = "1"
			}
			denied(t, e.do("GET", list, nil, authz("Token "+v1[:39]+wrong)), "Invalid v1 token")
		})
		t.Run("InvalidV2", func(t *testing.T) {
			e.t = t
			denied(t, e.do("GET", list, nil, authz("Bearer nbt_abcdefghijkl.0123456789012345678901234567890123456789")), "Invalid v2 token")
			key, _, _ := strings.Cut(e.token, ".")
			denied(t, e.do("GET", list, nil, authz("Bearer "+key+".wrongsecretwrongsecretwrongsecretwrongsec")), "Invalid v2 token")
		})
		t.Run("Expired", func(t *testing.T) {
			e.t = t
			want(t, e.do("GET", list, nil, authz("Bearer "+expiring)), http.StatusOK)
			e.clock.Add(2 * time.Hour)
			denied(t, e.do("GET", list, nil, authz("Bearer "+expiring)), "Token expired")
		})
		t.Run("Disabled", func(t *testing.T) {
			e.t = t
			denied(t, e.do("GET", list, nil, authz("Bearer "+disabled)), "Token disabled")
		})
		t.Run("SourceIPNotAllowed", func(t *testing.T) {
			e.t = t
			denied(t, e.do("GET", list, nil, authz("Bearer "+fenced)), "Source IP 127.0.0.1 is not permitted to authenticate using this token.")
		})
		t.Run("ReadOnlyTokenReadsButCannotWrite", func(t *testing.T) {
			e.t = t
			for _, tok := range []string{"Bearer " + readOnly, "Token " + readOnlyV1} {
				want(t, e.do("GET", list, nil, authz(tok)), http.StatusOK)
				want(t, e.do("GET", detailPath("assets", id(t, a)), nil, authz(tok)), http.StatusOK)
				want(t, e.do("OPTIONS", list, nil, authz(tok)), http.StatusOK)
				const msg = "You do not have permission to perform this action."
				denied(t, e.do("POST", list, map[string]any{"serial": "NEW"}, authz(tok)), msg)
				denied(t, e.do("PATCH", detailPath("assets", id(t, a)), map[string]any{"serial": "X"}, authz(tok)), msg)
				denied(t, e.do("PUT", detailPath("assets", id(t, a)), map[string]any{"serial": "X"}, authz(tok)), msg)
				denied(t, e.do("PATCH", list, []any{map[string]any{"id": id(t, a), "serial": "X"}}, authz(tok)), msg)
				denied(t, e.do("DELETE", detailPath("assets", id(t, a)), nil, authz(tok)), msg)
				denied(t, e.do("DELETE", list, []any{map[string]any{"id": id(t, a)}}, authz(tok)), msg)
			}
			diff(t, "assets untouched", []any{map[string]any{"serial": "KEEP"}}, []any{pick(e.get("assets", id(t, a)), "serial")})
			if n := e.count("assets"); n != 1 {
				t.Errorf("%d assets", n)
			}
		})
		t.Run("EitherKeywordWithEitherVersion", func(t *testing.T) {
			e.t = t
			for _, h := range []string{
				"Bearer " + e.token, "Token " + e.token, // v2 token, both keywords
				"Token " + v1, "Bearer " + v1, // v1 (40 hex), both keywords
				"bearer " + e.token, "TOKEN " + v1, // keywords are case-insensitive
			} {
				r := e.do("POST", list, map[string]any{"serial": "via " + h[:6]}, authz(h))
				if r.Status != http.StatusCreated {
					t.Errorf("Authorization %q: %s", h[:12]+"…", r)
				}
			}
		})
	})
}

func ptr[T any](v T) *T { return &v }

// TestRootAndStatusArePublic checks GET /api/ and /api/status/ without a
// token, in NetBox's shape, and the headers every /api/ response carries.
// TestRootIsPublicAndStatusNeedsLogin: the API root answers without a
// token (pynetbox's nb.version reads its API-Version header without
// sending one), the status endpoint needs one (NetBox's StatusView:
// IsAuthenticatedOrLoginNotRequired, login being required by default).
func TestRootIsPublicAndStatusNeedsLogin(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		r := e.do("GET", "/api/", nil, noAuth())
		wantJSON(t, r, http.StatusOK, map[string]any{
			"plugins": e.url("/api/plugins/"), "schema": e.url("/api/schema/"), "status": e.url("/api/status/"),
		})
		diff(t, "API-Version", version.APIVersion, r.Header.Get("API-Version"))
		diff(t, "API-Version is major.minor", 2, len(strings.Split(r.Header.Get("API-Version"), ".")))

		wantJSON(t, e.do("GET", "/api/status/", nil, noAuth()), http.StatusForbidden,
			map[string]any{"detail": "Authentication credentials were not provided."})
		r = e.do("GET", "/api/status/", nil)
		want(t, r, http.StatusOK)
		st := r.obj(t)
		diff(t, "status plugins", map[string]any{"inventory_monitor": version.Version}, st["plugins"])
		diff(t, "status netbox-version", "4.6.8", st["netbox-version"])
		for _, k := range []string{"django-version", "installed_apps", "python-version", "rq-workers-running"} {
			if _, ok := st[k]; !ok {
				t.Errorf("status has no %q: %s", k, r)
			}
		}

		// A write to the public paths still needs credentials.
		want(t, e.do("POST", "/api/status/", map[string]any{}, noAuth()), http.StatusForbidden)

		t.Run("EveryResponseHasAPIVersionAndRequestID", func(t *testing.T) {
			e.t = t
			seen := map[string]bool{}
			for _, r := range []*resp{
				e.do("GET", endpoint("assets"), nil),
				e.do("GET", endpoint("assets"), nil, noAuth()),
				e.do("GET", detailPath("assets", 99), nil),
				e.do("POST", endpoint("assets"), rawBody("{")),
				e.do("GET", pluginAPI, nil),
				e.do("GET", "/api/plugins/", nil),
				e.do("GET", endpoint("assets")[:len(endpoint("assets"))-1], nil),
				e.do("GET", "/api/nowhere/", nil),
			} {
				// doRequest already checks presence and the uuid4 form.
				rid := r.Header.Get("X-Request-ID")
				if seen[rid] {
					t.Errorf("X-Request-ID %s repeated", rid)
				}
				seen[rid] = true
				diff(t, "API-Version of "+r.Path, version.APIVersion, r.Header.Get("API-Version"))
			}
		})
		t.Run("PluginRootListsEndpoints", func(t *testing.T) {
			e.t = t
			r := e.do("GET", pluginAPI, nil)
			want(t, r, http.StatusOK)
			m := r.obj(t)
			for _, c := range entityCases() {
				diff(t, c.path, e.url(endpoint(c.path)), m[c.path])
			}
			diff(t, "plugins", map[string]any{"inventory-monitor": e.url(pluginAPI)}, e.do("GET", "/api/plugins/", nil).JSON)
		})
	})
}

// TestMissingTrailingSlashRedirects checks that a GET without the trailing
// slash answers 301 to the slash URL, keeping the query.
func TestMissingTrailingSlashRedirects(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		for _, c := range []struct{ path, location string }{
			{"/api/plugins/inventory-monitor/assets", "/api/plugins/inventory-monitor/assets/"},
			{"/api/plugins/inventory-monitor/assets?serial=A&limit=1", "/api/plugins/inventory-monitor/assets/?serial=A&limit=1"},
			{"/api/plugins/inventory-monitor/rmas/3", "/api/plugins/inventory-monitor/rmas/3/"},
			{"/api/status", "/api/status/"},
		} {
			r := e.do("GET", c.path, nil)
			if r.Status != http.StatusMovedPermanently {
				t.Errorf("want 301: %s", r)
			}
			diff(t, "Location of "+c.path, c.location, r.Header.Get("Location"))
		}
	})
}
