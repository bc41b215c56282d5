package api

import (
	"math"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/version"
)

// The OpenAPI document is generated from the entity registry, the same
// descriptions that drive filter parsing, decoding and rendering, so a new
// field or filter shows up in the document without touching this file.
// Each entity gets, under PluginAPIPath + Path:
//
//	<Entity>                     full representation (render.go full)
//	Brief<Entity>                brief representation (nested objects, ?brief)
//	Writable<Entity>Request      POST / PUT body
//	PatchedWritable<Entity>Request  PATCH body (nothing required)
//	BulkWritable<Entity>Request / PatchedBulkWritable<Entity>Request
//	Paginated<Entity>List        list envelope
//
// Names and operation ids follow NetBox's drf-spectacular output.

// Shared component names.
const (
	oaCompDetail          = "Detail"
	oaCompValidationError = "ValidationError"
	oaCompBulkValidation  = "BulkValidationError"
	oaCompProtected       = "ProtectedError"
	oaCompNestedTag       = "NestedTag"
	oaCompNetBoxObject    = "BriefNetBoxObject"
	oaCompBulkDelete      = "BulkDeleteRequest"
	oaCompMetadata        = "Metadata"
	oaCompViewMetadata    = "ViewMetadata"
	oaCompFieldMetadata   = "FieldMetadata"
	oaCompObjectChange    = "ObjectChange"
	oaCompPaginatedChange = "PaginatedObjectChangeList"
	oaCompStatus          = "Status"
	oaCompAPIRoot         = "APIRoot"

	oaHeaderAPIVersion = "API-Version"
	oaHeaderRequestID  = "X-Request-ID"

	oaSecurityToken = "tokenAuth"
	oaSchemaPrefix  = "#/components/schemas/"
)

// Parameters shared by the list (and detail) operations.
var (
	oaListParams   = []string{"q", "ordering", "limit", "offset", "start", "brief", "fields", "omit"}
	oaDetailParams = []string{"brief", "fields", "omit"}
)

// Lookups that take a boolean and a single value.
var oaBoolLookups = map[string]bool{"empty": true, "isnull": true}

// Lookups that compare text whatever the filter's type.
var oaTextLookups = map[string]bool{"ic": true, "nic": true, "isw": true, "nisw": true, "iew": true, "niew": true,
	"ie": true, "nie": true, "regex": true, "iregex": true}

var oaLookupHelp = map[string]string{
	"n": "not equal", "ic": "contains (case-insensitive)", "nic": "does not contain (case-insensitive)",
	"isw": "starts with (case-insensitive)", "nisw": "does not start with (case-insensitive)",
	"iew": "ends with (case-insensitive)", "niew": "does not end with (case-insensitive)",
	"ie": "equals (case-insensitive)", "nie": "does not equal (case-insensitive)",
	"empty": "is empty (true) or not (false)", "isnull": "is null (true) or not (false)",
	"regex": "matches the regular expression", "iregex": "matches the regular expression (case-insensitive)",
	"lt": "less than", "lte": "less than or equal", "gt": "greater than", "gte": "greater than or equal",
}

// buildOpenAPI returns the OpenAPI 3.0.3 document of the API served for reg.
func buildOpenAPI(reg *schema.Registry) *openapi3.T {
	b := &oaBuilder{reg: reg, doc: &openapi3.T{
		OpenAPI: "3.0.3",
		Info: &openapi3.Info{
			Title:   "inventory-monitor REST API",
			Version: version.Version + " (API " + version.APIVersion + ")",
			Description: "The NetBox inventory-monitor plugin's REST API (plugin " + version.PluginVersion +
				", NetBox " + version.NetBoxVersion + " conventions), generated from the entity registry.\n\n" +
				"Authenticate with `Authorization: Token <40-character token>` or `Authorization: Bearer nbt_<key>.<secret>`. " +
				"Lists accept NetBox's filter lookups (`field__ic=`, `field__n=`, ...); repeated parameters are ORed; " +
				"`?brief=1` returns the brief form, `?fields=a,b` and `?omit=a,b` select fields.",
			License: &openapi3.License{Name: "Apache 2.0"},
		},
		Servers:    openapi3.Servers{{URL: "/"}},
		Paths:      openapi3.NewPaths(),
		Security:   openapi3.SecurityRequirements{{oaSecurityToken: []string{}}},
		Components: &openapi3.Components{Schemas: openapi3.Schemas{}, Parameters: openapi3.ParametersMap{}, Headers: openapi3.Headers{}, Responses: openapi3.ResponseBodies{}, SecuritySchemes: openapi3.SecuritySchemes{}},
	}}
	b.common()
	for _, e := range reg.Entities {
		b.entity(e)
	}
	b.meta()
	b.changes()
	b.tags()
	b.readOnlyOptions()
	return b.doc
}

// readOnlyOptions documents OPTIONS on the read-only endpoints (meta.go).
func (b *oaBuilder) readOnlyOptions() {
	for _, v := range readOnlyViews {
		item := b.doc.Paths.Value(v.path)
		item.Options = &openapi3.Operation{
			Tags: item.Get.Tags, OperationID: item.Get.OperationID + "_metadata", Summary: "View metadata (" + v.name + ")",
			Responses: oaResponses("200", b.response("Metadata.", oaRef(oaCompViewMetadata)), "403", oaRespRef("Forbidden")),
		}
	}
}

type oaBuilder struct {
	reg *schema.Registry
	doc *openapi3.T
}

// Schema helpers.

func oaRef(name string) *openapi3.SchemaRef { return &openapi3.SchemaRef{Ref: oaSchemaPrefix + name} }

func oaInline(s *openapi3.Schema) *openapi3.SchemaRef { return &openapi3.SchemaRef{Value: s} }

func oaTyped(t string) *openapi3.Schema { return &openapi3.Schema{Type: &openapi3.Types{t}} }

func oaStr() *openapi3.Schema { return oaTyped(openapi3.TypeString) }

func oaURI() *openapi3.Schema { s := oaStr(); s.Format = "uri"; return s }

func oaInteger() *openapi3.Schema { return oaTyped(openapi3.TypeInteger) }

func oaBoolean() *openapi3.Schema { return oaTyped(openapi3.TypeBoolean) }

