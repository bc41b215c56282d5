package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

// decoder turns JSON request objects into store patches, with DRF's
// messages for values of the wrong type.
type decoder struct {
	ctx  context.Context
	st   store.Store
	tags []schema.Tag // loaded on first use
}

// item is one decoded object of a request body.
type item struct {
	id      *int64 // bulk update/delete
	patch   store.Patch
	message string // changelog_message
	errs    *inventory.ValidationError
}

// parseBody reads a JSON object or list of objects; list reports which.
func parseBody(body []byte) (objs []map[string]json.RawMessage, list bool, err error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, false, fmt.Errorf("Expected a JSON object or list in the request body.")
	}
	if trimmed[0] == '[' {
		// One pass for the usual body, a list of objects; anything else
		// takes the item-by-item path below for its precise message.
		if json.Unmarshal(trimmed, &objs) == nil && !slices.ContainsFunc(objs, func(m map[string]json.RawMessage) bool { return m == nil }) {
			return objs, true, nil
		}
		objs = nil
		var raws []json.RawMessage
		if err := json.Unmarshal(trimmed, &raws); err != nil {
			return nil, true, fmt.Errorf("JSON parse error - %s", jsonErr(err))
		}
		for i, raw := range raws {
			var m map[string]json.RawMessage
			if err := json.Unmarshal(raw, &m); err != nil || m == nil {
				return nil, true, fmt.Errorf("Item %d: Invalid data. Expected a dictionary, but got %s.", i, jsonKind(raw))
			}
			objs = append(objs, m)
		}
		return objs, true, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &m); err != nil {
		if trimmed[0] != '{' {
			return nil, false, fmt.Errorf("Invalid data. Expected a dictionary, but got %s.", jsonKind(trimmed))
		}
		return nil, false, fmt.Errorf("JSON parse error - %s", jsonErr(err))
	}
	return []map[string]json.RawMessage{m}, false, nil
}

func jsonErr(err error) string {
	return strings.TrimPrefix(err.Error(), "json: ")
}

func jsonKind(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '"':
		return "str"
	case '[':
		return "list"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number"
}

// decode converts one JSON object for entity e.
func (d *decoder) decode(e *schema.Entity, obj map[string]json.RawMessage, wantID bool) item {
	it := item{patch: store.Patch{}, errs: &inventory.ValidationError{}}
	for key, raw := range obj {
		switch key {
		case "id":
			if wantID {
				id, err := decodeInt(raw)
				if err != nil || id <= 0 {
					it.errs.Add("id", "A valid integer is required.")
				} else {
					it.id = &id
				}
			}
			continue
		case "changelog_message":
			var s string
			if json.Unmarshal(raw, &s) == nil {
				it.message = s
			}
			continue
		case "tags":
			if e.HasTags {
				ids, err := d.tagIDs(raw)
				if err != nil {
					it.errs.Add("tags", err.Error())
				} else {
					it.patch["tags"] = ids
				}
			}
			continue
		}
		f := e.Field(key)
		if f == nil || f.ReadOnly {
			continue // DRF ignores unknown and read-only keys
		}
		v, err := d.value(f, raw)
		if err != nil {
			it.errs.Add(key, err.Error())
			continue
		}
		it.patch[key] = v
	}
	if wantID && it.id == nil && !it.errs.Has("id") {
		it.errs.Add("id", "This field is required.")
	}
	return it
}

func isNull(raw json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

// plainString returns the content of a JSON string literal that has no
// escapes (the common case), which needs no decoding.
func plainString(raw []byte) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", false
	}
	body := raw[1 : len(raw)-1]
	for _, c := range body {
		if c == '\\' || c == '"' || c < 0x20 {
			return "", false
		}
	}
	if !utf8.Valid(body) {
		return "", false // the decoder replaces invalid bytes
	}
	return string(body), true
}

// decodeInt reads an integer given as a JSON number or numeric string.
// raw is a value of an already parsed document, so a plain integer
// literal parses directly.
func decodeInt(raw json.RawMessage) (int64, error) {
	if len(raw) > 0 && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9') {
		if i, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
			return i, nil
		}
	}
	var n json.Number
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return 0, err
	}
	switch x := v.(type) {
	case json.Number:
		n = x
	case string:
		n = json.Number(strings.TrimSpace(x))
	default:
		return 0, fmt.Errorf("not a number")
	}
	if i, err := n.Int64(); err == nil {
		return i, nil
	}
	f, err := n.Float64()
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, fmt.Errorf("not an integer")
	}
	return int64(f), nil
}

