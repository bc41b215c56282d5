package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/inventory-monitor/inventory-monitor/internal/schema"
)

// FindIDs returns the ids, at most limit, of the objects whose stored
// values equal attrs exactly: "id" or a text, choice or integer field
// (foreign keys by id), a nil value meaning NULL. It is NetBox's nested
// object lookup (get(**attrs)): case-sensitive, no partial matches.
func (s *Store) FindIDs(ctx context.Context, e *schema.Entity, attrs map[string]any, limit int) ([]int64, error) {
	conds := make([]string, 0, len(attrs))
	args := make([]any, 0, len(attrs)+1)
	for name, v := range attrs {
		col, kind := "id", schema.Int
		if name != "id" {
			f := e.Field(name)
			if f == nil || f.Kind == schema.ManyToMany || !exactKinds[f.Kind] {
				return nil, fmt.Errorf("%s has no field %q to look up by", e.Verbose, name)
			}
			col, kind = f.Column, f.Kind
		}
		if v == nil {
			conds = append(conds, "t."+col+" IS NULL")
			continue
		}
		conds = append(conds, "t."+col+" = ?")
		args = append(args, s.d.encode(kind, v))
	}
	query := "SELECT t.id FROM " + e.Table + " t"
	if len(conds) > 0 {
		query += " WHERE " + strings.Join(conds, " AND ")
	}
	query += " ORDER BY t.id LIMIT ?"
	args = append(args, limit)
	rows, err := s.query(ctx, s.db, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", e.Name, err)
	}
	return scanIDs(rows)
}

// exactKinds are the field kinds FindIDs compares.
var exactKinds = map[schema.Kind]bool{
	schema.String: true, schema.Choice: true, schema.ContentType: true,
	schema.Int: true, schema.ForeignKey: true, schema.NetBoxRef: true,
}
