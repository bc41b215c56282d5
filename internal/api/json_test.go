package api

import (
	"bytes"
	"encoding/json"
	"testing"
)

// refObject is the reflection-based encoding appendJSON must reproduce:
// keys through json.Marshal, values through an encoder without HTML
// escaping.
type refObject struct {
	keys []string
	vals []any
}

func (o refObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := refMarshal(o.vals[i])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func refMarshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(toRef(v)); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// toRef replaces objects by refObjects, recursively through []any and maps.
func toRef(v any) any {
	switch x := v.(type) {
	case *object:
		if x == nil {
			return nil
		}
		r := refObject{keys: x.keys}
		for _, e := range x.vals {
			r.vals = append(r.vals, toRef(e))
		}
		return r
	case []any:
		if x == nil {
			return x
		}
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = toRef(e)
		}
		return out
	case map[string]any:
		if x == nil {
			return x
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = toRef(e)
		}
		return out
	}
	return v
}

func sample(s string) any {
	inner := newObject(3)
	inner.set("id", int64(7))
	inner.set(s, s)
	inner.set("raw", json.RawMessage(`{ "a" : [1, 2, {"<b>":"x&y"}] }`))
	o := newObject(12)
	o.set("id", int64(-3))
	o.set("n", 42)
	o.set("name", s)
	o.set(s, true)
	o.set("nil", nil)
	o.set("num", json.Number("12.50"))
	o.set("empty", json.Number(""))
	o.set("nested", inner)
	o.set("list", []any{inner, s, int64(1), nil, []any{}})
	o.set("ids", []int64{1, 2, 3})
	o.set("noids", []int64(nil))
	o.set("strs", []string{s, "b"})
	o.set("m", map[string]string{s: s, "a": "b"})
	o.set("ma", map[string]any{s: inner, "z": []string{}})
	o.set("f", 1.5)
	o.set("errs", map[string][]string{"x": {s}})
	o.set("nilobj", (*object)(nil))
	o.set("name", "again "+s) // replaces in place
	return o
}

func FuzzAppendJSON(f *testing.F) {
	for _, s := range []string{"", "plain", "<a href=\"x\">&amp;</a>", "tab\there\nnew\r\x00\x1f\x7f", "bad\xff\xfeutf8",
		"line\u2028sep\u2029", "ünïcødé 日本", "back\\slash \"quoted\"", "\b\f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := sample(s)
		want, werr := refMarshal(v)
		got, gerr := marshal(v)
		if (werr != nil) != (gerr != nil) {
			t.Fatalf("errors differ: %v / %v", werr, gerr)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("got  %s\nwant %s", got, want)
		}
	})
}

func TestAppendJSONErrors(t *testing.T) {
	for _, v := range []any{json.Number("1.2.3"), json.RawMessage(`{"a":`), json.RawMessage{}} {
		if _, err := marshal(v); err == nil {
			t.Errorf("%#v: no error", v)
		}
		o := newObject(1)
		o.set("x", v)
		if _, err := marshal([]any{o}); err == nil {
			t.Errorf("nested %#v: no error", v)
		}
	}
	if b, _ := marshal(json.RawMessage(nil)); string(b) != "null" {
		t.Errorf("nil raw message: %s", b)
	}
}
