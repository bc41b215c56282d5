package schema

import (
	"strconv"
	"strings"

	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
)

// Upstream model names, used as registry keys.
const (
	AssetTypeName         = "assettype"
	AssetName             = "asset"
	AssetServiceName      = "assetservice"
	ContractName          = "contract"
	ContractorName        = "contractor"
	InvoiceName           = "invoice"
	ProbeName             = "probe"
	RMAName               = "rma"
	ExternalInventoryName = "externalinventory"
)

// AssignableTypes are the NetBox object types an asset can be assigned to.
var AssignableTypes = []string{"dcim.site", "dcim.location", "dcim.rack", "dcim.device", "dcim.module"}

// Field constructors keep the entity tables below short.
func str(name string, maxLen int, null bool) *Field {
	return &Field{Name: name, Kind: String, MaxLen: maxLen, Null: null}
}
func currency(name string) *Field {
	return &Field{Name: name, Kind: String, MaxLen: MaxCurrencyLen, Null: true, Currency: true}
}
func reqStr(name string, maxLen int) *Field {
	return &Field{Name: name, Kind: String, MaxLen: maxLen, Required: true}
}
func text(name string) *Field { return &Field{Name: name, Kind: String, Default: ""} }
func date(name string) *Field { return &Field{Name: name, Kind: Date, Null: true} }
func money(name string, digits int) *Field {
	return &Field{Name: name, Kind: Decimal, Digits: digits, Null: true, NonNegative: true}
}
func fk(name, ref string, onDelete OnDelete, required bool) *Field {
	return &Field{Name: name, Column: name + "_id", Kind: ForeignKey, Ref: ref, OnDelete: onDelete, Null: !required, Required: required}
}
func netboxRef(name, refType string) *Field {
	return &Field{Name: name, Column: name + "_id", Kind: NetBoxRef, RefType: refType, Null: true}
}
func choice(name string, set *inventory.ChoiceSet) *Field {
	f := &Field{Name: name, Kind: Choice, Choices: set, Required: true, MaxLen: 30}
	if set.Default != "" {
		f.Default = set.Default
	}
	return f
}

// MaxCurrencyLen bounds currency fields (upstream leaves them unbounded):
// a currency is a short code, and the asset's sits in the PostgreSQL
// index of the default asset ordering, whose entries must stay within a
// fixed size (about 2.7 KB with every other ordering column at its
// longest).
const MaxCurrencyLen = 32

// primary returns PrimaryModel's description, comments and owner (a
// NetBox users.Owner, NetBox 4.6).
func primary() []*Field {
	d := text("description")
	d.MaxLen = 200
	return []*Field{d, text("comments"), netboxRef("owner", "users.owner")}
}

func common() []*Field {
	return []*Field{
		{Name: "custom_fields", Column: "custom_field_data", Kind: JSON, Default: nil},
		{Name: "created", Kind: DateTime, Null: true, ReadOnly: true},
		{Name: "last_updated", Kind: DateTime, Null: true, ReadOnly: true},
	}
}

