package api_test

// Shared harness of the REST API tests: every test runs an httptest.Server
// wrapping the real api.Server over a real sqlstore, on SQLite (a temp
// file) and on PostgreSQL (a fresh copy of a migrated template database),
// and sends its requests through one helper (env.do) that authenticates,
// decodes JSON and checks every response against the OpenAPI document.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/inventory-monitor/inventory-monitor/internal/api"
	"github.com/inventory-monitor/inventory-monitor/internal/auth"
	"github.com/inventory-monitor/inventory-monitor/internal/config"
	"github.com/inventory-monitor/inventory-monitor/internal/pgtest"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store/sqlstore"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}

// dialects are the databases every test runs on.
var dialects = []string{"sqlite", "postgres"}

// storeNow is the store clock: created/last_updated and change-log times.
var storeNow = time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)

const pluginAPI = "/api/plugins/inventory-monitor/"

// migratedPGTemplate returns a migrated PostgreSQL database that tests copy.
func migratedPGTemplate(t testing.TB) string {
	t.Helper()
	return pgtest.SharedTemplate(t, "migrated", func(dsn string) error {
		st, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
		if err != nil {
			return err
		}
		return st.Close()
	})
}

// sqliteTemplate is a migrated SQLite file copied by every test.
var sqliteTemplate struct {
	once sync.Once
	data []byte
	err  error
}

func sqliteDSN(t testing.TB) string {
	t.Helper()
	sqliteTemplate.once.Do(func() {
		dir, err := os.MkdirTemp("", "invmon-api-template-")
		if err != nil {
			sqliteTemplate.err = err
			return
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, "template.db")
		st, err := sqlstore.Open(context.Background(), path, sqlstore.Options{})
		if err != nil {
			sqliteTemplate.err = err
			return
		}
		if _, err := st.DB().Exec("VACUUM"); err != nil { // folds the WAL into the file
			sqliteTemplate.err = err
		}
		st.Close()
		sqliteTemplate.data, err = os.ReadFile(path)
		if sqliteTemplate.err == nil {
			sqliteTemplate.err = err
		}
	})
	if sqliteTemplate.err != nil {
		t.Fatalf("migrated SQLite template: %v", sqliteTemplate.err)
	}
	path := filepath.Join(t.TempDir(), "inventory.db")
	if err := os.WriteFile(path, sqliteTemplate.data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// testClock is the auth service's clock; tests move it to expire tokens.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// env is one API server over one fresh database. Its helpers report to
// e.t: subtests that share an env set e.t = t first (they run
// sequentially within one env).
type env struct {
	t       testing.TB
	dialect string
	srv     *httptest.Server
	st      *sqlstore.Store
	svc     *auth.Service
	clock   *testClock
	user    auth.User
	// token is a write-enabled v2 token of user "alice"; requests use it
	// unless told otherwise.
	token string
}

type envOption func(*api.Options)

// withOptions adjusts the api.Options of an env (BaseURL, MaxBodyBytes, ...).
func withOptions(f func(*api.Options)) envOption { return envOption(f) }

func newEnv(t testing.TB, dialect string, opts ...envOption) *env {
	t.Helper()
	ctx := context.Background()
	var dsn string
	switch dialect {
	case "sqlite":
		dsn = sqliteDSN(t)
	case "postgres":
		dsn = pgtest.NewDatabase(t, migratedPGTemplate(t))
	default:
		t.Fatalf("unknown dialect %q", dialect)
	}
	st, err := sqlstore.Open(ctx, dsn, sqlstore.Options{Settings: config.DefaultSettings(), Now: func() time.Time { return storeNow }})
	if err != nil {
		t.Fatalf("open %s store: %v", dialect, err)
	}
	t.Cleanup(func() { st.Close() })
	pepper, _, err := auth.EnsurePepper(ctx, st, "")
	if err != nil {
		t.Fatal(err)
	}
	clock := &testClock{now: time.Now().UTC()}
	svc := auth.NewService(st, pepper)
	svc.Now = clock.Now
	user, err := svc.CreateUser(ctx, "alice", "correct horse battery", true)
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := svc.CreateToken(ctx, "alice", auth.TokenOptions{Version: 2, WriteEnabled: true})
	if err != nil {
		t.Fatal(err)
	}
	o := api.Options{
		Store:         st,
		Auth:          api.TokenAuth(svc, false),
		Settings:      config.DefaultSettings(),
		LoginRequired: true,
	}
	for _, f := range opts {
		f(&o)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", api.New(o))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &env{t: t, dialect: dialect, srv: srv, st: st, svc: svc, clock: clock, user: user, token: token}
}

// forEachDialect runs fn on a fresh env per database, in parallel.
func forEachDialect(t *testing.T, fn func(t *testing.T, e *env), opts ...envOption) {
	t.Helper()
	for _, d := range dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, d, opts...)
			e.t = t
			fn(t, e)
		})
	}
}

