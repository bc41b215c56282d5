package sqlstore

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/pgtest"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
	"github.com/inventory-monitor/inventory-monitor/internal/store/sqlitewal"
	"github.com/jackc/pgx/v5"
)

// A panic inside a write transaction (a bug) must end the transaction:
// the panic reaches the caller (the API answers 500), nothing is written,
// and the connection and its locks are free for the next write.
func TestWriteTransactionEndsWhenItsFunctionPanics(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string, st *Store) {
		ctx := context.Background()
		e := schema.Inventory.Entity(schema.AssetTypeName)
		for i, where := range []string{"in the transaction", "on the PostgreSQL connection (COPY)"} {
			if where != "in the transaction" && dialect != "postgres" {
				continue
			}
			slug := fmt.Sprintf("lost-%d", i)
			recovered := make(chan any, 1)
			go func() {
				defer func() { recovered <- recover() }()
				st.inTx(ctx, func(tx *writeTx) error {
					if _, err := st.create(ctx, tx, e, []store.Patch{{"name": slug, "slug": slug}}, store.Meta{}); err != nil {
						t.Errorf("create: %v", err)
					}
					if tx.conn != nil && where != "in the transaction" {
						return tx.withPGX(func(*pgx.Conn) error { panic("boom") })
					}
					panic("boom")
				})
			}()
			select {
			case v := <-recovered:
				if v != "boom" {
					t.Fatalf("panic %s: recovered %v, want the panic", where, v)
				}
			case <-time.After(time.Minute):
				t.Fatalf("the transaction with a panic %s did not end", where)
			}
			if n := st.writer.Stats().InUse; n != 0 {
				t.Errorf("panic %s: %d connections still in use", where, n)
			}
			if _, err := st.Create(ctx, e, []store.Patch{{"name": "Kept " + slug, "slug": "kept-" + slug}}, store.Meta{}); err != nil {
				t.Fatalf("panic %s: next write: %v", where, err)
			}
			ids, err := st.FindIDs(ctx, e, map[string]any{"slug": slug}, 10)
			if err != nil || len(ids) != 0 {
				t.Errorf("panic %s: the transaction's object: ids %v, err %v; want none", where, ids, err)
			}
		}
	})
}

// forEachDialect runs fn on a fresh, migrated store of each database.
func forEachDialect(t *testing.T, fn func(t *testing.T, dialect string, st *Store)) {
	for _, d := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "inventory.db") }},
		{"postgres", func(t *testing.T) string { return pgtest.NewDatabase(t, "") }},
	} {
		t.Run(d.name, func(t *testing.T) {
			st, err := Open(context.Background(), d.dsn(t), Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			fn(t, d.name, st)
		})
	}
}

