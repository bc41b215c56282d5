package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

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

func rawOrNull(j json.RawMessage) any {
	if len(j) == 0 {
		return nil
	}
	return j
}

// handleChanges lists change-log entries, newest first, filterable by
// changed_object_type, changed_object_id, request_id and action.
func (s *Server) handleChanges(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	cq := store.ChangeQuery{ObjectTypes: v["changed_object_type"], RequestIDs: v["request_id"], Actions: v["action"],
		UserNames: v["user_name"], Q: v.Get("q")}
	for param, dst := range map[string]*[]int64{"changed_object_id": &cq.ObjectIDs, "user_id": &cq.UserIDs, "user": &cq.UserIDs} {
		for _, sid := range v[param] {
			id, err := strconv.ParseInt(sid, 10, 64)
			if err != nil {
				writeJSON(w, http.StatusBadRequest, map[string][]string{param: {"Enter a number."}})
				return
			}
			*dst = append(*dst, id)
		}
	}
	for _, a := range cq.Actions {
		if actionLabels[a] == "" {
			writeJSON(w, http.StatusBadRequest, map[string][]string{"action": {"Select a valid choice. " + a + " is not one of the available choices."}})
			return
		}
	}
	for param, dst := range map[string]**time.Time{"time_after": &cq.TimeAfter, "time_before": &cq.TimeBefore} {
		if sv := v.Get(param); sv != "" {
			t, ok := filter.ParseDateTime(sv)
			if !ok {
				writeJSON(w, http.StatusBadRequest, map[string][]string{param: {"Enter a valid date/time."}})
				return
			}
			*dst = &t
		}
	}
	var q filter.Query
	if err := filter.ParsePage(&q, v); err != nil {
		s.writeError(w, r, err, false)
		return
	}
	cq.Limit, cq.Offset = q.Limit, q.Offset
	changes, total, err := s.opts.Store.Changes(r.Context(), cq)
	if err != nil {
		s.writeError(w, r, err, false)
		return
	}
	rd := s.renderer(r)
	results := make([]any, len(changes))
	for i, c := range changes {
		results[i] = s.renderChange(rd, c)
	}
	out := newObject(4)
	out.set("count", total)
	next, prev := s.pageLinks(r, q, &total, len(changes), 0)
	out.set("next", next)
	out.set("previous", prev)
	out.set("results", results)
	writeJSON(w, http.StatusOK, out)
}

// handleChange serves one change-log entry.
func (s *Server) handleChange(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if ok {
		c, err := s.opts.Store.Change(r.Context(), id)
		if err == nil {
			writeJSON(w, http.StatusOK, s.renderChange(s.renderer(r), c))
			return
		}
		if !errors.As(err, new(*inventory.NotFoundError)) {
			s.writeError(w, r, err, false)
			return
		}
	}
	detail(w, http.StatusNotFound, "No Object Change matches the given query.")
}
