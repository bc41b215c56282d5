package api

import (
	"encoding/json"
	"strconv"

	"github.com/inventory-monitor/inventory-monitor/internal/schema"
)

// PluginAPIPath and PluginUIPath are where the plugin's endpoints live.
const (
	PluginAPIPath = "/api/plugins/inventory-monitor/"
	PluginUIPath  = "/plugins/inventory-monitor/"
)

// netboxPaths maps NetBox object types to their REST paths.
var netboxPaths = map[string]string{
	"dcim.device":    "dcim/devices",
	"dcim.site":      "dcim/sites",
	"dcim.location":  "dcim/locations",
	"dcim.rack":      "dcim/racks",
	"dcim.module":    "dcim/modules",
	"tenancy.tenant": "tenancy/tenants",
}

// renderer turns records into NetBox-shaped JSON objects for one request.
type renderer struct {
	base string // scheme://host[/prefix] without trailing slash
}

func (rd renderer) objectURL(e *schema.Entity, id int64) string {
	return rd.base + PluginAPIPath + e.Path + "/" + strconv.FormatInt(id, 10) + "/"
}

func (rd renderer) uiURL(e *schema.Entity, id int64) string {
	return rd.base + PluginUIPath + e.Path + "/" + strconv.FormatInt(id, 10) + "/"
}

// netboxObject is the brief form of a NetBox object we only know by id.
func (rd renderer) netboxObject(objectType string, id int64) *object {
	o := newObject(3)
	o.set("id", id)
	if p, ok := netboxPaths[objectType]; ok {
		o.set("url", rd.base+"/api/"+p+"/"+strconv.FormatInt(id, 10)+"/")
	}
	display := objectType + " #" + strconv.FormatInt(id, 10)
	o.set("display", display)
	// NetBox's brief objects carry a name; without NetBox we have only the
	// display text, and pynetbox would fetch the url to find a missing name.
	o.set("name", display)
	return o
}

// full renders the complete serializer representation.
func (rd renderer) full(r *schema.Record) *object {
	return rd.render(r, r.Entity.APIFields)
}

// brief renders the nested (brief) representation; entities without
// brief fields (external inventory) render in full, as upstream.
func (rd renderer) brief(r *schema.Record) *object {
	if len(r.Entity.BriefFields) == 0 {
		return rd.full(r)
	}
	return rd.render(r, r.Entity.BriefFields)
}

func (rd renderer) render(r *schema.Record, names []string) *object {
	e := r.Entity
	o := newObject(len(names))
	for _, name := range names {
		switch name {
		case "id":
			o.set(name, r.ID)
		case "url":
			o.set(name, rd.objectURL(e, r.ID))
		case "display_url":
			o.set(name, rd.uiURL(e, r.ID))
		case "display":
			o.set(name, r.String())
		case "tags":
			o.set(name, rd.tags(r.Tags))
		case "contract_type":
			if _, ok := r.Int("parent"); ok {
				o.set(name, "subcontract")
			} else {
				o.set(name, "contract")
			}
		case "asset_numbers":
			o.set(name, r.Values["asset_numbers"])
		case "assigned_object":
			typ := r.Str("assigned_object_type")
			id, ok := r.Int("assigned_object_id")
			if typ == "" || !ok {
				o.set(name, nil)
			} else {
				o.set(name, rd.netboxObject(typ, id))
			}
		default:
			f := e.Field(name)
			if f == nil {
				continue
			}
			o.set(name, rd.value(r, f))
		}
	}
	return o
}

func (rd renderer) value(r *schema.Record, f *schema.Field) any {
	switch f.Kind {
	case schema.ForeignKey:
		id, ok := r.Int(f.Name)
		if !ok {
			return nil
		}
		if rel := r.Rel(f.Name); rel != nil {
			return rd.brief(rel)
		}
		o := newObject(2)
		o.set("id", id)
		o.set("display", "#"+strconv.FormatInt(id, 10))
		return o
	case schema.ManyToMany:
		out := []any{}
		for _, rel := range r.RelatedMany[f.Name] {
			out = append(out, rd.brief(rel))
		}
		return out
	case schema.NetBoxRef:
		id, ok := r.Int(f.Name)
		if !ok {
			return nil
		}
		return rd.netboxObject(f.RefType, id)
	case schema.JSON:
		if j := r.JSON(f.Name); len(j) > 0 {
			return j
		}
		return json.RawMessage("{}")
	}
	return schema.JSONValue(f, r.Values[f.Name])
}

func (rd renderer) tags(tags []schema.Tag) []any {
	out := make([]any, 0, len(tags))
	for _, t := range tags {
		o := newObject(7)
		id := strconv.FormatInt(t.ID, 10)
		o.set("id", t.ID)
		o.set("url", rd.base+"/api/extras/tags/"+id+"/")
		o.set("display_url", rd.base+"/extras/tags/"+id+"/")
		o.set("display", t.Name)
		o.set("name", t.Name)
		o.set("slug", t.Slug)
		o.set("color", t.Color)
		out = append(out, o)
	}
	return out
}