// The SQLite store writes its WAL through the gathering VFS (a transaction's
// frames in a few writes instead of two system calls per page).
func TestSQLiteStoreWritesItsWALThroughTheGatheringVFS(t *testing.T) {
	st, err := Open(context.Background(), filepath.Join(t.TempDir(), "inventory.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e := schema.Inventory.Entity(schema.AssetTypeName)
	before, _ := sqlitewal.Gathered()
	if _, err := st.Create(context.Background(), e, []store.Patch{{"name": "Switch", "slug": "switch"}}, store.Meta{}); err != nil {
		t.Fatal(err)
	}
	if after, _ := sqlitewal.Gathered(); after == before {
		t.Fatal("a write added no frame to the gathering VFS")
	}
}

// scripts/sqlite-ceiling (a module of its own, which CI does not build: it
// links native SQLite) re-inserts probes with its own column list; it must
// name every column of the probe table, or its figures stop being ours.
func TestSQLiteCeilingToolNamesEveryProbeColumn(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "..", "scripts", "sqlite-ceiling", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^const columns = "([^"]*)"$`).FindSubmatch(src)
	if m == nil {
		t.Fatal("scripts/sqlite-ceiling/main.go: no `const columns = \"...\"` line")
	}
	tool := strings.Split(string(m[1]), ", ")
	st, err := Open(context.Background(), filepath.Join(t.TempDir(), "inventory.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.db.Query("SELECT name FROM pragma_table_info('inventory_monitor_probe') WHERE name <> 'id'")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var table []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		table = append(table, name)
	}
	slices.Sort(tool)
	slices.Sort(table)
	if diff := cmp.Diff(table, tool); diff != "" {
		t.Errorf("sqlite-ceiling's probe columns (-table +tool):\n%s", diff)
	}
}

// An unfiltered SQLite list in the default order reads through the index
// orderIndexes names: it must exist and lead with the ordering's first
// columns, or the first page sorts the whole table (SQLite's planner, see
// orderIndexes).
func TestOrderIndexesLeadWithTheDefaultOrdering(t *testing.T) {
	st, err := Open(context.Background(), filepath.Join(t.TempDir(), "inventory.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for table, idx := range orderIndexes {
		i := slices.IndexFunc(schema.Inventory.Entities, func(e *schema.Entity) bool { return e.Table == table })
		if i < 0 {
			t.Fatalf("orderIndexes: no entity has table %s", table)
		}
		e := schema.Inventory.Entities[i]
		rows, err := st.db.Query("SELECT name FROM pragma_index_info(?) ORDER BY seqno", idx)
		if err != nil {
			t.Fatal(err)
		}
		var cols []string
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				t.Fatal(err)
			}
			cols = append(cols, c)
		}
		rows.Close()
		var order []string
		for _, name := range e.Ordering {
			order = append(order, e.Field(name).Column)
		}
		if len(cols) == 0 || len(cols) > len(order) || !slices.Equal(cols, order[:len(cols)]) {
			t.Errorf("%s: index %s has columns %v, want a prefix of the default ordering %v", table, idx, cols, order)
		}
		var plan string
		rows, err = st.db.Query("EXPLAIN QUERY PLAN SELECT t.id FROM " + table + " t INDEXED BY " + idx + " ORDER BY " + st.orderBy(e, filter.Query{}) + " LIMIT 50")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var a, b, c int
			var d string
			if err := rows.Scan(&a, &b, &c, &d); err != nil {
				t.Fatal(err)
			}
			plan += d + "\n"
		}
		rows.Close()
		if !strings.Contains(plan, "USING INDEX "+idx) || !strings.Contains(plan, "FOR LAST") {
			t.Errorf("%s: the default-order page is not read through %s with a partial sort:\n%s", table, idx, plan)
		}
	}
}

// A filtered page looked for in the ordering index's window is the page
// the planner's plan gives, whether the window holds it or the matches lie
// beyond (the window shrunk to a few rows here).
func TestFilteredPagesInTheOrderWindowAreThePlannersPages(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "inventory.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	probe := schema.Inventory.Entity(schema.ProbeName)
	var patches []store.Patch
	for i := range 60 {
		p := store.Patch{"name": fmt.Sprintf("N%02d", i%7), "serial": fmt.Sprintf("S%d", i%9), "time": time.Date(2026, 3, 1, i%5, 0, 0, 0, time.UTC),
			"creation_time": time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), "category": "chassis"}
		if i >= 50 { // the only modules sort last
			p["name"], p["category"] = "Z", "module"
		}
		patches = append(patches, p)
	}
	if _, err := st.Create(ctx, probe, patches, store.Meta{}); err != nil {
		t.Fatal(err)
	}
	page := func(qs string) []int64 {
		t.Helper()
		v, _ := url.ParseQuery(qs)
		q, err := filter.Parse(probe, v)
		if err != nil {
			t.Fatal(err)
		}
		p, err := st.List(ctx, probe, q)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, r := range p.Records {
			ids = append(ids, r.ID)
		}
		return ids
	}
	defer func(n int, h float64, idx map[string]string) {
		maxOrderScan, orderWindowHeadroom, orderIndexes = n, h, idx
	}(maxOrderScan, orderWindowHeadroom, orderIndexes)
	orderWindowHeadroom = 0 // every filtered page tries the window
	windowed, fellBack := 0, 0
	orderWindowTried = func(full bool) {
		if full {
			windowed++
		} else {
			fellBack++
		}
	}
	defer func() { orderWindowTried = nil }()
	for _, qs := range []string{"latest_only=true&limit=3", "latest_only=true&limit=3&offset=4", "category=module&limit=3", "category=chassis&limit=5&offset=2",
		"serial=S1&limit=2", "latest_only_per_device=true&limit=50"} {
		orderIndexes = map[string]string{}
		want := page(qs)
		orderIndexes = map[string]string{"inventory_monitor_probe": "invmon_probe_order_idx"}
		for _, window := range []int{4, 12, 20000} {
			maxOrderScan = window
			if got := page(qs); !slices.Equal(got, want) {
				t.Errorf("%s with a window of %d rows: %v, want the planner's %v", qs, window, got, want)
			}
		}
	}
	if windowed == 0 || fellBack == 0 {
		t.Errorf("pages from the window: %d, from the planner after a miss: %d; want both", windowed, fellBack)
	}
}
