// Package pynetbox drives the real API server with the real NetBox client,
// Debian's python3-pynetbox (7.0.0), exactly as a user script does.
//
// Each test starts the API (assembled as cmd/inventory-monitor does) on
// SQLite and on PostgreSQL, creates a user and tokens, and runs
// client_test.py with /usr/bin/python3 (the interpreter Debian's package
// installs for), passing NETBOX_URL and NETBOX_TOKEN in the environment.
//
// Without an importable pynetbox the tests are skipped, or fail when CI or
// INVMON_REQUIRE_PYNETBOX is set (scripts/test installs python3-pynetbox).
// PostgreSQL follows internal/pgtest's rules (INVMON_REQUIRE_POSTGRES).
package pynetbox

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/api"
	"github.com/inventory-monitor/inventory-monitor/internal/auth"
	"github.com/inventory-monitor/inventory-monitor/internal/config"
	"github.com/inventory-monitor/inventory-monitor/internal/pgtest"
	"github.com/inventory-monitor/inventory-monitor/internal/store/sqlstore"
)

const (
	python     = "/usr/bin/python3" // Debian's interpreter, which sees python3-pynetbox
	script     = "client_test.py"   // relative to this package's directory
	username   = "pynetbox"
	password   = "pynetbox-test-password"
	runTimeout = 10 * time.Minute
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}

// dialects yields a DSN for a fresh database of each kind.
var dialects = []struct {
	name string
	dsn  func(t *testing.T) string
}{
	{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "pynetbox.db") }},
	{"postgres", func(t *testing.T) string { return pgtest.NewDatabase(t, "") }},
}

// requirePynetbox skips (or fails, in CI) when /usr/bin/python3 cannot
// import pynetbox, and logs the version it found.
func requirePynetbox(t *testing.T) {
	t.Helper()
	out, err := exec.Command(python, "-c", "import pynetbox; print(pynetbox.__version__)").CombinedOutput()
	if err != nil {
		reason := python + " cannot import pynetbox (install Debian's python3-pynetbox; scripts/test does): " + err.Error()
		if o := strings.TrimSpace(string(out)); o != "" {
			reason += "\n" + o
		}
		if os.Getenv("CI") != "" || os.Getenv("INVMON_REQUIRE_PYNETBOX") != "" {
			t.Fatal(reason)
		}
		t.Skip(reason)
	}
	t.Logf("pynetbox %s", strings.TrimSpace(string(out)))
}

// logBuffer collects the server's log; it is shown when a test fails.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// server is a running API with its auth service.
type server struct {
	url  string
	auth *auth.Service
}

// startServer opens the store at dsn and serves the API exactly as
// cmd/inventory-monitor's newHandler assembles it (login required).
func startServer(t *testing.T, dsn string) *server {
	t.Helper()
	ctx := context.Background()
	settings := config.DefaultSettings()
	st, err := sqlstore.Open(ctx, dsn, sqlstore.Options{Settings: settings})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	pepper, _, err := auth.EnsurePepper(ctx, st, "")
	if err != nil {
		t.Fatalf("pepper: %v", err)
	}
	svc := auth.NewService(st, pepper)

	logs := &logBuffer{}
	apiServer := api.New(api.Options{
		Store:         st,
		Auth:          api.TokenAuth(svc, false),
		Settings:      settings,
		LoginRequired: true,
		Log:           slog.New(slog.NewTextHandler(logs, nil)),
	})
	mux := http.NewServeMux()
	mux.Handle("/api/", apiServer)
	ts := httptest.NewServer(mux)
	t.Cleanup(func() {
		ts.Close()
		if t.Failed() {
			if l := logs.String(); l != "" {
				t.Logf("server log:\n%s", l)
			}
		}
	})

	if _, err := svc.CreateUser(ctx, username, password, true); err != nil {
		t.Fatalf("create user: %v", err)
	}
	return &server{url: ts.URL, auth: svc}
}

// token issues a v2 token for the test user.
func (s *server) token(t *testing.T, write bool) string {
	t.Helper()
	tok, _, err := s.auth.CreateToken(context.Background(), username, auth.TokenOptions{
		Version: 2, WriteEnabled: write, Description: "pynetbox test",
	})
	if err != nil {
		t.Fatalf("create token: %v", err)
	}
	return tok
}

// runScript runs client_test.py against the server and fails with its
// whole output when it exits non-zero.
func runScript(t *testing.T, s *server, token string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), runTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, append([]string{script}, args...)...)
	env := []string{}
	for _, kv := range os.Environ() {
		// Another Python's search path must not leak into Debian's interpreter.
		if strings.HasPrefix(kv, "PYTHONPATH=") || strings.HasPrefix(kv, "PYTHONHOME=") {
			continue
		}
		env = append(env, kv)
	}
	cmd.Env = append(env,
		"NETBOX_URL="+s.url,
		"NETBOX_TOKEN="+token,
		"NETBOX_USERNAME="+username,
		"PYTHONUNBUFFERED=1",
		"PYTHONDONTWRITEBYTECODE=1",
		// requests honours *_proxy variables; the server is on loopback.
		"NO_PROXY=127.0.0.1,localhost",
		"no_proxy=127.0.0.1,localhost",
	)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s %s: %v (after %v)\n--- script output ---\n%s",
			python, script, strings.Join(args, " "), err, time.Since(start).Round(time.Millisecond), out)
	}
	if testing.Verbose() {
		t.Logf("%s %s passed in %v:\n%s", script, strings.Join(args, " "), time.Since(start).Round(time.Millisecond), out)
	}
}

// TestPynetbox runs the full client script with a write token.
func TestPynetbox(t *testing.T) {
	requirePynetbox(t)
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			s := startServer(t, d.dsn(t))
			runScript(t, s, s.token(t, true))
		})
	}
}

// TestPynetboxReadOnlyToken seeds a few objects with a write token, then
// checks that a read-only token reads them but every write raises
// pynetbox.RequestError with status 403, and that bad or missing tokens
// are refused with 403.
func TestPynetboxReadOnlyToken(t *testing.T) {
	requirePynetbox(t)
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			s := startServer(t, d.dsn(t))
			runScript(t, s, s.token(t, true), "--seed")
			runScript(t, s, s.token(t, false), "--read-only")
		})
	}
}