func oaObject() *openapi3.Schema {
	s := oaTyped(openapi3.TypeObject)
	s.Properties = openapi3.Schemas{}
	return s
}

// freeObject is an object with any members.
func oaFreeObject() *openapi3.Schema {
	s := oaTyped(openapi3.TypeObject)
	yes := true
	s.AdditionalProperties = openapi3.AdditionalProperties{Has: &yes}
	return s
}

func oaMapOf(v *openapi3.SchemaRef) *openapi3.Schema {
	s := oaTyped(openapi3.TypeObject)
	s.AdditionalProperties = openapi3.AdditionalProperties{Schema: v}
	return s
}

func oaArray(items *openapi3.SchemaRef) *openapi3.Schema {
	s := oaTyped(openapi3.TypeArray)
	s.Items = items
	return s
}

func oaReadOnly(s *openapi3.Schema) *openapi3.Schema { s.ReadOnly = true; return s }

func oaEnum(values []string, nullable bool) *openapi3.Schema {
	s := oaStr()
	for _, v := range values {
		s.Enum = append(s.Enum, v)
	}
	if nullable {
		s.Nullable = true
		s.Enum = append(s.Enum, nil)
	}
	return s
}

// oaOrNull is one of the schemas or null. Strict OpenAPI 3.0 readers
// ignore "nullable" without a "type" beside it (drf-spectacular's allOf +
// nullable form), so null is a branch of its own.
func oaOrNull(refs ...*openapi3.SchemaRef) *openapi3.Schema {
	null := oaTyped(openapi3.TypeObject)
	null.Nullable = true
	null.Enum = []any{nil}
	return &openapi3.Schema{AnyOf: append(refs, oaInline(null))}
}

// oaNullableRef is a reference that may also be null.
func oaNullableRef(name string) *openapi3.Schema { return oaOrNull(oaRef(name)) }

// prop adds a property, optionally required.
func oaProp(s *openapi3.Schema, name string, v *openapi3.SchemaRef, required bool) {
	s.Properties[name] = v
	if required {
		s.Required = append(s.Required, name)
	}
}

func (b *oaBuilder) component(name string, s *openapi3.Schema) {
	b.doc.Components.Schemas[name] = oaInline(s)
}

// componentName is the entity's model class name ("AssetType",
// "ExternalInventory", "RMA"): the leading words of the verbose name that
// spell the registry name.
func oaComponentName(e *schema.Entity) string {
	words := strings.Fields(e.Verbose)
	name := ""
	for _, w := range words {
		name += w
		if strings.EqualFold(name, e.Name) {
			return name
		}
	}
	return strings.Join(words, "")
}

func oaOperationID(e *schema.Entity, action string) string {
	return "plugins_inventory_monitor_" + strings.ReplaceAll(e.Path, "-", "_") + "_" + action
}

// briefName is the component used for e's nested and brief form.
func oaBriefName(e *schema.Entity) string { return "Brief" + oaComponentName(e) }

// Responses.

func (b *oaBuilder) headers() openapi3.Headers {
	return openapi3.Headers{
		oaHeaderAPIVersion: {Ref: "#/components/headers/" + oaHeaderAPIVersion},
		oaHeaderRequestID:  {Ref: "#/components/headers/" + oaHeaderRequestID},
	}
}

func (b *oaBuilder) response(desc string, body *openapi3.SchemaRef) *openapi3.ResponseRef {
	r := &openapi3.Response{Description: &desc, Headers: b.headers()}
	if body != nil {
		r.Content = openapi3.NewContentWithJSONSchemaRef(body)
	}
	return &openapi3.ResponseRef{Value: r}
}

func oaRespRef(name string) *openapi3.ResponseRef {
	return &openapi3.ResponseRef{Ref: "#/components/responses/" + name}
}

func oaParamRef(name string) *openapi3.ParameterRef {
	return &openapi3.ParameterRef{Ref: "#/components/parameters/" + name}
}

func oaResponses(pairs ...any) *openapi3.Responses {
	rs := openapi3.NewResponses()
	for i := 0; i < len(pairs); i += 2 {
		rs.Set(pairs[i].(string), pairs[i+1].(*openapi3.ResponseRef))
	}
	return rs
}

func oaJSONBody(s *openapi3.SchemaRef, required bool) *openapi3.RequestBodyRef {
	return &openapi3.RequestBodyRef{Value: &openapi3.RequestBody{Required: required, Content: openapi3.NewContentWithJSONSchemaRef(s)}}
}

