package api

import (
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

// The tags endpoint is NetBox's /api/extras/tags/ (extras.Tag): the
// objects' nested tags link there, and scripts create the tags they then
// put on objects. It reads filters with the entity lists' query language
// (schema.Tags declares them) and writes as the entity endpoints do:
// single or list bodies, atomic, validated, change logged.

// TagsAPIPath and TagsUIPath are where NetBox serves tags.
const (
	TagsAPIPath = "/api/extras/tags/"
	TagsUIPath  = "/extras/tags/"
)

func (s *Server) tagRoutes() {
	s.mux.HandleFunc("GET "+TagsAPIPath+"{$}", s.handleTagList)
	s.mux.HandleFunc("POST "+TagsAPIPath+"{$}", s.handleTagCreate)
	s.mux.HandleFunc("PUT "+TagsAPIPath+"{$}", s.handleTagBulkUpdate)
	s.mux.HandleFunc("PATCH "+TagsAPIPath+"{$}", s.handleTagBulkUpdate)
	s.mux.HandleFunc("DELETE "+TagsAPIPath+"{$}", s.handleTagBulkDelete)
	s.mux.HandleFunc("OPTIONS "+TagsAPIPath+"{$}", s.handleTagOptions)
	s.mux.HandleFunc("GET "+TagsAPIPath+"{id}/{$}", s.handleTagGet)
	s.mux.HandleFunc("PUT "+TagsAPIPath+"{id}/{$}", s.handleTagUpdate)
	s.mux.HandleFunc("PATCH "+TagsAPIPath+"{id}/{$}", s.handleTagUpdate)
	s.mux.HandleFunc("DELETE "+TagsAPIPath+"{id}/{$}", s.handleTagDelete)
	s.mux.HandleFunc("OPTIONS "+TagsAPIPath+"{id}/{$}", s.handleTagOptions)
	s.mux.HandleFunc(TagsAPIPath+"{$}", s.methodNotAllowed)
	s.mux.HandleFunc(TagsAPIPath+"{id}/{$}", s.methodNotAllowed)
}

// renderTag is NetBox's TagSerializer representation.
func (rd renderer) renderTag(t store.TagInfo) *object {
	id := strconv.FormatInt(t.ID, 10)
	o := newObject(11)
	o.set("id", t.ID)
	o.set("url", rd.base+TagsAPIPath+id+"/")
	o.set("display_url", rd.base+TagsUIPath+id+"/")
	o.set("display", t.Name)
	o.set("name", t.Name)
	o.set("slug", t.Slug)
	o.set("color", t.Color)
	o.set("description", t.Description)
	o.set("tagged_items", t.TaggedItems)
	o.set("created", timestamp(t.Created))
	o.set("last_updated", timestamp(t.LastUpdated))
	return o
}

// timestamp is a stored time as the API writes it, or null.
func timestamp(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format("2006-01-02T15:04:05.999999Z07:00")
}

// tagBrief are the fields of a tag's brief form (TagSerializer.brief_fields).
var tagBrief = map[string]bool{"id": true, "url": true, "display": true, "name": true, "slug": true, "color": true, "description": true}

// shapeTag renders t as the entity lists render records (shape.apply).
func (rd renderer) shapeTag(t store.TagInfo, sh shape) *object {
	o := rd.renderTag(t)
	if sh.wantsBrief() {
		o = o.pick(tagBrief)
	}
	return sh.trim(o)
}

func (s *Server) writeTags(w http.ResponseWriter, r *http.Request, status int, tags []store.TagInfo, list bool) {
	rd := s.renderer(r)
	if !list {
		writeJSON(w, status, rd.renderTag(tags[0]))
		return
	}
	out := make([]any, len(tags))
	for i, t := range tags {
		out[i] = rd.renderTag(t)
	}
	writeJSON(w, status, out)
}

func tagNotFound(w http.ResponseWriter) {
	detail(w, http.StatusNotFound, (&inventory.NotFoundError{Model: schema.Tags.Model}).Error())
}

// handleTagList lists tags, by name, with filters, q, ordering and both
// paginations.
func (s *Server) handleTagList(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	q, err := filter.Parse(schema.Tags, v)
	if err != nil {
		s.writeError(w, r, err, false)
		return
	}
	tags, total, err := s.opts.Store.ListTags(r.Context(), cursorProbe(q))
	if err != nil {
		s.writeError(w, r, err, false)
		return
	}
	tags, more := cursorTrim(q, tags)
	rd, sh := s.renderer(r), shapeOf(v)
	results := make([]any, len(tags))
	var lastID int64
	for i, t := range tags {
		results[i] = rd.shapeTag(t, sh)
		lastID = t.ID
	}
	next, prev := s.pageLinks(r, q, total, len(tags), lastID, more)
	writePage(w, total, next, prev, results)
}

// handleTagGet serves one tag.
func (s *Server) handleTagGet(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		tagNotFound(w)
		return
	}
	t, err := s.opts.Store.GetTag(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err, false)
		return
	}
	writeJSON(w, http.StatusOK, s.renderer(r).shapeTag(t, shapeOf(r.URL.Query())))
}

