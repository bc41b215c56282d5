package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

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

const changeColumns = "time, user_id, user_name, request_id, action, changed_object_type, changed_object_id, object_repr, message, prechange_data, postchange_data"

var changeKinds = []schema.Kind{schema.DateTime, schema.Int, schema.String, schema.String, schema.String, schema.String,
	schema.Int, schema.String, schema.String, schema.JSON, schema.JSON}

// logChanges inserts change-log entries in the caller's transaction.
func (s *Store) logChanges(ctx context.Context, tx *writeTx, cs []store.ObjectChange) error {
	value := func(i, col int) any {
		c := &cs[i]
		switch col {
		case 0:
			return c.Time
		case 1:
			if c.UserID == nil {
				return nil
			}
			return *c.UserID
		case 2:
			return c.UserName
		case 3:
			return c.RequestID
		case 4:
			return c.Action
		case 5:
			return c.ChangedObjectType
		case 6:
			return c.ChangedObjectID
		case 7:
			return c.ObjectRepr
		case 8:
			return c.Message
		case 9:
			return nullJSON(c.PrechangeData)
		}
		return nullJSON(c.PostchangeData)
	}
	return s.d.insertRows(ctx, tx, schema.ObjectChangeTable, strings.Split(changeColumns, ", "), changeKinds, len(cs), value)
}

// nullJSON is NULL for absent data (a nil RawMessage in an interface
// would not be).
func nullJSON(j json.RawMessage) any {
	if j == nil {
		return nil
	}
	return j
}

// changeOrderColumns are the columns ChangeQuery.Ordering names stand
// for (store.ChangeOrderings).
var changeOrderColumns = map[string]string{
	"id": "id", "time": "time", "user": "user_id", "user_name": "user_name", "request_id": "request_id", "action": "action",
	"changed_object_type": "changed_object_type", "changed_object_id": "changed_object_id", "object_repr": "object_repr", "message": "message",
}

// Changes lists change-log entries, newest first unless q orders them
// otherwise, with the total count (nil in cursor mode).
func (s *Store) Changes(ctx context.Context, q store.ChangeQuery) ([]store.ObjectChange, *int, error) {
	var conds []string
	var args []any
	in := func(col string, vals []any) {
		if len(vals) > 0 {
			conds = append(conds, col+" IN ("+placeholders(len(vals))+")")
			args = append(args, vals...)
		}
	}
	ints := func(col string, fs []store.IntFilter) {
		for _, f := range fs {
			if p, a := intLookup(col, f); p != "" {
				conds = append(conds, p)
				args = append(args, a...)
			}
		}
	}
	ints("id", q.IDs)
	in("changed_object_type", anys(q.ObjectTypes))
	in("changed_object_id", idArgs(q.ObjectIDs))
	ints("changed_object_id", q.ObjectIDFilters)
	requestIDs := make([]string, len(q.RequestIDs))
	for i, id := range q.RequestIDs {
		requestIDs[i] = truncate(id, maxRequestID) // as stored
	}
	in("request_id", anys(requestIDs))
	in("action", anys(q.Actions))
	in("user_name", anys(q.UserNames))
	in("user_name", anys(q.Users))
	in("user_id", idArgs(q.UserIDs))
	in("object_repr", anys(q.ObjectReprs))
	if q.TimeAfter != nil {
		conds = append(conds, "time >= ?")
		args = append(args, s.d.encode(schema.DateTime, *q.TimeAfter))
	}
	if q.TimeBefore != nil {
		conds = append(conds, "time <= ?")
		args = append(args, s.d.encode(schema.DateTime, *q.TimeBefore))
	}
	if q.Q != "" {
		pattern := "%" + escapeLike(q.Q) + "%"
		p1, a1 := s.ciLike("object_repr", pattern)
		p2, a2 := s.ciLike("message", pattern)
		conds = append(conds, "("+p1+" OR "+p2+")")
		args = append(append(args, a1...), a2...)
	}
	limit, offset := q.Limit, q.Offset
	if limit <= 0 {
		limit = 50
	}
	var total *int
	if q.Start == nil {
		var n int
		if err := s.db.QueryRowContext(ctx, s.q("SELECT COUNT(*) FROM "+schema.ObjectChangeTable+changeWhere(conds)), args...).Scan(&n); err != nil {
			return nil, nil, err
		}
		total = &n
	} else {
		conds = append(conds, "id >= ?")
		args = append(args, *q.Start)
		offset = 0
	}
	out, err := s.changes(ctx, changeWhere(conds), args, changeOrder(q), limit, offset)
	return out, total, err
}

func changeWhere(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// changeOrder is the ORDER BY list of q: by id in cursor mode, else the
// requested keys (ties broken by id, in the direction of the first key),
// else newest first.
func changeOrder(q store.ChangeQuery) string {
	if q.Start != nil {
		return "id"
	}
	var keys []string
	seen := map[string]bool{}
	idDir := ""
	for _, name := range q.Ordering {
		dir := ""
		if n, ok := strings.CutPrefix(name, "-"); ok {
			name, dir = n, " DESC"
		}
		col := changeOrderColumns[name]
		if col == "" || seen[col] {
			continue // unknown ordering fields are ignored (NetBox)
		}
		seen[col] = true
		if len(keys) == 0 {
			idDir = dir
		}
		if col == "user_id" {
			// PostgreSQL's NULL placement (last ascending, first
			// descending) on both databases.
			keys = append(keys, "(user_id IS NULL)"+dir)
		}
		keys = append(keys, col+dir)
	}
	if len(keys) == 0 {
		return "time DESC, id DESC"
	}
	if !seen["id"] {
		keys = append(keys, "id"+idDir)
	}
	return strings.Join(keys, ", ")
}

// intLookup compiles one integer lookup on col ("" when it filters
// nothing out).
func intLookup(col string, f store.IntFilter) (string, []any) {
	switch f.Lookup {
	case "":
		if len(f.Values) > 0 {
			return col + " IN (" + placeholders(len(f.Values)) + ")", idArgs(f.Values)
		}
	case "n":
		if len(f.Values) > 0 {
			return col + " NOT IN (" + placeholders(len(f.Values)) + ")", idArgs(f.Values)
		}
	case "lt", "lte", "gt", "gte":
		op := map[string]string{"lt": "<", "lte": "<=", "gt": ">", "gte": ">="}[f.Lookup]
		ors := make([]string, len(f.Values))
		for i := range f.Values {
			ors[i] = col + " " + op + " ?"
		}
		if len(ors) > 0 {
			return "(" + strings.Join(ors, " OR ") + ")", idArgs(f.Values)
		}
	case "empty":
		var ors []string
		for _, empty := range f.Empty {
			if empty {
				ors = append(ors, col+" IS NULL")
			} else {
				ors = append(ors, col+" IS NOT NULL")
			}
		}
		if len(ors) > 0 {
			return "(" + strings.Join(ors, " OR ") + ")", nil
		}
	}
	return "", nil
}

// changes selects change-log entries with a WHERE clause, in the order
// given.
func (s *Store) changes(ctx context.Context, where string, args []any, order string, limit, offset int) ([]store.ObjectChange, error) {
	rows, err := s.db.QueryContext(ctx, s.q("SELECT id, "+changeColumns+" FROM "+schema.ObjectChangeTable+where+" ORDER BY "+order+" LIMIT ? OFFSET ?"),
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
		if err := rows.Scan(&c.ID, &t, &uid, &c.UserName, &c.RequestID, &c.Action, &c.ChangedObjectType, &c.ChangedObjectID, &c.ObjectRepr, &c.Message, &pre, &post); err != nil {
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

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
