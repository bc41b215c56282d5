// Package pgtest runs throw-away PostgreSQL servers for tests.
//
// A Server is a private cluster (initdb) in a temporary directory, listening on
// 127.0.0.1 on a free port with trust authentication for the superuser
// "postgres". Durability is switched off (fsync, synchronous_commit,
// full_page_writes), so it is fast and must never hold data worth keeping.
//
// Tests normally use Shared (one server per test binary, started lazily) and
// NewDatabase (one fresh database per test):
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		pgtest.StopShared()
//		os.Exit(code)
//	}
//
//	func TestSomething(t *testing.T) {
//		dsn := pgtest.NewDatabase(t, "") // skipped (or failed, see Required) without PostgreSQL
//		db, err := sql.Open("pgx", dsn)
//		...
//	}
//
// The server binaries are taken from $INVMON_PG_BIN if set, else from the
// newest /usr/lib/postgresql/<version>/bin. This package never installs
// anything; scripts/test does. When the process runs as root the server runs
// as the "postgres" system user (or "nobody"), because initdb and postgres
// refuse to run as root.
//
// Environment:
//
//	INVMON_PG_BIN             directory holding initdb, pg_ctl and postgres
//	INVMON_REQUIRE_POSTGRES=1 a server that cannot start fails the test instead of skipping it (also CI=true)
//	INVMON_PG_MARKER          file to which "started <pid> <program>" is appended for every server started
//	INVMON_PG_SHARED_BUFFERS  shared_buffers setting (default 256MB)
package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

const (
	startTimeout   = 90 * time.Second
	initdbTimeout  = 3 * time.Minute
	stopTimeout    = 30 * time.Second
	startAttempts  = 3 // a free port can be taken between choosing and binding it
	superuser      = "postgres"
	defaultSharedB = "256MB"
)

// Server is a throw-away PostgreSQL cluster in a temp dir on its own loopback
// port, trust auth. Its methods are safe for concurrent use.
type Server struct {
	binDir  string
	dir     string // temp dir, removed by Stop
	dataDir string
	sockDir string
	logPath string
	port    int
	cred    *syscall.Credential // nil unless running as root

	cmd    *exec.Cmd
	exited chan struct{} // closed when the postmaster has exited
	logF   *os.File

	mu       sync.Mutex // serializes CREATE/DROP DATABASE
	stopOnce sync.Once
}

// Start creates and starts a new server. The caller must Stop it.
func Start() (*Server, error) {
	binDir, err := findBinDir()
	if err != nil {
		return nil, err
	}
	s := &Server{binDir: binDir}
	if os.Geteuid() == 0 {
		s.cred, err = unprivilegedCredential()
		if err != nil {
			return nil, err
		}
	}

	removeStaleDirs()
	s.dir, err = os.MkdirTemp("", tempPrefix)
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	// Records who owns the dir, for removeStaleDirs.
	if err := os.WriteFile(filepath.Join(s.dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			s.Stop()
		}
	}()
	s.dataDir = filepath.Join(s.dir, "data")
	s.sockDir = filepath.Join(s.dir, "sock")
	s.logPath = filepath.Join(s.dir, "server.log")
	if err := os.Mkdir(s.sockDir, 0o700); err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	if s.cred != nil {
		for _, p := range []string{s.dir, s.sockDir} {
			if err := os.Chown(p, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
				return nil, fmt.Errorf("pgtest: chown %s: %w", p, err)
			}
		}
	}
	s.logF, err = os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}

	if err := s.initdb(); err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		err = s.startPostmaster()
		if err == nil {
			break
		}
		if attempt >= startAttempts || !s.portConflict() {
			return nil, err
		}
	}
	ok = true
	writeMarker()
	return s, nil
}

// Stop shuts the server down (pg_ctl stop -m immediate) and removes its temp
// dir. It is safe to call more than once.
func (s *Server) Stop() {
	if s == nil {
		return
	}
	s.stopOnce.Do(func() {
		if s.cmd != nil && s.cmd.Process != nil {
			select {
			case <-s.exited:
			default:
				ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
				_ = s.command(ctx, "pg_ctl", "stop", "-D", s.dataDir, "-m", "immediate", "-w", "-t", "20").Run()
				cancel()
				select {
				case <-s.exited:
				case <-time.After(5 * time.Second):
					_ = s.cmd.Process.Kill()
					<-s.exited
				}
			}
		}
		if s.logF != nil {
			_ = s.logF.Close()
		}
		if s.dir != "" {
			_ = os.RemoveAll(s.dir)
		}
	})
}

