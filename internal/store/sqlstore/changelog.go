package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

// change builds the change-log entry of one write; pre or post is nil for
// creates and deletes.
func change(m store.Meta, now time.Time, action string, pre, post *schema.Record) store.ObjectChange {
	obj := post
	if obj == nil {
		obj = pre
	}
	c := store.ObjectChange{
		Time: now, UserID: m.UserID, UserName: truncate(m.UserName, maxUserName), RequestID: truncate(m.RequestID, maxRequestID), Action: action,
		ChangedObjectType: obj.Entity.ObjectType, ChangedObjectID: obj.ID,
		ObjectRepr: truncate(obj.String(), 200), Message: truncate(m.Message, 200),
	}
	if pre != nil {
		c.PrechangeData, _ = json.Marshal(pre.Snapshot())
	}
	if post != nil {
		c.PostchangeData, _ = json.Marshal(post.Snapshot())
	}
	return c
}

// Column widths of the change log (NetBox: username 150, request id a UUID).
// Longer values are cut, on every database alike, instead of failing the
// write on PostgreSQL only.
const (
	maxUserName  = 150
	maxRequestID = 36
)

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// The change log's columns and kinds, in schema.ObjectChanges order (the
// order logChanges and changes write and read them in).
var changeColumns, changeKinds, changeSelect = func() ([]string, []schema.Kind, string) {
	var cols, sel []string
	var kinds []schema.Kind
	for _, f := range schema.ObjectChanges.Fields {
		cols, kinds, sel = append(cols, f.Column), append(kinds, f.Kind), append(sel, "t."+f.Column)
	}
	return cols, kinds, strings.Join(sel, ", ")
}()

// logChanges inserts change-log entries in the caller's transaction.
func (s *Store) logChanges(ctx context.Context, tx *writeTx, cs []store.ObjectChange) error {
	value := func(i, col int) any {
		c := &cs[i]
		switch changeColumns[col] {
		case "time":
			return c.Time
		case "user_id":
			if c.UserID == nil {
				return nil
			}
			return *c.UserID
		case "user_name":
			return c.UserName
		case "request_id":
			return c.RequestID
		case "action":
			return c.Action
		case "changed_object_type":
			return c.ChangedObjectType
		case "changed_object_id":
			return c.ChangedObjectID
		case "object_repr":
			return c.ObjectRepr
		case "message":
			return c.Message
		case "prechange_data":
			return nullJSON(c.PrechangeData)
		case "postchange_data":
			return nullJSON(c.PostchangeData)
		}
		panic("change log column without a value: " + changeColumns[col])
	}
	return s.d.insertRows(ctx, tx, schema.ObjectChangeTable, changeColumns, changeKinds, len(cs), value)
}

// nullJSON is NULL for absent data (a nil RawMessage in an interface
// would not be).
func nullJSON(j json.RawMessage) any {
	if j == nil {
		return nil
	}
	return j
}

// Changes lists change-log entries matching q (the registry's
// schema.ObjectChanges filters), newest first unless q orders them
// otherwise, with the total count (nil in cursor mode).
func (s *Store) Changes(ctx context.Context, q filter.Query) ([]store.ObjectChange, *int, error) {
	out, total, err := s.changeList(ctx, q)
	return out, total, s.filterError(ctx, q, err)
}

func (s *Store) changeList(ctx context.Context, q filter.Query) ([]store.ObjectChange, *int, error) {
	e := schema.ObjectChanges
	q.Conds = slices.Clone(q.Conds)
	for i, c := range q.Conds {
		var norm func(string) string
		switch c.Filter.Key {
		case "request_id":
			if c.Lookup == "" || c.Lookup == "n" {
				// Stored request ids are cut (see change): a longer one
				// names its entries by the stored part.
				// A UUID in any spelling names the ids the API records.
				norm = func(s string) string {
					if u, ok := filter.CanonicalUUID(s); ok {
						return u
					}
					return truncate(s, maxRequestID)
				}
			}
		case "changed_object_type":
			// NetBox's ContentTypeFilter lowercases app_label.model; the
			// stored types are lowercase.
			norm = strings.ToLower
		}
		if norm == nil {
			continue
		}
		vals := make([]any, len(c.Values))
		for j, v := range c.Values {
			if s, ok := v.(string); ok {
				v = norm(s)
			}
			vals[j] = v
		}
		q.Conds[i].Values = vals
	}
	p, err := s.plainPage(ctx, e, q)
	if err != nil {
		return nil, nil, err
	}
	out, err := s.changes(ctx, p.where, p.args, s.orderBy(e, q), p.limit, p.offset)
	return out, p.total, err
}

