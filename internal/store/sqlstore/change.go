package sqlstore

import (
	"context"

	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

// Change returns one change-log entry.
func (s *Store) Change(ctx context.Context, id int64) (store.ObjectChange, error) {
	all, err := s.changes(ctx, " WHERE t.id = ?", []any{id}, "t.id", 1, 0)
	if err != nil {
		return store.ObjectChange{}, err
	}
	if len(all) == 0 {
		return store.ObjectChange{}, &inventory.NotFoundError{Model: "ObjectChange", ID: id}
	}
	return all[0], nil
}