// common declares the security scheme, headers, error shapes and shared
// parameters.
func (b *oaBuilder) common() {
	c := b.doc.Components
	c.SecuritySchemes[oaSecurityToken] = &openapi3.SecuritySchemeRef{Value: &openapi3.SecurityScheme{
		Type: "apiKey", In: "header", Name: "Authorization",
		Description: "`Token <token>` (v1, 40 characters) or `Bearer nbt_<key>.<secret>` (v2); the keyword is case-insensitive. " +
			"Missing, invalid, expired or read-only (for writes) tokens are answered 403.",
	}}
	c.Headers[oaHeaderAPIVersion] = &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{
		Description: "NetBox API version (major.minor) the service is compatible with.", Required: true,
		Schema: oaInline(oaStr())}}}
	c.Headers[oaHeaderRequestID] = &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{
		Description: "Request id (UUID4), recorded in the change log.", Required: true,
		Schema: oaInline(oaStr())}}}

	detail := oaObject()
	detail.Description = "An error message."
	oaProp(detail, "detail", oaInline(oaStr()), true)
	b.component(oaCompDetail, detail)

	verr := oaMapOf(oaInline(oaArray(oaInline(oaStr()))))
	verr.Description = "Validation errors by field name; errors of the whole object are under `__all__`."
	b.component(oaCompValidationError, verr)

	bulk := oaArray(oaRef(oaCompValidationError))
	bulk.Description = "Validation errors of a list request, aligned with the input (`{}` for valid items)."
	b.component(oaCompBulkValidation, bulk)

	prot := oaObject()
	prot.Description = "A delete refused because other objects depend on the object."
	oaProp(prot, "detail", oaInline(oaStr()), true)
	oaProp(prot, "reason", oaInline(oaStr()), false)
	b.component(oaCompProtected, prot)

	tag := oaObject()
	oaProp(tag, "id", oaInline(oaReadOnly(oaInteger())), true)
	oaProp(tag, "url", oaInline(oaReadOnly(oaURI())), true)
	oaProp(tag, "display_url", oaInline(oaReadOnly(oaURI())), true)
	oaProp(tag, "display", oaInline(oaReadOnly(oaStr())), true)
	oaProp(tag, "name", oaInline(oaStr()), true)
	oaProp(tag, "slug", oaInline(oaStr()), true)
	oaProp(tag, "color", oaInline(oaStr()), true)
	b.component(oaCompNestedTag, tag)

	nb := oaObject()
	nb.Description = "A NetBox object referenced by id (site, location, rack, device, module, tenant). " +
		"Until the service resolves objects from NetBox, `display` is `<object type> #<id>`."
	oaProp(nb, "id", oaInline(oaReadOnly(oaInteger())), true)
	oaProp(nb, "url", oaInline(oaReadOnly(oaURI())), false)
	oaProp(nb, "display", oaInline(oaReadOnly(oaStr())), true)
	oaProp(nb, "name", oaInline(oaStr()), false)
	oaProp(nb, "slug", oaInline(oaStr()), false)
	oaProp(nb, "description", oaInline(oaStr()), false)
	b.component(oaCompNetBoxObject, nb)

	del := oaObject()
	idS := oaInteger()
	idS.Min = oaPtr(1.0)
	oaProp(del, "id", oaInline(idS), true)
	oaProp(del, "changelog_message", oaInline(oaWriteOnly(oaStr())), false)
	b.component(oaCompBulkDelete, del)

	fm := oaObject()
	oaProp(fm, "type", oaInline(oaStr()), true)
	oaProp(fm, "required", oaInline(oaBoolean()), true)
	oaProp(fm, "read_only", oaInline(oaBoolean()), true)
	oaProp(fm, "label", oaInline(oaStr()), true)
	oaProp(fm, "max_length", oaInline(oaInteger()), false)
	choice := oaObject()
	oaProp(choice, "value", oaInline(oaStr()), true)
	oaProp(choice, "display_name", oaInline(oaStr()), true)
	oaProp(fm, "choices", oaInline(oaArray(oaInline(choice))), false)
	b.component(oaCompFieldMetadata, fm)

	viewMetadata := func(description string) *openapi3.Schema {
		m := oaObject()
		m.Description = description
		oaProp(m, "name", oaInline(oaStr()), true)
		oaProp(m, "description", oaInline(oaStr()), true)
		oaProp(m, "renders", oaInline(oaArray(oaInline(oaStr()))), true)
		oaProp(m, "parses", oaInline(oaArray(oaInline(oaStr()))), true)
		return m
	}
	b.component(oaCompViewMetadata, viewMetadata("Django REST framework metadata of a read-only endpoint (nothing to write: no `actions`)."))
	md := viewMetadata("Django REST framework metadata; pynetbox's `.choices()` reads `actions.POST.<field>.choices`.")
	actions := oaObject()
	fields := oaMapOf(oaRef(oaCompFieldMetadata))
	oaProp(actions, "POST", oaInline(fields), false)
	oaProp(actions, "PUT", oaInline(fields), false)
	oaProp(md, "actions", oaInline(actions), true)
	b.component(oaCompMetadata, md)

	desc := func(s string) *string { return &s }
	c.Responses["BadRequest"] = &openapi3.ResponseRef{Value: &openapi3.Response{
		Description: desc("Invalid request: validation errors by field, or a message."), Headers: b.headers(),
		Content: openapi3.NewContentWithJSONSchema(&openapi3.Schema{AnyOf: openapi3.SchemaRefs{oaRef(oaCompValidationError), oaRef(oaCompDetail)}})}}
	c.Responses["BulkBadRequest"] = &openapi3.ResponseRef{Value: &openapi3.Response{
		Description: desc("Invalid request: for a list body, errors aligned with the items; else errors by field, or a message. Nothing is written."),
		Headers:     b.headers(),
		Content: openapi3.NewContentWithJSONSchema(&openapi3.Schema{AnyOf: openapi3.SchemaRefs{
			oaRef(oaCompBulkValidation), oaRef(oaCompValidationError), oaRef(oaCompDetail)}})}}
	c.Responses["FilterError"] = &openapi3.ResponseRef{Value: &openapi3.Response{
		Description: desc("Invalid value of a known filter or pagination parameter, or a query string that does not parse."), Headers: b.headers(),
		Content: openapi3.NewContentWithJSONSchema(&openapi3.Schema{AnyOf: openapi3.SchemaRefs{oaRef(oaCompValidationError), oaRef(oaCompDetail)}})}}
	for name, d := range map[string]string{
		"Forbidden":            "Authentication credentials missing or invalid, or no permission for the action.",
		"NotFound":             "No such object.",
		"UnsupportedMediaType": "The request body is not JSON (Content-Type other than application/json).",
	} {
		c.Responses[name] = &openapi3.ResponseRef{Value: &openapi3.Response{
			Description: desc(d), Headers: b.headers(), Content: openapi3.NewContentWithJSONSchemaRef(oaRef(oaCompDetail))}}
	}
	c.Responses["Conflict"] = &openapi3.ResponseRef{Value: &openapi3.Response{
		Description: desc("The object cannot be deleted: other objects depend on it."), Headers: b.headers(),
		Content: openapi3.NewContentWithJSONSchemaRef(oaRef(oaCompProtected))}}

	qp := func(name, description string, s *openapi3.Schema) {
		p := openapi3.NewQueryParameter(name).WithDescription(description).WithSchema(s)
		c.Parameters[name] = &openapi3.ParameterRef{Value: p}
	}
	qp("q", "Free-text search.", oaStr())
	qp("ordering", "Comma-separated field names to order by; `-` prefix for descending. A field naming another object of this service sorts by that object's own ordering (an asset's `type` by the type's name); NetBox references (device, site, tenant, owner, ...) sort by id. Unknown names are ignored.", oaStr())
	limit := oaInteger()
	qp("limit", "Number of results per page: default "+strconv.Itoa(filter.DefaultLimit)+", at most "+strconv.Itoa(filter.MaxLimit)+
		" (0 or more than the maximum give the maximum; a negative or non-numeric value gives the default).", limit)
	qp("offset", "Index of the first result (offset pagination).", oaInteger())
	start := oaInteger()
	start.Min = oaPtr(0.0)
	qp("start", "Cursor pagination: results with id >= start, ordered by id; `count` is null. Cannot be combined with `offset` or `ordering`.", start)
	qp("brief", "Return the brief representation: any non-empty value (as NetBox, `brief=false` too).", oaStr())
	qp("fields", "Comma-separated names of the fields to return (unknown names are ignored; wins over `omit` and `brief`).", oaStr())
	qp("omit", "Comma-separated names of fields to leave out.", oaStr())
}

