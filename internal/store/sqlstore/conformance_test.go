package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/config"
	"github.com/inventory-monitor/inventory-monitor/internal/pgtest"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
	"github.com/inventory-monitor/inventory-monitor/internal/store/sqlstore"
	"github.com/inventory-monitor/inventory-monitor/internal/store/storetest"
)

var _ store.Store = (*sqlstore.Store)(nil)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}

func openStore(t *testing.T, dsn string, now time.Time, settings config.Settings) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{Settings: settings, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformanceSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now time.Time, settings config.Settings) store.Store {
		return openStore(t, filepath.Join(t.TempDir(), "inventory.db"), now, settings)
	})
}

// migratedTemplate returns a migrated PostgreSQL database that tests copy.
func migratedTemplate(t *testing.T) string {
	t.Helper()
	return pgtest.SharedTemplate(t, "migrated", func(dsn string) error {
		st, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
		if err != nil {
			return err
		}
		return st.Close()
	})
}

func TestConformancePostgres(t *testing.T) {
	template := migratedTemplate(t)
	storetest.Run(t, func(t *testing.T, now time.Time, settings config.Settings) store.Store {
		return openStore(t, pgtest.NewDatabase(t, template), now, settings)
	})
}

// Two stores on the same SQLite file, each written by its own goroutine,
// must queue behind each other instead of failing with "database is locked".
func TestSQLiteConcurrentWritersNeverSeeDatabaseLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	now := time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)
	stores := []*sqlstore.Store{
		openStore(t, path, now, config.DefaultSettings()),
		openStore(t, path, now, config.DefaultSettings()),
	}
	const perWriter = 200
	asset := schema.Inventory.Entity(schema.AssetName)
	var wg sync.WaitGroup
	errs := make(chan error, 2*perWriter)
	for w, s := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < perWriter; i++ {
				_, err := s.Create(context.Background(), asset, []store.Patch{{"serial": fmt.Sprintf("W%d-%d", w, i)}}, store.Meta{RequestID: "concurrent"})
				if err != nil {
					errs <- fmt.Errorf("writer %d, create %d: %w", w, i, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	locked := 0
	for err := range errs {
		if strings.Contains(err.Error(), "locked") || strings.Contains(err.Error(), "busy") {
			locked++
		}
		t.Error(err)
	}
	if locked > 0 {
		t.Fatalf("%d writes failed with a lock error", locked)
	}
	for _, s := range stores {
		var n int
		if err := s.DB().QueryRow("SELECT COUNT(*) FROM inventory_monitor_asset").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 2*perWriter {
			t.Errorf("assets = %d, want %d", n, 2*perWriter)
		}
	}
	var changes int
	if err := stores[0].DB().QueryRow("SELECT COUNT(*) FROM inventory_monitor_objectchange WHERE request_id = 'concurrent'").Scan(&changes); err != nil {
		t.Fatal(err)
	}
	if changes != 2*perWriter {
		t.Errorf("change-log entries = %d, want %d", changes, 2*perWriter)
	}
}