// Port is the TCP port the server listens on (127.0.0.1).
func (s *Server) Port() int { return s.port }

// DSN returns the connection URL for database dbname as the superuser.
func (s *Server) DSN(dbname string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", superuser, s.port, url.PathEscape(dbname))
}

// CreateDatabase runs CREATE DATABASE name [TEMPLATE template] (no TEMPLATE
// clause when template is "") and returns the new database's DSN.
//
// Calls are serialized. PostgreSQL refuses to copy a template that has open
// sessions, so close every connection to the template (e.g. the *sql.DB used
// to fill it) before using it here; a transient conflict is retried briefly.
func (s *Server) CreateDatabase(name, template string) (string, error) {
	stmt := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize()
	if template != "" {
		stmt += " TEMPLATE " + pgx.Identifier{template}.Sanitize()
	}
	// Never be connected to the template we copy from.
	adminDB := "postgres"
	if template == "postgres" {
		adminDB = "template1"
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	var err error
	for attempt := 1; attempt <= 3; attempt++ {
		err = s.exec(adminDB, stmt)
		var pgErr *pgconn.PgError
		if err == nil || !errors.As(err, &pgErr) || pgErr.Code != "55006" { // object_in_use
			break
		}
		time.Sleep(time.Duration(attempt) * 200 * time.Millisecond)
	}
	if err != nil {
		hint := ""
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "55006" {
			hint = " (close all connections to the template database before copying it)"
		}
		return "", fmt.Errorf("pgtest: %s: %w%s", stmt, err, hint)
	}
	return s.DSN(name), nil
}

// DropDatabase drops database name if it exists, terminating its sessions.
func (s *Server) DropDatabase(name string) error {
	stmt := "DROP DATABASE IF EXISTS " + pgx.Identifier{name}.Sanitize() + " WITH (FORCE)"
	adminDB := "postgres"
	if name == "postgres" {
		adminDB = "template1"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.exec(adminDB, stmt); err != nil {
		return fmt.Errorf("pgtest: %s: %w", stmt, err)
	}
	return nil
}

func (s *Server) exec(dbname, stmt string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.DSN(dbname))
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, stmt)
	return err
}

// Required reports whether a PostgreSQL run is mandatory (CI=true or
// INVMON_REQUIRE_POSTGRES=1): then a failure to start is a test failure,
// never a skip.
func Required() bool {
	return truthy(os.Getenv("CI")) || truthy(os.Getenv("INVMON_REQUIRE_POSTGRES"))
}

func truthy(v string) bool {
	b, err := strconv.ParseBool(strings.TrimSpace(v))
	return err == nil && b
}

var shared struct {
	mu    sync.Mutex
	srv   *Server
	err   error // sticky: a failed start is not retried by every test
	tried bool
	dbSeq atomic.Int64
}

// Shared returns the server shared by the whole test binary, starting it on
// first use (goroutine-safe). If it cannot start, the test fails (Required)
// or is skipped, with the reason.
func Shared(t testing.TB) *Server {
	t.Helper()
	shared.mu.Lock()
	if !shared.tried {
		shared.tried = true
		shared.srv, shared.err = Start()
	}
	srv, err := shared.srv, shared.err
	shared.mu.Unlock()
	if err != nil {
		if Required() {
			t.Fatalf("PostgreSQL is required (CI / INVMON_REQUIRE_POSTGRES) but could not start: %v", err)
		}
		t.Skipf("skipping: PostgreSQL not available (set INVMON_REQUIRE_POSTGRES=1 to make this fatal): %v", err)
	}
	return srv
}

// StopShared stops the shared server, if one was started. Call it from
// TestMain after m.Run().
func StopShared() {
	shared.mu.Lock()
	srv := shared.srv
	shared.srv, shared.err, shared.tried = nil, nil, false
	shared.mu.Unlock()
	srv.Stop()
}