func oaPtr[T any](v T) *T { return &v }

func oaWriteOnly(s *openapi3.Schema) *openapi3.Schema { s.WriteOnly = true; return s }

// Representations.

// outputProp is the schema of one serializer field as render.go emits it,
// or nil for a name the renderer skips.
func (b *oaBuilder) outputProp(e *schema.Entity, name string) *openapi3.SchemaRef {
	switch name {
	case "id":
		return oaInline(oaReadOnly(oaInteger()))
	case "url", "display_url":
		return oaInline(oaReadOnly(oaURI()))
	case "display":
		return oaInline(oaReadOnly(oaStr()))
	case "tags":
		return oaInline(oaArray(oaRef(oaCompNestedTag)))
	case "contract_type":
		s := oaReadOnly(oaEnum([]string{"contract", "subcontract"}, false))
		s.Description = "`subcontract` when the contract has a parent, else `contract`."
		return oaInline(s)
	case "asset_numbers":
		s := oaReadOnly(oaStr())
		s.Nullable = true
		s.Description = "Inventory numbers of the linked external inventory items, comma-separated; null when none."
		return oaInline(s)
	case "assigned_object":
		s := oaReadOnly(oaNullableRef(oaCompNetBoxObject))
		s.Description = "The NetBox object given by assigned_object_type and assigned_object_id."
		return oaInline(s)
	}
	f := e.Field(name)
	if f == nil {
		return nil
	}
	switch f.Kind {
	case schema.ForeignKey:
		target := oaBriefName(b.reg.Entity(f.Ref))
		if f.Null {
			return oaInline(oaNullableRef(target))
		}
		return oaRef(target)
	case schema.NetBoxRef:
		return oaInline(oaNullableRef(oaCompNetBoxObject))
	case schema.ManyToMany:
		return oaInline(oaArray(oaRef(oaBriefName(b.reg.Entity(f.Ref)))))
	}
	s := b.scalar(f)
	if f.ReadOnly {
		s.ReadOnly = true
	}
	return oaInline(s)
}

// scalar is the schema of a field that is neither a relation nor a
// reference, common to responses and requests.
func (b *oaBuilder) scalar(f *schema.Field) *openapi3.Schema {
	var s *openapi3.Schema
	switch f.Kind {
	case schema.String:
		s = oaStr()
		if f.MaxLen > 0 {
			s.MaxLength = oaPtr(uint64(f.MaxLen))
		}
		if p := f.Format.Pattern(); p != "" {
			if f.Required {
				s.Pattern = "^" + p + "$"
			} else {
				s.Pattern = "^(?:" + p + ")?$" // blank allowed
			}
		}
	case schema.Int:
		s = oaInteger()
		s.Format = "int64"
		if f.NonNegative {
			s.Min = oaPtr(0.0)
		}
	case schema.Decimal:
		s = oaTyped(openapi3.TypeNumber)
		s.Format = "double"
		if f.NonNegative {
			s.Min = oaPtr(0.0)
		}
		// decimal(Digits, 2): the store rejects |value| >= 10^(Digits-2)
		// below 19 digits.
		if f.Digits > 2 && f.Digits < 19 {
			s.Max = oaPtr(math.Pow10(f.Digits - 2))
			s.ExclusiveMax = openapi3.ExclusiveBound{Bool: oaPtr(true)}
		}
	case schema.Date:
		s = oaStr()
		s.Format = "date"
	case schema.DateTime:
		s = oaStr()
		s.Format = "date-time"
	case schema.JSON:
		if f.Name == "custom_fields" {
			s = oaFreeObject()
		} else {
			s = oaOrNull(oaInline(&openapi3.Schema{}))
			s.Description = "Any JSON value."
		}
	case schema.Choice:
		s = oaEnum(f.Choices.Values(), f.Null)
	case schema.ContentType:
		s = oaEnum(f.ContentTypes, f.Null)
	default:
		s = &openapi3.Schema{}
	}
	if f.Null {
		s.Nullable = true
	}
	if s.Description == "" && f.Kind == schema.Choice {
		var parts []string
		for _, c := range f.Choices.Choices {
			parts = append(parts, "`"+c.Value+"` ("+c.Label+")")
		}
		s.Description = strings.Join(parts, ", ")
	}
	s.Title = Label(f)
	return s
}

// representation is the object rendered with the given serializer fields.
func (b *oaBuilder) representation(e *schema.Entity, names []string, description string) *openapi3.Schema {
	s := oaObject()
	s.Description = description
	for _, n := range names {
		if p := b.outputProp(e, n); p != nil {
			oaProp(s, n, p, true)
		}
	}
	return s
}

