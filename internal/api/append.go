package api

import (
	"strconv"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/schema"
)

// Direct encoding of records: the bytes of appendJSON(rd.full(r)) (or
// brief), written without building the object tree first. Lists and
// details without fields/omit use it; render stays the reference (and
// serves the other shapes), and TestAppendRecord holds the two equal.

// appendKey writes "key": (keys HTML-escaped, as object keys are).
func appendKey(b []byte, k string) []byte {
	b = appendString(b, k, true)
	return append(b, ':')
}

func (rd renderer) appendObjectURL(b []byte, prefix string, e *schema.Entity, id int64) []byte {
	b = append(b, '"')
	b = appendEscaped(b, rd.base, false)
	b = appendEscaped(b, prefix, false)
	b = appendEscaped(b, e.Path, false)
	b = append(b, '/')
	b = strconv.AppendInt(b, id, 10)
	return append(b, '/', '"')
}

// appendRecord writes r's full or brief form.
func (rd renderer) appendRecord(b []byte, r *schema.Record, brief bool) ([]byte, error) {
	if brief && len(r.Entity.BriefFields) == 0 {
		brief = false
	}
	p := fieldPlan(r.Entity, brief)
	var err error
	b = append(b, '{')
	for i := range p.ops {
		op := &p.ops[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, op.key...)
		switch op.kind {
		case opID:
			b = strconv.AppendInt(b, r.ID, 10)
		case opURL:
			b = rd.appendObjectURL(b, PluginAPIPath, r.Entity, r.ID)
		case opDisplayURL:
			b = rd.appendObjectURL(b, PluginUIPath, r.Entity, r.ID)
		case opDisplay:
			b = appendString(b, r.String(), false)
		case opTags:
			b = rd.appendTags(b, r.Tags)
		case opContractType:
			if _, ok := r.Int("parent"); ok {
				b = append(b, `"subcontract"`...)
			} else {
				b = append(b, `"contract"`...)
			}
		case opAssetNumbers:
			if b, err = appendJSON(b, r.Values["asset_numbers"]); err != nil {
				return nil, err
			}
		case opAssignedObject:
			typ := r.Str("assigned_object_type")
			id, ok := r.Int("assigned_object_id")
			if typ != "" && ok {
				b = rd.appendNetboxObject(b, typ, id)
			} else {
				b = append(b, "null"...)
			}
		case opField:
			if b, err = rd.appendValue(b, r, op.f); err != nil {
				return nil, err
			}
		}
	}
	return append(b, '}'), nil
}

// appendValue is value(r, f) encoded.
func (rd renderer) appendValue(b []byte, r *schema.Record, f *schema.Field) ([]byte, error) {
	var err error
	switch f.Kind {
	case schema.ForeignKey:
		id, ok := r.Int(f.Name)
		if !ok {
			return append(b, "null"...), nil
		}
		if rel := r.Rel(f.Name); rel != nil {
			return rd.appendRecord(b, rel, true)
		}
		b = append(b, `{"id":`...)
		b = strconv.AppendInt(b, id, 10)
		b = append(b, `,"display":"#`...)
		b = strconv.AppendInt(b, id, 10)
		return append(b, `"}`...), nil
	case schema.ManyToMany:
		b = append(b, '[')
		for i, rel := range r.RelatedMany[f.Name] {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = rd.appendRecord(b, rel, true); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	case schema.NetBoxRef:
		id, ok := r.Int(f.Name)
		if !ok {
			return append(b, "null"...), nil
		}
		return rd.appendNetboxObject(b, f.RefType, id), nil
	case schema.String, schema.Choice, schema.ContentType:
		if s, ok := r.Values[f.Name].(string); ok {
			return appendString(b, s, false), nil
		}
	case schema.Int:
		if n, ok := r.Values[f.Name].(int64); ok {
			return strconv.AppendInt(b, n, 10), nil
		}
	case schema.Date, schema.DateTime:
		// schema.JSONValue's layouts, written in place (digits and
		// separators only: nothing to escape).
		if t, ok := r.Values[f.Name].(time.Time); ok {
			b = append(b, '"')
			if f.Kind == schema.Date {
				b = appendDate(b, t)
			} else {
				b = appendDateTime(b, t.UTC())
			}
			return append(b, '"'), nil
		}
	}
	return appendJSON(b, rd.value(r, f))
}

func (rd renderer) appendNetboxObject(b []byte, objectType string, id int64) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, id, 10)
	if p, ok := netboxPaths[objectType]; ok {
		b = append(b, `,"url":"`...)
		b = appendEscaped(b, rd.base, false)
		b = append(b, "/api/"...)
		b = append(b, p...)
		b = append(b, '/')
		b = strconv.AppendInt(b, id, 10)
		b = append(b, `/"`...)
	}
	for _, k := range []string{`,"display":"`, `,"name":"`} {
		b = append(b, k...)
		b = appendEscaped(b, objectType, false)
		b = append(b, " #"...)
		b = strconv.AppendInt(b, id, 10)
		b = append(b, '"')
	}
	return append(b, '}')
}

func (rd renderer) appendTags(b []byte, tags []schema.Tag) []byte {
	b = append(b, '[')
	for i, t := range tags {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = strconv.AppendInt(b, t.ID, 10)
		b = append(b, `,"url":"`...)
		b = appendEscaped(b, rd.base, false)
		b = append(b, TagsAPIPath...)
		b = strconv.AppendInt(b, t.ID, 10)
		b = append(b, `/","display_url":"`...)
		b = appendEscaped(b, rd.base, false)
		b = append(b, TagsUIPath...)
		b = strconv.AppendInt(b, t.ID, 10)
		b = append(b, `/","display":`...)
		b = appendString(b, t.Name, false)
		b = append(b, `,"name":`...)
		b = appendString(b, t.Name, false)
		b = append(b, `,"slug":`...)
		b = appendString(b, t.Slug, false)
		b = append(b, `,"color":`...)
		b = appendString(b, t.Color, false)
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendDate is t.AppendFormat(b, "2006-01-02"), without parsing the
// layout on every call.
func appendDate(b []byte, t time.Time) []byte {
	y, m, d := t.Date()
	if y < 0 || y > 9999 {
		return t.AppendFormat(b, "2006-01-02")
	}
	return appendDigits(appendDigits(appendDigits(b, y, 4), int(m), 2, '-'), d, 2, '-')
}

// appendDateTime appends schema.FormatDateTime(t) without allocating for
// a UTC time.
func appendDateTime(b []byte, t time.Time) []byte {
	_, offset := t.Zone()
	if y := t.Year(); offset != 0 || y < 0 || y > 9999 {
		return append(b, schema.FormatDateTime(t)...)
	}
	b = appendDate(b, t)
	h, m, s := t.Clock()
	b = appendDigits(appendDigits(appendDigits(b, h, 2, 'T'), m, 2, ':'), s, 2, ':')
	if us := t.Nanosecond() / 1000; us != 0 {
		b = appendDigits(b, us, 6, '.')
	}
	return append(b, 'Z')
}

// appendDigits writes the optional separator sep, then v zero-padded to
// width digits.
func appendDigits(b []byte, v, width int, sep ...byte) []byte {
	b = append(b, sep...)
	var buf [8]byte
	for i := width - 1; i >= 0; i-- {
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, buf[:width]...)
}