func (d *decoder) value(f *schema.Field, raw json.RawMessage) (any, error) {
	if isNull(raw) {
		return nil, nil
	}
	if f.Kind == schema.ContentType || f.Kind == schema.NetBoxRef {
		if s, ok := plainString(raw); ok && s == "" {
			return nil, nil // DRF's related fields read "" as null
		}
	}
	switch f.Kind {
	case schema.String, schema.Choice, schema.ContentType:
		if x, ok := plainString(raw); ok {
			return x, nil
		}
		var v any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("Not a valid string.")
		}
		switch x := v.(type) {
		case string:
			if f.Kind == schema.String {
				return x, nil
			}
			return x, nil
		case json.Number:
			if f.Kind == schema.String {
				return x.String(), nil // DRF's CharField accepts numbers
			}
		}
		if f.Kind == schema.Choice {
			return nil, fmt.Errorf("%q is not a valid choice.", string(raw))
		}
		return nil, fmt.Errorf("Not a valid string.")
	case schema.Int:
		n, err := decodeInt(raw)
		if err != nil {
			return nil, fmt.Errorf("A valid integer is required.")
		}
		return n, nil
	case schema.Decimal:
		var v any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("A valid number is required.")
		}
		var s string
		number := false
		switch x := v.(type) {
		case json.Number:
			s, number = x.String(), true
		case string:
			s = strings.TrimSpace(x)
		default:
			return nil, fmt.Errorf("A valid number is required.")
		}
		if len(s) > 1000 {
			return nil, fmt.Errorf("String value too large.") // DRF's DecimalField limit
		}
		if strings.ContainsAny(s, "eE") {
			var err error
			if s, err = inventory.PlainDecimal(s, f.Digits); err != nil {
				return nil, err
			}
		}
		if number && strings.Contains(s, ".") {
			// DRF reads a JSON number as a float, so 12.340 is 12.34:
			// the fraction's trailing zeros are no decimal places.
			s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
		}
		return inventory.ParseDecimal(s, f.Digits)
	case schema.Date:
		s, ok := plainString(raw)
		if !ok && json.Unmarshal(raw, &s) != nil {
			return nil, fmt.Errorf("Date has wrong format. Use one of these formats instead: YYYY-MM-DD.")
		}
		t, ok := filter.ParseDate(s)
		if !ok {
			return nil, fmt.Errorf("Date has wrong format. Use one of these formats instead: YYYY-MM-DD.")
		}
		return t, nil
	case schema.DateTime:
		s, ok := plainString(raw)
		if !ok && json.Unmarshal(raw, &s) != nil {
			return nil, fmt.Errorf("Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].")
		}
		t, ok := filter.ParseDateTime(s)
		if !ok {
			return nil, fmt.Errorf("Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].")
		}
		return t.Truncate(time.Microsecond), nil
	case schema.JSON:
		if f.Name == "custom_fields" {
			var m map[string]any
			if json.Unmarshal(raw, &m) != nil {
				return nil, fmt.Errorf("Invalid data. Expected a dictionary, but got %s.", jsonKind(raw))
			}
		}
		// Re-encode: valid UTF-8, compact, and no NUL (PostgreSQL's jsonb
		// refuses \u0000).
		var v any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("Value must be valid JSON.")
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false) // "<" stays "<", as Python's json writes it
		if err := enc.Encode(v); err != nil {
			return nil, fmt.Errorf("Value must be valid JSON.")
		}
		out := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		if bytes.Contains(out, []byte(`\u0000`)) {
			return nil, fmt.Errorf("Null characters are not allowed.")
		}
		return json.RawMessage(out), nil
	case schema.ForeignKey:
		return d.related(d.st, f.Ref, raw)
	case schema.NetBoxRef:
		return refID(raw)
	case schema.ManyToMany:
		var raws []json.RawMessage
		if json.Unmarshal(raw, &raws) != nil {
			return nil, fmt.Errorf("Expected a list of items but got type %q.", jsonKind(raw))
		}
		ids := []int64{}
		for _, r := range raws {
			id, err := d.related(d.st, f.Ref, r)
			if err != nil {
				return nil, err
			}
			if id == nil {
				return nil, fmt.Errorf("This field may not be null.")
			}
			ids = append(ids, id.(int64))
		}
		return ids, nil
	}
	return nil, fmt.Errorf("Unsupported field.")
}

// refID accepts a NetBox object id as a number or {"id": n}.
func refID(raw json.RawMessage) (any, error) {
	if n, err := decodeInt(raw); err == nil {
		if n < 0 {
			return nil, fmt.Errorf("Related objects must be referenced by a positive numeric ID.")
		}
		return n, nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) == nil {
		if idRaw, ok := m["id"]; ok {
			return refID(idRaw)
		}
		// NetBox would look the attributes up; this server holds no
		// NetBox objects to look them up in.
		return nil, fmt.Errorf("NetBox objects can only be referenced by numeric ID (or {\"id\": N}) here: this server does not hold NetBox's data to find %s.", string(raw))
	}
	return nil, fmt.Errorf("Related objects must be referenced by numeric ID or by dictionary of attributes. Received an unrecognized value: %s", string(raw))
}

