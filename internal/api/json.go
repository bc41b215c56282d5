package api

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"
)

// object is a JSON object that keeps its keys in insertion order, so
// responses list fields in the serializer's order as NetBox does.
type object struct {
	keys []string
	vals []any
}

func newObject(n int) *object {
	return &object{keys: make([]string, 0, n), vals: make([]any, 0, n)}
}

func (o *object) index(k string) int {
	for i, key := range o.keys {
		if key == k {
			return i
		}
	}
	return -1
}

func (o *object) set(k string, v any) {
	if i := o.index(k); i >= 0 {
		o.vals[i] = v
		return
	}
	o.keys = append(o.keys, k)
	o.vals = append(o.vals, v)
}

func (o *object) get(k string) (any, bool) {
	if i := o.index(k); i >= 0 {
		return o.vals[i], true
	}
	return nil, false
}

// pick keeps only the named keys (in the object's order); unknown names are ignored.
func (o *object) pick(names map[string]bool) *object {
	out := newObject(len(names))
	for i, k := range o.keys {
		if names[k] {
			out.keys = append(out.keys, k)
			out.vals = append(out.vals, o.vals[i])
		}
	}
	return out
}

func (o *object) omit(names map[string]bool) *object {
	out := newObject(len(o.keys))
	for i, k := range o.keys {
		if !names[k] {
			out.keys = append(out.keys, k)
			out.vals = append(out.vals, o.vals[i])
		}
	}
	return out
}

func (o *object) MarshalJSON() ([]byte, error) {
	return appendJSON(nil, o)
}

// marshal encodes without HTML escaping (NetBox does not escape < > &).
func marshal(v any) ([]byte, error) {
	return appendJSON(nil, v)
}

// appendJSON appends v's JSON encoding to b, byte for byte what
// encoding/json (SetEscapeHTML(false)) writes, without reflection for the
// types responses are built from. Object keys are HTML-escaped as
// json.Marshal escapes them.
func appendJSON(b []byte, v any) ([]byte, error) {
	var err error
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case *object:
		if x == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '{')
		for i, k := range x.keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k, true)
			b = append(b, ':')
			if b, err = appendJSON(b, x.vals[i]); err != nil {
				return nil, err
			}
		}
		return append(b, '}'), nil
	case string:
		return appendString(b, x, false), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case json.Number:
		s := string(x)
		if s == "" {
			s = "0"
		}
		if !validNumber(s) {
			break // encoding/json reports the error
		}
		return append(b, s...), nil
	case json.RawMessage:
		if x == nil {
			return append(b, "null"...), nil
		}
		if string(x) == "{}" { // most custom fields: nothing to compact
			return append(b, "{}"...), nil
		}
		buf := bytes.NewBuffer(b)
		if err := json.Compact(buf, x); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	case []any:
		if x == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendJSON(b, e); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	case []string:
		if x == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, e, false)
		}
		return append(b, ']'), nil
	case []int64:
		if x == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, e, 10)
		}
		return append(b, ']'), nil
	case map[string]any:
		return appendMap(b, x, appendJSON)
	case map[string]string:
		return appendMap(b, x, func(b []byte, s string) ([]byte, error) { return appendString(b, s, false), nil })
	}
	return appendReflect(b, v)
}

// appendMap encodes m as an object with sorted keys, as encoding/json does.
func appendMap[V any](b []byte, m map[string]V, appendValue func([]byte, V) ([]byte, error)) ([]byte, error) {
	if m == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '{')
	for i, k := range sortedKeys(m) {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k, false)
		b = append(b, ':')
		var err error
		if b, err = appendValue(b, m[k]); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// appendReflect encodes the remaining types with encoding/json.
func appendReflect(b []byte, v any) ([]byte, error) {
	buf := bytes.NewBuffer(b)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

const hexDigits = "0123456789abcdef"

// appendString is encoding/json's string encoding: control characters,
// quotes and backslashes escaped, invalid UTF-8 as U+FFFD, U+2028 and
// U+2029 escaped, and < > & too when escapeHTML is set.
func appendString(dst []byte, s string, escapeHTML bool) []byte {
	dst = append(dst, '"')
	dst = appendEscaped(dst, s, escapeHTML)
	return append(dst, '"')
}

// appendEscaped is appendString without the quotes; a string written in
// pieces (ASCII after the first) comes out as if written whole.
func appendEscaped(dst []byte, s string, escapeHTML bool) []byte {
	// Most strings need no escaping: copy them whole.
	safe := &plainJSON
	if escapeHTML {
		safe = &plainJSONHTML
	}
	i := 0
	for i < len(s) && safe[s[i]] {
		i++
	}
	if i == len(s) {
		return append(dst, s...)
	}
	start := 0
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && (!escapeHTML || (c != '<' && c != '>' && c != '&')) {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '\\', '"':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(dst, s[start:]...)
}

// plainJSON marks the bytes a JSON string holds as they are: printable
// ASCII but the quote and the backslash (and < > & for plainJSONHTML).
var plainJSON, plainJSONHTML = func() (p, h [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		p[c] = c != '"' && c != '\\'
		h[c] = p[c] && c != '<' && c != '>' && c != '&'
	}
	return p, h
}()

// validNumber is the JSON number grammar (RFC 7159 section 6).
func validNumber(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '-' {
		s = s[1:]
		if s == "" {
			return false
		}
	}
	switch {
	case s[0] == '0':
		s = s[1:]
	case '1' <= s[0] && s[0] <= '9':
		s = s[1:]
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
	default:
		return false
	}
	if len(s) >= 2 && s[0] == '.' && '0' <= s[1] && s[1] <= '9' {
		s = s[2:]
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
	}
	if len(s) >= 2 && (s[0] == 'e' || s[0] == 'E') {
		s = s[1:]
		if s[0] == '+' || s[0] == '-' {
			s = s[1:]
			if s == "" {
				return false
			}
		}
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
	}
	return s == ""
}

// jsonBuffers recycles response buffers.
var jsonBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}
