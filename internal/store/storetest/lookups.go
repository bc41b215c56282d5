package storetest

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

// lookupCase is a query and the serials (or names) it must return, sorted.
type lookupCase struct {
	qs   string
	want []string
}

func (e *env) checkCases(entity, field string, cases []lookupCase) {
	e.t.Helper()
	for _, c := range cases {
		got := e.strs(entity, field, c.qs)
		if len(got) == 0 {
			got = nil
		}
		diff(e.t, entity+"?"+c.qs, c.want, got)
	}
}

func testLookups(t *testing.T, open Opener) {
	// Assets A–F with controlled values; the serial names the asset. The
	// string, number, decimal and date tests read them from one store.
	assetsView := sharedEnv(t, open)
	seeded := false
	seedAssets := func(t *testing.T) *env {
		e := assetsView(t)
		if seeded {
			return e
		}
		seeded = true
		e.createMany(schema.AssetName,
			store.Patch{"serial": "A", "partnumber": "PN-100", "quantity": int64(1), "price": dec("10"), "currency": "EUR", "warranty_end": date("2026-01-10"), "project": "Apollo"},
			store.Patch{"serial": "B", "partnumber": "pn-100", "quantity": int64(5), "price": dec("20.50"), "currency": "EUR", "warranty_end": date("2026-06-30")},
			store.Patch{"serial": "C", "partnumber": "XP-300", "quantity": int64(10)},
			store.Patch{"serial": "D", "quantity": int64(0), "price": dec("0"), "currency": "EUR", "warranty_end": date("2026-03-15")},
			store.Patch{"serial": "E", "partnumber": "", "quantity": int64(1)},
			store.Patch{"serial": "F", "partnumber": "50%_off", "quantity": int64(1)},
		)
		return e
	}
	// Probes for the date-time test and assets for the foreign-key test
	// live side by side.
	mixed := sharedEnv(t, open)

	t.Run("StringLookups", func(t *testing.T) {
		e := seedAssets(t)
		e.checkCases(schema.AssetName, "serial", []lookupCase{
			{"partnumber=PN-100", []string{"A"}},
			{"partnumber=pn-100", []string{"B"}},
			{"partnumber=PN-100&partnumber=XP-300", []string{"A", "C"}},
			{"partnumber=null", []string{"D"}},
			{"partnumber=null&partnumber=XP-300", []string{"C", "D"}},
			{"partnumber__n=PN-100", []string{"B", "C", "D", "E", "F"}},
			{"partnumber__n=PN-100&partnumber__n=XP-300", []string{"B", "D", "E", "F"}},
			{"partnumber__n=null", []string{"A", "B", "C", "E", "F"}},
			{"partnumber__ic=pn", []string{"A", "B"}},
			{"partnumber__nic=pn", []string{"C", "D", "E", "F"}},
			{"partnumber__isw=PN-", []string{"A", "B"}},
			{"partnumber__nisw=pn", []string{"C", "D", "E", "F"}},
			{"partnumber__iew=00", []string{"A", "B", "C"}},
			{"partnumber__niew=100", []string{"C", "D", "E", "F"}},
			{"partnumber__ie=pn-100", []string{"A", "B"}},
			{"partnumber__nie=PN-100", []string{"C", "D", "E", "F"}},
			{"partnumber__empty=true", []string{"D", "E"}},
			{"partnumber__empty=false", []string{"A", "B", "C", "F"}},
			{"partnumber__regex=^P", []string{"A"}},
			{"partnumber__regex=[0-9]{3}$", []string{"A", "B", "C"}},
			{"partnumber__iregex=^p", []string{"A", "B"}},
			// LIKE wildcards in values are literal characters.
			{"partnumber__ic=%25", []string{"F"}},
			{"partnumber__ic=_", []string{"F"}},
			{"partnumber__isw=50%25", []string{"F"}},
			{"partnumber__ie=50%25_OFF", []string{"F"}},
			{"partnumber__ie=50", nil},
			{"partnumber__ic=PN-1%25", nil},
		})
	})

	t.Run("CurrencyLookupsTakeConfiguredCurrencies", func(t *testing.T) {
		e := seedAssets(t)
		e.checkCases(schema.AssetName, "serial", []lookupCase{
			{"currency=EUR", []string{"A", "B", "D"}},
			{"currency=EUR&currency=USD", []string{"A", "B", "D"}},
			{"currency__n=EUR", []string{"C", "E", "F"}},
			{"currency=null", []string{"C", "E", "F"}},
			{"currency__ie=EUR", []string{"A", "B", "D"}},
			{"currency__empty=true", []string{"C", "E", "F"}},
		})
	})

	t.Run("NumberLookups", func(t *testing.T) {
		e := seedAssets(t)
		e.checkCases(schema.AssetName, "serial", []lookupCase{
			{"quantity=1", []string{"A", "E", "F"}},
			{"quantity=1&quantity=5", []string{"A", "B", "E", "F"}},
			{"quantity__n=1", []string{"B", "C", "D"}},
			{"quantity__lt=5", []string{"A", "D", "E", "F"}},
			{"quantity__lte=5", []string{"A", "B", "D", "E", "F"}},
			{"quantity__gt=5", []string{"C"}},
			{"quantity__gte=5", []string{"B", "C"}},
			{"quantity__gte=1&quantity__lt=10", []string{"A", "B", "E", "F"}},
			{"quantity__empty=true", nil},
			{"quantity__empty=false", []string{"A", "B", "C", "D", "E", "F"}},
		})
	})

	t.Run("DecimalLookups", func(t *testing.T) {
		e := seedAssets(t)
		e.checkCases(schema.AssetName, "serial", []lookupCase{
			{"price=10", []string{"A"}},
			{"price=10.00", []string{"A"}},
			{"price=20.5", []string{"B"}},
			{"price=10&price=20.50", []string{"A", "B"}},
			{"price=0", []string{"D"}},
			{"price__n=10", []string{"B", "C", "D", "E", "F"}},
			{"price__lt=10", []string{"D"}},
			{"price__lte=10", []string{"A", "D"}},
			{"price__gt=10", []string{"B"}},
			{"price__gte=10", []string{"A", "B"}},
			{"price__gte=9.99&price__lte=20.49", []string{"A"}},
			{"price__isnull=true", []string{"C", "E", "F"}},
			{"price__isnull=false", []string{"A", "B", "D"}},
			{"price__empty=true", []string{"C", "E", "F"}},
			{"price=null", []string{"C", "E", "F"}},
		})
	})

	t.Run("DateLookups", func(t *testing.T) {
		e := seedAssets(t)
		e.checkCases(schema.AssetName, "serial", []lookupCase{
			{"warranty_end=2026-03-15", []string{"D"}},
			{"warranty_end=2026-03-15&warranty_end=2026-01-10", []string{"A", "D"}},
			{"warranty_end__n=2026-03-15", []string{"A", "B", "C", "E", "F"}},
			{"warranty_end__lt=2026-03-15", []string{"A"}},
			{"warranty_end__lte=2026-03-15", []string{"A", "D"}},
			{"warranty_end__gt=2026-03-15", []string{"B"}},
			{"warranty_end__gte=2026-03-15", []string{"B", "D"}},
			{"warranty_end=null", []string{"C", "E", "F"}},
			{"warranty_end__empty=true", []string{"C", "E", "F"}},
			{"warranty_end__empty=false", []string{"A", "B", "D"}},
		})
	})

	t.Run("DateTimeLookups", func(t *testing.T) {
		e := mixed(t)
		at := func(name string, ts time.Time) store.Patch {
			return store.Patch{"name": name, "serial": "S", "time": ts, "creation_time": ts.Add(-time.Hour)}
		}
		e.createMany(schema.ProbeName,
			at("one-hour", e.now.Add(-time.Hour)),
			at("midnight", e.today),
			at("yesterday", e.now.Add(-25*time.Hour)),
			at("last-week", e.now.AddDate(0, 0, -7)),
		)
		rfc := func(t time.Time) string { return t.Format(time.RFC3339Nano) }
		e.checkCases(schema.ProbeName, "name", []lookupCase{
			{"time=" + rfc(e.now.Add(-time.Hour)), []string{"one-hour"}},
			{"time=" + e.today.Format(time.DateOnly), []string{"midnight", "one-hour"}},
			{"time__n=" + e.today.Format(time.DateOnly), []string{"last-week", "yesterday"}},
			{"time__gte=" + rfc(e.today), []string{"midnight", "one-hour"}},
			{"time__gt=" + rfc(e.today), []string{"one-hour"}},
			{"time__lt=" + rfc(e.today), []string{"last-week", "yesterday"}},
			{"time__lte=" + rfc(e.now.Add(-25*time.Hour)), []string{"last-week", "yesterday"}},
			{"time__gte=" + e.today.AddDate(0, 0, -1).Format("2006-01-02 15:04"), []string{"midnight", "one-hour", "yesterday"}},
			// Offsets are honoured: 13:00+02:00 is 11:00 UTC.
			{"time__gte=" + e.today.Format(time.DateOnly) + "T13:00:00%2B02:00", []string{"one-hour"}},
			{"time__gte=" + e.today.Format(time.DateOnly) + "T13:00:01%2B02:00", nil},
			{"creation_time__lt=" + rfc(e.today), []string{"last-week", "midnight", "yesterday"}},
			{"time__empty=false", []string{"last-week", "midnight", "one-hour", "yesterday"}},
		})
	})

	t.Run("ForeignKeyChoiceAndContentTypeLookups", func(t *testing.T) {
		e := mixed(t)
		t1 := e.create(schema.AssetTypeName, e.valid(schema.AssetTypeName))
		t2 := e.create(schema.AssetTypeName, e.valid(schema.AssetTypeName))
		e.createMany(schema.AssetName,
			store.Patch{"serial": "A", "type": t1.ID, "assignment_status": "deployed", "assigned_object_type": "dcim.device", "assigned_object_id": int64(7)},
			store.Patch{"serial": "B", "type": t2.ID, "assignment_status": "loaned", "assigned_object_type": "dcim.rack", "assigned_object_id": int64(7)},
			store.Patch{"serial": "C", "assignment_status": "reserved"},
		)
		e.checkCases(schema.AssetName, "serial", []lookupCase{
			{fmt.Sprintf("type_id=%d", t1.ID), []string{"A"}},
			{fmt.Sprintf("type_id=%d&type_id=%d", t1.ID, t2.ID), []string{"A", "B"}},
			{fmt.Sprintf("type_id__n=%d", t1.ID), []string{"B", "C"}},
			{"type_id=null", []string{"C"}},
			{fmt.Sprintf("type_id=null&type_id=%d", t2.ID), []string{"B", "C"}},
			{"type_id__n=null", []string{"A", "B"}},
			{"assignment_status=deployed&assignment_status=reserved", []string{"A", "C"}},
			{"assignment_status__n=deployed", []string{"B", "C"}},
			// Choices take the text lookups too, each value a choice (NetBox's
			// MultipleChoiceFilter and its lookups).
			{"assignment_status__ic=loaned", []string{"B"}},
			{"assignment_status__isw=reserved&assignment_status__isw=loaned", []string{"B", "C"}},
			{"assignment_status__nie=deployed", []string{"B", "C"}},
			{"assignment_status__regex=loaned", []string{"B"}},
			{"assigned_object_type__empty=true", []string{"C"}},
			{"assigned_object_type__iew=dcim.rack", []string{"B"}},
			{"assigned_object_type=dcim.rack", []string{"B"}},
			{"assigned_object_type__n=dcim.rack", []string{"A", "C"}},
			{"assigned_object_type=dcim.device&assigned_object_id=7", []string{"A"}},
			{"assigned_object_id=null", []string{"C"}},
		})
		for _, qs := range []string{"assignment_status__ic=loan", "assignment_status__n=LOANED", "assigned_object_type__iew=rack"} {
			v, _ := url.ParseQuery(qs)
			if _, err := filter.Parse(ent(schema.AssetName), v); err == nil || !strings.Contains(err.Error(), "is not one of the available choices") {
				t.Errorf("%s: %v, want an invalid choice error", qs, err)
			}
		}
		// An id or name naming no related object is an invalid value (NetBox's
		// model choice filters), for the base lookup and __n.
		for _, c := range []struct{ entity, qs, param string }{
			{schema.AssetName, "type_id=99999", "type_id"},
			{schema.AssetName, fmt.Sprintf("type_id=%d&type_id=99999", t1.ID), "type_id"},
			{schema.AssetName, "type_id__n=99999", "type_id__n"},
			{schema.AssetName, "order_contract=99999", "order_contract"},
			{schema.ContractName, "contractor=No such contractor", "contractor"},
			{schema.AssetServiceName, "asset=99999", "asset"},
			{schema.ExternalInventoryName, "asset_id=99999", "asset_id"},
			{schema.ExternalInventoryName, "assets=99999", "assets"},
			{schema.AssetName, "tag_id=99999", "tag_id"},
			// Currencies are upstream's choice filters over the configured
			// currencies, lookups included.
			{schema.AssetName, "currency=XXX", "currency"},
			{schema.AssetName, "currency=EUR&currency=eur", "currency"},
			{schema.AssetName, "currency__ic=EU", "currency__ic"},
			{schema.AssetServiceName, "service_currency__n=ZZZ", "service_currency__n"},
			{schema.ContractName, "currency=BTC", "currency"},
			{schema.InvoiceName, "currency__ie=usd", "currency__ie"},
		} {
			_, err := e.s.List(e.ctx, ent(c.entity), e.query(c.entity, c.qs))
			var ferr *filter.Error
			bad := c.qs[strings.LastIndex(c.qs, "=")+1:]
			if !errors.As(err, &ferr) || ferr.Param != c.param || ferr.Message != "Select a valid choice. "+bad+" is not one of the available choices." {
				t.Errorf("%s?%s: %v, want the invalid choice error on %s", c.entity, c.qs, err, c.param)
			}
		}
		// Ids of NetBox's objects (not held here) take any value.
		e.checkCases(schema.AssetName, "serial", []lookupCase{
			{"assigned_object_id=99999", nil},
			{"owner_id=99999", nil},
		})
	})

	t.Run("TagsAreANDed", func(t *testing.T) {
		e := newEnv(t, open)
		red, blue := e.tag("Red"), e.tag("Blue")
		e.createMany(schema.AssetName,
			store.Patch{"serial": "RB", "tags": []int64{red.ID, blue.ID}},
			store.Patch{"serial": "R", "tags": []int64{red.ID}},
			store.Patch{"serial": "B", "tags": []int64{blue.ID}},
			store.Patch{"serial": "-"},
		)
		// A tag of another object type with the same id must not leak in.
		e.create(schema.ContractName, with(e.valid(schema.ContractName), "tags", []int64{red.ID}))
		e.checkCases(schema.AssetName, "serial", []lookupCase{
			{"tag=red", []string{"R", "RB"}},
			{"tag=red&tag=blue", []string{"RB"}},
			{"tag__n=red", []string{"-", "B"}},
			{"tag__n=red&tag__n=blue", []string{"-"}},
			{"tag=red&tag__n=blue", []string{"R"}},
			{fmt.Sprintf("tag_id=%d", red.ID), []string{"R", "RB"}},
			{fmt.Sprintf("tag_id=%d&tag_id=%d", red.ID, blue.ID), []string{"RB"}},
			{fmt.Sprintf("tag_id__n=%d", blue.ID), []string{"-", "R"}},
			// __any: one of the tags is enough.
			{"tag__any=red&tag__any=blue", []string{"B", "R", "RB"}},
			{fmt.Sprintf("tag_id__any=%d", blue.ID), []string{"B", "RB"}},
		})
		// A value naming no tag is refused, as NetBox's choice filters do.
		for _, qs := range []string{"tag=green", "tag=red&tag=green", "tag__n=RED", "tag_id=99999"} {
			_, err := e.s.List(e.ctx, ent(schema.AssetName), e.query(schema.AssetName, qs))
			var fe *filter.Error
			if !errors.As(err, &fe) || !strings.HasPrefix(fe.Param, "tag") {
				t.Errorf("asset?%s: got %v, want a filter error naming the tag parameter", qs, err)
			}
		}
	})

	t.Run("FindIDsMatchesFieldValuesExactly", func(t *testing.T) {
		// NetBox's nested-object lookup: exact and case-sensitive, no
		// partial matches, NULL by nil, several fields ANDed.
		e := newEnv(t, open)
		fire := e.create(schema.AssetTypeName, store.Patch{"name": "Firewall", "slug": "firewall"})
		fire2 := e.create(schema.AssetTypeName, store.Patch{"name": "Firewall 2", "slug": "firewall-2", "description": "spare"})
		a := e.create(schema.AssetName, store.Patch{"serial": "SN1", "type": fire.ID})
		find := func(entity string, attrs map[string]any) []int64 {
			t.Helper()
			ids, err := e.s.FindIDs(e.ctx, ent(entity), attrs, 10)
			if err != nil {
				t.Fatalf("FindIDs %s %v: %v", entity, attrs, err)
			}
			return ids
		}
		for _, c := range []struct {
			entity string
			attrs  map[string]any
			want   []int64
		}{
			{schema.AssetTypeName, map[string]any{"name": "Firewall"}, []int64{fire.ID}},
			{schema.AssetTypeName, map[string]any{"name": "Fire"}, nil},
			{schema.AssetTypeName, map[string]any{"name": "firewall"}, nil},
			{schema.AssetTypeName, map[string]any{"slug": "FIREWALL"}, nil},
			{schema.AssetTypeName, map[string]any{"id": fire2.ID, "description": "spare"}, []int64{fire2.ID}},
			{schema.AssetTypeName, map[string]any{"id": fire.ID, "description": "spare"}, nil},
			{schema.AssetName, map[string]any{"serial": "sn1"}, nil},
			{schema.AssetName, map[string]any{"serial": "SN1", "type": fire.ID, "order_contract": nil}, []int64{a.ID}},
			{schema.AssetName, map[string]any{"serial": "SN1", "type": fire2.ID}, nil},
		} {
			diff(t, fmt.Sprintf("%s %v", c.entity, c.attrs), c.want, find(c.entity, c.attrs), cmpopts.EquateEmpty())
		}
		if _, err := e.s.FindIDs(e.ctx, ent(schema.AssetTypeName), map[string]any{"nmae": "Firewall"}, 10); err == nil {
			t.Errorf("FindIDs by an unknown field: no error")
		}
	})

	t.Run("PatternTheDatabaseRefusesIsAnErrorNamingTheFilter", func(t *testing.T) {
		// The filter parser checks patterns with Go's syntax; PostgreSQL's
		// differs (\pL, \Q..\E, (?P<n>..), x{300}), and a pattern it refuses
		// must come back as the client's bad value, not a database error.
		e := newEnv(t, open)
		e.create(schema.AssetName, store.Patch{"serial": "FG-1"})
		for _, c := range []struct{ qs, param string }{
			{`serial__regex=\pL`, "serial__regex"},
			{`serial__iregex=\Qa.b\E`, "serial__iregex"},
			{`serial__regex=(?P<n>FG)`, "serial__regex"},
			{`serial__regex=x{300}`, "serial__regex"},
			{`serial__regex=(?U)a`, "serial__regex"},
			// Several patterns: the refused one is named.
			{`serial__regex=^F&partnumber__regex=\pL`, "partnumber__regex"},
		} {
			_, err := e.s.List(e.ctx, ent(schema.AssetName), e.query(schema.AssetName, c.qs))
			var ferr *filter.Error
			switch {
			case err == nil: // the database's syntax accepts it (SQLite runs Go's)
			case errors.As(err, &ferr):
				if ferr.Param != c.param || !strings.HasPrefix(ferr.Message, "Enter a valid regular expression: ") {
					t.Errorf("%s: error %q on %q, want one on %q", c.qs, ferr.Message, ferr.Param, c.param)
				}
			default:
				t.Errorf("%s: %v, want a filter error or a result", c.qs, err)
			}
		}
	})

	t.Run("NonASCIICaseInsensitiveMatching", func(t *testing.T) {
		e := newEnv(t, open)
		e.createMany(schema.AssetName,
			store.Patch{"serial": "Žluťoučký-A", "partnumber": "Žluťoučký kůň", "description": "ŽLUŤOUČKÝ KŮŇ ÚPĚL"},
			store.Patch{"serial": "žluťoučký-b", "partnumber": "žluťoučký kůň", "description": "žluťoučký kůň úpěl"},
			store.Patch{"serial": "Zlutoucky-C", "partnumber": "Zlutoucky kun", "description": "plain"},
		)
		e.checkCases(schema.AssetName, "serial", []lookupCase{
			// serial's base lookup is iexact.
			{"serial=žluťoučký-a", []string{"Žluťoučký-A"}},
			{"serial=ŽLUŤOUČKÝ-B", []string{"žluťoučký-b"}},
			{"serial__ie=ŽLUŤOUČKÝ-A", []string{"Žluťoučký-A"}},
			{"serial__nie=žluťoučký-a", []string{"Zlutoucky-C", "žluťoučký-b"}},
			{"serial__ic=ŤOUČ", []string{"Žluťoučký-A", "žluťoučký-b"}},
			{"serial__nic=ťouč", []string{"Zlutoucky-C"}},
			{"serial__isw=žluť", []string{"Žluťoučký-A", "žluťoučký-b"}},
			{"serial__iew=Ký-b", []string{"žluťoučký-b"}},
			{"serial__iregex=^žluť", []string{"Žluťoučký-A", "žluťoučký-b"}},
			{"serial__regex=^Žluť", []string{"Žluťoučký-A"}},
			{"partnumber__ie=žluťoučký kůň", []string{"Žluťoučký-A", "žluťoučký-b"}},
			{"partnumber=žluťoučký kůň", []string{"žluťoučký-b"}},
			{"partnumber__ic=KŮŇ", []string{"Žluťoučký-A", "žluťoučký-b"}},
			// description is an icontains filter.
			{"description=úpěl", []string{"Žluťoučký-A", "žluťoučký-b"}},
			{"description=ÚPĚL", []string{"Žluťoučký-A", "žluťoučký-b"}},
			{"q=ŽLUŤOUČKÝ", []string{"Žluťoučký-A", "žluťoučký-b"}},
			{"q=kůň", []string{"Žluťoučký-A", "žluťoučký-b"}},
			{"q=zlutoucky", []string{"Zlutoucky-C"}},
		})
	})
}