func fields(groups ...[]*Field) []*Field {
	var out []*Field
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// icontains declares a filter that matches a substring, case-insensitively,
// without lookup variants (upstream's CharFilter(lookup_expr="icontains")).
func icontains(key string) *Filter {
	return &Filter{Key: key, Type: FString, Expr: key, Base: "icontains"}
}

// iexact declares a case-insensitive exact filter with the usual variants.
func iexact(key string) *Filter {
	return &Filter{Key: key, Type: FString, Expr: key, Base: "iexact", Variants: true}
}

// ids declares an id-list filter on a column under another name.
func ids(key, column string) *Filter {
	return &Filter{Key: key, Type: FID, Expr: column, Base: "exact", Variants: true}
}

// refIDs declares an id-list filter on a column referring to table's
// objects: an id naming none of them is an invalid value.
func refIDs(key, column, table string) *Filter {
	f := ids(key, column)
	f.ValidIn = table + ".id"
	return f
}

func boolMethod(key string) *Filter { return &Filter{Key: key, Type: FBool, Method: key, Single: true} }

// relatedName matches the names of the objects a foreign key points to.
func relatedName(key, column, table string) *Filter {
	return &Filter{Key: key, Type: FString, Expr: "r.name", Base: "exact", Variants: true, ValidIn: table + ".name",
		Exists: "EXISTS (SELECT 1 FROM " + table + " r WHERE r.id = t." + column + " AND %s)"}
}

func join(parts ...string) string {
	out := parts[:0]
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }

func wrap(open, s, close string) string {
	if s == "" {
		return ""
	}
	return open + s + close
}

// AssetNoPK is upstream's Asset.str_no_pk(), used inside other objects' names.
func AssetNoPK(a *Record) string {
	if a == nil {
		return ""
	}
	if pn := a.Str("partnumber"); pn != "" {
		return pn + " (" + a.Str("serial") + ")"
	}
	return a.Str("serial")
}

const (
	tableAssetType   = "inventory_monitor_assettype"
	tableAsset       = "inventory_monitor_asset"
	tableService     = "inventory_monitor_assetservice"
	tableContract    = "inventory_monitor_contract"
	tableContractor  = "inventory_monitor_contractor"
	tableInvoice     = "inventory_monitor_invoice"
	tableProbe       = "inventory_monitor_probe"
	tableRMA         = "inventory_monitor_rma"
	tableExtInv      = "inventory_monitor_externalinventory"
	tableExtInvAsset = "inventory_monitor_externalinventory_assets"
)

// TaggedItemTable and TagTable hold tags for every entity.
const (
	TagTable        = "inventory_monitor_tag"
	TaggedItemTable = "inventory_monitor_taggeditem"
	// ObjectChangeTable is the change log.
	ObjectChangeTable = "inventory_monitor_objectchange"
)

func assetTypeEntity() *Entity {
	return &Entity{
		Name: AssetTypeName, Model: "AssetType", VerboseName: "asset type", Verbose: "Asset Type", Plural: "Asset Types", Table: tableAssetType, Path: "asset-types",
		Fields: fields([]*Field{
			{Name: "name", Kind: String, MaxLen: 100, Required: true, Unique: true},
			{Name: "slug", Kind: String, MaxLen: 100, Required: true, Unique: true, Format: Slug},
			{Name: "description", Kind: String, MaxLen: 200, Default: ""},
			{Name: "color", Kind: String, MaxLen: 6, Default: "", Format: Color},
		}, common()),
		Ordering: []string{"name"},
		// Upstream's AssetType q is a no-op (§13.19); we search the obvious fields.
		Search:        []string{"t.name", "t.slug", "t.description"},
		Filters:       []*Filter{icontains("name"), icontains("description"), iexact("slug")},
		APIFields:     []string{"id", "url", "display_url", "display", "name", "slug", "description", "color", "tags", "custom_fields", "created", "last_updated"},
		BriefFields:   []string{"id", "url", "display", "name", "slug", "color"},
		DisplayFields: []string{"name", "description"},
		Display: func(r *Record) string {
			if d := r.Str("description"); d != "" {
				return r.Str("name") + " (" + d + ")"
			}
			return r.Str("name")
		},
	}
}

func assetEntity() *Entity {
	return &Entity{
		Name: AssetName, Model: "Asset", Verbose: "Asset", Plural: "Assets", Table: tableAsset, Path: "assets",
		Fields: fields([]*Field{
			str("partnumber", 64, true),
			reqStr("serial", 255),
			choice("assignment_status", &inventory.AssignmentStatus),
			choice("lifecycle_status", &inventory.LifecycleStatus),
			{Name: "assigned_object_type", Kind: ContentType, ContentTypes: AssignableTypes, Null: true, MaxLen: 50},
			{Name: "assigned_object_id", Kind: Int, Null: true, NonNegative: true},
			fk("type", AssetTypeName, Protect, false),
			fk("order_contract", ContractName, Protect, false),
			str("project", 32, true),
			str("vendor", 32, true),
			{Name: "quantity", Kind: Int, Required: true, Default: int64(1), NonNegative: true},
			money("price", 19),
			currency("currency"),
			date("warranty_start"),
			date("warranty_end"),
		}, primary(), common()),
		Ordering: []string{"partnumber", "serial", "description", "project", "vendor", "quantity", "price", "currency", "order_contract", "warranty_start", "warranty_end"},
		Search:   []string{"t.description", "t.serial", "t.partnumber", "t.project", "t.vendor"},
		SearchVia: []Via{
			{"SELECT t.id FROM " + tableAsset + " t JOIN " + tableContract + " c ON c.id = t.order_contract_id WHERE %s", "c.name"},
			{"SELECT m.asset_id FROM " + tableExtInvAsset + " m JOIN " + tableExtInv + " x ON x.id = m.externalinventory_id WHERE %s", "x.inventory_number"},
		},
		Filters: []*Filter{
			icontains("description"), iexact("serial"), icontains("project"), icontains("vendor"),
			{Key: "external_inventory_number", Type: FString, Expr: "x.inventory_number", Base: "exact", Variants: true,
				Exists: "EXISTS (SELECT 1 FROM " + tableExtInvAsset + " m JOIN " + tableExtInv + " x ON x.id = m.externalinventory_id WHERE m.asset_id = t.id AND %s)"},
			{Key: "external_inventory_items", Type: FID, Expr: "m.externalinventory_id", Base: "exact", Variants: true, ValidIn: tableExtInv + ".id",
				Exists: "EXISTS (SELECT 1 FROM " + tableExtInvAsset + " m WHERE m.asset_id = t.id AND %s)"},
			refIDs("order_contract", "t.order_contract_id", tableContract),
			{Key: "service_status", Type: FChoice, Method: "service_status", Values: inventory.ServiceStatusBands.Values()},
			{Key: "warranty_status", Type: FChoice, Method: "warranty_status", Values: inventory.WarrantyStatusBands.Values()},
			boolMethod("has_external_inventory_items"),
			boolMethod("has_duplicates"),
		},
		APIFields: []string{"id", "url", "display_url", "display", "partnumber", "serial", "asset_numbers", "description",
			"assigned_object_type", "assigned_object_id", "assigned_object", "assignment_status", "lifecycle_status",
			"type", "order_contract", "project", "vendor", "quantity", "price", "currency", "warranty_start", "warranty_end",
			"owner", "comments", "custom_fields", "tags", "created", "last_updated"},
		BriefFields: []string{"id", "url", "display", "partnumber", "serial", "asset_numbers", "type", "description",
			"assignment_status", "assigned_object", "order_contract", "lifecycle_status", "custom_fields"},
		DisplayFields: []string{"partnumber", "serial", "vendor"},
		Display: func(r *Record) string {
			s := join(r.Str("partnumber"), wrap("[", r.Str("serial"), "]"), wrap("(", r.Str("vendor"), ")"))
			if s == "" {
				return "#" + itoa(r.ID)
			}
			return s
		},
		Clean: func(r *Record, v *inventory.ValidationError) {
			inventory.CheckPriceCurrency(v, r.Dec("price"), r.Str("currency"), "price", "currency", "Price")
			inventory.CheckPeriod(v, r.Time("warranty_start"), r.Time("warranty_end"), "warranty_start", "Warranty Start", "Warranty End")
			checkAssignment(r, v)
		},
	}
}

// checkAssignment is NetBox core's generic-reference check: both halves or neither.
func checkAssignment(r *Record, v *inventory.ValidationError) {
	_, hasType := r.Values["assigned_object_type"].(string)
	_, hasID := r.Int("assigned_object_id")
	if hasType && !hasID {
		v.Add("assigned_object_id", "This field cannot be null.")
	}
	if hasID && !hasType {
		v.Add("assigned_object_type", "This field cannot be null.")
	}
}

func assetServiceEntity() *Entity {
	return &Entity{
		Name: AssetServiceName, Model: "AssetService", Verbose: "Asset Service", Plural: "Asset Services", Table: tableService, Path: "asset-services",
		Fields: fields([]*Field{
			date("service_start"),
			date("service_end"),
			money("service_price", 12),
			currency("service_currency"),
			str("service_category", 255, true),
			str("service_category_vendor", 255, true),
			fk("asset", AssetName, Protect, false),
			fk("contract", ContractName, Protect, false),
		}, primary(), common()),
		Ordering: []string{"service_start", "service_end", "service_price", "service_currency", "service_category", "service_category_vendor", "asset", "contract"},
		Search:   []string{"t.service_category", "t.service_category_vendor", "t.description"},
		SearchVia: []Via{
			{"SELECT t.id FROM " + tableService + " t JOIN " + tableAsset + " a ON a.id = t.asset_id WHERE %s", "a.serial"},
			{"SELECT t.id FROM " + tableService + " t JOIN " + tableContract + " c ON c.id = t.contract_id WHERE %s", "c.name"},
		},
		Filters: []*Filter{
			icontains("service_category"), icontains("service_category_vendor"),
			refIDs("asset", "t.asset_id", tableAsset), refIDs("contract", "t.contract_id", tableContract),
		},
		APIFields: []string{"id", "url", "display_url", "display", "service_start", "service_end", "service_price", "service_currency",
			"service_category", "service_category_vendor", "description", "asset", "contract", "owner", "tags", "comments", "custom_fields", "created", "last_updated"},
		BriefFields:   []string{"id", "url", "display", "service_start", "service_end", "service_price", "description", "asset", "contract"},
		DisplayFields: []string{"asset.partnumber", "asset.serial", "contract.name", "service_category"},
		Display: func(r *Record) string {
			s := join(AssetNoPK(r.Rel("asset")), wrap("(", relName(r, "contract"), ")"), wrap("[", r.Str("service_category"), "]"))
			if s == "" {
				return "#" + itoa(r.ID)
			}
			return s
		},
		Clean: func(r *Record, v *inventory.ValidationError) {
			inventory.CheckPriceCurrency(v, r.Dec("service_price"), r.Str("service_currency"), "service_price", "service_currency", "Service price")
			inventory.CheckPeriod(v, r.Time("service_start"), r.Time("service_end"), "service_start", "Service Start", "Service End")
		},
	}
}

func relName(r *Record, field string) string {
	if rel := r.Rel(field); rel != nil {
		return rel.Str("name")
	}
	return ""
}

func contractEntity() *Entity {
	return &Entity{
		Name: ContractName, Model: "Contract", Verbose: "Contract", Plural: "Contracts", Table: tableContract, Path: "contracts",
		Fields: fields([]*Field{
			reqStr("name", 255),
			reqStr("name_internal", 255),
			fk("contractor", ContractorName, Protect, false),
			{Name: "type", Kind: Choice, Choices: &inventory.ContractType, Required: true, MaxLen: 50},
			money("price", 19),
			currency("currency"),
			date("signed"),
			date("accepted"),
			date("invoicing_start"),
			date("invoicing_end"),
			fk("parent", ContractName, Cascade, false),
		}, primary(), common()),
		Ordering: []string{"name", "name_internal", "contractor", "type", "price", "signed", "accepted", "invoicing_start", "invoicing_end"},
		Search:   []string{"t.name", "t.name_internal", "t.description"},
		Filters: []*Filter{
			icontains("name_internal"),
			relatedName("contractor", "contractor_id", tableContractor),
			relatedName("parent", "parent_id", tableContract),
			{Key: "contract_type", Type: FChoice, Method: "contract_type", Values: []string{"All", "Contract", "Subcontract"}},
			boolMethod("master_contracts"),
		},
		APIFields: []string{"id", "url", "display_url", "display", "name", "name_internal", "description", "contractor", "type", "contract_type",
			"price", "currency", "signed", "accepted", "invoicing_start", "invoicing_end", "parent", "owner", "tags", "comments", "custom_fields", "created", "last_updated"},
		BriefFields:   []string{"id", "url", "display", "name", "name_internal", "description"},
		DisplayFields: []string{"name", "name_internal", "parent.name", "contractor.name"},
		Display: func(r *Record) string {
			name, internal := r.Str("name"), r.Str("name_internal")
			if internal == name {
				internal = ""
			}
			return join(name, wrap("(", internal, ")"), wrap("[Sub: ", relName(r, "parent"), "]"), wrap("via ", relName(r, "contractor"), ""))
		},
		Clean: func(r *Record, v *inventory.ValidationError) {
			inventory.CheckPriceCurrency(v, r.Dec("price"), r.Str("currency"), "price", "currency", "Price")
			inventory.CheckPeriod(v, r.Time("invoicing_start"), r.Time("invoicing_end"), "invoicing_start", "Invoicing Start", "Invoicing End")
		},
	}
}

func contractorEntity() *Entity {
	return &Entity{
		Name: ContractorName, Model: "Contractor", Verbose: "Contractor", Plural: "Contractors", Table: tableContractor, Path: "contractors",
		Fields: fields([]*Field{
			reqStr("name", 255),
			str("company", 255, true),
			str("address", 255, true),
			netboxRef("tenant", "tenancy.tenant"),
		}, primary(), common()),
		Ordering:      []string{"name", "company", "address", "comments"},
		Search:        []string{"t.name", "t.company", "t.address", "t.description"},
		Filters:       []*Filter{icontains("name"), icontains("company"), icontains("address"), netboxOnly("tenant", "tenant name", "tenant_id")},
		APIFields:     []string{"id", "url", "display_url", "display", "name", "company", "address", "description", "tenant", "owner", "tags", "comments", "custom_fields", "created", "last_updated"},
		BriefFields:   []string{"id", "url", "display", "name", "company", "address", "description"},
		DisplayFields: []string{"name", "company", "tenant"},
		Display: func(r *Record) string {
			name, company := r.Str("name"), r.Str("company")
			if company == name {
				company = ""
			}
			tenant := ""
			if id, ok := r.Int("tenant"); ok {
				tenant = "[tenancy.tenant #" + itoa(id) + "]"
			}
			s := join(name, wrap("(", company, ")"), tenant)
			if s == "" {
				return "#" + itoa(r.ID)
			}
			return s
		},
	}
}

func invoiceEntity() *Entity {
	return &Entity{
		Name: InvoiceName, Model: "Invoice", Verbose: "Invoice", Plural: "Invoices", Table: tableInvoice, Path: "invoices",
		Fields: fields([]*Field{
			reqStr("name", 255),
			reqStr("name_internal", 255),
			str("project", 255, true),
			fk("contract", ContractName, Protect, true),
			money("price", 19),
			currency("currency"),
			date("invoicing_start"),
			date("invoicing_end"),
		}, primary(), common()),
		Ordering: []string{"name", "name_internal", "contract", "price", "currency", "invoicing_start", "invoicing_end"},
		Search:   []string{"t.name", "t.name_internal", "t.description"},
		Filters: []*Filter{
			icontains("name_internal"), icontains("project"),
			relatedName("contract", "contract_id", tableContract),
		},
		APIFields: []string{"id", "url", "display_url", "display", "name", "name_internal", "project", "description", "contract", "price", "currency",
			"invoicing_start", "invoicing_end", "owner", "tags", "comments", "custom_fields", "created", "last_updated"},
		BriefFields:   []string{"id", "url", "display", "name", "name_internal", "description"},
		DisplayFields: []string{"name", "project", "price", "currency", "contract.name"},
		Display: func(r *Record) string {
			contract, project := relName(r, "contract"), r.Str("project")
			if r.Rel("contract") != nil && project == contract {
				project = ""
			}
			price := ""
			if p := r.Dec("price"); p != nil && r.Str("currency") != "" {
				price = p.String() + " " + r.Str("currency")
			}
			return join(r.Str("name"), wrap("(", contract, ")"), wrap("[", project, "]"), price)
		},
		Clean: func(r *Record, v *inventory.ValidationError) {
			inventory.CheckPriceCurrency(v, r.Dec("price"), r.Str("currency"), "price", "currency", "Price")
			inventory.CheckPeriod(v, r.Time("invoicing_start"), r.Time("invoicing_end"), "invoicing_start", "Invoicing Start", "Invoicing End")
		},
	}
}

func probeEntity() *Entity {
	return &Entity{
		Name: ProbeName, Model: "Probe", Verbose: "Probe", Plural: "Probes", Table: tableProbe, Path: "probes",
		Fields: []*Field{
			{Name: "time", Kind: DateTime, Required: true},
			{Name: "creation_time", Kind: DateTime, Null: true},
			str("device_descriptor", 100, true),
			str("site_descriptor", 100, true),
			str("location_descriptor", 100, true),
			str("part", 255, true),
			reqStr("name", 255),
			reqStr("serial", 255),
			netboxRef("device", "dcim.device"),
			netboxRef("site", "dcim.site"),
			netboxRef("location", "dcim.location"),
			text("description"),
			text("comments"),
			{Name: "discovered_data", Kind: JSON},
			str("category", 255, true),
			{Name: "custom_fields", Column: "custom_field_data", Kind: JSON},
		},
		Ordering: []string{"name", "serial", "time", "part", "description", "device_descriptor", "device", "site_descriptor", "site", "location_descriptor", "location", "category"},
		Search:   []string{"t.device_descriptor", "t.part", "t.name", "t.serial", "t.description", "t.site_descriptor", "t.location_descriptor"},
		Filters: []*Filter{
			icontains("serial"),
			ids("site", "t.site_id"), ids("location", "t.location_id"),
			netboxOnly("device", "device name", "device_id"),
			boolMethod("latest_only_per_device"),
			boolMethod("latest_only"),
		},
		APIFields: []string{"id", "url", "display_url", "display", "name", "time", "serial", "part", "device_descriptor", "device", "site_descriptor", "site",
			"location_descriptor", "location", "description", "category", "discovered_data", "tags", "comments", "custom_fields", "creation_time"},
		BriefFields:   []string{"id", "url", "display", "name", "serial", "time", "creation_time"},
		DisplayFields: []string{"name", "serial"},
		Display: func(r *Record) string {
			if n := r.Str("name"); n != "" {
				return r.Str("serial") + " - " + n
			}
			return r.Str("serial")
		},
		Clean: func(r *Record, v *inventory.ValidationError) {
			inventory.CheckProbeTimes(v, r.Time("creation_time"), r.Time("time"))
		},
	}
}

func rmaEntity() *Entity {
	return &Entity{
		Name: RMAName, Model: "RMA", VerboseName: "RMA", Verbose: "RMA", Plural: "RMAs", Table: tableRMA, Path: "rmas",
		Fields: fields([]*Field{
			{Name: "rma_number", Kind: String, MaxLen: 100, Null: true, Unique: true, BlankIsNull: true},
			fk("asset", AssetName, Protect, true),
			str("original_serial", 255, true),
			str("replacement_serial", 255, true),
			choice("status", &inventory.RMAStatus),
			date("date_issued"),
			date("date_replaced"),
			{Name: "issue_description", Kind: String, Required: true},
			text("vendor_response"),
		}, primary(), common()),
		Ordering: []string{"date_issued", "id"},
		Search:   []string{"t.rma_number", "t.original_serial", "t.replacement_serial", "t.issue_description", "t.vendor_response"},
		Filters: []*Filter{
			{Key: "serial", Type: FString, Method: "rma_serial", Base: "icontains"},
		},
		APIFields: []string{"id", "url", "display_url", "display", "rma_number", "asset", "original_serial", "replacement_serial", "status", "date_issued",
			"date_replaced", "issue_description", "vendor_response", "description", "comments", "owner", "tags", "custom_fields", "created", "last_updated"},
		BriefFields:   []string{"id", "url", "display", "rma_number", "asset", "original_serial", "replacement_serial", "status", "date_issued", "date_replaced"},
		DisplayFields: []string{"rma_number", "asset.partnumber", "asset.serial", "status"},
		Display: func(r *Record) string {
			return join(wrap("RMA#", r.Str("rma_number"), ""), AssetNoPK(r.Rel("asset")), "["+inventory.RMAStatus.Label(r.Str("status"))+"]")
		},
	}
}

func externalInventoryEntity() *Entity {
	return &Entity{
		Name: ExternalInventoryName, Model: "ExternalInventory", VerboseName: "External Inventory Item", Verbose: "External Inventory Item", Plural: "External Inventory Items", Table: tableExtInv, Path: "external-inventory",
		Fields: fields([]*Field{
			{Name: "external_id", Kind: String, MaxLen: 64, Null: true, Unique: true, BlankIsNull: true, Label: "External System ID"},
			reqStr("inventory_number", 64),
			reqStr("name", 255),
			str("serial_number", 255, true),
			str("person_id", 64, true),
			str("person_name", 255, true),
			str("location_code", 64, true),
			str("location", 255, true),
			str("department_code", 64, true),
			str("project_code", 64, true),
			str("user_name", 255, true),
			str("user_note", 0, true),
			str("split_asset", 0, true),
			str("status", 0, true),
			{Name: "assets", Kind: ManyToMany, Ref: AssetName, JoinTable: tableExtInvAsset, JoinFrom: "externalinventory_id", JoinTo: "asset_id"},
		}, primary(), common()),
		Ordering: []string{"inventory_number", "name"},
		Search: []string{"t.inventory_number", "t.name", "t.serial_number", "t.external_id", "t.person_id", "t.person_name", "t.location_code",
			"t.location", "t.department_code", "t.project_code", "t.user_name", "t.user_note"},
		Filters: []*Filter{
			refIDs("asset_id", "m.asset_id", tableAsset),
			boolMethod("has_assets"),
		},
		APIFields: []string{"id", "url", "display_url", "display", "external_id", "inventory_number", "name", "serial_number", "person_id", "person_name",
			"location_code", "location", "department_code", "project_code", "user_name", "user_note", "split_asset", "status", "assets",
			"description", "comments", "owner", "tags", "custom_fields", "created", "last_updated"},
		DisplayFields: []string{"inventory_number", "name", "serial_number", "person_name"},
		Display: func(r *Record) string {
			return join(r.Str("inventory_number"), r.Str("name"), wrap("[SN: ", r.Str("serial_number"), "]"), wrap("→ ", r.Str("person_name"), ""))
		},
	}
}

// Inventory is the registry of the nine inventory-monitor models.
var Inventory = func() *Registry {
	es := []*Entity{assetTypeEntity(), assetEntity(), assetServiceEntity(), contractEntity(), contractorEntity(),
		invoiceEntity(), probeEntity(), rmaEntity(), externalInventoryEntity()}
	for _, e := range es {
		e.ObjectType = "inventory_monitor." + e.Name
		e.HasTags = true
		e.HasCustom = true
		e.HasTimestamps = e.Name != ProbeName
		// Upstream probes keep no change log (no ChangeLoggingMixin): they
		// are high-volume scanner output.
		e.ChangeLogged = e.Name != ProbeName
	}
	// asset_id filter on the external inventory goes through the join table.
	ext := es[8]
	for _, f := range ext.Filters {
		if f.Key == "asset_id" {
			f.Exists = "EXISTS (SELECT 1 FROM " + tableExtInvAsset + " m WHERE m.externalinventory_id = t.id AND %s)"
		}
	}
	return newRegistry(es...)
}()
