package api

import (
	"encoding/json"
	"strconv"
	"sync"

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
	"users.owner":    "users/owners",
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
	return rd.render(r, false)
}

// brief renders the nested (brief) representation; entities without
// brief fields (external inventory) render in full, as upstream.
func (rd renderer) brief(r *schema.Record) *object {
	if len(r.Entity.BriefFields) == 0 {
		return rd.full(r)
	}
	return rd.render(r, true)
}

// planKeys are a plan's field names, shared (capacity-limited, so an
// object's set of a new key copies them) by every object rendered with it.
func planKeys(ops []fieldOp) []string {
	keys := make([]string, len(ops))
	for i, op := range ops {
		keys[i] = op.name
	}
	return keys[:len(keys):len(keys)]
}

// fieldOp is how one serializer field is rendered.
type fieldOp struct {
	name string
	key  string // name encoded as an object key, with its colon (appendKey)
	kind opKind
	f    *schema.Field // opField
}

type opKind int

const (
	opID opKind = iota
	opURL
	opDisplayURL
	opDisplay
	opTags
	opContractType
	opAssetNumbers
	opAssignedObject
	opField
)

// plan is a field list's operations and names.
type plan struct {
	ops  []fieldOp
	keys []string
}

// fieldPlans caches each entity's full and brief plans.
var fieldPlans sync.Map // *schema.Entity → *[2]plan

// fieldPlan resolves the serializer's field names once per entity.
func fieldPlan(e *schema.Entity, brief bool) *plan {
	p, ok := fieldPlans.Load(e)
	if !ok {
		full, br := planOps(e, e.APIFields), planOps(e, e.BriefFields)
		p, _ = fieldPlans.LoadOrStore(e, &[2]plan{{full, planKeys(full)}, {br, planKeys(br)}})
	}
	if brief {
		return &p.(*[2]plan)[1]
	}
	return &p.(*[2]plan)[0]
}

func planOps(e *schema.Entity, names []string) []fieldOp {
	ops := make([]fieldOp, 0, len(names))
	at := map[string]int{}
	for _, name := range names {
		op := fieldOp{name: name, key: string(appendKey(nil, name))}
		switch name {
		case "id":
			op.kind = opID
		case "url":
			op.kind = opURL
		case "display_url":
			op.kind = opDisplayURL
		case "display":
			op.kind = opDisplay
		case "tags":
			op.kind = opTags
		case "contract_type":
			op.kind = opContractType
		case "asset_numbers":
			op.kind = opAssetNumbers
		case "assigned_object":
			op.kind = opAssignedObject
		default:
			if op.f = e.Field(name); op.f == nil {
				continue
			}
			op.kind = opField
		}
		if i, ok := at[name]; ok { // a repeated name keeps its first place
			ops[i] = op
			continue
		}
		at[name] = len(ops)
		ops = append(ops, op)
	}
	return ops
}

func (rd renderer) render(r *schema.Record, brief bool) *object {
	p := fieldPlan(r.Entity, brief)
	ops := p.ops
	o := &object{keys: p.keys, vals: make([]any, len(ops))}
	for i := range ops {
		op := &ops[i]
		var v any
		switch op.kind {
		case opID:
			v = r.ID
		case opURL:
			v = rd.objectURL(r.Entity, r.ID)
		case opDisplayURL:
			v = rd.uiURL(r.Entity, r.ID)
		case opDisplay:
			v = r.String()
		case opTags:
			v = rd.tags(r.Tags)
		case opContractType:
			if _, ok := r.Int("parent"); ok {
				v = "subcontract"
			} else {
				v = "contract"
			}
		case opAssetNumbers:
			v = r.Values["asset_numbers"]
		case opAssignedObject:
			typ := r.Str("assigned_object_type")
			id, ok := r.Int("assigned_object_id")
			if typ != "" && ok {
				v = rd.netboxObject(typ, id)
			}
		case opField:
			v = rd.value(r, op.f)
		}
		o.vals[i] = v
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
		out = append(out, rd.nestedTag(t, 7))
	}
	return out
}

// nestedTag is NetBox's NestedTagSerializer form of t (an object's tags);
// room leaves space for the fields the tag endpoint adds.
func (rd renderer) nestedTag(t schema.Tag, room int) *object {
	o := newObject(room)
	id := strconv.FormatInt(t.ID, 10)
	o.set("id", t.ID)
	o.set("url", rd.base+TagsAPIPath+id+"/")
	o.set("display_url", rd.base+TagsUIPath+id+"/")
	o.set("display", t.Name)
	o.set("name", t.Name)
	o.set("slug", t.Slug)
	o.set("color", t.Color)
	return o
}
