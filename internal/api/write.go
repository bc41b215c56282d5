package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

// readItems reads and decodes the request body; on failure it has
// already answered 400.
func (s *Server) readItems(w http.ResponseWriter, r *http.Request, ow objectWriter, wantID bool) ([]item, bool, bool) {
	e := ow.e
	if ct := r.Header.Get("Content-Type"); ct != "" {
		// JSON only, as NetBox's API parses it (a form post, curl -d's
		// default, would otherwise read as an empty object); a body
		// without a type is read as JSON.
		mt, _, err := mime.ParseMediaType(ct) // "application/json;;" still names JSON
		if (err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter)) || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			detail(w, http.StatusUnsupportedMediaType, fmt.Sprintf("Unsupported media type %q in request.", ct))
			return nil, false, false
		}
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			detail(w, http.StatusBadRequest, "Request body too large: the limit is "+byteSize(tooBig.Limit)+".")
		} else {
			detail(w, http.StatusBadRequest, "Could not read the request body.")
		}
		return nil, false, false
	}
	objs, list, err := parseBody(body)
	if err != nil {
		detail(w, http.StatusBadRequest, err.Error())
		return nil, list, false
	}
	d := &decoder{ctx: r.Context(), st: s.opts.Store}
	items := make([]item, len(objs))
	bad := false
	for i, obj := range objs {
		items[i] = d.decode(e, obj, wantID)
		if !items[i].errs.Empty() {
			bad = true
		}
	}
	if bad {
		bulk := &inventory.BulkError{Items: make([]*inventory.ValidationError, len(items))}
		for i, it := range items {
			bulk.Items[i] = it.errs
		}
		// Like DRF, report every field's errors: check what decoded with
		// the store's rules too (nothing is written), a single object of
		// PUT/PATCH as an update of the object its path names.
		update := wantID
		if !wantID && !list && (r.Method == http.MethodPut || r.Method == http.MethodPatch) {
			if id, ok := pathID(r); ok {
				items[0].id, update = &id, true
			}
		}
		s.checkRest(r, ow, items, bulk, update)
		s.writeError(w, r, bulk, list)
		return nil, list, false
	}
	return items, list, true
}

// message returns the first changelog_message of a request.
func message(items []item) string {
	for _, it := range items {
		if it.message != "" {
			return it.message
		}
	}
	return ""
}

// objectWriter is what the write handlers need of an endpoint's objects:
// the entity bodies decode against, the store's writes, and the written
// objects as the endpoint renders them.
type objectWriter struct {
	e      *schema.Entity
	create func(ctx context.Context, patches []store.Patch, m store.Meta) (written, error)
	update func(ctx context.Context, updates []store.Update, m store.Meta) (written, error)
	remove func(ctx context.Context, ids []int64, m store.Meta) error
	exists func(ctx context.Context, id int64) error
}

// written renders the objects a write returned.
type written func(rd renderer) []*object

// renderedBy turns a write's results into the written objects.
func renderedBy[T any](render func(renderer, T) *object) func([]T, error) (written, error) {
	return func(items []T, err error) (written, error) {
		return func(rd renderer) []*object {
			out := make([]*object, len(items))
			for i, it := range items {
				out[i] = render(rd, it)
			}
			return out
		}, err
	}
}

// entityWriter writes an entity's records through the store.
func (s *Server) entityWriter(e *schema.Entity) objectWriter {
	st := s.opts.Store
	records := renderedBy(renderer.full)
	return objectWriter{
		e: e,
		create: func(ctx context.Context, ps []store.Patch, m store.Meta) (written, error) {
			return records(st.Create(ctx, e, ps, m))
		},
		update: func(ctx context.Context, us []store.Update, m store.Meta) (written, error) {
			return records(st.Update(ctx, e, us, m))
		},
		remove: func(ctx context.Context, ids []int64, m store.Meta) error { return st.Delete(ctx, e, ids, m) },
		exists: func(ctx context.Context, id int64) error { _, err := st.Get(ctx, e, id); return err },
	}
}

func (s *Server) writeObjects(w http.ResponseWriter, r *http.Request, status int, out written, list bool) {
	objs := out(s.renderer(r))
	if !list {
		writeJSON(w, status, objs[0])
		return
	}
	all := make([]any, len(objs))
	for i, o := range objs {
		all[i] = o
	}
	writeJSON(w, status, all)
}

// handleCreate serves POST of one object or a list (all or nothing).
func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request, ow objectWriter) {
	items, list, ok := s.readItems(w, r, ow, false)
	if !ok {
		return
	}
	if len(items) == 0 { // an empty list, as NetBox: nothing to create
		writeJSON(w, http.StatusCreated, []any{})
		return
	}
	patches := make([]store.Patch, len(items))
	for i, it := range items {
		patches[i] = it.patch
	}
	out, err := ow.create(r.Context(), patches, meta(r, message(items)))
	if err != nil {
		s.writeError(w, r, err, list)
		return
	}
	s.writeObjects(w, r, http.StatusCreated, out, list)
}

// requiredMissing reports the fields a PUT (full update) must carry.
func requiredMissing(e *schema.Entity, it item) *inventory.ValidationError {
	v := &inventory.ValidationError{}
	for _, f := range e.Fields {
		if f.Required && f.Default == nil && !f.ReadOnly {
			if _, ok := it.patch[f.Name]; !ok {
				v.Add(f.Name, "This field is required.")
			}
		}
	}
	return v
}

