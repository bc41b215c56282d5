// Package filter parses NetBox's query language (field__lookup=value,
// q, ordering, limit/offset/start) into a typed query for one entity.
package filter

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
)

// NetBox's pagination defaults (PAGINATE_COUNT, MAX_PAGE_SIZE).
const (
	DefaultLimit = 50
	MaxLimit     = 1000
)

// Cond is one filter parameter: its values are ORed (tags: ANDed).
type Cond struct {
	Filter *schema.Filter
	Lookup string // "" for the base lookup, else the suffix without "__"
	// Values are typed by the filter type: string, int64, inventory.Decimal,
	// time.Time, bool; nil stands for "null".
	Values []any
}

// Order is one ordering key.
type Order struct {
	// Column is the SQL expression sorted: a column of alias t, or of a
	// related table that one of Query.Joins joins in.
	Column string
	Desc   bool
	// Nullable marks a key that may be NULL whatever its column (a
	// related object's value): NULLs sort as PostgreSQL sorts them.
	Nullable bool
}

// Query is a parsed list request.
type Query struct {
	Conds    []Cond
	Q        string
	Ordering []Order // empty: the entity's default ordering
	// Joins are the LEFT JOINs (" LEFT JOIN table alias ON ...") that
	// related ordering keys read; the query selecting a page's rows in
	// Ordering adds them after its "FROM table t".
	Joins  []string
	Limit  int // 0: no limit
	Offset int
	Start  *int64 // cursor mode: rows with id >= Start, ordered by id
}

// Error is an invalid value for a known parameter; the API answers it as
// 400 {"<Param>": ["<Message>"]}.
type Error struct {
	Param   string
	Message string
}

func (e *Error) Error() string { return e.Param + ": " + e.Message }

// Parameters that are not filters.
var reserved = map[string]bool{
	"q": true, "ordering": true, "limit": true, "offset": true, "start": true,
	"brief": true, "fields": true, "omit": true, "format": true, "exclude": true,
}

// Parse turns query parameters into a Query for entity e. Unknown
// parameters are ignored, as NetBox does.
func Parse(e *schema.Entity, v url.Values) (Query, error) {
	var q Query
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys) // deterministic SQL for the same request
	for _, key := range keys {
		if reserved[key] {
			continue
		}
		base, lookup := key, ""
		if i := strings.Index(key, "__"); i > 0 {
			base, lookup = key[:i], key[i+2:]
		}
		f := e.Filter(base)
		if f != nil && f.NeedsNetBox != "" && len(nonEmpty(trimmed(v[key]))) > 0 {
			// Any lookup: answering with every object would be worse than
			// refusing (scripts filter before they bulk-edit or delete).
			return q, &Error{Param: key, Message: f.NeedsNetBox}
		}
		if f == nil && strings.HasPrefix(key, "cf_") && len(nonEmpty(trimmed(v[key]))) > 0 {
			// NetBox's custom-field filters need its custom field
			// definitions; ignoring one would answer with every object.
			return q, &Error{Param: key, Message: "Filtering by custom fields needs NetBox's custom field definitions, which this server does not hold."}
		}
		if f == nil || !f.AllowsLookup(lookup) {
			// Some upstream filters are declared with the suffix in their
			// name (price__isnull is covered by AllowsLookup; name__ic too).
			continue
		}
		raw := v[key]
		if f.Type != schema.FChoice && f.Type != schema.FBool || f.ContentType {
			// Django's text, number, date and id fields strip their input
			// (its choice and boolean fields do not).
			raw = trimmed(raw)
		}
		if raw = nonEmpty(raw); len(raw) == 0 {
			continue
		}
		if f.Single {
			raw = raw[len(raw)-1:]
		}
		if lookup == "" && f.BaseRange() != "" {
			lookup = f.BaseRange()
		}
		c := Cond{Filter: f, Lookup: lookup}
		for _, s := range raw {
			s, err := CleanText(s)
			if err != nil {
				return q, &Error{Param: key, Message: err.Error()}
			}
			val, err := parseValue(f, lookup, s)
			if err != nil {
				return q, &Error{Param: key, Message: err.Error()}
			}
			c.Values = append(c.Values, val)
		}
		q.Conds = append(q.Conds, c)
	}
	term, err := CleanText(strings.TrimSpace(Last(v, "q")))
	if err != nil {
		return q, &Error{Param: "q", Message: err.Error()}
	}
	q.Q = term
	q.Ordering, q.Joins = parseOrdering(e, Last(v, "ordering"))
	return q, ParsePage(&q, v)
}

