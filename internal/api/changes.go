package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

var actionLabels = map[string]string{"create": "Created", "update": "Updated", "delete": "Deleted"}

func (s *Server) renderChange(rd renderer, c store.ObjectChange) *object {
	id := strconv.FormatInt(c.ID, 10)
	o := newObject(15)
	o.set("id", c.ID)
	o.set("url", rd.base+PluginAPIPath+"object-changes/"+id+"/")
	o.set("display_url", rd.base+PluginUIPath+"changelog/"+id+"/")
	o.set("display", c.Time.UTC().Format("2006-01-02 15:04")+" "+c.ObjectRepr+" ("+c.Action+")")
	o.set("time", c.Time.UTC().Format("2006-01-02T15:04:05.999999Z07:00"))
	if c.UserID != nil {
		u := newObject(3)
		u.set("id", *c.UserID)
		u.set("display", c.UserName)
		u.set("username", c.UserName)
		o.set("user", u)
	} else {
		o.set("user", nil)
	}
	o.set("user_name", c.UserName)
	o.set("request_id", c.RequestID)
	o.set("action", map[string]string{"value": c.Action, "label": actionLabels[c.Action]})
	o.set("changed_object_type", c.ChangedObjectType)
	o.set("changed_object_id", c.ChangedObjectID)
	o.set("object_repr", c.ObjectRepr)
	o.set("message", c.Message)
	o.set("prechange_data", rawOrNull(c.PrechangeData))
	o.set("postchange_data", rawOrNull(c.PostchangeData))
	return o
}

// changeBrief are the fields of an entry's brief form (NetBox's
// ObjectChangeSerializer brief_fields).
var changeBrief = map[string]bool{"id": true, "url": true, "display": true, "action": true}

// shapeChange renders c as the entity lists render records (shape.apply).
func (s *Server) shapeChange(rd renderer, c store.ObjectChange, sh shape) *object {
	o := s.renderChange(rd, c)
	if sh.wantsBrief() {
		o = o.pick(changeBrief)
	}
	return sh.trim(o)
}

func rawOrNull(j json.RawMessage) any {
	if len(j) == 0 {
		return nil
	}
	return j
}

// handleChanges lists change-log entries, newest first, with the entity
// lists' conventions: filters (repeated values ORed, empty values ignored,
// unknown parameters ignored), q, ordering, limit/offset or cursor
// pagination (start).
func (s *Server) handleChanges(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	cq, page, err := parseChangeQuery(v)
	if err != nil {
		s.writeError(w, r, err, false)
		return
	}
	changes, total, err := s.opts.Store.Changes(r.Context(), cq)
	if err != nil {
		s.writeError(w, r, err, false)
		return
	}
	// In cursor mode the store was asked for one entry more than the page:
	// without it, this page is the last.
	last := page.Start != nil && len(changes) <= page.Limit
	if page.Start != nil && !last {
		changes = changes[:page.Limit]
	}
	rd, sh := s.renderer(r), shapeOf(v)
	results := make([]any, len(changes))
	var lastID int64
	for i, c := range changes {
		results[i] = s.shapeChange(rd, c, sh)
		lastID = c.ID
	}
	next, prev := s.pageLinks(r, page, total, len(changes), lastID)
	if last {
		next = nil
	}
	out := newObject(4)
	if total != nil {
		out.set("count", *total)
	} else {
		out.set("count", nil)
	}
	out.set("next", next)
	out.set("previous", prev)
	out.set("results", results)
	writeJSON(w, http.StatusOK, out)
}

// Lookups of the integer filters id and changed_object_id (NetBox's
// numeric lookups).
var changeIntLookups = map[string]bool{"": true, "n": true, "lt": true, "lte": true, "gt": true, "gte": true, "empty": true}

// changeTextFilters are the filters on text columns (exact match, values ORed).
var changeTextFilters = map[string]func(*store.ChangeQuery) *[]string{
	"changed_object_type": func(cq *store.ChangeQuery) *[]string { return &cq.ObjectTypes },
	"request_id":          func(cq *store.ChangeQuery) *[]string { return &cq.RequestIDs },
	"user_name":           func(cq *store.ChangeQuery) *[]string { return &cq.UserNames },
	"user":                func(cq *store.ChangeQuery) *[]string { return &cq.Users },
	"action":              func(cq *store.ChangeQuery) *[]string { return &cq.Actions },
	"object_repr":         func(cq *store.ChangeQuery) *[]string { return &cq.ObjectReprs },
}