// handleUpdate serves PUT/PATCH of one object.
func (s *Server) handleUpdate(w http.ResponseWriter, r *http.Request, ow objectWriter) {
	id, ok := pathID(r)
	if !ok {
		detail(w, http.StatusNotFound, (&inventory.NotFoundError{Model: ow.e.Model}).Error())
		return
	}
	items, list, ok := s.readItems(w, r, ow, false)
	if !ok {
		return
	}
	if list {
		detail(w, http.StatusBadRequest, "Invalid data. Expected a dictionary, but got list.")
		return
	}
	if r.Method == http.MethodPut {
		if v := requiredMissing(ow.e, items[0]); !v.Empty() {
			// A missing object is still a 404, even with an incomplete body.
			if err := ow.exists(r.Context(), id); err != nil {
				s.writeError(w, r, err, false)
				return
			}
			s.writeError(w, r, v, false)
			return
		}
	}
	out, err := ow.update(r.Context(), []store.Update{{ID: id, Patch: items[0].patch}}, meta(r, items[0].message))
	if err != nil {
		s.writeError(w, r, err, false)
		return
	}
	s.writeObjects(w, r, http.StatusOK, out, false)
}

// handleBulkUpdate serves PUT/PATCH on a collection with [{"id": n, ...}].
func (s *Server) handleBulkUpdate(w http.ResponseWriter, r *http.Request, ow objectWriter) {
	items, list, ok := s.readItems(w, r, ow, true)
	if !ok {
		return
	}
	if !list {
		detail(w, http.StatusBadRequest, "Bulk update expects a list of objects, each with an \"id\".")
		return
	}
	if len(items) == 0 { // an empty list, as NetBox: nothing to update
		writeJSON(w, http.StatusOK, []any{})
		return
	}
	updates := make([]store.Update, len(items))
	for i, it := range items {
		if r.Method == http.MethodPut {
			if v := requiredMissing(ow.e, it); !v.Empty() {
				bulk := &inventory.BulkError{Items: make([]*inventory.ValidationError, len(items))}
				bulk.Items[i] = v
				s.writeError(w, r, bulk, true)
				return
			}
		}
		updates[i] = store.Update{ID: *it.id, Patch: it.patch}
	}
	// Ids naming no object are passed over, as NetBox's bulk views do.
	m := meta(r, message(items))
	m.SkipMissing = true
	out, err := ow.update(r.Context(), updates, m)
	if err != nil {
		s.writeError(w, r, err, true)
		return
	}
	s.writeObjects(w, r, http.StatusOK, out, true)
}

// handleDelete serves DELETE of one object.
func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request, ow objectWriter) {
	id, ok := pathID(r)
	if !ok {
		detail(w, http.StatusNotFound, (&inventory.NotFoundError{Model: ow.e.Model}).Error())
		return
	}
	msg := ""
	if r.ContentLength != 0 {
		if body, err := io.ReadAll(r.Body); err == nil && len(body) > 0 {
			if objs, list, err := parseBody(body); err == nil && !list && len(objs) == 1 {
				d := &decoder{ctx: r.Context(), st: s.opts.Store}
				msg = d.decode(ow.e, objs[0], false).message
			}
		}
	}
	if err := ow.remove(r.Context(), []int64{id}, meta(r, msg)); err != nil {
		s.writeError(w, r, err, false)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleBulkDelete serves DELETE on a collection with [{"id": n}, ...].
func (s *Server) handleBulkDelete(w http.ResponseWriter, r *http.Request, ow objectWriter) {
	items, list, ok := s.readItems(w, r, ow, true)
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
	// Ids naming no object are passed over, as NetBox's bulk views do.
	m := meta(r, message(items))
	m.SkipMissing = true
	if err := ow.remove(r.Context(), ids, m); err != nil {
		s.writeError(w, r, err, true)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// checkRest runs the store's rules on what decoded — whole items, and the
// other fields of items with decode errors — and adds their errors to bulk
// at their positions, so that one answer names every bad field, as DRF's.
func (s *Server) checkRest(r *http.Request, ow objectWriter, items []item, bulk *inventory.BulkError, update bool) {
	var idx []int
	var patches []store.Patch
	var updates []store.Update
	for i, it := range items {
		if update && it.id == nil {
			continue
		}
		idx = append(idx, i)
		if update {
			updates = append(updates, store.Update{ID: *it.id, Patch: it.patch})
		} else {
			patches = append(patches, it.patch)
		}
	}
	if len(idx) == 0 || (r.Method == http.MethodDelete) {
		return
	}
	m := store.Meta{CheckOnly: true, SkipMissing: true}
	var err error
	if update {
		_, err = ow.update(r.Context(), updates, m)
	} else {
		_, err = ow.create(r.Context(), patches, m)
	}
	var checked *inventory.BulkError
	if !errors.As(err, &checked) {
		return
	}
	for k, v := range checked.Items {
		if k >= len(idx) || v.Empty() {
			continue
		}
		i := idx[k]
		if bulk.Items[i].Empty() {
			bulk.Items[i] = v
			continue
		}
		// An item with decode errors: its other fields' errors join them
		// (a field that failed to decode was left out of the patch, so
		// the store's view of it is not reported).
		for f, msgs := range v.Fields {
			if f != inventory.NonField && !bulk.Items[i].Has(f) {
				bulk.Items[i].Fields[f] = msgs
			}
		}
	}
}

func byteSize(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
