package sqlstore

import (
	"context"

	"github.com/inventory-monitor/inventory-monitor/internal/schema"
)

// addCount moves an entity table's stored row count inside the write
// transaction, so it commits (or rolls back) with the rows.
func (s *Store) addCount(ctx context.Context, tx *writeTx, e *schema.Entity, delta int) error {
	if delta == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, s.q("UPDATE inventory_monitor_rowcount SET n = n + ? WHERE table_name = ?"), delta, e.Table)
	return err
}

// storedCount reads an entity table's row count.
func (s *Store) storedCount(ctx context.Context, e *schema.Entity) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.q("SELECT n FROM inventory_monitor_rowcount WHERE table_name = ?"), e.Table).Scan(&n)
	return n, err
}

// storedCountQuery selects an entity table's row count (column n), for a
// query that reads it with other rows.
func storedCountQuery(e *schema.Entity) string {
	return "SELECT n FROM inventory_monitor_rowcount WHERE table_name = " + sqlString(e.Table)
}

// Recount recomputes every stored row count from the tables; Open runs it,
// so rows written behind the store's back are counted again at each start.
func (s *Store) Recount(ctx context.Context) error {
	return s.inTx(ctx, func(tx *writeTx) error {
		for _, e := range s.reg.Entities {
			if _, err := tx.ExecContext(ctx, s.q("UPDATE inventory_monitor_rowcount SET n = (SELECT COUNT(*) FROM "+e.Table+") WHERE table_name = ?"), e.Table); err != nil {
				return err
			}
		}
		return nil
	})
}
