package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/kong"
	"github.com/inventory-monitor/inventory-monitor/internal/auth"
	"github.com/inventory-monitor/inventory-monitor/internal/config"
	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store/sqlstore"
)

func TestHandlerRefusesCrossOriginWritesAsJSONAndRedirectsAPIRoot(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "t.db")
	st, err := sqlstore.Open(ctx, db, sqlstore.Options{Settings: config.DefaultSettings()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	g := &Globals{Database: db, file: config.File{Settings: config.DefaultSettings()}}
	h, err := newHandler(ctx, g, &ServeCmd{}, st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	post := func(headers map[string]string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", "http://inventory.example/api/plugins/inventory-monitor/asset-types/", strings.NewReader(`{"name":"T","slug":"t"}`))
		for k, v := range headers {
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	// A form posted from another site: refused before authentication, as
	// a JSON 403 with the API's headers, and nothing written.
	for _, headers := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
		{"Origin": "https://evil.example"}, // an older browser: no Sec-Fetch-Site
	} {
		w := post(headers)
		var body map[string]string
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || w.Code != http.StatusForbidden ||
			!strings.HasPrefix(body["detail"], "CSRF Failed: cross-origin request") ||
			w.Header().Get("Content-Type") != "application/json" || w.Header().Get("API-Version") == "" || w.Header().Get("X-Request-ID") == "" {
			t.Errorf("cross-origin POST %v: %d %q %v, want the API's JSON 403", headers, w.Code, w.Body, w.Header())
		}
	}
	if page, err := st.List(ctx, schema.Inventory.Entity(schema.AssetTypeName), filter.Query{}); err != nil || len(page.Records) != 0 {
		t.Errorf("asset types after refused posts: %d, %v; want none", len(page.Records), err)
	}
	// The same site's form passes the check (and meets authentication).
	if w := post(map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://inventory.example"}); w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "Authentication credentials") {
		t.Errorf("same-origin POST: %d %q, want the authentication 403", w.Code, w.Body)
	}
	// /api without its slash is redirected by the API itself, with its headers.
	r := httptest.NewRequest("GET", "http://inventory.example/api", nil)
	rw := httptest.NewRecorder()
	h.ServeHTTP(rw, r)
	if rw.Code != http.StatusMovedPermanently || rw.Header().Get("Location") != "/api/" || rw.Header().Get("API-Version") == "" {
		t.Errorf("GET /api: %d to %q (API-Version %q), want the API's 301 to /api/", rw.Code, rw.Header().Get("Location"), rw.Header().Get("API-Version"))
	}
	// An API client (no browser headers) reaches the API, which asks for a token.
	w := post(nil)
	if w.Code != http.StatusForbidden || w.Header().Get("API-Version") == "" || !strings.Contains(w.Body.String(), "Authentication credentials") {
		t.Errorf("API client POST: %d %q, want the API's own 403", w.Code, w.Body)
	}
}

func TestServeTokenCacheFlagDecidesWhetherAnotherProcesssRevocationLags(t *testing.T) {
	var cli CLI
	parser, err := kong.New(&cli)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parser.Parse([]string{"serve"}); err != nil {
		t.Fatal(err)
	}
	if cli.Serve.TokenCache != auth.DefaultTokenCacheTTL {
		t.Errorf("serve --token-cache defaults to %v, want %v", cli.Serve.TokenCache, auth.DefaultTokenCacheTTL)
	}
	for _, c := range []struct {
		ttl       time.Duration
		afterCode int
	}{
		{time.Hour, http.StatusOK}, // the cached record is reused: the flag reached the service
		{0, http.StatusForbidden},  // read on every request: refused at once
	} {
		ctx := context.Background()
		db := filepath.Join(t.TempDir(), "t.db")
		g := &Globals{Database: db, file: config.File{Settings: config.DefaultSettings()}}
		st, err := g.openStore(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		h, err := newHandler(ctx, g, &ServeCmd{TokenCache: c.ttl}, st, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		cliSvc, cliStore, err := g.openAuth(ctx) // the token command: another process
		if err != nil {
			t.Fatal(err)
		}
		token, tok, err := cliSvc.CreateToken(ctx, "admin", auth.TokenOptions{Version: 2})
		cliStore.Close()
		if err != nil {
			t.Fatal(err)
		}
		get := func() int {
			r := httptest.NewRequest("GET", "http://inventory.example/api/plugins/inventory-monitor/asset-types/", nil)
			r.Header.Set("Authorization", "Bearer "+token)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			return w.Code
		}
		if code := get(); code != http.StatusOK {
			t.Fatalf("--token-cache %v: GET with a new token answered %d", c.ttl, code)
		}
		if err := (&TokenRevokeCmd{ID: tok.ID}).Run(g, ctx); err != nil {
			t.Fatal(err)
		}
		if code := get(); code != c.afterCode {
			t.Errorf("--token-cache %v: GET right after token revoke answered %d, want %d", c.ttl, code, c.afterCode)
		}
	}
}