// inputProp is the schema of a writable field in a request body.
func (b *oaBuilder) inputProp(f *schema.Field) *openapi3.SchemaRef {
	switch f.Kind {
	case schema.ForeignKey:
		id := oaInteger()
		id.Min = oaPtr(1.0)
		attrs := oaFreeObject()
		attrs.Description = "Field values of " + oaComponentName(b.reg.Entity(f.Ref)) + " (exact) identifying exactly one object."
		s := &openapi3.Schema{OneOf: openapi3.SchemaRefs{oaInline(id), oaInline(attrs)}}
		if f.Null {
			s = oaOrNull(oaInline(id), oaInline(attrs))
		}
		s.Title, s.Description = Label(f), "The "+oaComponentName(b.reg.Entity(f.Ref))+" by id, or by a dictionary of its field values."
		return oaInline(s)
	case schema.NetBoxRef:
		id := oaInteger()
		id.Min = oaPtr(0.0)
		obj := oaObject()
		oaProp(obj, "id", oaInline(oaInteger()), true)
		s := &openapi3.Schema{OneOf: openapi3.SchemaRefs{oaInline(id), oaInline(obj)}}
		if f.Null {
			s = oaOrNull(oaInline(id), oaInline(obj))
		}
		s.Title, s.Description = Label(f), "Id of the NetBox "+f.RefType+" object."
		return oaInline(s)
	case schema.ManyToMany:
		id := oaInteger()
		id.Min = oaPtr(1.0)
		s := oaArray(oaInline(&openapi3.Schema{OneOf: openapi3.SchemaRefs{oaInline(id), oaInline(oaFreeObject())}}))
		s.Title = Label(f)
		s.Description = "Ids (or attribute dictionaries) of " + b.reg.Entity(f.Ref).Plural + "."
		return oaInline(s)
	}
	s := b.scalar(f)
	if f.Kind == schema.String && f.Required {
		s.MinLength = 1
	}
	return oaInline(s)
}

// requiredOnCreate lists the fields a POST and a PUT must carry (the
// store's required check and requiredMissing agree on them).
func oaRequiredOnCreate(e *schema.Entity) map[string]bool {
	out := map[string]bool{}
	for _, f := range e.Fields {
		if !f.ReadOnly && !f.Null && f.Default == nil && f.Kind != schema.ManyToMany && f.Kind != schema.JSON {
			out[f.Name] = true
		}
		if f.Required && f.Default == nil && !f.ReadOnly {
			out[f.Name] = true
		}
	}
	return out
}

func (b *oaBuilder) writable(e *schema.Entity, patched bool) *openapi3.Schema {
	s := oaObject()
	req := oaRequiredOnCreate(e)
	for _, f := range e.Fields {
		if f.ReadOnly {
			continue
		}
		oaProp(s, f.Name, b.inputProp(f), !patched && req[f.Name])
	}
	if e.HasTags {
		id := oaInteger()
		id.Min = oaPtr(1.0)
		attrs := oaObject()
		oaProp(attrs, "id", oaInline(oaInteger()), false)
		oaProp(attrs, "name", oaInline(oaStr()), false)
		oaProp(attrs, "slug", oaInline(oaStr()), false)
		t := oaArray(oaInline(&openapi3.Schema{OneOf: openapi3.SchemaRefs{oaInline(id), oaInline(attrs)}}))
		t.Description = "Tag ids, or `{\"name\": ...}` / `{\"slug\": ...}`; replaces the object's tags."
		oaProp(s, "tags", oaInline(t), false)
	}
	oaProp(s, "changelog_message", oaInline(oaWriteOnly(oaStr())), false)
	if patched {
		s.Description = "Partial update: only the given fields change."
	}
	return s
}

func oaWithID(body string) *openapi3.Schema {
	idObj := oaObject()
	id := oaInteger()
	id.Min = oaPtr(1.0)
	oaProp(idObj, "id", oaInline(id), true)
	return &openapi3.Schema{AllOf: openapi3.SchemaRefs{oaInline(idObj), oaRef(body)}}
}

// entity adds e's components and paths.
func (b *oaBuilder) entity(e *schema.Entity) {
	b.endpoint(e, PluginAPIPath+e.Path+"/", "plugins", func(action string) string { return oaOperationID(e, action) })
}