// filterError turns a database's refusal of a regex filter into the
// filter's 400 (see regexFilterError): a pattern Go's syntax accepts (the
// filter parser checks it) and PostgreSQL's does not is still the client's
// bad value, not a 500. Other errors pass unchanged.
func (s *Store) filterError(ctx context.Context, q filter.Query, err error) error {
	if invalidRegex(err) != nil {
		return s.regexFilterError(ctx, q, err)
	}
	return err
}

// plainPageSQL is a page of a table outside the entity lists (the change
// log, tags): its WHERE clause with the cursor's bound, the total (nil in
// cursor mode), limit and offset.
type plainPageSQL struct {
	where         string
	args          []any
	total         *int
	limit, offset int
}

func (s *Store) plainPage(ctx context.Context, e *schema.Entity, q filter.Query) (plainPageSQL, error) {
	if err := s.checkModelChoices(ctx, q); err != nil {
		return plainPageSQL{}, err
	}
	where, args, err := s.where(e, q)
	if err != nil {
		return plainPageSQL{}, err
	}
	var conds []string
	if where != "" {
		conds = append(conds, where)
	}
	p := plainPageSQL{limit: q.Limit, offset: q.Offset}
	if q.Start == nil {
		var n int
		if err := s.db.QueryRowContext(ctx, s.q("SELECT COUNT(*) FROM "+e.Table+" t"+whereOf(conds)), args...).Scan(&n); err != nil {
			return plainPageSQL{}, err
		}
		p.total = &n
	} else {
		conds = append(conds, "t.id >= ?")
		args = append(args, *q.Start)
		p.offset = 0
	}
	if p.limit <= 0 {
		p.limit = filter.DefaultLimit
	}
	p.where, p.args = whereOf(conds), args
	return p, nil
}

func whereOf(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// changes selects change-log entries with a WHERE clause, in the order
// given.
func (s *Store) changes(ctx context.Context, where string, args []any, order string, limit, offset int) ([]store.ObjectChange, error) {
	rows, err := s.db.QueryContext(ctx, s.q("SELECT t.id, "+changeSelect+" FROM "+schema.ObjectChangeTable+" t"+where+" ORDER BY "+order+" LIMIT ? OFFSET ?"),
		append(args, limit, offset)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.ObjectChange
	for rows.Next() {
		var c store.ObjectChange
		var t, pre, post any
		var uid sql.NullInt64
		dest := map[string]any{"time": &t, "user_id": &uid, "user_name": &c.UserName, "request_id": &c.RequestID, "action": &c.Action,
			"changed_object_type": &c.ChangedObjectType, "changed_object_id": &c.ChangedObjectID, "object_repr": &c.ObjectRepr,
			"message": &c.Message, "prechange_data": &pre, "postchange_data": &post}
		ptrs := []any{&c.ID}
		for _, col := range changeColumns {
			ptrs = append(ptrs, dest[col])
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		tv, err := s.d.decode(schema.DateTime, t)
		if err != nil {
			return nil, err
		}
		c.Time = tv.(time.Time)
		if uid.Valid {
			c.UserID = &uid.Int64
		}
		if v, _ := s.d.decode(schema.JSON, pre); v != nil {
			c.PrechangeData = v.(json.RawMessage)
		}
		if v, _ := s.d.decode(schema.JSON, post); v != nil {
			c.PostchangeData = v.(json.RawMessage)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CreateTag adds a tag.
func (s *Store) CreateTag(ctx context.Context, t schema.Tag) (schema.Tag, error) {
	if t.Color == "" {
		t.Color = "9e9e9e"
	}
	now := s.d.encode(schema.DateTime, s.stamp())
	err := s.db.QueryRowContext(ctx, s.q("INSERT INTO "+schema.TagTable+" (name, slug, color, description, created, last_updated) VALUES (?, ?, ?, ?, ?, ?) RETURNING id"),
		t.Name, t.Slug, t.Color, t.Description, now, now).Scan(&t.ID)
	return t, err
}

// Tags lists all tags by name.
func (s *Store) Tags(ctx context.Context) ([]schema.Tag, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, name, slug, color, description FROM "+schema.TagTable+" ORDER BY name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []schema.Tag
	for rows.Next() {
		var t schema.Tag
		if err := rows.Scan(&t.ID, &t.Name, &t.Slug, &t.Color, &t.Description); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