// handleTagCreate serves POST of one tag or a list (all or nothing).
func (s *Server) handleTagCreate(w http.ResponseWriter, r *http.Request) {
	items, list, ok := s.readItems(w, r, schema.Tags, false)
	if !ok {
		return
	}
	if len(items) == 0 {
		writeJSON(w, http.StatusCreated, []any{})
		return
	}
	patches := make([]store.Patch, len(items))
	for i, it := range items {
		patches[i] = it.patch
	}
	tags, err := s.opts.Store.CreateTags(r.Context(), patches, meta(r, message(items)))
	if err != nil {
		s.writeError(w, r, err, list)
		return
	}
	s.writeTags(w, r, http.StatusCreated, tags, list)
}

// handleTagUpdate serves PUT/PATCH of one tag.
func (s *Server) handleTagUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		tagNotFound(w)
		return
	}
	items, list, ok := s.readItems(w, r, schema.Tags, false)
	if !ok {
		return
	}
	if list {
		detail(w, http.StatusBadRequest, "Invalid data. Expected a dictionary, but got list.")
		return
	}
	if r.Method == http.MethodPut {
		if v := requiredMissing(schema.Tags, items[0]); !v.Empty() {
			// A missing tag is still a 404, even with an incomplete body.
			if _, err := s.opts.Store.GetTag(r.Context(), id); err != nil {
				s.writeError(w, r, err, false)
				return
			}
			s.writeError(w, r, v, false)
			return
		}
	}
	tags, err := s.opts.Store.UpdateTags(r.Context(), []store.Update{{ID: id, Patch: items[0].patch}}, meta(r, items[0].message))
	if err != nil {
		s.writeError(w, r, err, false)
		return
	}
	s.writeTags(w, r, http.StatusOK, tags, false)
}

// handleTagBulkUpdate serves PUT/PATCH on the list with [{"id": n, ...}].
func (s *Server) handleTagBulkUpdate(w http.ResponseWriter, r *http.Request) {
	items, list, ok := s.readItems(w, r, schema.Tags, true)
	if !ok {
		return
	}
	if !list {
		detail(w, http.StatusBadRequest, "Bulk update expects a list of objects, each with an \"id\".")
		return
	}
	if len(items) == 0 {
		writeJSON(w, http.StatusOK, []any{})
		return
	}
	updates := make([]store.Update, len(items))
	for i, it := range items {
		if r.Method == http.MethodPut {
			if v := requiredMissing(schema.Tags, it); !v.Empty() {
				bulk := &inventory.BulkError{Items: make([]*inventory.ValidationError, len(items))}
				bulk.Items[i] = v
				s.writeError(w, r, bulk, true)
				return
			}
		}
		updates[i] = store.Update{ID: *it.id, Patch: it.patch}
	}
	m := meta(r, message(items))
	m.SkipMissing = true // as NetBox's bulk views (pk__in)
	tags, err := s.opts.Store.UpdateTags(r.Context(), updates, m)
	if err != nil {
		s.writeError(w, r, err, true)
		return
	}
	s.writeTags(w, r, http.StatusOK, tags, true)
}

// handleTagDelete serves DELETE of one tag; its assignments go with it.
func (s *Server) handleTagDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		tagNotFound(w)
		return
	}
	msg := ""
	if r.ContentLength != 0 {
		if body, err := io.ReadAll(r.Body); err == nil && len(body) > 0 {
			if objs, list, err := parseBody(body); err == nil && !list && len(objs) == 1 {
				d := &decoder{ctx: r.Context(), st: s.opts.Store}
				msg = d.decode(schema.Tags, objs[0], false).message
			}
		}
	}
	if err := s.opts.Store.DeleteTags(r.Context(), []int64{id}, meta(r, msg)); err != nil {
		s.writeError(w, r, err, false)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleTagBulkDelete serves DELETE on the list with [{"id": n}, ...].
func (s *Server) handleTagBulkDelete(w http.ResponseWriter, r *http.Request) {
	items, list, ok := s.readItems(w, r, schema.Tags, true)
	if !ok {
		return
	}
	if !list {
		detail(w, http.StatusBadRequest, "Bulk delete expects a list of objects, each with an \"id\".")
		return
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = *it.id
	}
	m := meta(r, message(items))
	m.SkipMissing = true
	if err := s.opts.Store.DeleteTags(r.Context(), ids, m); err != nil {
		s.writeError(w, r, err, true)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleTagOptions answers DRF's metadata of the list or of one tag.
func (s *Server) handleTagOptions(w http.ResponseWriter, r *http.Request) {
	e := schema.Tags
	action, name := "POST", e.Verbose+" List"
	if r.PathValue("id") != "" {
		action, name = "PUT", e.Verbose+" Instance"
		id, ok := pathID(r)
		if !ok {
			tagNotFound(w)
			return
		}
		if _, err := s.opts.Store.GetTag(r.Context(), id); err != nil {
			s.writeError(w, r, err, false)
			return
		}
	}
	fields := newObject(len(e.APIFields))
	for _, fname := range e.APIFields {
		fields.set(fname, fieldMetadata(e, fname))
	}
	o := viewMetadata(name)
	o.set("actions", map[string]any{action: fields})
	writeJSON(w, http.StatusOK, o)
}