// related resolves a foreign key given as a pk or as a dict of attributes
// identifying exactly one existing object (NetBox's nested write form,
// get(**attrs): exact, case-sensitive values of the object's fields).
func (d *decoder) related(st store.Store, refName string, raw json.RawMessage) (any, error) {
	if isNull(raw) {
		return nil, nil
	}
	if n, err := decodeInt(raw); err == nil {
		return n, nil
	}
	if s, ok := plainString(raw); ok && s == "" {
		return nil, nil // DRF's related fields read "" as null
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return nil, fmt.Errorf("Related objects must be referenced by numeric ID or by dictionary of attributes. Received an unrecognized value: %s", string(raw))
	}
	e := schema.Inventory.Entity(refName)
	notFound := fmt.Errorf("Related object not found using the provided attributes: %s", string(raw))
	attrs := make(map[string]any, len(m))
	for k, v := range m {
		kind := schema.Int
		if k != "id" {
			f := e.Field(k)
			if f == nil {
				return nil, notFound
			}
			kind = f.Kind
		}
		val, ok := lookupValue(kind, v)
		if !ok {
			return nil, notFound
		}
		attrs[k] = val
	}
	ids, err := st.FindIDs(d.ctx, e, attrs, 2)
	if err != nil {
		return nil, err // the attributes were checked: a database error
	}
	switch len(ids) {
	case 1:
		return ids[0], nil
	case 0:
		return nil, notFound
	}
	return nil, fmt.Errorf("Multiple objects match the provided attributes: %s", string(raw))
}

// lookupValue converts a JSON attribute value for an exact lookup on a
// field of kind k: numbers (or numeric strings) for ids and integers,
// strings (or numbers, as text) for text. ok is false for anything else.
func lookupValue(k schema.Kind, v any) (any, bool) {
	switch k {
	case schema.Int, schema.ForeignKey, schema.NetBoxRef:
		switch x := v.(type) {
		case float64:
			if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
				return int64(x), true
			}
		case string:
			if n, err := strconv.ParseInt(x, 10, 64); err == nil {
				return n, true
			}
		case nil:
			return nil, true
		}
	case schema.String, schema.Choice, schema.ContentType:
		switch x := v.(type) {
		case string:
			return x, true
		case float64:
			return strconv.FormatFloat(x, 'f', -1, 64), true
		case nil:
			return nil, true
		}
	}
	return nil, false
}

// tagIDs accepts tag ids or dicts of tag attributes (id, name, slug,
// color, description), each matching exactly one tag exactly.
func (d *decoder) tagIDs(raw json.RawMessage) ([]int64, error) {
	if isNull(raw) {
		return []int64{}, nil
	}
	var raws []json.RawMessage
	if json.Unmarshal(raw, &raws) != nil {
		return nil, fmt.Errorf("Expected a list of items but got type %q.", jsonKind(raw))
	}
	ids := make([]int64, 0, len(raws))
	for _, r := range raws {
		if isNull(r) {
			return nil, fmt.Errorf("This field may not be null.")
		}
		if n, err := decodeInt(r); err == nil {
			ids = append(ids, n)
			continue
		}
		var m map[string]any
		if json.Unmarshal(r, &m) != nil {
			return nil, fmt.Errorf("Related objects must be referenced by numeric ID or by dictionary of attributes. Received an unrecognized value: %s", string(r))
		}
		if d.tags == nil {
			tags, err := d.st.Tags(d.ctx)
			if err != nil {
				return nil, err
			}
			d.tags = tags
		}
		var found []int64
		for _, t := range d.tags {
			if tagMatches(t, m) {
				found = append(found, t.ID)
			}
		}
		switch len(found) {
		case 0:
			return nil, fmt.Errorf("Related object not found using the provided attributes: %s", string(r))
		case 1:
			ids = append(ids, found[0])
		default:
			return nil, fmt.Errorf("Multiple objects match the provided attributes: %s", string(r))
		}
	}
	return ids, nil
}

// tagMatches reports whether every attribute of m names a tag attribute
// that t has exactly.
func tagMatches(t schema.Tag, m map[string]any) bool {
	for k, v := range m {
		var want string
		switch k {
		case "id":
			want = strconv.FormatInt(t.ID, 10)
		case "name":
			want = t.Name
		case "slug":
			want = t.Slug
		case "color":
			want = t.Color
		case "description":
			want = t.Description
		default:
			return false
		}
		switch x := v.(type) {
		case float64:
			if strconv.FormatFloat(x, 'f', -1, 64) != want {
				return false
			}
		case string:
			if x != want {
				return false
			}
		default:
			return false
		}
	}
	return true
}
