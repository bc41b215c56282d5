package schema

import (
	"sort"
	"strings"
)

// FilterType is how a filter's values are parsed and compared.
type FilterType int

const (
	FString   FilterType = iota // text
	FNumber                     // integer
	FDecimal                    // decimal(N,2)
	FDate                       // YYYY-MM-DD
	FDateTime                   // ISO 8601
	FID                         // object ids (primary or foreign keys)
	FChoice                     // one of Filter.Values
	FBool                       // true/false/1/0
	FUUID                       // a UUID (request ids), any spelling Python's uuid.UUID reads
)

// Filter is one query parameter family (the base name plus its lookup
// suffixes) of the NetBox query language.
type Filter struct {
	Key  string
	Type FilterType
	// Expr is the SQL expression compared (on table alias t).
	Expr string
	// Exists, when set, wraps the comparison: "EXISTS (SELECT 1 FROM ... WHERE ... AND %s)".
	Exists string
	// Base is the lookup used without a suffix: "exact", "iexact", "icontains"
	// or, for dates, "exact" on the day; or a range lookup ("gte", "lte",
	// "gt", "lt") for a filter that is one end of a range (time_after).
	Base string
	// Variants enables NetBox's automatic lookup suffixes for the type.
	Variants bool
	// Extra lists suffixes allowed even without Variants ("gte", "lte", "isnull", "n").
	Extra []string
	// Values lists the accepted values of an FChoice filter.
	Values []string
	// Digits is the decimal precision for FDecimal values.
	Digits int
	// Method names a filter the store implements specially (tag, has_duplicates, ...).
	Method string
	// Multi false keeps only the last value of a repeated parameter.
	Single bool
	// ValidIn is "table.column" of the objects a value must name (NetBox's
	// model choice filters refuse a value naming none), for the base and
	// __n lookups; "" accepts any value.
	ValidIn string
	// Currency restricts the values to the configured currencies
	// (upstream's MultipleChoiceFilter over the currencies setting): the
	// store refuses a value that is none of them, as a choice filter does.
	Currency bool
	// ContentType marks NetBox's ContentTypeFilter: an app_label.model
	// compared case-insensitively, an unknown one matching nothing
	// (never a 400).
	ContentType bool
	// NeedsNetBox, when set, is why the filter cannot be answered: it
	// matches on NetBox data (names, contacts) this server does not hold.
	NeedsNetBox string
}

// netboxOnly declares an upstream filter on NetBox data; alt is the
// filter to use instead ("" when there is none).
func netboxOnly(key, what, alt string) *Filter {
	msg := "Filtering by " + what + " needs data from NetBox, which this server does not hold"
	if alt != "" {
		msg += "; filter by " + alt + " instead"
	}
	return &Filter{Key: key, Type: FString, NeedsNetBox: msg + "."}
}

// Text reports whether the filter compares text values (blank counts as
// empty).
func (t FilterType) Text() bool { return t == FString || t == FChoice }

// Lookups the NetBox query language knows, by filter type, when Variants is set.
var variantLookups = map[FilterType][]string{
	FString:   {"n", "ic", "nic", "isw", "nisw", "iew", "niew", "ie", "nie", "empty", "regex", "iregex"},
	FNumber:   {"n", "lt", "lte", "gt", "gte", "empty"},
	FDecimal:  {"n", "lt", "lte", "gt", "gte", "empty"},
	FDate:     {"n", "lt", "lte", "gt", "gte", "empty"},
	FDateTime: {"n", "lt", "lte", "gt", "gte", "empty"},
	FID:       {"n"},
	// Choices take the text lookups, as NetBox gives MultipleChoiceFilter.
	FChoice: {"n", "ic", "nic", "isw", "nisw", "iew", "niew", "ie", "nie", "empty", "regex", "iregex"},
}

// BaseRange is the range lookup the filter's bare parameter means, or "".
func (f *Filter) BaseRange() string {
	switch f.Base {
	case "lt", "lte", "gt", "gte":
		return f.Base
	}
	return ""
}

// AllowsLookup reports whether suffix (without "__"; "" for the base) is accepted.
func (f *Filter) AllowsLookup(suffix string) bool {
	if suffix == "" {
		return true
	}
	if f.Variants {
		for _, l := range variantLookups[f.Type] {
			if l == suffix {
				return true
			}
		}
	}
	for _, l := range f.Extra {
		if l == suffix {
			return true
		}
	}
	return false
}

// Lookups lists the suffixes the filter accepts, for documentation.
func (f *Filter) Lookups() []string {
	var out []string
	if f.Variants {
		out = append(out, variantLookups[f.Type]...)
	}
	out = append(out, f.Extra...)
	return out
}

// Filter returns the filter for a parameter base name.
func (e *Entity) Filter(key string) *Filter { return e.filterByKey[key] }