// endpoint adds the components and paths of e served at base, its
// operations under the API tag and with the ids operationID names.
func (b *oaBuilder) endpoint(e *schema.Entity, base, tag string, operationID func(action string) string) {
	name := oaComponentName(e)
	full := b.representation(e, e.APIFields, e.Verbose+".")
	b.component(name, full)
	briefFields := e.BriefFields
	briefDesc := "Brief " + e.Verbose + " (nested objects and `?brief=1`)."
	if len(briefFields) == 0 {
		briefFields = e.APIFields
		briefDesc = e.Verbose + ": this model has no brief form, nested objects and `?brief=1` use the full representation."
	}
	b.component(oaBriefName(e), b.representation(e, briefFields, briefDesc))
	b.component("Writable"+name+"Request", b.writable(e, false))
	b.component("PatchedWritable"+name+"Request", b.writable(e, true))
	b.component("BulkWritable"+name+"Request", oaWithID("Writable"+name+"Request"))
	b.component("PatchedBulkWritable"+name+"Request", oaWithID("PatchedWritable"+name+"Request"))

	// A list result or a retrieved object is the full or the brief form.
	shaped := &openapi3.Schema{AnyOf: openapi3.SchemaRefs{oaRef(name), oaRef(oaBriefName(e))},
		Description: "The full representation, or the brief one with `?brief=1`; `?fields`/`?omit` leave fields out."}
	page := b.paginated(oaInline(shaped))
	b.component("Paginated"+name+"List", page)

	list := &openapi3.Operation{
		Tags: []string{tag}, OperationID: operationID("list"),
		Summary:     "List " + e.Plural,
		Description: "Filterable, paginated list of " + strings.ToLower(e.Plural) + ". Default ordering: " + strings.Join(e.Ordering, ", ") + ".",
		Parameters:  b.listParameters(e),
		Responses: oaResponses("200", b.response("Paginated list.", oaRef("Paginated"+name+"List")),
			"400", oaRespRef("FilterError"), "403", oaRespRef("Forbidden")),
	}
	create := &openapi3.Operation{
		Tags: []string{tag}, OperationID: operationID("create"),
		Summary:     "Create one " + e.Verbose + " or a list (all or nothing)",
		RequestBody: oaJSONBody(oaInline(oaOneOrMany("Writable"+name+"Request")), true),
		Responses: oaResponses("201", b.response("Created; a list when a list was posted.", oaInline(oaOneOrMany(name))),
			"400", oaRespRef("BulkBadRequest"), "403", oaRespRef("Forbidden"), "415", oaRespRef("UnsupportedMediaType")),
	}
	bulkUpdate := func(patched bool) *openapi3.Operation {
		body, action, summary := "BulkWritable"+name+"Request", "bulk_update", "Update a list of "+e.Plural+" (all or nothing)"
		if patched {
			body, action, summary = "PatchedBulkWritable"+name+"Request", "bulk_partial_update", "Partially update a list of "+e.Plural+" (all or nothing)"
		}
		items := oaArray(oaRef(body))
		return &openapi3.Operation{
			Tags: []string{tag}, OperationID: operationID(action), Summary: summary,
			RequestBody: oaJSONBody(oaInline(items), true),
			Responses: oaResponses("200", b.response("Updated objects.", oaInline(oaArray(oaRef(name)))),
				"400", oaRespRef("BulkBadRequest"), "403", oaRespRef("Forbidden"), "404", oaRespRef("NotFound"), "415", oaRespRef("UnsupportedMediaType")),
		}
	}
	delItems := oaArray(oaRef(oaCompBulkDelete))
	bulkDelete := &openapi3.Operation{
		Tags: []string{tag}, OperationID: operationID("bulk_destroy"),
		Summary:     "Delete a list of " + e.Plural + " (all or nothing)",
		RequestBody: oaJSONBody(oaInline(delItems), true),
		Responses: oaResponses("204", b.response("Deleted.", nil),
			"400", oaRespRef("BulkBadRequest"), "403", oaRespRef("Forbidden"), "404", oaRespRef("NotFound"), "409", oaRespRef("Conflict"),
			"415", oaRespRef("UnsupportedMediaType")),
	}
	options := func(detail bool) *openapi3.Operation {
		action := "metadata"
		if detail {
			action = "instance_metadata"
		}
		return &openapi3.Operation{
			Tags: []string{tag}, OperationID: operationID(action),
			Summary:   "Field metadata and choices",
			Responses: oaResponses("200", b.response("Metadata.", oaRef(oaCompMetadata)), "403", oaRespRef("Forbidden")),
		}
	}
	b.doc.Paths.Set(base, &openapi3.PathItem{
		Get: list, Post: create, Put: bulkUpdate(false), Patch: bulkUpdate(true), Delete: bulkDelete, Options: options(false),
	})

	idParam := openapi3.NewPathParameter("id").WithSchema(oaInteger()).WithDescription("A unique integer value identifying this " + strings.ToLower(e.Verbose) + ".")
	var shapeParams openapi3.Parameters
	for _, p := range oaDetailParams {
		shapeParams = append(shapeParams, oaParamRef(p))
	}
	retrieve := &openapi3.Operation{
		Tags: []string{tag}, OperationID: operationID("retrieve"), Summary: "Get one " + e.Verbose,
		Parameters: shapeParams,
		Responses: oaResponses("200", b.response(e.Verbose+".", oaInline(shaped)),
			"403", oaRespRef("Forbidden"), "404", oaRespRef("NotFound")),
	}
	update := func(patched bool) *openapi3.Operation {
		body, action, summary := "Writable"+name+"Request", "update", "Replace one "+e.Verbose
		if patched {
			body, action, summary = "PatchedWritable"+name+"Request", "partial_update", "Update fields of one "+e.Verbose
		}
		return &openapi3.Operation{
			Tags: []string{tag}, OperationID: operationID(action), Summary: summary,
			RequestBody: oaJSONBody(oaRef(body), true),
			Responses: oaResponses("200", b.response("Updated object.", oaRef(name)),
				"400", oaRespRef("BadRequest"), "403", oaRespRef("Forbidden"), "404", oaRespRef("NotFound"), "415", oaRespRef("UnsupportedMediaType")),
		}
	}
	destroy := &openapi3.Operation{
		Tags: []string{tag}, OperationID: operationID("destroy"), Summary: "Delete one " + e.Verbose,
		Responses: oaResponses("204", b.response("Deleted.", nil),
			"403", oaRespRef("Forbidden"), "404", oaRespRef("NotFound"), "409", oaRespRef("Conflict")),
	}
	b.doc.Paths.Set(base+"{id}/", &openapi3.PathItem{
		Parameters: openapi3.Parameters{{Value: idParam}},
		Get:        retrieve, Put: update(false), Patch: update(true), Delete: destroy, Options: options(true),
	})
}

// oneOrMany is an object of the named schema or a non-empty list of them.
func oaOneOrMany(name string) *openapi3.Schema {
	items := oaArray(oaRef(name)) // an empty list too, as NetBox
	return &openapi3.Schema{OneOf: openapi3.SchemaRefs{oaRef(name), oaInline(items)}}
}

// paginated is NetBox's list envelope.
func (b *oaBuilder) paginated(item *openapi3.SchemaRef) *openapi3.Schema {
	s := oaObject()
	count := oaInteger()
	count.Min = oaPtr(0.0)
	count.Nullable = true
	count.Description = "Total number of matching objects; null in cursor mode (`?start=`)."
	oaProp(s, "count", oaInline(count), true)
	next := oaURI()
	next.Nullable = true
	oaProp(s, "next", oaInline(next), true)
	prev := oaURI()
	prev.Nullable = true
	oaProp(s, "previous", oaInline(prev), true)
	oaProp(s, "results", oaInline(oaArray(item)), true)
	return s
}

// listParameters are the shared list parameters and every filter of e with
// its lookup variants.
func (b *oaBuilder) listParameters(e *schema.Entity) openapi3.Parameters {
	var ps openapi3.Parameters
	for _, p := range oaListParams {
		ps = append(ps, oaParamRef(p))
	}
	for _, key := range e.FilterKeys() {
		f := e.Filter(key)
		ps = append(ps, &openapi3.ParameterRef{Value: oaFilterParam(f, "")})
		for _, l := range f.Lookups() {
			ps = append(ps, &openapi3.ParameterRef{Value: oaFilterParam(f, l)})
		}
	}
	return ps
}

// oaOrderingNames are the field names ?ordering= accepts for e besides id
// (filter.Parse's rule: no JSON or many-to-many fields).
func oaOrderingNames(e *schema.Entity) []string {
	var out []string
	for _, f := range e.Fields {
		if f.Kind != schema.JSON && f.Kind != schema.ManyToMany {
			out = append(out, f.Name)
		}
	}
	return out
}

