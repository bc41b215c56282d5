package storetest

import (
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/config"
	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

func formatInt(i int64) string { return strconv.FormatInt(i, 10) }

// negations pairs each lookup with its complement: for any value the two
// result sets partition the table (NULL rows go to the negated side).
var negations = map[string]string{"": "n", "ic": "nic", "isw": "nisw", "iew": "niew", "ie": "nie"}

// fieldOf returns the field a filter compares, when it compares a column
// of the entity's own table.
func fieldOf(en *schema.Entity, f *schema.Filter) *schema.Field {
	if f.Exists != "" || f.Method != "" || !strings.HasPrefix(f.Expr, "t.") {
		return nil
	}
	col := strings.TrimPrefix(f.Expr, "t.")
	for _, fd := range en.StoredFields() {
		if fd.Column == col {
			return fd
		}
	}
	return nil
}

// formatValue renders a record value as a query parameter.
func formatValue(fd *schema.Field, v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return formatInt(x)
	case inventory.Decimal:
		return x.String()
	case time.Time:
		if fd.Kind == schema.Date {
			return x.Format(time.DateOnly)
		}
		return x.UTC().Format(time.RFC3339Nano)
	}
	return ""
}

// sample is a value for param (filter f with lookup) that matches at least
// one seeded row when wantHit is true.
type sample struct {
	value   string
	wantHit bool
}

func samples(en *schema.Entity, f *schema.Filter, lookup string, fx *fixture) []sample {
	switch lookup {
	case "empty", "isnull":
		return []sample{{"true", false}, {"false", false}}
	}
	if f.Type == schema.FBool {
		return []sample{{"true", false}, {"false", false}, {"1", false}, {"False", false}}
	}
	if f.Type == schema.FChoice || f.Currency {
		values := f.Values
		if f.Currency {
			for _, c := range config.DefaultSettings().Currencies {
				values = append(values, c.Code)
			}
		}
		var out []sample
		for _, v := range values {
			out = append(out, sample{v, false})
		}
		if f.Method == "" {
			out = append(out, sample{"null", false})
		}
		return out
	}
	// A value from the data, when the filter compares a column.
	base := ""
	hit := false
	if fd := fieldOf(en, f); fd != nil {
		for _, r := range fx.byEntity[en.Name] {
			v := r.Values[fd.Name]
			if fd.Name == "id" || f.Key == "id" {
				v = r.ID
			}
			if s := formatValue(fd, v); s != "" {
				base, hit = s, true
				break
			}
		}
	} else if f.Key == "id" {
		base, hit = formatInt(fx.byEntity[en.Name][0].ID), true
	}
	if base == "" {
		if v, ok := fx.knownValues[en.Name+"."+f.Key]; ok {
			base, hit = v, true
		} else if v, ok := fx.knownValues["*."+f.Key]; ok {
			base, hit = v, true
		}
	}
	if base == "" {
		switch f.Type {
		case schema.FString:
			base = "x"
		case schema.FNumber, schema.FID:
			base = "1"
		case schema.FDecimal:
			base = "1.50"
		case schema.FDate:
			base = "2026-03-15"
		case schema.FDateTime:
			base = "2026-03-15T11:00:00Z"
		case schema.FUUID:
			base = "6f1c1c3e-0000-4000-8000-00000000000a"
		}
	}
	if strings.HasPrefix(lookup, "n") && lookup != "n" || lookup == "n" {
		hit = false // a negation may legitimately match nothing
	}
	runes := []rune(base)
	switch lookup {
	case "ic", "nic":
		if len(runes) > 2 {
			return []sample{{string(runes[1 : len(runes)-1]), hit}}
		}
	case "isw", "nisw":
		return []sample{{string(runes[:(len(runes)+1)/2]), hit}}
	case "iew", "niew":
		return []sample{{string(runes[len(runes)/2:]), hit}}
	case "ie", "nie":
		return []sample{{strings.ToUpper(base), hit}}
	case "regex":
		return []sample{{"^" + regexp.QuoteMeta(string(runes[:(len(runes)+1)/2])), hit}}
	case "iregex":
		return []sample{{"^" + regexp.QuoteMeta(strings.ToUpper(string(runes[:(len(runes)+1)/2]))), hit}}
	case "lt", "gt":
		return []sample{{base, false}}
	case "lte", "gte":
		return []sample{{base, hit}}
	}
	out := []sample{{base, hit}}
	if lookup == "" && f.Base == "icontains" && len(runes) > 2 {
		out = append(out, sample{strings.ToUpper(string(runes[1 : len(runes)-1])), hit})
	}
	if lookup == "" && f.Base == "iexact" {
		out = append(out, sample{strings.ToUpper(base), hit})
	}
	if (lookup == "" || lookup == "n") && f.Method == "" {
		out = append(out, sample{"null", false})
	}
	return out
}