// FilterKeys lists the filter base names, sorted.
func (e *Entity) FilterKeys() []string {
	keys := make([]string, 0, len(e.filterByKey))
	for k := range e.filterByKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// buildFilters derives the default filters from the fields (NetBox's
// Meta.fields behaviour) and lets the entity's declared filters replace or
// extend them.
func (e *Entity) buildFilters(r *Registry) {
	e.filterByKey = map[string]*Filter{}
	add := func(f *Filter) { e.filterByKey[f.Key] = f }
	add(&Filter{Key: "id", Type: FNumber, Expr: "t.id", Base: "exact", Variants: true})
	for _, f := range e.Fields {
		col := "t." + f.Column
		switch f.Kind {
		case String:
			add(&Filter{Key: f.Name, Type: FString, Expr: col, Base: "exact", Variants: true, Currency: f.Currency})
		case Int:
			add(&Filter{Key: f.Name, Type: FNumber, Expr: col, Base: "exact", Variants: true})
		case Decimal:
			add(&Filter{Key: f.Name, Type: FDecimal, Expr: col, Base: "exact", Variants: true, Extra: []string{"isnull"}, Digits: f.Digits})
		case Date:
			add(&Filter{Key: f.Name, Type: FDate, Expr: col, Base: "exact", Variants: true})
		case DateTime:
			add(&Filter{Key: f.Name, Type: FDateTime, Expr: col, Base: "exact", Variants: true})
		case Choice:
			add(&Filter{Key: f.Name, Type: FChoice, Expr: col, Base: "exact", Variants: true, Values: f.Choices.Values()})
		case ContentType:
			add(&Filter{Key: f.Name, Type: FChoice, Expr: col, Base: "exact", Variants: true, Values: f.ContentTypes, ContentType: true})
		case ForeignKey:
			add(&Filter{Key: f.Name + "_id", Type: FID, Expr: col, Base: "exact", Variants: true, ValidIn: r.byName[f.Ref].Table + ".id"})
		case NetBoxRef: // NetBox's objects: not held here, any id is accepted
			add(&Filter{Key: f.Name + "_id", Type: FID, Expr: col, Base: "exact", Variants: true})
		case ManyToMany:
			add(&Filter{Key: f.Name, Type: FID, Expr: "m." + f.JoinTo, Base: "exact", Variants: true, ValidIn: r.byName[f.Ref].Table + ".id",
				Exists: "EXISTS (SELECT 1 FROM " + f.JoinTable + " m WHERE m." + f.JoinFrom + " = t.id AND %s)"})
		}
	}
	if e.HasTags {
		tagged := "EXISTS (SELECT 1 FROM inventory_monitor_taggeditem ti JOIN inventory_monitor_tag tg ON tg.id = ti.tag_id WHERE ti.object_type = '" + e.ObjectType + "' AND ti.object_id = t.id AND %s)"
		add(&Filter{Key: "tag", Type: FString, Expr: "tg.slug", Base: "exact", Exists: tagged, Extra: []string{"n", "any"}, Method: "tag"})
		if e.Name != ProbeName {
			// tag_id is ANDed like tag (NetBox TagIDFilter is conjoined).
			// Upstream's probe filterset is core's BaseFilterSet with a
			// declared tag filter only: no tag_id.
			add(&Filter{Key: "tag_id", Type: FID, Expr: "tg.id", Base: "exact", Exists: tagged, Extra: []string{"n", "any"}, Method: "tag"})
		}
	}
	if e.Field("owner") != nil {
		// PrimaryModel's owner and contact filters (NetBox ownership and
		// contact assignments).
		add(netboxOnly("owner", "owner name", "owner_id"))
		add(netboxOnly("owner_group", "owner group name", ""))
		add(netboxOnly("owner_group_id", "owner group", ""))
		add(netboxOnly("contact", "contact", ""))
		add(netboxOnly("contact_role", "contact role", ""))
		add(netboxOnly("contact_group", "contact group", ""))
	}
	if e.ChangeLogged {
		// NetBox's filters by the request that created or changed objects,
		// read from the change log.
		for _, by := range []struct{ key, actions string }{
			{"created_by_request", "'create'"},
			{"updated_by_request", "'update'"},
			{"modified_by_request", "'create', 'update'"},
		} {
			add(&Filter{Key: by.key, Type: FUUID, Expr: "oc.request_id", Base: "exact",
				Exists: "EXISTS (SELECT 1 FROM " + ObjectChangeTable + " oc WHERE oc.changed_object_type = '" + e.ObjectType +
					"' AND oc.changed_object_id = t.id AND oc.action IN (" + by.actions + ") AND %s)"})
		}
	}
	for _, f := range e.Filters {
		if f.Expr != "" && !strings.Contains(f.Expr, ".") && !strings.Contains(f.Expr, "(") {
			f.Expr = "t." + f.Expr
		}
		add(f)
	}
}
