package schema

import (
	"encoding/json"
	"sort"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
)

// Tag is a label shared by all entities (NetBox extras.Tag).
type Tag struct {
	ID          int64
	Name        string
	Slug        string
	Color       string
	Description string
}

// Record is one object of an entity. Values holds each field's Go value
// (see Kind) keyed by field name; a missing key or nil means NULL.
type Record struct {
	Entity *Entity
	ID     int64
	Values map[string]any
	Tags   []Tag
	// Related holds the objects that foreign keys point to, when loaded;
	// RelatedMany the objects of many-to-many fields.
	Related     map[string]*Record
	RelatedMany map[string][]*Record
}

// NewRecord returns an empty record of e.
func NewRecord(e *Entity) *Record {
	return &Record{Entity: e, Values: make(map[string]any, len(e.Fields))}
}

// Clone copies the record's values (not the related objects).
func (r *Record) Clone() *Record {
	c := &Record{Entity: r.Entity, ID: r.ID, Values: make(map[string]any, len(r.Values)), Related: r.Related, RelatedMany: r.RelatedMany}
	for k, v := range r.Values {
		if ids, ok := v.([]int64); ok {
			v = append([]int64(nil), ids...)
		}
		c.Values[k] = v
	}
	c.Tags = append([]Tag(nil), r.Tags...)
	return c
}

// Str returns a string field, "" when NULL.
func (r *Record) Str(name string) string {
	s, _ := r.Values[name].(string)
	return s
}

// StrPtr returns a string field or nil when NULL.
func (r *Record) StrPtr(name string) *string {
	if s, ok := r.Values[name].(string); ok {
		return &s
	}
	return nil
}

// Int returns an integer field (also foreign keys), with ok false when NULL.
func (r *Record) Int(name string) (int64, bool) {
	i, ok := r.Values[name].(int64)
	return i, ok
}

// IntPtr returns an integer field or nil.
func (r *Record) IntPtr(name string) *int64 {
	if i, ok := r.Values[name].(int64); ok {
		return &i
	}
	return nil
}

// Dec returns a decimal field or nil.
func (r *Record) Dec(name string) *inventory.Decimal {
	if d, ok := r.Values[name].(inventory.Decimal); ok {
		return &d
	}
	return nil
}

// Time returns a date or datetime field or nil.
func (r *Record) Time(name string) *time.Time {
	if t, ok := r.Values[name].(time.Time); ok {
		return &t
	}
	return nil
}

// JSON returns a JSON field or nil.
func (r *Record) JSON(name string) json.RawMessage {
	j, _ := r.Values[name].(json.RawMessage)
	return j
}

// IDs returns a many-to-many field's ids.
func (r *Record) IDs(name string) []int64 {
	ids, _ := r.Values[name].([]int64)
	return ids
}

// Rel returns a loaded related object, or nil.
func (r *Record) Rel(name string) *Record {
	if r.Related == nil {
		return nil
	}
	return r.Related[name]
}

// String is the object's display form.
func (r *Record) String() string {
	if r.Entity.Display != nil {
		return r.Entity.Display(r)
	}
	return "#" + itoa(r.ID)
}

// SetRelated stores a loaded related object.
func (r *Record) SetRelated(name string, rel *Record) {
	if r.Related == nil {
		r.Related = map[string]*Record{}
	}
	r.Related[name] = rel
}

// Snapshot is the object's JSON-ready form for the change log (NetBox's
// serialize_object): every stored field plus tags (names, sorted).
func (r *Record) Snapshot() map[string]any {
	out := make(map[string]any, len(r.Values)+2)
	out["id"] = r.ID
	for _, f := range r.Entity.Fields {
		out[f.Name] = JSONValue(f, r.Values[f.Name])
	}
	if r.Entity.HasTags {
		names := make([]string, 0, len(r.Tags))
		for _, t := range r.Tags {
			names = append(names, t.Name)
		}
		sort.Strings(names)
		out["tags"] = names
	}
	return out
}

// JSONValue converts a field value to what encoding/json should emit.
func JSONValue(f *Field, v any) any {
	if v == nil {
		if f.Kind == ManyToMany {
			return []int64{}
		}
		if f.Kind == JSON && f.Name == "custom_fields" {
			return json.RawMessage("{}")
		}
		return nil
	}
	switch x := v.(type) {
	case inventory.Decimal:
		return json.Number(x.JSONNumber())
	case time.Time:
		if f.Kind == Date {
			return x.Format("2006-01-02")
		}
		return FormatDateTime(x)
	}
	return v
}

// FormatDateTime writes a timestamp as DRF does (Python's isoformat in
// UTC, "+00:00" as "Z"): microseconds, all six digits, only when not zero.
func FormatDateTime(t time.Time) string {
	t = t.UTC()
	if t.Nanosecond()/1000 == 0 {
		return t.Format("2006-01-02T15:04:05Z07:00")
	}
	return t.Format("2006-01-02T15:04:05.000000Z07:00")
}