// filterParam documents key[__lookup] the way filter.Parse reads it.
func oaFilterParam(f *schema.Filter, lookup string) *openapi3.Parameter {
	name := f.Key
	if lookup != "" {
		name += "__" + lookup
	}
	var value *openapi3.Schema
	multi := !f.Single
	switch {
	case oaBoolLookups[lookup]:
		value, multi = oaBoolean(), false
	case oaTextLookups[lookup] && f.Type == schema.FChoice:
		value = oaEnum(f.Values, false) // as NetBox: the lookups of a choice filter take choices
	case oaTextLookups[lookup]:
		value = oaStr()
	default:
		switch f.Type {
		case schema.FNumber:
			value = oaTyped(openapi3.TypeNumber) // Django's DecimalField reads it: 5.0, 1e3
		case schema.FID:
			value = oaInteger()
			value.Min = oaPtr(0.0)
		case schema.FDecimal:
			value = oaTyped(openapi3.TypeNumber)
		case schema.FDate:
			value = oaStr()
			value.Format = "date"
		case schema.FDateTime:
			value = oaStr()
			value.Format = "date-time"
		case schema.FChoice:
			value = oaEnum(f.Values, false)
			if f.ContentType {
				value = oaStr() // any app_label.model; unknown ones match nothing
			}
		case schema.FBool:
			value = oaBoolean()
		case schema.FUUID:
			value = oaStr()
			value.Format = "uuid"
		default:
			value = oaStr()
		}
	}
	desc := "Filter on " + f.Key
	switch {
	case f.BaseRange() != "":
		desc = "Filter on " + strings.TrimPrefix(f.Expr, "t.") + ": " + oaLookupHelp[f.BaseRange()]
	case lookup != "":
		desc += ": " + oaLookupHelp[lookup]
	case f.Base == "icontains":
		desc += " (contains, case-insensitive)"
	case f.Base == "iexact":
		desc += " (equals, case-insensitive)"
	}
	if multi {
		desc += ". Repeat to match any of several values"
		if (lookup == "" || lookup == "n") && f.Method == "" && f.NeedsNetBox == "" && f.BaseRange() == "" {
			desc += "; `null` matches an empty value"
		}
	}
	desc += "."
	if f.Currency && lookup != "empty" {
		desc += " Values are currency codes of the `currencies` setting; another value answers 400."
	}
	if f.NeedsNetBox != "" {
		desc = f.NeedsNetBox + " Any value answers 400 (upstream filter, kept so that scripts using it are told)."
	}
	p := openapi3.NewQueryParameter(name).WithDescription(desc)
	if multi {
		p.Schema = oaInline(oaArray(oaInline(value)))
		p.Style = openapi3.SerializationForm
		p.Explode = oaPtr(true)
	} else {
		p.Schema = oaInline(value)
	}
	return p
}

// meta documents the API root, status, plugin roots and the schema.
func (b *oaBuilder) meta() {
	public := &openapi3.SecurityRequirements{{}, {oaSecurityToken: []string{}}}

	root := oaObject()
	oaProp(root, "plugins", oaInline(oaURI()), true)
	oaProp(root, "schema", oaInline(oaURI()), true)
	oaProp(root, "status", oaInline(oaURI()), true)
	b.component(oaCompAPIRoot, root)
	b.doc.Paths.Set("/api/", &openapi3.PathItem{Get: &openapi3.Operation{
		Tags: []string{"status"}, OperationID: "api_root", Summary: "API root",
		Description: "The `API-Version` header is what `pynetbox`'s `nb.version` reads.",
		Security:    public,
		Responses:   oaResponses("200", b.response("API sections.", oaRef(oaCompAPIRoot)), "403", oaRespRef("Forbidden")),
	}})

	st := oaObject()
	nullableStr := oaStr()
	nullableStr.Nullable = true
	oaProp(st, "django-version", oaInline(nullableStr), true)
	oaProp(st, "installed_apps", oaInline(oaMapOf(oaInline(oaStr()))), true)
	oaProp(st, "netbox-version", oaInline(oaStr()), true)
	oaProp(st, "netbox-full-version", oaInline(oaStr()), true)
	oaProp(st, "plugins", oaInline(oaMapOf(oaInline(oaStr()))), true)
	oaProp(st, "python-version", oaInline(nullableStr), true)
	workers := oaInteger()
	workers.Min = oaPtr(0.0)
	oaProp(st, "rq-workers-running", oaInline(workers), true)
	b.component(oaCompStatus, st)
	b.doc.Paths.Set("/api/status/", &openapi3.PathItem{Get: &openapi3.Operation{
		Tags: []string{"status"}, OperationID: "status_retrieve", Summary: "Service status (NetBox shape)",
		Responses: oaResponses("200", b.response("Status; `plugins.inventory_monitor` is this service's version.", oaRef(oaCompStatus)), "403", oaRespRef("Forbidden")),
	}})

	plugins := oaObject()
	oaProp(plugins, "inventory-monitor", oaInline(oaURI()), true)
	b.doc.Paths.Set("/api/plugins/", &openapi3.PathItem{Get: &openapi3.Operation{
		Tags: []string{"plugins"}, OperationID: "plugins_root", Summary: "Installed plugins",
		Responses: oaResponses("200", b.response("Plugin API roots.", oaInline(plugins)), "403", oaRespRef("Forbidden")),
	}})
	installed := oaObject()
	for _, k := range []string{"name", "package", "author", "author_email", "description", "version"} {
		oaProp(installed, k, oaInline(oaStr()), true)
	}
	b.doc.Paths.Set("/api/plugins/installed-plugins/", &openapi3.PathItem{Get: &openapi3.Operation{
		Tags: []string{"plugins"}, OperationID: "plugins_installed", Summary: "Installed plugins (NetBox's view; this service is the inventory-monitor plugin)",
		Responses: oaResponses("200", b.response("Installed plugins.", oaInline(oaArray(oaInline(installed)))), "403", oaRespRef("Forbidden")),
	}})
	proot := oaObject()
	for _, e := range b.reg.Entities {
		oaProp(proot, e.Path, oaInline(oaURI()), true)
	}
	oaProp(proot, "object-changes", oaInline(oaURI()), true)
	b.doc.Paths.Set(PluginAPIPath, &openapi3.PathItem{Get: &openapi3.Operation{
		Tags: []string{"plugins"}, OperationID: "plugins_inventory_monitor_root", Summary: "inventory-monitor endpoints",
		Responses: oaResponses("200", b.response("Endpoint URLs.", oaInline(proot)), "403", oaRespRef("Forbidden")),
	}})

	format := openapi3.NewQueryParameter("format").WithDescription("`json` for JSON; YAML otherwise.").
		WithSchema(oaEnum([]string{"json", "yaml"}, false))
	desc := "This document."
	schemaResp := &openapi3.Response{Description: &desc, Headers: b.headers(), Content: openapi3.Content{
		"application/vnd.oai.openapi":      &openapi3.MediaType{},
		"application/vnd.oai.openapi+json": &openapi3.MediaType{},
	}}
	b.doc.Paths.Set("/api/schema/", &openapi3.PathItem{Get: &openapi3.Operation{
		Tags: []string{"schema"}, OperationID: "schema_retrieve", Summary: "OpenAPI document",
		Description: "OpenAPI 3 document of this API, YAML by default; Swagger UI is served at `/api/docs/`.",
		Security:    public,
		Parameters:  openapi3.Parameters{{Value: format}},
		Responses: oaResponses("200", &openapi3.ResponseRef{Value: schemaResp},
			"403", oaRespRef("Forbidden"), "404", oaRespRef("NotFound")),
	}})
}

