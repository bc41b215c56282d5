package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

// relatedDepth is how far foreign keys are followed when loading objects:
// deep enough for every display string and nested brief object (an
// external inventory item's asset's order contract's contractor).
const relatedDepth = 3

func selectColumns(e *schema.Entity) string {
	cols := []string{"t.id"}
	for _, f := range e.StoredFields() {
		cols = append(cols, "t."+f.Column)
	}
	return strings.Join(cols, ", ")
}

// scanRecords reads rows selected with selectColumns.
func (s *Store) scanRecords(e *schema.Entity, rows *sql.Rows) ([]*schema.Record, error) {
	defer rows.Close()
	fs := e.StoredFields()
	raw := make([]any, len(fs)+1)
	ptrs := make([]any, len(raw))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	var out []*schema.Record
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		r := &schema.Record{Entity: e, Values: make(map[string]any, len(fs))}
		switch id := raw[0].(type) {
		case int64:
			r.ID = id
		default:
			return nil, fmt.Errorf("unexpected id type %T", raw[0])
		}
		for i, f := range fs {
			v, err := s.d.decode(f.Kind, raw[i+1])
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", e.Name, f.Name, err)
			}
			if v != nil {
				r.Values[f.Name] = v
			}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// byIDs loads the objects with the given ids (any order) without relations.
func (s *Store) byIDs(ctx context.Context, db querier, e *schema.Entity, ids []int64) ([]*schema.Record, error) {
	var out []*schema.Record
	for _, chunk := range chunks(ids, 5000) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := db.QueryContext(ctx, s.q("SELECT "+selectColumns(e)+" FROM "+e.Table+" t WHERE t.id IN ("+placeholders(len(chunk))+")"), args...)
		if err != nil {
			return nil, err
		}
		recs, err := s.scanRecords(e, rows)
		if err != nil {
			return nil, err
		}
		out = append(out, recs...)
	}
	return out, nil
}

func chunks(ids []int64, n int) [][]int64 {
	var out [][]int64
	for len(ids) > n {
		out = append(out, ids[:n])
		ids = ids[n:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}

// Get returns one object with its tags, many-to-many ids and related objects.
func (s *Store) Get(ctx context.Context, e *schema.Entity, id int64) (*schema.Record, error) {
	return s.get(ctx, s.db, e, id)
}

func (s *Store) get(ctx context.Context, db querier, e *schema.Entity, id int64) (*schema.Record, error) {
	recs, err := s.byIDs(ctx, db, e, []int64{id})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, &inventory.NotFoundError{Model: e.Verbose, ID: id}
	}
	if err := s.complete(ctx, db, e, recs); err != nil {
		return nil, err
	}
	return recs[0], nil
}

// List returns one page of objects matching q.
func (s *Store) List(ctx context.Context, e *schema.Entity, q filter.Query) (store.Page, error) {
	where, args, err := s.where(e, q)
	if err != nil {
		return store.Page{}, err
	}
	var page store.Page
	cond := ""
	if where != "" {
		cond = " WHERE " + where
	}
	if q.Start == nil {
		var n int
		var err error
		if cond == "" {
			n, err = s.storedCount(ctx, e)
		} else {
			err = s.db.QueryRowContext(ctx, s.q("SELECT COUNT(*) FROM "+e.Table+" t"+cond), args...).Scan(&n)
		}
		if err != nil {
			return page, fmt.Errorf("count %s: %w", e.Name, err)
		}
		page.Count = &n
	} else {
		if cond == "" {
			cond = " WHERE t.id >= ?"
		} else {
			cond += " AND t.id >= ?"
		}
		args = append(args, *q.Start)
	}
	query := "SELECT " + selectColumns(e) + " FROM " + e.Table + " t" + cond + " ORDER BY " + s.orderBy(e, q)
	if q.Limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", q.Limit)
	}
	if q.Offset > 0 {
		if q.Limit <= 0 && s.d == sqliteDialect {
			query += " LIMIT -1"
		}
		query += fmt.Sprintf(" OFFSET %d", q.Offset)
	}
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return page, fmt.Errorf("list %s: %w", e.Name, err)
	}
	page.Records, err = s.scanRecords(e, rows)
	if err != nil {
		return page, err
	}
	return page, s.complete(ctx, s.db, e, page.Records)
}

// complete loads what the API and display strings need beyond the row:
// tags, many-to-many ids, related objects and computed values.
func (s *Store) complete(ctx context.Context, db querier, e *schema.Entity, recs []*schema.Record) error {
	if len(recs) == 0 {
		return nil
	}
	if err := s.loadTags(ctx, db, e, recs); err != nil {
		return err
	}
	if err := s.loadManyToMany(ctx, db, e, recs); err != nil {
		return err
	}
	if e.Name == schema.AssetName {
		if err := s.loadAssetNumbers(ctx, db, recs); err != nil {
			return err
		}
	}
	return s.loadRelated(ctx, db, e, recs, relatedDepth)
}

func recordIDs(recs []*schema.Record) ([]int64, map[int64]*schema.Record) {
	ids := make([]int64, len(recs))
	byID := make(map[int64]*schema.Record, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
		byID[r.ID] = r
	}
	return ids, byID
}