// NewDatabase creates a uniquely named, fresh database on the shared server
// (copied from template, or the default template1 when template is "") and
// drops it in t.Cleanup. It returns the database's DSN.
func NewDatabase(t testing.TB, template string) string {
	t.Helper()
	srv := Shared(t)
	name := fmt.Sprintf("t%d_%s", shared.dbSeq.Add(1), identPart(t.Name()))
	if len(name) > 63 {
		name = name[:63]
	}
	dsn, err := srv.CreateDatabase(name, template)
	if err != nil {
		t.Fatalf("%v", err)
	}
	t.Cleanup(func() {
		if err := srv.DropDatabase(name); err != nil {
			t.Errorf("%v", err)
		}
	})
	return dsn
}

func identPart(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// --- starting the server ---

func findBinDir() (string, error) {
	if d := os.Getenv("INVMON_PG_BIN"); d != "" {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err != nil {
			return "", fmt.Errorf("pgtest: INVMON_PG_BIN=%s: %w", d, err)
		}
		return d, nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	best, bestVer := "", []int(nil)
	for _, m := range matches {
		bin := filepath.Dir(m)
		v := parseVersion(filepath.Base(filepath.Dir(bin)))
		if best == "" || versionLess(bestVer, v) {
			best, bestVer = bin, v
		}
	}
	if best == "" {
		return "", errors.New("pgtest: no PostgreSQL server found (no /usr/lib/postgresql/*/bin/initdb; " +
			"install it with `apt-get install -y postgresql` — scripts/test does this — or set INVMON_PG_BIN)")
	}
	return best, nil
}

func parseVersion(s string) []int {
	var v []int
	for _, p := range strings.Split(s, ".") {
		n, err := strconv.Atoi(p)
		if err != nil {
			n = -1
		}
		v = append(v, n)
	}
	return v
}

func versionLess(a, b []int) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

func unprivilegedCredential() (*syscall.Credential, error) {
	var errs []string
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 != nil || err2 != nil {
			errs = append(errs, fmt.Sprintf("user %s: bad uid/gid %q/%q", name, u.Uid, u.Gid))
			continue
		}
		// Groups nil + NoSetGroups false: drop root's supplementary groups.
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
	}
	return nil, fmt.Errorf("pgtest: running as root and no unprivileged user to run PostgreSQL as: %s", strings.Join(errs, "; "))
}

// command builds an exec.Cmd for one of the server binaries, run as the
// unprivileged user when we are root, with PG* variables removed from the
// environment so the caller's settings cannot redirect it.
func (s *Server) command(ctx context.Context, prog string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(s.binDir, prog), args...)
	cmd.Dir = s.dir
	env := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	return cmd
}

func (s *Server) initdb() error {
	ctx, cancel := context.WithTimeout(context.Background(), initdbTimeout)
	defer cancel()
	var out bytes.Buffer
	cmd := s.command(ctx, "initdb", "-D", s.dataDir, "-A", "trust", "-U", superuser, "-E", "UTF8", "--no-locale", "--no-sync")
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pgtest: %s: %v\n%s", strings.Join(cmd.Args, " "), err, tail(out.Bytes()))
	}
	return nil
}