// parseChangeQuery reads the object-changes query parameters as
// filter.Parse reads an entity list's: a parameter without a non-empty
// value is ignored, NUL characters are refused and invalid UTF-8 is
// replaced, an invalid value of a known filter is a *filter.Error; page
// holds limit, offset and start as filter.ParsePage clamps them.
func parseChangeQuery(v url.Values) (cq store.ChangeQuery, page filter.Query, err error) {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the same request always reports the same error
	for _, key := range keys {
		base, lookup := key, ""
		if i := strings.Index(key, "__"); i > 0 {
			base, lookup = key[:i], key[i+2:]
		}
		known := false
		switch base {
		case "id", "changed_object_id":
			known = changeIntLookups[lookup]
		case "changed_object_type_id":
			known = lookup == "" || lookup == "n"
		default:
			known = lookup == "" && (changeTextFilters[base] != nil || base == "user_id" || base == "time_after" || base == "time_before")
		}
		if !known {
			continue // unknown parameters and lookups are ignored (NetBox)
		}
		var vals []string
		for _, raw := range v[key] {
			if raw == "" {
				continue
			}
			val, err := filter.CleanText(raw)
			if err != nil {
				return cq, page, &filter.Error{Param: key, Message: err.Error()}
			}
			vals = append(vals, val)
		}
		if len(vals) == 0 {
			continue
		}
		switch base {
		case "id", "changed_object_id":
			f, err := intFilter(key, lookup, vals)
			if err != nil {
				return cq, page, err
			}
			switch {
			case base == "id":
				cq.IDs = append(cq.IDs, f)
			case lookup == "":
				cq.ObjectIDs = append(cq.ObjectIDs, f.Values...)
			default:
				cq.ObjectIDFilters = append(cq.ObjectIDFilters, f)
			}
		case "changed_object_type_id":
			return cq, page, &filter.Error{Param: key, Message: "Content type ids are not available; filter by changed_object_type " +
				"(app_label.model, e.g. changed_object_type=inventory_monitor.asset)."}
		case "user_id":
			f, err := intFilter(key, "", vals)
			if err != nil {
				return cq, page, err
			}
			cq.UserIDs = append(cq.UserIDs, f.Values...)
		case "time_after", "time_before":
			t, ok := filter.ParseDateTime(vals[len(vals)-1]) // a single-value filter: the last one counts
			if !ok {
				return cq, page, &filter.Error{Param: key, Message: "Enter a valid date/time."}
			}
			if base == "time_after" {
				cq.TimeAfter = &t
			} else {
				cq.TimeBefore = &t
			}
		case "action":
			for _, a := range vals {
				if actionLabels[a] == "" {
					return cq, page, &filter.Error{Param: key, Message: "Select a valid choice. " + a + " is not one of the available choices."}
				}
			}
			cq.Actions = append(cq.Actions, vals...)
		default:
			dst := changeTextFilters[base](&cq)
			*dst = append(*dst, vals...)
		}
	}
	if cq.Q, err = filter.CleanText(strings.TrimSpace(filter.Last(v, "q"))); err != nil {
		return cq, page, &filter.Error{Param: "q", Message: err.Error()}
	}
	for _, name := range strings.Split(filter.Last(v, "ordering"), ",") {
		if name = strings.TrimSpace(name); name != "" {
			cq.Ordering = append(cq.Ordering, name)
		}
	}
	if err := filter.ParsePage(&page, v); err != nil {
		return cq, page, err
	}
	cq.Limit, cq.Offset, cq.Start = page.Limit, page.Offset, page.Start
	if page.Start != nil {
		cq.Limit++ // one more than the page tells whether a next page exists
	}
	return cq, page, nil
}

// intFilter parses the values of an integer filter's lookup.
func intFilter(key, lookup string, vals []string) (store.IntFilter, error) {
	f := store.IntFilter{Lookup: lookup}
	for _, sv := range vals {
		if lookup == "empty" {
			b, ok := filter.ParseBool(sv)
			if !ok {
				return f, &filter.Error{Param: key, Message: "Select a valid choice. " + sv + " is not one of the available choices."}
			}
			f.Empty = append(f.Empty, b)
			continue
		}
		n, err := strconv.ParseInt(sv, 10, 64)
		if err != nil {
			return f, &filter.Error{Param: key, Message: "Enter a number."}
		}
		f.Values = append(f.Values, n)
	}
	return f, nil
}

// handleChange serves one change-log entry.
func (s *Server) handleChange(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if ok {
		c, err := s.opts.Store.Change(r.Context(), id)
		if err == nil {
			writeJSON(w, http.StatusOK, s.shapeChange(s.renderer(r), c, shapeOf(r.URL.Query())))
			return
		}
		if !errors.As(err, new(*inventory.NotFoundError)) {
			s.writeError(w, r, err, false)
			return
		}
	}
	detail(w, http.StatusNotFound, (&inventory.NotFoundError{Model: "ObjectChange"}).Error())
}