func idArgs(ids []int64) []any {
	a := make([]any, len(ids))
	for i, id := range ids {
		a[i] = id
	}
	return a
}

func (s *Store) loadTags(ctx context.Context, db querier, e *schema.Entity, recs []*schema.Record) error {
	if !e.HasTags {
		return nil
	}
	ids, byID := recordIDs(recs)
	for _, chunk := range chunks(ids, 5000) {
		rows, err := db.QueryContext(ctx, s.q("SELECT ti.object_id, tg.id, tg.name, tg.slug, tg.color, tg.description FROM "+schema.TaggedItemTable+
			" ti JOIN "+schema.TagTable+" tg ON tg.id = ti.tag_id WHERE ti.object_type = ? AND ti.object_id IN ("+placeholders(len(chunk))+") ORDER BY tg.name"),
			append([]any{e.ObjectType}, idArgs(chunk)...)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var oid int64
			var t schema.Tag
			if err := rows.Scan(&oid, &t.ID, &t.Name, &t.Slug, &t.Color, &t.Description); err != nil {
				rows.Close()
				return err
			}
			if r := byID[oid]; r != nil {
				r.Tags = append(r.Tags, t)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) loadManyToMany(ctx context.Context, db querier, e *schema.Entity, recs []*schema.Record) error {
	for _, f := range e.Fields {
		if f.Kind != schema.ManyToMany {
			continue
		}
		ids, byID := recordIDs(recs)
		for _, r := range recs {
			r.Values[f.Name] = []int64{}
		}
		for _, chunk := range chunks(ids, 5000) {
			rows, err := db.QueryContext(ctx, s.q("SELECT "+f.JoinFrom+", "+f.JoinTo+" FROM "+f.JoinTable+" WHERE "+f.JoinFrom+" IN ("+placeholders(len(chunk))+") ORDER BY "+f.JoinTo), idArgs(chunk)...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var from, to int64
				if err := rows.Scan(&from, &to); err != nil {
					rows.Close()
					return err
				}
				r := byID[from]
				r.Values[f.Name] = append(r.Values[f.Name].([]int64), to)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
	}
	return nil
}

// loadAssetNumbers sets the computed asset_numbers value: the distinct,
// sorted inventory numbers of linked external inventory items.
func (s *Store) loadAssetNumbers(ctx context.Context, db querier, recs []*schema.Record) error {
	ids, byID := recordIDs(recs)
	for _, chunk := range chunks(ids, 5000) {
		rows, err := db.QueryContext(ctx, s.q("SELECT DISTINCT m.asset_id, x.inventory_number FROM inventory_monitor_externalinventory_assets m JOIN inventory_monitor_externalinventory x ON x.id = m.externalinventory_id WHERE m.asset_id IN ("+placeholders(len(chunk))+") AND x.inventory_number <> '' ORDER BY m.asset_id, x.inventory_number"), idArgs(chunk)...)
		if err != nil {
			return err
		}
		nums := map[int64][]string{}
		for rows.Next() {
			var id int64
			var n string
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return err
			}
			nums[id] = append(nums[id], n)
		}
		rows.Close()
		for id, ns := range nums {
			byID[id].Values["asset_numbers"] = strings.Join(ns, ", ")
		}
	}
	return nil
}

// loadRelated fills Related (foreign keys) and RelatedMany (many-to-many)
// with one query per field and level.
func (s *Store) loadRelated(ctx context.Context, db querier, e *schema.Entity, recs []*schema.Record, depth int) error {
	if depth <= 0 || len(recs) == 0 {
		return nil
	}
	for _, f := range e.Fields {
		if f.Kind != schema.ForeignKey && f.Kind != schema.ManyToMany {
			continue
		}
		seen := map[int64]bool{}
		var ids []int64
		for _, r := range recs {
			var refs []int64
			if f.Kind == schema.ForeignKey {
				if id, ok := r.Int(f.Name); ok {
					refs = []int64{id}
				}
			} else {
				refs = r.IDs(f.Name)
			}
			for _, id := range refs {
				if !seen[id] {
					seen[id] = true
					ids = append(ids, id)
				}
			}
		}
		if len(ids) == 0 {
			continue
		}
		ref := s.reg.Entity(f.Ref)
		related, err := s.byIDs(ctx, db, ref, ids)
		if err != nil {
			return err
		}
		if ref.Name == schema.AssetName {
			if err := s.loadAssetNumbers(ctx, db, related); err != nil {
				return err
			}
		}
		if err := s.loadRelated(ctx, db, ref, related, depth-1); err != nil {
			return err
		}
		byID := make(map[int64]*schema.Record, len(related))
		for _, rr := range related {
			byID[rr.ID] = rr
		}
		for _, r := range recs {
			if f.Kind == schema.ForeignKey {
				if id, ok := r.Int(f.Name); ok && byID[id] != nil {
					r.SetRelated(f.Name, byID[id])
				}
				continue
			}
			if r.RelatedMany == nil {
				r.RelatedMany = map[string][]*schema.Record{}
			}
			var many []*schema.Record
			for _, id := range r.IDs(f.Name) {
				if rr := byID[id]; rr != nil {
					many = append(many, rr)
				}
			}
			r.RelatedMany[f.Name] = many
		}
	}
	return nil
}