func (s *Server) startPostmaster() error {
	port, err := freePort()
	if err != nil {
		return fmt.Errorf("pgtest: choosing a port: %w", err)
	}
	s.port = port
	sharedBuffers := os.Getenv("INVMON_PG_SHARED_BUFFERS")
	if sharedBuffers == "" {
		sharedBuffers = defaultSharedB
	}
	cmd := s.command(context.Background(), "postgres",
		"-D", s.dataDir,
		"-c", "listen_addresses=127.0.0.1",
		"-p", strconv.Itoa(port),
		"-k", s.sockDir,
		"-c", "fsync=off",
		"-c", "synchronous_commit=off",
		"-c", "full_page_writes=off",
		"-c", "max_connections=200",
		"-c", "shared_buffers="+sharedBuffers,
	)
	cmd.Stdout, cmd.Stderr = s.logF, s.logF
	// If the test binary dies without Stop (panic, test timeout, kill), the
	// postmaster gets SIGQUIT (immediate shutdown) instead of living on.
	cmd.SysProcAttr.Pdeathsig = syscall.SIGQUIT

	// Pdeathsig fires when the *thread* that forked the child exits, so fork
	// from a locked thread that lives exactly as long as the postmaster.
	started := make(chan error, 1)
	exited := make(chan struct{})
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with this goroutine
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		_ = cmd.Wait()
		close(exited)
	}()
	if err := <-started; err != nil {
		return fmt.Errorf("pgtest: starting %s: %w", cmd.Path, err)
	}
	s.cmd, s.exited = cmd, exited

	deadline := time.Now().Add(startTimeout)
	var lastErr error
	for {
		select {
		case <-exited:
			return fmt.Errorf("pgtest: postgres exited during startup (%v); server log tail:\n%s", cmd.ProcessState, s.logTail())
		default:
		}
		if lastErr = s.ping(); lastErr == nil {
			return nil
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Signal(syscall.SIGQUIT)
			<-exited
			return fmt.Errorf("pgtest: postgres did not accept connections within %v: %v; server log tail:\n%s", startTimeout, lastErr, s.logTail())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *Server) ping() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.DSN("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	return conn.Ping(ctx)
}

func (s *Server) portConflict() bool {
	log := s.logTail()
	return strings.Contains(log, "could not bind") || strings.Contains(log, "Address already in use") ||
		strings.Contains(log, "could not create any TCP/IP sockets")
}

func (s *Server) logTail() string {
	b, err := os.ReadFile(s.logPath)
	if err != nil {
		return fmt.Sprintf("(cannot read server log: %v)", err)
	}
	return tail(b)
}

// tail returns at most the last 40 lines / 4 KiB of b.
func tail(b []byte) string {
	const maxBytes, maxLines = 4096, 40
	if len(b) > maxBytes {
		b = b[len(b)-maxBytes:]
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > maxLines {
		lines = lines[len(lines)-maxLines:]
	}
	return "\t" + strings.Join(lines, "\n\t")
}

const (
	tempPrefix = "invmon-pgtest-"
	ownerFile  = "owner.pid"
)

// removeStaleDirs removes temp dirs left behind by test binaries that died
// without Stop (e.g. killed by the go test timeout). Their postmaster got
// SIGQUIT through Pdeathsig, but nobody removed the files.
func removeStaleDirs() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), tempPrefix+"*"))
	for _, d := range dirs {
		b, err := os.ReadFile(filepath.Join(d, ownerFile))
		if err != nil {
			// No owner yet (being created) or not ours: only remove when old.
			if fi, err := os.Stat(d); err == nil && time.Since(fi.ModTime()) > 24*time.Hour {
				_ = os.RemoveAll(d)
			}
			continue
		}
		owner, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || owner <= 0 || alive(owner) {
			continue
		}
		if pm, err := os.ReadFile(filepath.Join(d, "data", "postmaster.pid")); err == nil {
			if pid, err := strconv.Atoi(strings.SplitN(string(pm), "\n", 2)[0]); err == nil && alive(pid) {
				continue
			}
		}
		_ = os.RemoveAll(d)
	}
}

func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// writeMarker appends "started <pid> <program>" to $INVMON_PG_MARKER so that
// scripts/test can check that PostgreSQL tests really ran.
func writeMarker() {
	path := os.Getenv("INVMON_PG_MARKER")
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: writing marker %s: %v\n", path, err)
		return
	}
	defer f.Close()
	fmt.Fprintf(f, "started %d %s\n", os.Getpid(), filepath.Base(os.Args[0]))
}

var templates struct {
	sync.Mutex
	byKey map[string]*templateDB
}

type templateDB struct {
	once sync.Once
	name string
	err  error
}

// SharedTemplate returns the name of a database on the shared server that
// prepare has filled once per test binary (e.g. migrated), for
// NewDatabase(t, name) to copy. prepare must close its connections: a
// template cannot be copied while anyone is connected to it.
func SharedTemplate(t testing.TB, key string, prepare func(dsn string) error) string {
	t.Helper()
	srv := Shared(t)
	templates.Lock()
	if templates.byKey == nil {
		templates.byKey = map[string]*templateDB{}
	}
	tpl := templates.byKey[key]
	if tpl == nil {
		tpl = &templateDB{}
		templates.byKey[key] = tpl
	}
	templates.Unlock()
	tpl.once.Do(func() {
		name := fmt.Sprintf("invmon_tpl_%s_%d", identPart(key), os.Getpid())
		dsn, err := srv.CreateDatabase(name, "")
		if err == nil {
			err = prepare(dsn)
		}
		tpl.name, tpl.err = name, err
	})
	if tpl.err != nil {
		t.Fatalf("PostgreSQL template %q: %v", key, tpl.err)
	}
	return tpl.name
}
