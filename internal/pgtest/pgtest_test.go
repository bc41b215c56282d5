package pgtest_test

import (
	"database/sql"
	"fmt"
	"os"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/inventory-monitor/inventory-monitor/internal/pgtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}

func open(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestCreateQueryDrop(t *testing.T) {
	srv := pgtest.Shared(t)

	// Fresh database from template0.
	dsn0, err := srv.CreateDatabase("pgtest_from_template0", "template0")
	if err != nil {
		t.Fatal(err)
	}
	db0 := open(t, dsn0)
	var enc string
	if err := db0.QueryRow("SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()").Scan(&enc); err != nil {
		t.Fatal(err)
	}
	if enc != "UTF8" {
		t.Errorf("encoding = %q, want UTF8", enc)
	}
	db0.Close()

	// A template with a table, filled through a connection that is closed
	// before the template is copied.
	tmplDSN, err := srv.CreateDatabase("pgtest_tmpl", "")
	if err != nil {
		t.Fatal(err)
	}
	tdb := open(t, tmplDSN)
	if _, err := tdb.Exec("CREATE TABLE item (id int PRIMARY KEY, name text NOT NULL); INSERT INTO item VALUES (1, 'one'), (2, 'two')"); err != nil {
		t.Fatal(err)
	}
	tdb.Close()

	// Concurrent copies of the same template must not collide.
	const n = 6
	var wg sync.WaitGroup
	dsns := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			dsns[i], errs[i] = srv.CreateDatabase(fmt.Sprintf("pgtest_copy_%d", i), "pgtest_tmpl")
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("copy %d: %v", i, errs[i])
		}
		db := open(t, dsns[i])
		var count int
		var name string
		if err := db.QueryRow("SELECT count(*), max(name) FROM item").Scan(&count, &name); err != nil {
			t.Fatalf("copy %d: %v", i, err)
		}
		if count != 2 || name != "two" {
			t.Errorf("copy %d: got (%d, %q), want (2, \"two\")", i, count, name)
		}
		// Leave the pool open: DropDatabase must cope with live sessions.
		if _, err := db.Exec("INSERT INTO item VALUES ($1, 'x')", 100+i); err != nil {
			t.Fatal(err)
		}
		if err := srv.DropDatabase(fmt.Sprintf("pgtest_copy_%d", i)); err != nil {
			t.Errorf("drop copy %d: %v", i, err)
		}
		db.Close()
	}

	for _, name := range []string{"pgtest_from_template0", "pgtest_tmpl"} {
		if err := srv.DropDatabase(name); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	}
	var left int
	admin := open(t, srv.DSN("postgres"))
	defer admin.Close()
	if err := admin.QueryRow("SELECT count(*) FROM pg_database WHERE datname LIKE 'pgtest_%'").Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d pgtest_ databases left after dropping", left)
	}
}

func TestNewDatabaseParallel(t *testing.T) {
	srv := pgtest.Shared(t)
	if _, err := srv.CreateDatabase("pgtest_par_tmpl", "template0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.DropDatabase("pgtest_par_tmpl") })
	tdb := open(t, srv.DSN("pgtest_par_tmpl"))
	if _, err := tdb.Exec("CREATE TABLE t (v int); INSERT INTO t VALUES (42)"); err != nil {
		t.Fatal(err)
	}
	tdb.Close()

	for i := range 4 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			db := open(t, pgtest.NewDatabase(t, "pgtest_par_tmpl"))
			t.Cleanup(func() { db.Close() })
			var v int
			if err := db.QueryRow("SELECT v FROM t").Scan(&v); err != nil {
				t.Fatal(err)
			}
			if v != 42 {
				t.Errorf("v = %d, want 42", v)
			}
		})
	}
}
