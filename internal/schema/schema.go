// Package schema is the per-entity registry: every entity and field is
// described here once, and storage, filters, the API, CSV and forms are
// driven by these descriptions.
package schema

import (
	"strings"

	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
)

// Kind is the value type of a field.
type Kind int

const (
	String      Kind = iota // varchar/text; Go value string
	Int                     // integer; int64
	Decimal                 // decimal(N,2); inventory.Decimal
	Date                    // date; time.Time at UTC midnight
	DateTime                // timestamp; time.Time UTC
	JSON                    // free JSON; json.RawMessage
	Choice                  // string restricted to Field.Choices
	ForeignKey              // id of another entity; int64
	NetBoxRef               // id of a NetBox object (Field.RefType); int64
	ContentType             // "app_label.model" restricted to Field.ContentTypes
	ManyToMany              // ids of another entity; []int64 (join table)
)

// OnDelete is what deleting the referenced object does to this one.
type OnDelete int

const (
	Protect OnDelete = iota
	Cascade
	SetNull
)

// Field describes one stored attribute.
type Field struct {
	Name     string // API and filter name ("type" for the FK column "type_id")
	Column   string // SQL column
	Label    string // verbose name for forms/tables
	Kind     Kind
	MaxLen   int  // String: maximum length in characters (0 = unbounded)
	Digits   int  // Decimal: max digits in total (decimal(Digits,2))
	Null     bool // NULL allowed in storage
	Required bool // must be present and non-empty (Django blank=False)
	Unique   bool
	// Currency marks a currency code: free text when written (upstream
	// never validates it), one of the configured currencies in filters.
	Currency bool
	// Default is the value a create gets when the input omits the field.
	Default any
	// NonNegative rejects values below zero (Int, Decimal).
	NonNegative bool
	Choices     *inventory.ChoiceSet
	// Ref is the referenced entity name for ForeignKey and ManyToMany;
	// Target is that entity (set by the registry).
	Ref      string
	Target   *Entity
	OnDelete OnDelete
	// RefType is the NetBox object type of a NetBoxRef ("dcim.device").
	RefType string
	// ContentTypes lists the allowed values of a ContentType field.
	ContentTypes []string
	// M2M join table: table name, this side's column and the other side's column.
	JoinTable, JoinFrom, JoinTo string
	// BlankIsNull stores "" as NULL (Django unique+null CharFields).
	BlankIsNull bool
	// ReadOnly fields are not accepted on write.
	ReadOnly bool
	// Format restricts a String field's non-blank values.
	Format Format
}

// Format is a restriction on the characters of a String field.
type Format int

const (
	FreeText Format = iota
	Slug            // Django SlugField: ASCII letters, digits, underscores, hyphens
	Color           // NetBox ColorField: six lowercase hexadecimal digits
)

// Valid reports whether s (non-blank) has the format.
func (f Format) Valid(s string) bool {
	switch f {
	case Slug:
		return s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == ""
	case Color:
		return len(s) == 6 && strings.Trim(s, "0123456789abcdef") == ""
	}
	return true
}

// Pattern is the format as an unanchored regular expression (for the
// OpenAPI document), "" for free text.
func (f Format) Pattern() string {
	switch f {
	case Slug:
		return "[-a-zA-Z0-9_]+"
	case Color:
		return "[0-9a-f]{6}"
	}
	return ""
}

// Message is the validation message for a value without the format,
// worded as the upstream API (DRF's SlugField, NetBox's ColorValidator)
// words it.
func (f Format) Message() string {
	switch f {
	case Slug:
		return `Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.`
	case Color:
		return "Enter a valid hexadecimal RGB color code."
	}
	return ""
}

// DjangoVerboseName is the model's verbose name as Django has it: upstream's
// Meta.verbose_name, or the class name in lower case words.
func (e *Entity) DjangoVerboseName() string {
	if e.VerboseName != "" {
		return e.VerboseName
	}
	return strings.ToLower(e.Verbose)
}

// Nullable reports whether the field may hold no value.
func (f *Field) Nullable() bool { return f.Null }

