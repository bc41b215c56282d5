package api

import (
	"context"
	"net/http"
	"time"

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
	s.mux.HandleFunc("OPTIONS "+TagsAPIPath+"{$}", s.handleTagOptions)
	s.mux.HandleFunc("GET "+TagsAPIPath+"{id}/{$}", s.handleTagGet)
	s.mux.HandleFunc("OPTIONS "+TagsAPIPath+"{id}/{$}", s.handleTagOptions)
	s.writeRoutes(TagsAPIPath, s.tagWriter())
}

// tagWriter writes tags through the store's tag methods.
func (s *Server) tagWriter() objectWriter {
	st := s.opts.Store
	tags := renderedBy(renderer.renderTag)
	return objectWriter{
		e: schema.Tags,
		create: func(ctx context.Context, ps []store.Patch, m store.Meta) (written, error) {
			return tags(st.CreateTags(ctx, ps, m))
		},
		update: func(ctx context.Context, us []store.Update, m store.Meta) (written, error) {
			return tags(st.UpdateTags(ctx, us, m))
		},
		remove: func(ctx context.Context, ids []int64, m store.Meta) error { return st.DeleteTags(ctx, ids, m) },
		exists: func(ctx context.Context, id int64) error { _, err := st.GetTag(ctx, id); return err },
	}
}

// renderTag is NetBox's TagSerializer representation.
func (rd renderer) renderTag(t store.TagInfo) *object {
	o := rd.nestedTag(t.Tag, 11)
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
	return schema.FormatDateTime(*t)
}

// tagBrief are the fields of a tag's brief form (TagSerializer.brief_fields).
var tagBrief = map[string]bool{"id": true, "url": true, "display": true, "name": true, "slug": true, "color": true, "description": true}

// shapeTag renders t as the entity lists render records (shape.apply).
func (rd renderer) shapeTag(t store.TagInfo, sh shape) *object {
	return sh.pickFrom(rd.renderTag(t), tagBrief)
}

func tagNotFound(w http.ResponseWriter) {
	detail(w, http.StatusNotFound, (&inventory.NotFoundError{Model: schema.Tags.Model}).Error())
}

// handleTagList lists tags, by name, with filters, q, ordering and both
// paginations.
func (s *Server) handleTagList(w http.ResponseWriter, r *http.Request) {
	servePlainList(s, w, r, schema.Tags, s.opts.Store.ListTags, renderer.shapeTag, func(t store.TagInfo) int64 { return t.ID })
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
	writeOptions(w, e, action, name)
}