func testFilters(t *testing.T, open Opener) {
	// The seeded store is read-only for every test that uses it.
	view := sharedEnv(t, open)
	var fx *fixture
	seeded := func(t *testing.T) (*env, *fixture) {
		e := view(t)
		if fx == nil {
			fx = e.seed()
		}
		return e, fx
	}
	t.Run("EveryFilterAndLookupExecutesAndNegationsPartition", func(t *testing.T) {
		e, fx := seeded(t)
		for _, en := range schema.Inventory.Entities {
			total := e.count(en.Name)
			if total < 2 {
				t.Fatalf("%s: seed has %d rows", en.Name, total)
			}
			for _, key := range en.FilterKeys() {
				f := en.Filter(key)
				if f.NeedsNetBox != "" {
					continue // refused: FiltersOnNetBoxDataAreRefused
				}
				t.Run(en.Name+"/"+key, func(t *testing.T) {
					e.t = t
					for _, lookup := range append([]string{""}, f.Lookups()...) {
						param := key
						if lookup != "" {
							param += "__" + lookup
						}
						for _, s := range samples(en, f, lookup, fx) {
							n := e.countWhere(en, param, s.value)
							if s.wantHit && n == 0 {
								t.Errorf("%s=%s matches nothing; the value comes from a stored row", param, s.value)
							}
							neg, ok := negations[lookup]
							if ok && f.AllowsLookup(neg) && s.value != "null" && (f.Method == "" || f.Method == "tag") {
								m := e.countWhere(en, key+"__"+neg, s.value)
								if n+m != total {
									t.Errorf("%s=%s (%d) and its negation __%s (%d) do not partition %d rows", param, s.value, n, neg, m, total)
								}
							}
							if lookup == "empty" || lookup == "isnull" || (f.Type == schema.FBool && strings.HasPrefix(f.Key, "has_")) {
								if s.value == "true" {
									m := e.countWhere(en, param, "false")
									if n+m != total {
										t.Errorf("%s true (%d) and false (%d) do not partition %d rows", param, n, m, total)
									}
								}
							}
						}
					}
				})
			}
		}
	})

	t.Run("FiltersOnNetBoxDataAreRefused", func(t *testing.T) {
		// Ignoring them would answer every object (and a script might
		// bulk-delete what it believes is a filtered list).
		for _, c := range []struct{ entity, param string }{
			{schema.ProbeName, "device"}, {schema.ContractorName, "tenant"}, {schema.ContractorName, "tenant__n"}, {schema.ProbeName, "device__ic"},
			{schema.AssetName, "owner"}, {schema.ContractName, "owner_group"}, {schema.InvoiceName, "owner_group_id"},
			{schema.RMAName, "contact"}, {schema.AssetServiceName, "contact_role"}, {schema.ExternalInventoryName, "contact_group"},
		} {
			_, err := filter.Parse(ent(c.entity), url.Values{c.param: {"x"}})
			var ferr *filter.Error
			if !errors.As(err, &ferr) || ferr.Param != c.param || !strings.Contains(ferr.Message, "needs data from NetBox") {
				t.Errorf("%s?%s=x: %v, want a filter error saying it needs NetBox", c.entity, c.param, err)
			}
		}
		if _, err := filter.Parse(ent(schema.ProbeName), url.Values{"device": {""}}); err != nil {
			t.Errorf("an empty value is no filter: %v", err)
		}
	})

	t.Run("ObjectsByTheRequestThatCreatedOrChangedThem", func(t *testing.T) {
		// NetBox's created_by_request / updated_by_request /
		// modified_by_request, answered from the change log.
		e := newEnv(t, open)
		const create, update = "6f1c1c3e-0000-4000-8000-000000000001", "6f1c1c3e-0000-4000-8000-000000000002"
		e.meta.RequestID = create
		made := e.createMany(schema.AssetName, store.Patch{"serial": "BY-1"}, store.Patch{"serial": "BY-2"})
		e.meta.RequestID = update
		e.update(schema.AssetName, made[1].ID, store.Patch{"description": "changed"})
		e.create(schema.ContractName, e.valid(schema.ContractName)) // another object type, same request: not an asset
		e.checkCases(schema.AssetName, "serial", []lookupCase{
			{"created_by_request=" + create, []string{"BY-1", "BY-2"}},
			{"updated_by_request=" + update, []string{"BY-2"}},
			{"updated_by_request=" + create, nil},
			{"modified_by_request=" + update, []string{"BY-2"}},
			{"modified_by_request=" + create + "&modified_by_request=" + update, []string{"BY-1", "BY-2"}},
			// Any spelling Python's uuid.UUID reads.
			{"created_by_request=6F1C1C3E000040008000000000000001", []string{"BY-1", "BY-2"}},
			{"created_by_request=%7Burn:uuid:6f1c1c3e-0000-4000-8000-000000000001%7D", []string{"BY-1", "BY-2"}},
			{"created_by_request=urn:uuid:6f1c1c3e-0000-4000-8000-000000000001", []string{"BY-1", "BY-2"}},
			{"created_by_request=6f1c1c3e-0000-4000-8000-000000000009", nil},
		})
	})

	t.Run("RepeatedValuesAreORed", func(t *testing.T) {
		e, fx := seeded(t)
		diff(t, "id", ids(fx.a1, fx.a3), e.idSet(schema.AssetName, join("id="+formatInt(fx.a1.ID), "id="+formatInt(fx.a3.ID))))
		diff(t, "partnumber", ids(fx.a1, fx.a3), e.idSet(schema.AssetName, "partnumber=PN-100&partnumber=PN-200"))
		diff(t, "assignment_status", ids(fx.a1, fx.a3), e.idSet(schema.AssetName, "assignment_status=deployed&assignment_status=loaned"))
		diff(t, "type_id", ids(fx.a1, fx.a3), e.idSet(schema.AssetName, join("type_id="+formatInt(fx.server.ID), "type_id="+formatInt(fx.switchType.ID))))
		diff(t, "partnumber__ic", ids(fx.a1, fx.a3), e.idSet(schema.AssetName, "partnumber__ic=100&partnumber__ic=200"))
		diff(t, "contract names", ids(fx.top, fx.sub), e.idSet(schema.ContractName, "contractor=Globex&contractor=ACME Žluťoučký"))
		diff(t, "different parameters are ANDed", ids(fx.a1), e.idSet(schema.AssetName, "partnumber=PN-100&partnumber=PN-200&assignment_status=deployed"))
	})

	t.Run("UnknownParametersAreIgnored", func(t *testing.T) {
		e, _ := seeded(t)
		all := e.idSet(schema.AssetName, "")
		diff(t, "unknown", all, e.idSet(schema.AssetName, "bogus=1&serial__bogus=x&brief=1&fields=id&description__ie=x"))
	})

	t.Run("InvalidValuesAreFilterErrorsNamingTheParameter", func(t *testing.T) {
		cases := []struct{ entity, qs, param string }{
			{schema.AssetName, "quantity=abc", "quantity"},
			{schema.AssetName, "quantity__gte=1.5.0", "quantity__gte"},
			{schema.AssetName, "price=abc", "price"},
			{schema.AssetName, "price__lte=1e", "price__lte"},
			{schema.AssetName, "price__lte=0x10", "price__lte"},
			{schema.AssetName, "warranty_end=2026-13-01", "warranty_end"},
			{schema.AssetName, "warranty_end__gte=yesterday", "warranty_end__gte"},
			{schema.AssetName, "assignment_status=bogus", "assignment_status"},
			{schema.AssetName, "created_by_request=req-1", "created_by_request"},
			{schema.AssetName, "cf_ticket=T-1", "cf_ticket"},
			{schema.AssetName, "type_id=abc", "type_id"},
			{schema.AssetName, "type_id=-1", "type_id"},
			{schema.AssetName, "has_duplicates=maybe", "has_duplicates"},
			{schema.AssetName, "warranty_status=red", "warranty_status"},
			{schema.AssetName, "service_status=expired&service_status=soon", "service_status"},
			{schema.AssetName, "serial__empty=perhaps", "serial__empty"},
			{schema.AssetName, "price__isnull=2", "price__isnull"},
			{schema.ProbeName, "time__gte=tomorrow", "time__gte"},
			{schema.ContractName, "contract_type=contract", "contract_type"},
			{schema.AssetName, "warranty_status=null", "warranty_status"},
			{schema.AssetName, "price__lt=null", "price__lt"},
			{schema.AssetName, "warranty_end__gte=null", "warranty_end__gte"},
			{schema.AssetName, "tag_id=null", "tag_id"},
			{schema.AssetName, "start=-1", "start"},
			{schema.AssetName, "start=5&offset=10", "start"},
			{schema.AssetName, "start=5&ordering=serial", "start"},
		}
		for _, c := range cases {
			v, _ := url.ParseQuery(c.qs)
			_, err := filter.Parse(ent(c.entity), v)
			var fe *filter.Error
			if !errors.As(err, &fe) {
				t.Errorf("%s?%s: got %v, want *filter.Error", c.entity, c.qs, err)
				continue
			}
			if fe.Param != c.param || fe.Message == "" {
				t.Errorf("%s?%s: error %+v, want it to name %q", c.entity, c.qs, fe, c.param)
			}
		}
	})

	t.Run("DeclaredFiltersOfEachEntity", func(t *testing.T) {
		e, fx := seeded(t)
		i := formatInt
		cases := []struct {
			entity, qs string
			want       []int64
		}{
			// Asset (§6.1).
			{schema.AssetName, "description=žluťoučký", ids(fx.a1)},
			{schema.AssetName, "serial=sn-aaa", ids(fx.a1, fx.a3, fx.a4)},
			{schema.AssetName, "serial__n=sn-aaa", ids(fx.a2)},
			{schema.AssetName, "serial__ic=bb", ids(fx.a2)},
			{schema.AssetName, "partnumber=PN-100", ids(fx.a1)},
			{schema.AssetName, "partnumber=pn-100", nil},
			{schema.AssetName, "project=apollo", ids(fx.a1)},
			{schema.AssetName, "project=ápollo", ids(fx.a3)},
			{schema.AssetName, "vendor=d", ids(fx.a1)},
			{schema.AssetName, "external_inventory_number=INV-A", ids(fx.a1)},
			{schema.AssetName, "external_inventory_number__ic=inv", ids(fx.a1)},
			{schema.AssetName, "external_inventory_number__n=INV-A", ids(fx.a2, fx.a3, fx.a4)},
			{schema.AssetName, "external_inventory_items=" + i(fx.x1.ID), ids(fx.a1)},
			{schema.AssetName, "external_inventory_items=null", ids(fx.a2, fx.a3, fx.a4)},
			{schema.AssetName, "has_external_inventory_items=true", ids(fx.a1)},
			{schema.AssetName, "has_external_inventory_items=false", ids(fx.a2, fx.a3, fx.a4)},
			{schema.AssetName, "has_duplicates=true", ids(fx.a1, fx.a4)},
			{schema.AssetName, "has_duplicates=false", ids(fx.a2, fx.a3)},
			{schema.AssetName, "order_contract=" + i(fx.lone.ID), ids(fx.a1)},
			{schema.AssetName, "order_contract=null", ids(fx.a2, fx.a3, fx.a4)},
			{schema.AssetName, "type_id=" + i(fx.server.ID), ids(fx.a1)},
			{schema.AssetName, "type_id=null", ids(fx.a2, fx.a4)},
			{schema.AssetName, "type_id__n=" + i(fx.server.ID), ids(fx.a2, fx.a3, fx.a4)},
			{schema.AssetName, "assigned_object_type=dcim.device", ids(fx.a1)},
			{schema.AssetName, "assigned_object_type__n=dcim.device", ids(fx.a2, fx.a3, fx.a4)},
			{schema.AssetName, "assigned_object_id=1&assigned_object_id=10", ids(fx.a1, fx.a3)},
			{schema.AssetName, "assignment_status=stocked", ids(fx.a2, fx.a4)},
			{schema.AssetName, "lifecycle_status__n=new", ids(fx.a1, fx.a4)},
			{schema.AssetName, "price=1234.50", ids(fx.a1)},
			{schema.AssetName, "price__isnull=true", ids(fx.a2, fx.a3, fx.a4)},
			{schema.AssetName, "currency=EUR", ids(fx.a1)},
			{schema.AssetName, "quantity=1", ids(fx.a2, fx.a3)},
			{schema.AssetName, "quantity__gte=1&quantity__lte=1", ids(fx.a2, fx.a3)},
			{schema.AssetName, "warranty_end=" + e.day(30).Format(time.DateOnly), ids(fx.a1)},
			{schema.AssetName, "warranty_start__lte=" + e.day(0).Format(time.DateOnly), ids(fx.a1)},
			{schema.AssetName, "tag=alpha", ids(fx.a1)},
			{schema.AssetName, "comments=rack 4", ids(fx.a1)},
			// AssetService (§6.2).
			{schema.AssetServiceName, "service_category=support ž", ids(fx.svc1)},
			{schema.AssetServiceName, "service_category_vendor=prosupport", ids(fx.svc1)},
			{schema.AssetServiceName, "asset=" + i(fx.a2.ID), ids(fx.svc2)},
			{schema.AssetServiceName, "contract=" + i(fx.sub.ID), ids(fx.svc1)},
			{schema.AssetServiceName, "service_end__lte=" + e.day(0).Format(time.DateOnly), ids(fx.svc2)},
			{schema.AssetServiceName, "service_price__isnull=false", ids(fx.svc1)},
			{schema.AssetServiceName, "service_currency=EUR", ids(fx.svc1)},
			{schema.AssetServiceName, "description=NBD", ids(fx.svc1)},
			{schema.AssetServiceName, "description__empty=true", ids(fx.svc2)},
			// AssetType (§6.3).
			{schema.AssetTypeName, "name=server", ids(fx.server)},
			{schema.AssetTypeName, "description=rack", ids(fx.server)},
			{schema.AssetTypeName, "slug=SWITCH", ids(fx.switchType)},
			{schema.AssetTypeName, "slug__isw=ser", ids(fx.server)},
			{schema.AssetTypeName, "color=ff0000", ids(fx.server)},
			// Contract (§6.4).
			{schema.ContractName, "name=Lone", ids(fx.lone)},
			{schema.ContractName, "name__ic=contract", ids(fx.top, fx.sub)},
			{schema.ContractName, "name_internal=c-1", ids(fx.top, fx.sub)},
			{schema.ContractName, "contractor_id=" + i(fx.acme.ID), ids(fx.top)},
			{schema.ContractName, "contractor=Globex", ids(fx.sub)},
			{schema.ContractName, "contractor=null", ids(fx.lone)},
			{schema.ContractName, "contractor__n=Globex", ids(fx.top, fx.lone)},
			{schema.ContractName, "parent=Top Contract", ids(fx.sub)},
			{schema.ContractName, "parent_id=" + i(fx.top.ID), ids(fx.sub)},
			{schema.ContractName, "parent_id=null", ids(fx.top, fx.lone)},
			{schema.ContractName, "contract_type=Contract", ids(fx.top, fx.lone)},
			{schema.ContractName, "contract_type=Subcontract", ids(fx.sub)},
			{schema.ContractName, "contract_type=All", ids(fx.top, fx.sub, fx.lone)},
			{schema.ContractName, "master_contracts=true", ids(fx.top, fx.lone)},
			{schema.ContractName, "master_contracts=false", ids(fx.top, fx.sub, fx.lone)},
			{schema.ContractName, "type=service&type=order", ids(fx.sub, fx.lone)},
			{schema.ContractName, "price__gte=100", ids(fx.top)},
			{schema.ContractName, "signed=" + e.day(-100).Format(time.DateOnly), ids(fx.top)},
			{schema.ContractName, "accepted__gte=" + e.day(-90).Format(time.DateOnly), ids(fx.top)},
			{schema.ContractName, "invoicing_end__lte=" + e.day(30).Format(time.DateOnly), ids(fx.top)},
			{schema.ContractName, "description=Rámcová smlouva", ids(fx.top)},
			// Contractor (§6.5).
			{schema.ContractorName, "name=žluťoučký", ids(fx.acme)},
			{schema.ContractorName, "company=s.r.o", ids(fx.acme)},
			{schema.ContractorName, "address=praha", ids(fx.acme)},
			{schema.ContractorName, "tenant_id=5", ids(fx.acme)},
			{schema.ContractorName, "tenant_id=null", ids(fx.globex)},
			// ExternalInventory (§6.6).
			{schema.ExternalInventoryName, "external_id=EXT-1", ids(fx.x1)},
			{schema.ExternalInventoryName, "inventory_number=INV-B", ids(fx.x2)},
			{schema.ExternalInventoryName, "person_name__ic=novák", ids(fx.x1)},
			{schema.ExternalInventoryName, "status=A", ids(fx.x1)},
			{schema.ExternalInventoryName, "status=null", ids(fx.x2)},
			{schema.ExternalInventoryName, "asset_id=" + i(fx.a1.ID), ids(fx.x1)},
			{schema.ExternalInventoryName, "assets=" + i(fx.a1.ID), ids(fx.x1)},
			{schema.ExternalInventoryName, "asset_id=null", ids(fx.x2)},
			{schema.ExternalInventoryName, "has_assets=true", ids(fx.x1)},
			{schema.ExternalInventoryName, "has_assets=false", ids(fx.x2)},
			// Invoice (§6.7).
			{schema.InvoiceName, "name=INV-2", ids(fx.inv2)},
			{schema.InvoiceName, "name__ic=2026", ids(fx.inv1)},
			{schema.InvoiceName, "name_internal=i-", ids(fx.inv1, fx.inv2)},
			{schema.InvoiceName, "project=projekt ř", ids(fx.inv1)},
			{schema.InvoiceName, "contract_id=" + i(fx.sub.ID), ids(fx.inv2)},
			{schema.InvoiceName, "contract=Top Contract", ids(fx.inv1)},
			{schema.InvoiceName, "currency=CZK", ids(fx.inv1)},
			{schema.InvoiceName, "price__lte=50.25", ids(fx.inv1)},
			{schema.InvoiceName, "invoicing_start__gte=" + e.day(-10).Format(time.DateOnly), ids(fx.inv1)},
			// Probe (§6.8).
			{schema.ProbeName, "serial=aaa", ids(fx.p1, fx.p2)},
			{schema.ProbeName, "serial=SN-AAA&serial=repl", ids(fx.p1, fx.p2, fx.p3)},
			{schema.ProbeName, "time__gte=" + e.now.Add(-2*time.Hour).Format(time.RFC3339), ids(fx.p1)},
			{schema.ProbeName, "time__lte=" + e.now.Add(-2*time.Hour).Format(time.RFC3339), ids(fx.p2, fx.p3)},
			{schema.ProbeName, "time=" + e.today.Format(time.DateOnly), ids(fx.p1)},
			{schema.ProbeName, "latest_only=true", ids(fx.p1, fx.p3)},
			{schema.ProbeName, "latest_only=false", ids(fx.p1, fx.p2, fx.p3)},
			{schema.ProbeName, "latest_only_per_device=true", ids(fx.p1, fx.p3)},
			{schema.ProbeName, "device_id=10", ids(fx.p1, fx.p2)},
			{schema.ProbeName, "device_id__n=10", ids(fx.p3)},
			{schema.ProbeName, "site=1", ids(fx.p1)},
			{schema.ProbeName, "site_id=1", ids(fx.p1)},
			{schema.ProbeName, "location=2", ids(fx.p1)},
			{schema.ProbeName, "device_descriptor__isw=sw1", ids(fx.p1)},
			{schema.ProbeName, "part=PN-100", ids(fx.p1)},
			{schema.ProbeName, "name=chassis", ids(fx.p1, fx.p2)},
			{schema.ProbeName, "category=hw", ids(fx.p1)},
			{schema.ProbeName, "description__ie=žlutý", ids(fx.p1)},
			{schema.ProbeName, "tag=beta", ids(fx.p1)},
			// RMA (§6.9).
			{schema.RMAName, "rma_number=RMA-1", ids(fx.rma1)},
			{schema.RMAName, "original_serial=OLD-B", ids(fx.rma2)},
			{schema.RMAName, "original_serial__ic=sn-a", ids(fx.rma1)},
			{schema.RMAName, "replacement_serial=SN-REPL", ids(fx.rma1)},
			{schema.RMAName, "serial=old", ids(fx.rma2)},
			{schema.RMAName, "serial=repl", ids(fx.rma1)},
			{schema.RMAName, "serial=sn-aaa", ids(fx.rma1)},
			{schema.RMAName, "status=investigating", ids(fx.rma2)},
			{schema.RMAName, "asset_id=" + i(fx.a1.ID), ids(fx.rma1)},
			{schema.RMAName, "date_issued=" + e.day(-3).Format(time.DateOnly), ids(fx.rma1)},
			{schema.RMAName, "date_replaced__lt=" + e.day(0).Format(time.DateOnly), ids(fx.rma1)},
			{schema.RMAName, "date_issued=null", ids(fx.rma2)},
			{schema.RMAName, "serial=null", nil}, // a method filter takes "null" literally
		}
		for _, c := range cases {
			got := e.idSet(c.entity, c.qs)
			if len(got) == 0 {
				got = nil
			}
			diff(t, c.entity+"?"+c.qs, c.want, got)
		}
	})

	t.Run("LatestOnlyPerDeviceKeepsTheNewestProbePerSerialAndDevice", func(t *testing.T) {
		e := newEnv(t, open)
		mk := func(serial string, device any, hoursAgo int) int64 {
			p := with(e.valid(schema.ProbeName), "serial", serial, "time", e.now.Add(-time.Duration(hoursAgo)*time.Hour))
			if device != nil {
				p["device"] = int64(device.(int))
			}
			return e.create(schema.ProbeName, p).ID
		}
		mk("S1", 1, 5) // older on the same device
		new1 := mk("S1", 1, 1)
		dev2 := mk("S1", 2, 3)
		mk("S1", nil, 4) // older without a device
		noDevNew := mk("S1", nil, 2)
		other := mk("S2", 1, 9)
		mk("S3", 1, 7)
		tieLast := mk("S3", 1, 7) // the same time: the later id is the newest
		diff(t, "per device", sorted(new1, dev2, noDevNew, other, tieLast), e.idSet(schema.ProbeName, "latest_only_per_device=true"))
		diff(t, "per serial", sorted(new1, other, tieLast), e.idSet(schema.ProbeName, "latest_only=true"))
		diff(t, "per serial with another filter", sorted(tieLast), e.idSet(schema.ProbeName, "latest_only=true&serial=S3"))
	})
}

func sorted(ids ...int64) []int64 {
	out := append([]int64(nil), ids...)
	slices.Sort(out)
	return out
}

// countWhere counts the rows of en matching one parameter, failing the
// test when the parameter is not understood or the query fails.
func (e *env) countWhere(en *schema.Entity, param, value string) int {
	e.t.Helper()
	q, err := filter.Parse(en, url.Values{param: {value}})
	if err != nil {
		e.t.Errorf("%s?%s=%s: %v", en.Name, param, value, err)
		return -1
	}
	if len(q.Conds) != 1 {
		e.t.Errorf("%s?%s=%s: parsed into %d conditions, want 1", en.Name, param, value, len(q.Conds))
	}
	q.Limit = filter.MaxLimit
	page, err := e.s.List(e.ctx, en, q)
	if err != nil {
		e.t.Errorf("%s?%s=%s: %v", en.Name, param, value, err)
		return -1
	}
	if page.Count == nil || *page.Count != len(page.Records) {
		e.t.Errorf("%s?%s=%s: count %v for %d records", en.Name, param, value, page.Count, len(page.Records))
	}
	return len(page.Records)
}
