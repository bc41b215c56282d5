package api

import (
	"net/http"
	"runtime"
	"strings"

	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/version"
)

// handleRoot lists the API sections (NetBox GET /api/; pynetbox reads
// its API-Version header for nb.version).
func (s *Server) handleRoot(w http.ResponseWriter, r *http.Request) {
	base := s.baseURL(r)
	o := newObject(4)
	o.set("plugins", base+"/api/plugins/")
	o.set("schema", base+"/api/schema/")
	o.set("status", base+"/api/status/")
	writeJSON(w, http.StatusOK, o)
}

// handleStatus is NetBox's GET /api/status/.
func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	o := newObject(8)
	o.set("django-version", nil)
	o.set("installed_apps", map[string]string{"inventory_monitor": version.Version, "go": strings.TrimPrefix(runtime.Version(), "go")})
	o.set("netbox-version", version.NetBoxVersion)
	o.set("netbox-full-version", version.NetBoxVersion)
	o.set("plugins", map[string]string{"inventory_monitor": version.Version})
	o.set("python-version", nil)
	o.set("rq-workers-running", 0)
	writeJSON(w, http.StatusOK, o)
}

func (s *Server) handlePlugins(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"inventory-monitor": s.baseURL(r) + PluginAPIPath})
}

// pluginVerboseName is upstream's PluginConfig.verbose_name without its
// stray leading space (installed-plugins keeps the space, as NetBox lists it).
const pluginVerboseName = "Inventory Monitor"

// installedPlugin is NetBox's InstalledPluginsAPIView entry for the
// plugin this service re-implements (pynetbox's installed_plugins()).
func installedPlugin() map[string]string {
	return map[string]string{
		"name": " " + pluginVerboseName, "package": "inventory_monitor", "author": "", "author_email": "",
		"description": "Manage inventory discovered by SNMP", "version": version.Version,
	}
}

func (s *Server) handleInstalledPlugins(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, []any{installedPlugin()})
}

// handlePluginRoot lists the plugin's endpoints.
func (s *Server) handlePluginRoot(w http.ResponseWriter, r *http.Request) {
	base := s.baseURL(r) + PluginAPIPath
	o := newObject(len(s.reg.Entities) + 1)
	for _, e := range s.reg.Entities {
		o.set(e.Path, base+e.Path+"/")
	}
	o.set("object-changes", base+"object-changes/")
	writeJSON(w, http.StatusOK, o)
}

// handleOptions answers DRF's metadata, which pynetbox's .choices() reads
// (actions.POST.<field>.choices[{value, display_name}]).
func (s *Server) handleOptions(w http.ResponseWriter, r *http.Request, e *schema.Entity) {
	action := "POST"
	name := e.Verbose + " List"
	if r.PathValue("id") != "" {
		action, name = "PUT", e.Verbose+" Instance"
		id, ok := pathID(r)
		if !ok {
			detail(w, http.StatusNotFound, (&inventory.NotFoundError{Model: e.Model}).Error())
			return
		}
		if _, err := s.opts.Store.Get(r.Context(), e, id); err != nil {
			s.writeError(w, r, err, false)
			return
		}
	}
	writeOptions(w, e, action, name)
}

// writeOptions answers DRF's metadata of a view that writes e's objects:
// pynetbox's choices() reads the action's fields.
func writeOptions(w http.ResponseWriter, e *schema.Entity, action, name string) {
	fields := newObject(len(e.APIFields))
	for _, fname := range e.APIFields {
		fields.set(fname, fieldMetadata(e, fname))
	}
	o := viewMetadata(name)
	o.set("actions", map[string]any{action: fields})
	writeJSON(w, http.StatusOK, o)
}

// readOnlyViews are the API's read-only endpoints and their view names
// (Django REST framework's, which NetBox answers OPTIONS with).
var readOnlyViews = []struct{ path, name string }{
	{"/api/", "API Root"},
	{"/api/status/", "Status"},
	{"/api/plugins/", "Plugins"},
	{"/api/plugins/installed-plugins/", "Installed Plugins"},
	{PluginAPIPath, pluginVerboseName},
	{PluginAPIPath + "object-changes/", "Object Change List"},
	{PluginAPIPath + "object-changes/{id}/", "Object Change Instance"},
}

const readOnlyAllow = "GET, HEAD, OPTIONS"

// viewMetadata is DRF's metadata of a view without "actions": the whole
// OPTIONS answer of a read-only endpoint, and the start of an entity's.
func viewMetadata(name string) *object {
	o := newObject(5) // room for the entities' "actions"
	o.set("name", name)
	o.set("description", "")
	o.set("renders", []string{"application/json"})
	o.set("parses", []string{"application/json"})
	return o
}

// Label is the human label of a field (verbose name).
func Label(f *schema.Field) string {
	if f.Label != "" {
		return f.Label
	}
	l := strings.ReplaceAll(f.Name, "_", " ")
	return strings.ToUpper(l[:1]) + l[1:]
}

func fieldMetadata(e *schema.Entity, name string) *object {
	m := newObject(6)
	f := e.Field(name)
	if f == nil {
		typ := "string"
		switch name {
		case "id":
			typ = "integer"
		case "tags", "assigned_object":
			typ = "field"
		case "url", "display_url":
			typ = "url"
		}
		label := strings.ReplaceAll(name, "_", " ")
		if name == "id" {
			label = "ID"
		} else {
			label = strings.ToUpper(label[:1]) + label[1:]
		}
		m.set("type", typ)
		m.set("required", false)
		m.set("read_only", name != "tags")
		m.set("label", label)
		return m
	}
	typ := map[schema.Kind]string{
		schema.String: "string", schema.Int: "integer", schema.Decimal: "decimal", schema.Date: "date",
		schema.DateTime: "datetime", schema.JSON: "json", schema.Choice: "choice", schema.ForeignKey: "field",
		schema.NetBoxRef: "field", schema.ContentType: "choice", schema.ManyToMany: "field",
	}[f.Kind]
	m.set("type", typ)
	m.set("required", f.Required && f.Default == nil && !f.ReadOnly)
	m.set("read_only", f.ReadOnly)
	m.set("label", Label(f))
	if f.MaxLen > 0 && f.Kind == schema.String {
		m.set("max_length", f.MaxLen)
	}
	switch f.Kind {
	case schema.Choice:
		var cs []map[string]string
		for _, c := range f.Choices.Choices {
			cs = append(cs, map[string]string{"value": c.Value, "display_name": c.Label})
		}
		m.set("choices", cs)
	case schema.ContentType:
		var cs []map[string]string
		for _, c := range f.ContentTypes {
			cs = append(cs, map[string]string{"value": c, "display_name": c})
		}
		m.set("choices", cs)
	}
	return m
}