func trimmed(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = strings.TrimSpace(s)
	}
	return out
}

func nonEmpty(in []string) []string {
	var out []string
	for _, s := range in {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func invalidChoice(s string) error {
	return fmt.Errorf("Select a valid choice. %s is not one of the available choices.", s)
}

// Last is a single-valued parameter's value: the last one given, as
// Django's QueryDict.get reads it (url.Values.Get takes the first).
func Last(v url.Values, key string) string {
	if vs := v[key]; len(vs) > 0 {
		return vs[len(vs)-1]
	}
	return ""
}

// CleanText refuses NUL characters (no database stores them in text) and
// replaces invalid UTF-8, which then simply matches nothing.
func CleanText(s string) (string, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return "", fmt.Errorf("Null characters are not allowed.")
	}
	return strings.ToValidUTF8(s, "\uFFFD"), nil
}

// ParseBool accepts NetBox's boolean spellings.
func ParseBool(s string) (bool, bool) {
	switch s {
	case "true", "True", "TRUE", "1", "yes", "on":
		return true, true
	case "false", "False", "FALSE", "0", "no", "off":
		return false, true
	}
	return false, false
}

func parseValue(f *schema.Filter, lookup, s string) (any, error) {
	if f.Type == schema.FChoice && lookup != "empty" && lookup != "isnull" {
		// NetBox's lookups of a choice filter are choice filters too:
		// every value must be one of the choices (icontains of a choice
		// value, not of any text).
		if s == "null" && f.Method == "" {
			if lookup == "" || lookup == "n" {
				return nil, nil
			}
			return s, nil // the text "null": matches no choice
		}
		if f.ContentType && (lookup == "" || lookup == "n") {
			if s = strings.ToLower(s); !slices.Contains(f.Values, s) {
				return Nothing, nil
			}
			return s, nil
		}
		if !slices.Contains(f.Values, s) {
			return nil, invalidChoice(s)
		}
		return s, nil
	}
	switch lookup {
	case "empty", "isnull":
		b, ok := ParseBool(s)
		if !ok {
			return nil, invalidChoice(s)
		}
		return b, nil
	case "regex", "iregex":
		// Checked here so a bad pattern is a 400, not a database error;
		// Go's syntax is close to PostgreSQL's and is SQLite's here.
		if _, err := regexp.Compile(s); err != nil {
			return nil, fmt.Errorf("Enter a valid regular expression: %s.", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
		return s, nil
	case "ic", "nic", "isw", "nisw", "iew", "niew", "ie", "nie":
		return s, nil
	}
	// "null" matches an empty value with the base lookup and its negation;
	// method filters and range lookups take it as an ordinary value (and
	// reject it when it is not one).
	if s == "null" && f.Type != FBoolType && f.Method == "" && (lookup == "" || lookup == "n") {
		return nil, nil
	}
	switch f.Type {
	case schema.FString:
		return s, nil
	case schema.FNumber:
		n, ok := numberIn(s, lookup, 0)
		if !ok {
			return nil, fmt.Errorf("Enter a number.")
		}
		return n, nil
	case schema.FID:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("“%s” is not a valid value.", s) // Django's invalid_pk_value
		}
		if n < 0 {
			return nil, invalidChoice(s)
		}
		return n, nil
	case schema.FDecimal:
		n, ok := numberIn(s, lookup, inventory.DecimalPlaces)
		if !ok {
			return nil, fmt.Errorf("Enter a number.")
		}
		if n, isInt := n.(int64); isInt {
			return inventory.Decimal(n), nil
		}
		return n, nil
	case schema.FDate:
		t, ok := ParseDate(s)
		if !ok {
			return nil, fmt.Errorf("Enter a valid date.")
		}
		return t, nil
	case schema.FDateTime:
		t, ok := ParseDateTime(s)
		if !ok {
			return nil, fmt.Errorf("Enter a valid date/time.")
		}
		return t, nil
	case schema.FBool:
		b, ok := ParseBool(s)
		if !ok {
			return nil, invalidChoice(s)
		}
		return b, nil
	case schema.FUUID:
		u, ok := CanonicalUUID(s)
		if !ok {
			return nil, fmt.Errorf("Enter a valid UUID.")
		}
		return u, nil
	}
	return s, nil
}

// canonicalUUID reads a UUID as Python's uuid.UUID does (urn: and uuid:
// dropped, braces around it and hyphens optional, any case) and writes it
// as request ids are kept: lower case with hyphens.
func CanonicalUUID(s string) (string, bool) {
	h := strings.ReplaceAll(strings.ReplaceAll(s, "urn:", ""), "uuid:", "")
	h = strings.ToLower(strings.ReplaceAll(strings.Trim(h, "{}"), "-", ""))
	if len(h) != 32 {
		return "", false
	}
	for i := 0; i < len(h); i++ {
		if !('0' <= h[i] && h[i] <= '9' || 'a' <= h[i] && h[i] <= 'f') {
			return "", false
		}
	}
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], true
}

// FBoolType aliases schema.FBool for the null check above.
const FBoolType = schema.FBool

func parseOrdering(e *schema.Entity, s string) ([]Order, []string) {
	var out []Order
	var joins []string
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		desc := strings.HasPrefix(part, "-")
		name := strings.TrimPrefix(part, "-")
		if name == "" || seen[name] {
			continue // a key given again cannot change the order (nor join again)
		}
		seen[name] = true
		if name == "id" {
			out = append(out, Order{Column: "t.id", Desc: desc})
			continue
		}
		f := e.Field(name)
		if f == nil || f.Kind == schema.ManyToMany || f.Kind == schema.JSON {
			continue // unknown ordering fields are ignored
		}
		if f.Kind == schema.ForeignKey && f.Target != nil {
			var keys []Order
			keys, joins = relatedOrder(f.Target, "t."+f.Column, desc, joins, 1)
			out = append(out, keys...)
			continue
		}
		out = append(out, Order{Column: "t." + f.Column, Desc: desc})
	}
	return out, joins
}

