package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

func (s *Server) renderChange(rd renderer, c store.ObjectChange) *object {
	id := strconv.FormatInt(c.ID, 10)
	o := newObject(15)
	o.set("id", c.ID)
	o.set("url", rd.base+PluginAPIPath+"object-changes/"+id+"/")
	o.set("display_url", rd.base+PluginUIPath+"changelog/"+id+"/")
	o.set("display", changeDisplay(c))
	o.set("time", schema.FormatDateTime(c.Time))
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
	o.set("action", map[string]string{"value": c.Action, "label": inventory.ObjectChangeAction.Label(c.Action)})
	o.set("changed_object_type", c.ChangedObjectType)
	o.set("changed_object_id", c.ChangedObjectID)
	o.set("object_repr", c.ObjectRepr)
	o.set("message", c.Message)
	o.set("prechange_data", rawOrNull(c.PrechangeData))
	o.set("postchange_data", rawOrNull(c.PostchangeData))
	return o
}

// changeDisplay is NetBox's str(ObjectChange): "<content type> <object>
// <action> by <user>", the content type as Django names it
// ("Inventory Monitor | asset"; upstream's app name has a stray leading
// space, left out here).
func changeDisplay(c store.ObjectChange) string {
	objectType := c.ChangedObjectType
	if e := schema.Inventory.ByObjectType(objectType); e != nil {
		objectType = pluginVerboseName + " | " + e.DjangoVerboseName()
	} else if objectType == schema.Tags.ObjectType {
		objectType = "Extras | " + schema.Tags.DjangoVerboseName()
	}
	return objectType + " " + c.ObjectRepr + " " + strings.ToLower(inventory.ObjectChangeAction.Label(c.Action)) + " by " + c.UserName
}

// changeBrief are the fields of an entry's brief form (NetBox's
// ObjectChangeSerializer brief_fields).
var changeBrief = map[string]bool{"id": true, "url": true, "display": true, "action": true}

// shapeChange renders c as the entity lists render records (shape.apply).
func (s *Server) shapeChange(rd renderer, c store.ObjectChange, sh shape) *object {
	return sh.pickFrom(s.renderChange(rd, c), changeBrief)
}

func rawOrNull(j json.RawMessage) any {
	if len(j) == 0 {
		return nil
	}
	return j
}

// handleChanges lists change-log entries, newest first, with the entity
// lists' query language (schema.ObjectChanges declares its filters).
func (s *Server) handleChanges(w http.ResponseWriter, r *http.Request) {
	servePlainList(s, w, r, schema.ObjectChanges, s.opts.Store.Changes, s.shapeChange, func(c store.ObjectChange) int64 { return c.ID })
}

// servePlainList answers a list of a table outside the entity lists (the
// change log, tags) as the entity lists answer: filters, q, ordering, both
// paginations, brief/fields/omit.
func servePlainList[T any](s *Server, w http.ResponseWriter, r *http.Request, e *schema.Entity,
	list func(context.Context, filter.Query) ([]T, *int, error), render func(renderer, T, shape) *object, idOf func(T) int64) {
	v := r.URL.Query()
	q, err := filter.Parse(e, v)
	if err != nil {
		s.writeError(w, r, err, false)
		return
	}
	items, total, err := list(r.Context(), cursorProbe(q))
	if err != nil {
		s.writeError(w, r, err, false)
		return
	}
	items, more := cursorTrim(q, items)
	rd, sh := s.renderer(r), shapeOf(v)
	results := make([]any, len(items))
	var lastID int64
	for i, it := range items {
		results[i] = render(rd, it, sh)
		lastID = idOf(it)
	}
	next, prev := s.pageLinks(r, q, total, len(items), lastID, more)
	writePage(w, total, next, prev, results)
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