// changes documents the change-log endpoints (changes.go).
func (b *oaBuilder) changes() {
	oc := oaObject()
	oc.Description = "A change-log entry (NetBox core.ObjectChange)."
	oaProp(oc, "id", oaInline(oaReadOnly(oaInteger())), true)
	oaProp(oc, "url", oaInline(oaReadOnly(oaURI())), true)
	oaProp(oc, "display_url", oaInline(oaReadOnly(oaURI())), true)
	oaProp(oc, "display", oaInline(oaReadOnly(oaStr())), true)
	tm := oaStr()
	tm.Format = "date-time"
	oaProp(oc, "time", oaInline(tm), true)
	user := oaObject()
	oaProp(user, "id", oaInline(oaInteger()), true)
	oaProp(user, "display", oaInline(oaStr()), true)
	oaProp(user, "username", oaInline(oaStr()), true)
	user.Nullable = true
	oaProp(oc, "user", oaInline(user), true)
	oaProp(oc, "user_name", oaInline(oaStr()), true)
	oaProp(oc, "request_id", oaInline(oaStr()), true)
	action := oaObject()
	oaProp(action, "value", oaInline(oaEnum([]string{"create", "update", "delete"}, false)), true)
	oaProp(action, "label", oaInline(oaEnum([]string{"Created", "Updated", "Deleted"}, false)), true)
	oaProp(oc, "action", oaInline(action), true)
	ot := oaStr()
	ot.Description = "`app_label.model`, e.g. `inventory_monitor.asset`."
	oaProp(oc, "changed_object_type", oaInline(ot), true)
	oaProp(oc, "changed_object_id", oaInline(oaInteger()), true)
	oaProp(oc, "object_repr", oaInline(oaStr()), true)
	oaProp(oc, "message", oaInline(oaStr()), true)
	for _, n := range []string{"prechange_data", "postchange_data"} {
		d := oaFreeObject()
		d.Nullable = true
		oaProp(oc, n, oaInline(d), true)
	}
	b.component(oaCompObjectChange, oc)
	brief := oaObject()
	brief.Description = "Brief change-log entry (`?brief=1`)."
	for _, n := range []string{"id", "url", "display", "action"} {
		oaProp(brief, n, oc.Properties[n], true)
	}
	b.component("Brief"+oaCompObjectChange, brief)
	// A result is the full or the brief form (changes.go shapes them as
	// the entity lists do theirs).
	shaped := &openapi3.Schema{AnyOf: openapi3.SchemaRefs{oaRef(oaCompObjectChange), oaRef("Brief" + oaCompObjectChange)},
		Description: "The full representation, or the brief one with `?brief=1`; `?fields`/`?omit` leave fields out."}
	b.component(oaCompPaginatedChange, b.paginated(oaInline(shaped)))

	var objectTypes []string
	for _, e := range b.reg.Entities {
		if e.ChangeLogged {
			objectTypes = append(objectTypes, e.ObjectType)
		}
	}
	objectTypes = append(objectTypes, schema.Tags.ObjectType)
	ce := schema.ObjectChanges
	b.doc.Paths.Set(PluginAPIPath+"object-changes/", &openapi3.PathItem{Get: &openapi3.Operation{
		Tags: []string{"plugins"}, OperationID: "plugins_inventory_monitor_object_changes_list",
		Summary: "List change-log entries, newest first",
		Description: "Repeated filter parameters are ORed, different ones ANDed; a parameter without a value is ignored. " +
			"`changed_object_type` is one of " + strings.Join(objectTypes, ", ") + ". " +
			"`ordering` accepts id, " + strings.Join(oaOrderingNames(ce), ", ") + ". Default ordering: " + strings.Join(ce.Ordering, ", ") + ".",
		Parameters: b.listParameters(ce),
		Responses: oaResponses("200", b.response("Paginated list.", oaRef(oaCompPaginatedChange)),
			"400", oaRespRef("FilterError"), "403", oaRespRef("Forbidden")),
	}})
	idParam := openapi3.NewPathParameter("id").WithSchema(oaInteger()).WithDescription("A unique integer value identifying this object change.")
	b.doc.Paths.Set(PluginAPIPath+"object-changes/{id}/", &openapi3.PathItem{
		Parameters: openapi3.Parameters{{Value: idParam}},
		Get: &openapi3.Operation{
			Tags: []string{"plugins"}, OperationID: "plugins_inventory_monitor_object_changes_retrieve",
			Summary:    "Get one change-log entry",
			Parameters: openapi3.Parameters{oaParamRef("brief"), oaParamRef("fields"), oaParamRef("omit")},
			Responses: oaResponses("200", b.response("Change-log entry.", oaInline(&openapi3.Schema{AnyOf: openapi3.SchemaRefs{
				oaRef(oaCompObjectChange), oaRef("Brief" + oaCompObjectChange)}})), "403", oaRespRef("Forbidden"), "404", oaRespRef("NotFound")),
		},
	})
}