// relatedOrder is Django's ordering by a foreign key: by the related
// entity's own ordering (each key reversed for a descending order, a
// foreign key in it followed in turn), read through a LEFT JOIN of the
// object whose id is the SQL expression id; it returns the keys and joins
// with the joins it adds. Chains stop after three relations (depth; Django
// refuses cycles, and none of the registry's orderings has one).
func relatedOrder(target *schema.Entity, id string, desc bool, joins []string, depth int) ([]Order, []string) {
	if depth > 3 {
		return []Order{{Column: id, Desc: desc, Nullable: true}}, joins
	}
	alias := "o" + strconv.Itoa(len(joins)+1)
	joins = append(joins, " LEFT JOIN "+target.Table+" "+alias+" ON "+alias+".id = "+id)
	var out []Order
	for _, name := range target.Ordering {
		d := desc
		if n, ok := strings.CutPrefix(name, "-"); ok {
			name, d = n, !desc
		}
		if name == "id" {
			out = append(out, Order{Column: alias + ".id", Desc: d, Nullable: true})
			continue
		}
		f := target.Field(name)
		switch {
		case f == nil || f.Kind == schema.ManyToMany || f.Kind == schema.JSON:
		case f.Kind == schema.ForeignKey && f.Target != nil:
			var keys []Order
			keys, joins = relatedOrder(f.Target, alias+"."+f.Column, d, joins, depth+1)
			out = append(out, keys...)
		default:
			out = append(out, Order{Column: alias + "." + f.Column, Desc: d, Nullable: true})
		}
	}
	if len(out) == 0 {
		out = append(out, Order{Column: alias + ".id", Desc: desc, Nullable: true})
	}
	return out, joins
}

// nonNegative reads a limit or offset. Python's int() has no range, so a
// number beyond int's saturates (the maximum page; a page past the end)
// rather than counting as "not a number".
func nonNegative(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	if errors.Is(err, strconv.ErrRange) && n > 0 {
		return math.MaxInt, true
	}
	return n, err == nil && n >= 0
}

// ParsePage applies NetBox's clamping: limit default 50, above max → max,
// 0 → max, negative or not a number → default; start excludes offset and
// ordering.
func ParsePage(q *Query, v url.Values) error {
	q.Limit = DefaultLimit
	if n, ok := nonNegative(Last(v, "limit")); ok {
		q.Limit = n
		if n == 0 || n > MaxLimit {
			q.Limit = MaxLimit
		}
	}
	if n, ok := nonNegative(Last(v, "offset")); ok {
		q.Offset = n
	}
	if s := Last(v, "start"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return &Error{Param: "start", Message: "Invalid start value: must be a non-negative integer."}
		}
		if Last(v, "offset") != "" {
			return &Error{Param: "start", Message: "The start and offset parameters cannot be used together."}
		}
		if Last(v, "ordering") != "" {
			return &Error{Param: "start", Message: "The start parameter cannot be combined with ordering."}
		}
		q.Start = &n
	}
	return nil
}
