package sqlstore

// The tags endpoint's reads and writes (NetBox extras.Tag). Tags are no
// entity of the registry: their rows are read with their usage count and
// written here, with the registry's field checks (schema.Tags) and the
// change log of the other writes.

import (
	"context"
	"fmt"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

// tagSelect reads a tag (alias t) with the number of objects it labels.
const tagSelect = "SELECT t.id, t.name, t.slug, t.color, t.description, t.created, t.last_updated, " +
	"(SELECT COUNT(*) FROM " + schema.TaggedItemTable + " ti WHERE ti.tag_id = t.id) FROM " + schema.TagTable + " t"

// ListTags lists the tags matching q, by name unless q orders them
// otherwise, with the number of matching tags (nil in cursor mode).
func (s *Store) ListTags(ctx context.Context, q filter.Query) ([]store.TagInfo, *int, error) {
	out, total, err := s.listTags(ctx, q)
	return out, total, s.filterError(ctx, q, err)
}

func (s *Store) listTags(ctx context.Context, q filter.Query) ([]store.TagInfo, *int, error) {
	e := schema.Tags
	p, err := s.plainPage(ctx, e, q)
	if err != nil {
		return nil, nil, err
	}
	out, err := s.tags(ctx, s.db, p.where+" ORDER BY "+s.orderBy(e, q)+" LIMIT ? OFFSET ?", append(p.args, p.limit, p.offset)...)
	return out, p.total, err
}

// GetTag returns one tag.
func (s *Store) GetTag(ctx context.Context, id int64) (store.TagInfo, error) {
	all, err := s.tags(ctx, s.db, " WHERE t.id = ?", id)
	if err != nil {
		return store.TagInfo{}, err
	}
	if len(all) == 0 {
		return store.TagInfo{}, &inventory.NotFoundError{Model: schema.Tags.Model, ID: id}
	}
	return all[0], nil
}

// tags selects tags with the rest of a query (WHERE, ORDER BY, ...).
func (s *Store) tags(ctx context.Context, db querier, rest string, args ...any) ([]store.TagInfo, error) {
	rows, err := db.QueryContext(ctx, s.q(tagSelect+rest), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.TagInfo
	for rows.Next() {
		var t store.TagInfo
		var created, updated any
		if err := rows.Scan(&t.ID, &t.Name, &t.Slug, &t.Color, &t.Description, &created, &updated, &t.TaggedItems); err != nil {
			return nil, err
		}
		for _, c := range []struct {
			raw any
			to  **time.Time
		}{{created, &t.Created}, {updated, &t.LastUpdated}} {
			v, err := s.d.decode(schema.DateTime, c.raw)
			if err != nil {
				return nil, err
			}
			if tm, ok := v.(time.Time); ok {
				*c.to = &tm
			}
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// tagsByID reads the given tags in the write transaction.
func (s *Store) tagsByID(ctx context.Context, tx *writeTx, ids []int64) (map[int64]store.TagInfo, error) {
	out := make(map[int64]store.TagInfo, len(ids))
	for _, chunk := range chunks(uniqueIDs(ids), 5000) {
		all, err := s.tags(ctx, tx, " WHERE t.id IN ("+placeholders(len(chunk))+")", idArgs(chunk)...)
		if err != nil {
			return nil, err
		}
		for _, t := range all {
			out[t.ID] = t
		}
	}
	return out, nil
}

// tagRecord is a tag as a record of schema.Tags, for the field checks and
// the change log.
func tagRecord(t store.TagInfo) *schema.Record {
	r := schema.NewRecord(schema.Tags)
	r.ID = t.ID
	r.Values["name"], r.Values["slug"], r.Values["color"], r.Values["description"] = t.Name, t.Slug, t.Color, t.Description
	if t.Created != nil {
		r.Values["created"] = *t.Created
	}
	if t.LastUpdated != nil {
		r.Values["last_updated"] = *t.LastUpdated
	}
	return r
}

// CreateTags adds tags atomically.
func (s *Store) CreateTags(ctx context.Context, patches []store.Patch, m store.Meta) ([]store.TagInfo, error) {
	var out []store.TagInfo
	err := s.inTx(ctx, func(tx *writeTx) error {
		e := schema.Tags
		now := s.stamp()
		ps := make([]*pending, len(patches))
		for i, patch := range patches {
			ps[i] = s.newPending(e, patch)
		}
		if err := s.check(ctx, tx, e, ps); err != nil || m.CheckOnly {
			return err
		}
		ids := make([]int64, len(ps))
		stamp := s.d.encode(schema.DateTime, now)
		for i, p := range ps {
			r := p.rec
			err := tx.QueryRowContext(ctx, s.q("INSERT INTO "+e.Table+" (name, slug, color, description, created, last_updated) VALUES (?, ?, ?, ?, ?, ?) RETURNING id"),
				r.Str("name"), r.Str("slug"), r.Str("color"), r.Str("description"), stamp, stamp).Scan(&ids[i])
			if err != nil {
				return s.writeError(e, err)
			}
		}
		var err error
		out, err = s.finishTags(ctx, tx, ids, nil, m, now)
		return err
	})
	return out, err
}

// UpdateTags changes tags atomically; each patch sets only its keys.
func (s *Store) UpdateTags(ctx context.Context, updates []store.Update, m store.Meta) ([]store.TagInfo, error) {
	var out []store.TagInfo
	err := s.inTx(ctx, func(tx *writeTx) error {
		e := schema.Tags
		now := s.stamp()
		ids := make([]int64, len(updates))
		for i, u := range updates {
			ids[i] = u.ID
		}
		olds, err := s.tagsByID(ctx, tx, ids)
		if err != nil {
			return err
		}
		var ps []*pending
		var kept []int // positions in updates of ps
		pre := map[int64]*schema.Record{}
		for i, u := range updates {
			t, ok := olds[u.ID]
			if !ok {
				if m.SkipMissing {
					continue
				}
				return &inventory.NotFoundError{Model: e.Model, ID: u.ID}
			}
			old := tagRecord(t)
			pre[u.ID] = old
			p := &pending{rec: old.Clone(), old: old, patch: u.Patch, errs: &inventory.ValidationError{}}
			s.apply(p, u.Patch)
			ps, kept = append(ps, p), append(kept, i)
		}
		if err := s.check(ctx, tx, e, ps); err != nil || m.CheckOnly {
			return realign(err, kept, len(updates))
		}
		stamp := s.d.encode(schema.DateTime, now)
		written := make([]int64, len(ps))
		for i, p := range ps {
			r := p.rec
			if _, err := tx.ExecContext(ctx, s.q("UPDATE "+e.Table+" SET name = ?, slug = ?, color = ?, description = ?, last_updated = ? WHERE id = ?"),
				r.Str("name"), r.Str("slug"), r.Str("color"), r.Str("description"), stamp, r.ID); err != nil {
				return s.writeError(e, err)
			}
			written[i] = r.ID
		}
		out, err = s.finishTags(ctx, tx, written, pre, m, now)
		return err
	})
	return out, err
}

// finishTags reads the written tags back, in the order given, and
// records their changes; pre holds the stored state of updated tags.
func (s *Store) finishTags(ctx context.Context, tx *writeTx, ids []int64, pre map[int64]*schema.Record, m store.Meta, now time.Time) ([]store.TagInfo, error) {
	byID, err := s.tagsByID(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]store.TagInfo, len(ids))
	changes := make([]store.ObjectChange, len(ids))
	for i, id := range ids {
		t, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("tag %d vanished while written", id)
		}
		out[i] = t
		action := "create"
		if pre[id] != nil {
			action = "update"
		}
		changes[i] = change(m, now, action, pre[id], tagRecord(t))
	}
	return out, s.logChanges(ctx, tx, changes)
}

// DeleteTags removes tags atomically, and with them their assignments to
// objects (NetBox's TaggedItem rows cascade).
func (s *Store) DeleteTags(ctx context.Context, ids []int64, m store.Meta) error {
	return s.inTx(ctx, func(tx *writeTx) error {
		e := schema.Tags
		now := s.stamp()
		byID, err := s.tagsByID(ctx, tx, ids)
		if err != nil {
			return err
		}
		var del []int64
		var changes []store.ObjectChange
		for _, id := range ids {
			if _, ok := byID[id]; !ok && !m.SkipMissing {
				return &inventory.NotFoundError{Model: e.Model, ID: id}
			}
		}
		for _, id := range uniqueIDs(ids) {
			t, ok := byID[id]
			if !ok {
				continue // m.SkipMissing
			}
			del = append(del, id)
			changes = append(changes, change(m, now, "delete", tagRecord(t), nil))
		}
		for _, chunk := range chunks(del, 5000) {
			in := " IN (" + placeholders(len(chunk)) + ")"
			if _, err := tx.ExecContext(ctx, s.q("DELETE FROM "+schema.TaggedItemTable+" WHERE tag_id"+in), idArgs(chunk)...); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, s.q("DELETE FROM "+e.Table+" WHERE id"+in), idArgs(chunk)...); err != nil {
				return fmt.Errorf("delete tags: %w", err)
			}
		}
		return s.logChanges(ctx, tx, changes)
	})
}