// newToken issues another token for alice.
func (e *env) newToken(opts auth.TokenOptions) string {
	e.t.Helper()
	tok, _, err := e.svc.CreateToken(context.Background(), "alice", opts)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// --- the request helper ---

// reqOpt adjusts one request.
type reqOpt func(*http.Request)

// authz sends this Authorization header value instead of
// "Bearer <e.token>" ("" sends none).
func authz(value string) reqOpt {
	return func(r *http.Request) {
		if value == "" {
			r.Header.Del("Authorization")
		} else {
			r.Header.Set("Authorization", value)
		}
	}
}

func noAuth() reqOpt { return authz("") }

func header(k, v string) reqOpt { return func(r *http.Request) { r.Header.Set(k, v) } }

// rawBody marks a request body that is sent as is, not JSON-encoded.
type rawBody string

// resp is a decoded response.
type resp struct {
	Method, Path string
	Status       int
	Header       http.Header
	Body         []byte
	JSON         any // decoded body; nil when empty
}

func (r *resp) String() string {
	b := r.Body
	if len(b) > 2000 {
		b = append(b[:2000:2000], "…"...)
	}
	return fmt.Sprintf("%s %s → %d %s", r.Method, r.Path, r.Status, b)
}

// obj is the body as an object (fails the test otherwise).
func (r *resp) obj(t testing.TB) map[string]any {
	t.Helper()
	m, ok := r.JSON.(map[string]any)
	if !ok {
		t.Fatalf("want a JSON object: %s", r)
	}
	return m
}

// list is the body as a JSON array.
func (r *resp) list(t testing.TB) []any {
	t.Helper()
	l, ok := r.JSON.([]any)
	if !ok {
		t.Fatalf("want a JSON array: %s", r)
	}
	return l
}

// results are the results of a paginated list body.
func (r *resp) results(t testing.TB) []map[string]any {
	t.Helper()
	m := r.obj(t)
	l, ok := m["results"].([]any)
	if !ok {
		t.Fatalf("no results list: %s", r)
	}
	out := make([]map[string]any, len(l))
	for i, v := range l {
		out[i], ok = v.(map[string]any)
		if !ok {
			t.Fatalf("result %d is not an object: %s", i, r)
		}
	}
	return out
}

// do sends one request to the test server and decodes the answer. path is
// relative to the server ("/api/..."); body is JSON-encoded unless it is a
// rawBody (nil: no body). Every response is checked against the OpenAPI
// document and must carry API-Version and a uuid4 X-Request-ID.
func (e *env) do(method, path string, body any, opts ...reqOpt) *resp {
	e.t.Helper()
	return doRequest(e.t, e.srv, e.token, method, path, body, opts...)
}

func doRequest(t testing.TB, srv *httptest.Server, token, method, path string, body any, opts ...reqOpt) *resp {
	t.Helper()
	var rd io.Reader
	var raw []byte
	switch b := body.(type) {
	case nil:
	case rawBody:
		raw = []byte(b)
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			t.Fatalf("encode body: %v", err)
		}
	}
	if raw != nil {
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for _, o := range opts {
		o(req)
	}
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	hr, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer hr.Body.Close()
	data, err := io.ReadAll(hr.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	r := &resp{Method: method, Path: path, Status: hr.StatusCode, Header: hr.Header, Body: data}
	if len(bytes.TrimSpace(data)) > 0 && strings.HasPrefix(hr.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(data, &r.JSON); err != nil {
			t.Errorf("%s %s: response is not JSON (%v): %s", method, path, err, data)
		}
	}
	if hr.StatusCode >= 500 {
		t.Errorf("server error: %s", r)
	}
	if strings.HasPrefix(path, "/api/") {
		if v := hr.Header.Get("API-Version"); v == "" {
			t.Errorf("%s %s: no API-Version header", method, path)
		}
		if id := hr.Header.Get("X-Request-ID"); !isUUID4(id) {
			t.Errorf("%s %s: X-Request-ID %q is not a uuid4", method, path, id)
		}
		// JSON answers are sent whole, with their length (not chunked).
		if method != http.MethodHead && strings.HasPrefix(hr.Header.Get("Content-Type"), "application/json") && hr.ContentLength != int64(len(data)) {
			t.Errorf("%s %s: Content-Length %d for a %d-byte JSON body", method, path, hr.ContentLength, len(data))
		}
	}
	validateAgainstOpenAPI(t, req, hr.StatusCode, hr.Header, data)
	return r
}

// isUUID4 reports whether s is a canonical random (version 4) UUID.
func isUUID4(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdef", c) {
				return false
			}
		}
	}
	return s[14] == '4' && strings.ContainsRune("89ab", rune(s[19]))
}

