package api

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
)

// handleList serves GET on a collection: filters, q, ordering,
// limit/offset or cursor pagination, brief/fields/omit.
func (s *Server) handleList(w http.ResponseWriter, r *http.Request, e *schema.Entity) {
	v := r.URL.Query()
	q, err := filter.Parse(e, v)
	if err != nil {
		s.writeError(w, r, err, false)
		return
	}
	page, err := s.opts.Store.List(r.Context(), e, cursorProbe(q))
	if err != nil {
		s.writeError(w, r, err, false)
		return
	}
	var more bool
	page.Records, more = cursorTrim(q, page.Records)
	rd := s.renderer(r)
	shape := shapeOf(v)
	var lastID int64
	if n := len(page.Records); n > 0 {
		lastID = page.Records[n-1].ID
	}
	next, prev := s.pageLinks(r, q, page.Count, len(page.Records), lastID, more)
	if shape.direct() {
		writeJSONWith(w, http.StatusOK, func(b []byte) ([]byte, error) {
			b = append(b, `{"count":`...)
			if page.Count != nil {
				b = strconv.AppendInt(b, int64(*page.Count), 10)
			} else {
				b = append(b, "null"...)
			}
			var err error
			b = append(b, `,"next":`...)
			if b, err = appendJSON(b, next); err != nil {
				return nil, err
			}
			b = append(b, `,"previous":`...)
			if b, err = appendJSON(b, prev); err != nil {
				return nil, err
			}
			b = append(b, `,"results":[`...)
			for i, rec := range page.Records {
				if i > 0 {
					b = append(b, ',')
				}
				if b, err = rd.appendRecord(b, rec, shape.brief); err != nil {
					return nil, err
				}
			}
			return append(b, "]}"...), nil
		})
		return
	}
	results := make([]any, len(page.Records))
	for i, rec := range page.Records {
		results[i] = shape.apply(rd, rec)
	}
	writePage(w, page.Count, next, prev, results)
}

// writePage answers NetBox's list envelope; count is nil in cursor mode.
func writePage(w http.ResponseWriter, count *int, next, prev any, results []any) {
	out := newObject(4)
	if count != nil {
		out.set("count", *count)
	} else {
		out.set("count", nil)
	}
	out.set("next", next)
	out.set("previous", prev)
	out.set("results", results)
	writeJSON(w, http.StatusOK, out)
}

// direct reports whether objects render straight to JSON (appendRecord):
// full or brief, without a field selection.
func (sh shape) direct() bool { return sh.fields == nil && sh.omit == nil }

// shape is how objects are rendered: brief, a field subset, or omissions.
type shape struct {
	brief  bool
	fields map[string]bool
	omit   map[string]bool
}

func shapeOf(v url.Values) shape {
	// NetBox: any non-empty value asks for the brief form (brief=false too).
	sh := shape{brief: filter.Last(v, "brief") != ""}
	if f := filter.Last(v, "fields"); f != "" {
		sh.fields = nameSet(f)
	}
	if o := filter.Last(v, "omit"); o != "" {
		sh.omit = nameSet(o)
	}
	return sh
}

func nameSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			m[p] = true
		}
	}
	return m
}

// apply renders rec: fields wins over omit and brief (NetBox).
func (sh shape) apply(rd renderer, rec *schema.Record) *object {
	if sh.wantsBrief() {
		return sh.trim(rd.brief(rec))
	}
	return sh.trim(rd.full(rec))
}

// pickFrom applies the shape to an object rendered in full whose brief form
// is the fields brief names (the change log, tags).
func (sh shape) pickFrom(full *object, brief map[string]bool) *object {
	if sh.wantsBrief() {
		full = full.pick(brief)
	}
	return sh.trim(full)
}

// wantsBrief reports whether the brief form is to be rendered: fields
// wins over brief.
func (sh shape) wantsBrief() bool { return sh.fields == nil && sh.brief }

// trim applies fields or omit to the rendered form.
func (sh shape) trim(o *object) *object {
	switch {
	case sh.fields != nil:
		return o.pick(sh.fields)
	case sh.omit != nil:
		return o.omit(sh.omit)
	}
	return o
}

// cursorProbe asks the store for one entry more than a cursor page: it
// tells whether a next page exists, so the last page has no next link.
func cursorProbe(q filter.Query) filter.Query {
	if q.Start != nil {
		q.Limit++
	}
	return q
}

// cursorTrim cuts a cursor page read with cursorProbe back to its limit and
// reports whether more entries follow it.
func cursorTrim[T any](q filter.Query, items []T) ([]T, bool) {
	if q.Start == nil || len(items) <= q.Limit {
		return items, false
	}
	return items[:q.Limit], true
}

// pageLinks builds next/previous absolute URLs from the request's query;
// more (cursor mode) tells whether entries follow the page.
func (s *Server) pageLinks(r *http.Request, q filter.Query, count *int, n int, lastID int64, more bool) (any, any) {
	base := s.baseURL(r) + r.URL.Path
	link := func(set map[string]string, del ...string) string {
		v := r.URL.Query()
		for _, k := range del {
			v.Del(k)
		}
		for k, val := range set {
			v.Set(k, val)
		}
		return base + "?" + v.Encode()
	}
	limit := strconv.Itoa(q.Limit)
	if q.Start != nil {
		if !more {
			return nil, nil
		}
		return link(map[string]string{"start": strconv.FormatInt(lastID+1, 10), "limit": limit}), nil
	}
	var next, prev any
	if count != nil && q.Offset+n < *count && q.Limit > 0 {
		next = link(map[string]string{"limit": limit, "offset": strconv.Itoa(q.Offset + q.Limit)})
	}
	if q.Offset > 0 {
		if q.Offset-q.Limit > 0 {
			prev = link(map[string]string{"limit": limit, "offset": strconv.Itoa(q.Offset - q.Limit)})
		} else {
			prev = link(map[string]string{"limit": limit}, "offset")
		}
	}
	return next, prev
}

// handleGet serves one object.
func (s *Server) handleGet(w http.ResponseWriter, r *http.Request, e *schema.Entity) {
	id, ok := pathID(r)
	if !ok {
		detail(w, http.StatusNotFound, (&inventory.NotFoundError{Model: e.Model}).Error())
		return
	}
	rec, err := s.opts.Store.Get(r.Context(), e, id)
	if err != nil {
		s.writeError(w, r, err, false)
		return
	}
	sh, rd := shapeOf(r.URL.Query()), s.renderer(r)
	if sh.direct() {
		writeJSONWith(w, http.StatusOK, func(b []byte) ([]byte, error) { return rd.appendRecord(b, rec, sh.brief) })
		return
	}
	writeJSON(w, http.StatusOK, sh.apply(rd, rec))
}
