package api

import (
	"bytes"
	"encoding/json"
)

// object is a JSON object that keeps its keys in insertion order, so
// responses list fields in the serializer's order as NetBox does.
type object struct {
	keys []string
	vals map[string]any
}

func newObject(n int) *object {
	return &object{keys: make([]string, 0, n), vals: make(map[string]any, n)}
}

func (o *object) set(k string, v any) {
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

func (o *object) get(k string) (any, bool) {
	v, ok := o.vals[k]
	return v, ok
}

// pick keeps only the named keys (in the object's order); unknown names are ignored.
func (o *object) pick(names map[string]bool) *object {
	out := newObject(len(names))
	for _, k := range o.keys {
		if names[k] {
			out.set(k, o.vals[k])
		}
	}
	return out
}

func (o *object) omit(names map[string]bool) *object {
	out := newObject(len(o.keys))
	for _, k := range o.keys {
		if !names[k] {
			out.set(k, o.vals[k])
		}
	}
	return out
}

func (o *object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := marshal(o.vals[k])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal encodes without HTML escaping (NetBox does not escape < > &).
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}