// --- expectations ---

// want fails the test unless r has the given status.
func want(t testing.TB, r *resp, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("want status %d: %s", status, r)
	}
}

// wantJSON fails the test unless r has the status and exactly this body.
func wantJSON(t testing.TB, r *resp, status int, body any) {
	t.Helper()
	if r.Status != status {
		t.Errorf("want status %d: %s", status, r)
	}
	if d := cmp.Diff(normalize(t, body), r.JSON); d != "" {
		t.Errorf("%s %s body (-want +got):\n%s", r.Method, r.Path, d)
	}
}

// diff reports a mismatch of two values after a JSON round trip of want.
func diff(t testing.TB, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(normalize(t, want), normalize(t, got)); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

// normalize round-trips v through JSON so Go literals compare with decoded bodies.
func normalize(t testing.TB, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("normalize %v: %v", v, err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// pick keeps the named keys of m.
func pick(m map[string]any, names ...string) map[string]any {
	out := map[string]any{}
	for _, n := range names {
		if v, ok := m[n]; ok {
			out[n] = v
		}
	}
	return out
}

// id is the numeric "id" of an object.
func id(t testing.TB, m map[string]any) int64 {
	t.Helper()
	f, ok := m["id"].(float64)
	if !ok {
		t.Fatalf("no numeric id in %v", m)
	}
	return int64(f)
}

// --- convenience on env ---

func (e *env) url(path string) string { return e.srv.URL + path }

// endpoint is the list path of an entity ("assets" → /api/plugins/inventory-monitor/assets/).
func endpoint(path string) string { return pluginAPI + path + "/" }

func detailPath(path string, id int64) string { return fmt.Sprintf("%s%s/%d/", pluginAPI, path, id) }

// create POSTs one object and returns it (fails unless 201).
func (e *env) create(path string, body map[string]any) map[string]any {
	e.t.Helper()
	r := e.do("POST", endpoint(path), body)
	if r.Status != http.StatusCreated {
		e.t.Fatalf("create: %s", r)
	}
	return r.obj(e.t)
}

// count returns the count of a list.
func (e *env) count(path string, query ...string) int {
	e.t.Helper()
	q := ""
	if len(query) > 0 {
		q = "&" + strings.Join(query, "&")
	}
	r := e.do("GET", endpoint(path)+"?limit=1&brief=1"+q, nil)
	want(e.t, r, http.StatusOK)
	n, ok := r.obj(e.t)["count"].(float64)
	if !ok {
		e.t.Fatalf("no count: %s", r)
	}
	return int(n)
}

// ids lists the ids of a list; query is "" or "?a=b&...".
func (e *env) ids(path, query string) []int64 {
	e.t.Helper()
	r := e.do("GET", endpoint(path)+query, nil)
	if r.Status != http.StatusOK {
		e.t.Fatalf("list: %s", r)
	}
	out := []int64{}
	for _, m := range r.results(e.t) {
		out = append(out, id(e.t, m))
	}
	return out
}

// tag creates a tag directly in the store (the tags endpoint is tested in
// api_tags_test.go).
func (e *env) tag(name, slug, color string) schema.Tag {
	e.t.Helper()
	tg, err := e.st.CreateTag(context.Background(), schema.Tag{Name: name, Slug: slug, Color: color})
	if err != nil {
		e.t.Fatal(err)
	}
	return tg
}

// query builds a query string from pairs.
func query(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return "?" + v.Encode()
}
