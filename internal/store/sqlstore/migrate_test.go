package sqlstore

import (
	"context"
	"testing"

	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

// Every migration of both dialects has a working Down: a database with
// data goes down to nothing and up again, and is usable afterwards.
func TestMigrationsGoDownAndUpAgain(t *testing.T) {
	forEachDialect(t, func(t *testing.T, _ string, s *Store) {
		ctx := context.Background()
		asset := schema.Inventory.Entity(schema.AssetName)
		if _, err := s.Create(ctx, asset, []store.Patch{{"partnumber": "P1", "serial": "S1", "owner": int64(3)}}, store.Meta{}); err != nil {
			t.Fatal(err)
		}
		p, err := s.migrations()
		if err != nil {
			t.Fatal(err)
		}
		down, err := p.DownTo(ctx, 0)
		if err != nil {
			t.Fatalf("down: %v", err)
		}
		if len(down) == 0 {
			t.Fatal("no migration went down")
		}
		up, err := s.Migrate(ctx)
		if err != nil {
			t.Fatalf("up again: %v", err)
		}
		if len(up) != len(down) {
			t.Errorf("%d migrations went down, %d up again", len(down), len(up))
		}
		if _, err := s.Create(ctx, asset, []store.Patch{{"partnumber": "P2", "serial": "S2", "owner": int64(4)}}, store.Meta{}); err != nil {
			t.Fatalf("create after going down and up: %v", err)
		}
	})
}