// Entity describes one model.
type Entity struct {
	Name  string // registry key and object type model name: "asset"
	Model string // upstream's model class name, as Django's messages name it: "AssetType"
	// VerboseName is upstream's Meta.verbose_name where it sets one
	// ("External Inventory Item", "RMA"); Django's default is the class
	// name in lower case words ("asset service").
	VerboseName string
	Verbose     string // "Asset"
	Plural      string // "Assets"
	Table       string
	Path        string // URL segment: "assets"
	ObjectType  string // "inventory_monitor.asset"
	Fields      []*Field
	// Common fields the entity has.
	HasTimestamps bool // created, last_updated
	HasTags       bool
	HasCustom     bool // custom_field_data
	ChangeLogged  bool
	// Ordering is the default order (field names, "-" prefix for descending).
	Ordering []string
	// Search lists the SQL expressions (on alias t) that q matches with
	// icontains; SearchVia adds matches through related tables.
	Search    []string
	SearchVia []Via
	// Filters beyond those derived from fields (see filters.go).
	Filters []*Filter
	// API serializer fields in order, and the brief subset.
	APIFields   []string
	BriefFields []string
	// Display renders the object's string form (Django __str__).
	// DisplayFields names every field it reads, "rel.field" for a field of
	// the object that foreign key rel points to: a related object read for
	// a brief nested form needs no more than its BriefFields and these
	// (a test holds Display to the list).
	Display       func(r *Record) string
	DisplayFields []string
	// Clean holds the entity's own validation rules; it runs after the
	// field checks, on the merged record.
	Clean func(r *Record, v *inventory.ValidationError)

	fieldByName map[string]*Field
	filterByKey map[string]*Filter
}

// BriefReads names the fields the brief form reads: its stored
// BriefFields, those its computed fields derive from, and the fields
// Display reads (for "rel.field", the foreign key rel).
func (e *Entity) BriefReads() []string {
	var out []string
	for _, name := range append(append([]string(nil), e.BriefFields...), e.DisplayFields...) {
		rel, _, _ := strings.Cut(name, ".")
		switch rel {
		case "assigned_object":
			out = append(out, "assigned_object_type", "assigned_object_id")
		case "contract_type":
			out = append(out, "parent")
		default:
			out = append(out, rel)
		}
	}
	return out
}

// Field returns the field with the given name, or nil.
func (e *Entity) Field(name string) *Field { return e.fieldByName[name] }

// StoredFields are the fields with a column in the entity's table.
func (e *Entity) StoredFields() []*Field {
	out := make([]*Field, 0, len(e.Fields))
	for _, f := range e.Fields {
		if f.Kind != ManyToMany {
			out = append(out, f)
		}
	}
	return out
}

// Via is a search through a related table: IDs selects the ids of this
// entity's rows, with one %s where the predicate on Expr goes.
type Via struct{ IDs, Expr string }

// Reverse describes a reference from another entity to this one.
type Reverse struct {
	From  *Entity
	Field *Field
}

// Registry is the set of all entities.
type Registry struct {
	Entities []*Entity
	byName   map[string]*Entity
	byPath   map[string]*Entity
	reverse  map[string][]Reverse
}

// Entity returns an entity by name.
func (r *Registry) Entity(name string) *Entity { return r.byName[name] }

// ByObjectType returns the entity of an object type ("inventory_monitor.asset"), or nil.
func (r *Registry) ByObjectType(objectType string) *Entity {
	app, name, ok := strings.Cut(objectType, ".")
	if e := r.byName[name]; ok && e != nil && app+"."+e.Name == e.ObjectType {
		return e
	}
	return nil
}

// ByPath returns the entity served at the URL segment path.
func (r *Registry) ByPath(path string) *Entity { return r.byPath[path] }

// References lists the fields of other entities (or this one) that point
// to e, in registry order.
func (r *Registry) References(e *Entity) []Reverse { return r.reverse[e.Name] }

func newRegistry(entities ...*Entity) *Registry {
	r := &Registry{Entities: entities, byName: map[string]*Entity{}, byPath: map[string]*Entity{}, reverse: map[string][]Reverse{}}
	for _, e := range entities {
		r.byName[e.Name] = e
		r.byPath[e.Path] = e
		e.fieldByName = map[string]*Field{}
		for _, f := range e.Fields {
			if f.Column == "" && f.Kind != ManyToMany {
				f.Column = f.Name
			}
			e.fieldByName[f.Name] = f
		}
	}
	for _, e := range entities {
		for _, f := range e.Fields {
			if f.Kind == ForeignKey || f.Kind == ManyToMany {
				f.Target = r.byName[f.Ref]
				r.reverse[f.Ref] = append(r.reverse[f.Ref], Reverse{From: e, Field: f})
			}
		}
		e.buildFilters(r)
	}
	return r
}
