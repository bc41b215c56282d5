package sqlstore

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/pgtest"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

// A panic inside a write transaction (a bug) must end the transaction:
// the panic reaches the caller (the API answers 500), nothing is written,
// and the connection and its locks are free for the next write.
func TestWriteTransactionEndsWhenItsFunctionPanics(t *testing.T) {
	for _, d := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "panic.db") }},
		{"postgres", func(t *testing.T) string { return pgtest.NewDatabase(t, "") }},
	} {
		t.Run(d.name, func(t *testing.T) {
			ctx := context.Background()
			st, err := Open(ctx, d.dsn(t), Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			e := schema.Inventory.Entity(schema.AssetTypeName)
			recovered := make(chan any, 1)
			go func() {
				defer func() { recovered <- recover() }()
				st.inTx(ctx, func(tx *writeTx) error {
					if _, err := st.create(ctx, tx, e, []store.Patch{{"name": "Lost", "slug": "lost"}}, store.Meta{}); err != nil {
						t.Errorf("create: %v", err)
					}
					panic("boom")
				})
			}()
			select {
			case v := <-recovered:
				if v != "boom" {
					t.Fatalf("recovered %v, want the panic", v)
				}
			case <-time.After(time.Minute):
				t.Fatal("the panicking transaction did not end")
			}
			if n := st.writer.Stats().InUse; n != 0 {
				t.Errorf("%d connections still in use", n)
			}
			if _, err := st.Create(ctx, e, []store.Patch{{"name": "Kept", "slug": "kept"}}, store.Meta{}); err != nil {
				t.Fatalf("next write: %v", err)
			}
			ids, err := st.FindIDs(ctx, e, map[string]any{"slug": "lost"}, 10)
			if err != nil || len(ids) != 0 {
				t.Errorf("the panicking transaction's object: ids %v, err %v; want none", ids, err)
			}
		})
	}
}
