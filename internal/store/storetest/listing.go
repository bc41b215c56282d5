package storetest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

// serials lists the serial of every record of a page in order.
func serials(p store.Page) []string {
	out := make([]string, len(p.Records))
	for i, r := range p.Records {
		out[i] = r.Str("serial")
	}
	return out
}

func testListing(t *testing.T, open Opener) {
	// Five assets shared by the ordering and paging tests; CursorStart,
	// which deletes one, runs last.
	fixed := sharedEnv(t, open)
	var recs []*schema.Record
	seed := func(t *testing.T) (*env, []*schema.Record) {
		e := fixed(t)
		if recs == nil {
			recs = e.createMany(schema.AssetName,
				store.Patch{"serial": "s3", "partnumber": "B", "quantity": int64(3)},
				store.Patch{"serial": "s1", "partnumber": "A", "quantity": int64(1)},
				store.Patch{"serial": "s5", "quantity": int64(2)},
				store.Patch{"serial": "s2", "partnumber": "A", "quantity": int64(2)},
				store.Patch{"serial": "s4", "partnumber": "C", "quantity": int64(1)},
			)
		}
		return e, recs
	}
	// The fixture of the filter tests, for q; read-only until the last tests.
	seededView := sharedEnv(t, open)
	var fx *fixture
	seeded := func(t *testing.T) (*env, *fixture) {
		e := seededView(t)
		if fx == nil {
			fx = e.seed()
		}
		return e, fx
	}

	t.Run("DefaultOrderingIsTheEntityOrdering", func(t *testing.T) {
		e, _ := seed(t)
		// partnumber, serial, ...: NULL sorts last ascending, as on PostgreSQL.
		diff(t, "assets", []string{"s1", "s2", "s3", "s4", "s5"}, serials(e.list(schema.AssetName, "")))
	})

	t.Run("DefaultOrderingOfOtherEntities", func(t *testing.T) {
		e := newEnv(t, open)
		e.createMany(schema.AssetTypeName, store.Patch{"name": "b", "slug": "b"}, store.Patch{"name": "a", "slug": "a"}, store.Patch{"name": "c", "slug": "c"})
		page := e.list(schema.AssetTypeName, "")
		var names []string
		for _, r := range page.Records {
			names = append(names, r.Str("name"))
		}
		diff(t, "asset types by name", []string{"a", "b", "c"}, names)
		// RMAs by date_issued: NULL last, ties by id.
		a := e.create(schema.AssetName, e.valid(schema.AssetName))
		e.createMany(schema.RMAName,
			store.Patch{"asset": a.ID, "issue_description": "none", "rma_number": "R-NULL"},
			store.Patch{"asset": a.ID, "issue_description": "late", "rma_number": "R-LATE", "date_issued": e.day(5)},
			store.Patch{"asset": a.ID, "issue_description": "early", "rma_number": "R-EARLY", "date_issued": e.day(-5)})
		var numbers []string
		for _, r := range e.list(schema.RMAName, "").Records {
			numbers = append(numbers, r.Str("rma_number"))
		}
		diff(t, "RMAs by date issued", []string{"R-EARLY", "R-LATE", "R-NULL"}, numbers)
	})

	t.Run("OrderingParameter", func(t *testing.T) {
		e, _ := seed(t)
		cases := []struct {
			qs   string
			want []string
		}{
			{"ordering=serial", []string{"s1", "s2", "s3", "s4", "s5"}},
			{"ordering=-serial", []string{"s5", "s4", "s3", "s2", "s1"}},
			{"ordering=quantity,-serial", []string{"s4", "s1", "s5", "s2", "s3"}},
			{"ordering=-quantity,serial", []string{"s3", "s2", "s5", "s1", "s4"}},
			{"ordering=partnumber,serial", []string{"s1", "s2", "s3", "s4", "s5"}},
			{"ordering=-partnumber,serial", []string{"s5", "s4", "s3", "s1", "s2"}},
			{"ordering=bogus", []string{"s1", "s2", "s3", "s4", "s5"}},
			{"ordering=bogus,-serial", []string{"s5", "s4", "s3", "s2", "s1"}},
			{"ordering=-id", []string{"s4", "s2", "s5", "s1", "s3"}},
			{"ordering=id", []string{"s3", "s1", "s5", "s2", "s4"}},
			// Given twice, the last counts (Django's QueryDict.get).
			{"ordering=serial&ordering=-id", []string{"s4", "s2", "s5", "s1", "s3"}},
			{"limit=1&limit=5&ordering=serial", []string{"s1", "s2", "s3", "s4", "s5"}},
		}
		for _, c := range cases {
			diff(t, c.qs, c.want, serials(e.list(schema.AssetName, c.qs)))
		}
	})

	// Django orders by a foreign key with the related model's ordering
	// (AssetType: name; Contract: name, name_internal, contractor → its
	// name, ...), not by the related id.
	t.Run("OrderingByARelatedObjectUsesItsOrdering", func(t *testing.T) {
		e := newEnv(t, open)
		typeB := e.create(schema.AssetTypeName, store.Patch{"name": "b type", "slug": "b-type"})
		typeA := e.create(schema.AssetTypeName, store.Patch{"name": "a type", "slug": "a-type"})
		zeta := e.create(schema.ContractorName, store.Patch{"name": "Zeta"})
		alpha := e.create(schema.ContractorName, store.Patch{"name": "Alpha"})
		// Created so that their ids run against every ordering tested.
		sameZeta := e.create(schema.ContractName, store.Patch{"name": "Same", "name_internal": "S", "type": "supply", "contractor": zeta.ID})
		sameAlpha := e.create(schema.ContractName, store.Patch{"name": "Same", "name_internal": "S", "type": "supply", "contractor": alpha.ID})
		first := e.create(schema.ContractName, store.Patch{"name": "First", "name_internal": "F", "type": "supply"})
		e.createMany(schema.AssetName,
			store.Patch{"serial": "in-b", "type": typeB.ID, "order_contract": sameZeta.ID},
			store.Patch{"serial": "in-a", "type": typeA.ID, "order_contract": sameAlpha.ID},
			store.Patch{"serial": "none"},
			store.Patch{"serial": "in-a-2", "type": typeA.ID, "order_contract": first.ID},
		)
		for _, c := range []struct {
			qs   string
			want []string
		}{
			{"ordering=type,serial", []string{"in-a", "in-a-2", "in-b", "none"}},
			{"ordering=-type,serial", []string{"none", "in-b", "in-a", "in-a-2"}},
			{"ordering=order_contract", []string{"in-a-2", "in-a", "in-b", "none"}},
			{"ordering=-order_contract", []string{"none", "in-b", "in-a", "in-a-2"}},
			// With a search and a filter, and beside a plain key.
			{"q=in-&ordering=-type,serial", []string{"in-b", "in-a", "in-a-2"}},
			{"serial__isw=in&ordering=order_contract&limit=2&offset=1", []string{"in-a", "in-b"}},
			{"ordering=type,order_contract", []string{"in-a-2", "in-a", "in-b", "none"}},
			// A key given again changes nothing (and joins nothing again:
			// SQLite allows 64 tables in a join).
			{"ordering=-type" + strings.Repeat(",type,order_contract", 100) + ",serial", []string{"none", "in-b", "in-a-2", "in-a"}},
		} {
			diff(t, c.qs, c.want, serials(e.list(schema.AssetName, c.qs)))
		}
		// Contracts by contractor: its name, not its id.
		var names []string
		for _, r := range e.list(schema.ContractName, "ordering=contractor,-id").Records {
			names = append(names, fmt.Sprint(r.ID))
		}
		diff(t, "contracts by contractor name, no contractor last", []string{fmt.Sprint(sameAlpha.ID), fmt.Sprint(sameZeta.ID), fmt.Sprint(first.ID)}, names)
	})

	t.Run("LimitAndOffset", func(t *testing.T) {
		e, _ := seed(t)
		cases := []struct {
			qs    string
			want  []string
			count int
		}{
			{"limit=2", []string{"s1", "s2"}, 5},
			{"limit=2&offset=2", []string{"s3", "s4"}, 5},
			{"limit=2&offset=4", []string{"s5"}, 5},
			{"limit=2&offset=10", []string{}, 5},
			{"offset=3&limit=50", []string{"s4", "s5"}, 5},
			{"limit=1&partnumber=A", []string{"s1"}, 2},
			{"limit=1&offset=1&ordering=-serial", []string{"s4"}, 5},
		}
		for _, c := range cases {
			p := e.list(schema.AssetName, c.qs)
			diff(t, c.qs, c.want, serials(p))
			if p.Count == nil || *p.Count != c.count {
				t.Errorf("%s: count %v, want %d", c.qs, p.Count, c.count)
			}
		}
	})

	t.Run("LimitClamping", func(t *testing.T) {
		e := newEnv(t, open)
		ps := make([]store.Patch, filter.MaxLimit+5)
		for i := range ps {
			ps[i] = store.Patch{"serial": fmt.Sprintf("S%04d", i)}
		}
		e.createMany(schema.AssetName, ps...)
		for qs, want := range map[string]int{"": filter.DefaultLimit, "limit=0": filter.MaxLimit, "limit=5000": filter.MaxLimit, "limit=-1": filter.DefaultLimit, "limit=x": filter.DefaultLimit, "limit=7": 7} {
			q := e.queryRaw(schema.AssetName, qs)
			p, err := e.s.List(e.ctx, ent(schema.AssetName), q)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Records) != want || *p.Count != len(ps) {
				t.Errorf("%q: %d records (count %d), want %d (count %d)", qs, len(p.Records), *p.Count, want, len(ps))
			}
		}
	})

	t.Run("CursorStart", func(t *testing.T) {
		e, recs := seed(t)
		e.mustDelete(schema.AssetName, recs[2].ID) // a gap in the ids
		// Records in id order: s3, s1, (s5 deleted), s2, s4.
		p := e.list(schema.AssetName, fmt.Sprintf("start=%d&limit=2", recs[1].ID))
		diff(t, "page 1", []string{"s1", "s2"}, serials(p))
		if p.Count != nil {
			t.Errorf("cursor mode has count %d, want nil", *p.Count)
		}
		next := p.Records[len(p.Records)-1].ID + 1
		diff(t, "page 2", []string{"s4"}, serials(e.list(schema.AssetName, fmt.Sprintf("start=%d&limit=2", next))))
		diff(t, "past the end", []string{}, serials(e.list(schema.AssetName, fmt.Sprintf("start=%d", recs[4].ID+1))))
		diff(t, "with a filter", []string{"s2"}, serials(e.list(schema.AssetName, fmt.Sprintf("start=%d&partnumber=A", recs[1].ID+1))))
		diff(t, "start=0", []string{"s3", "s1", "s2", "s4"}, serials(e.list(schema.AssetName, "start=0")))
	})

	t.Run("QSearchesEachEntityIncludingRelatedObjects", func(t *testing.T) {
		e, fx := seeded(t)
		cases := []struct {
			entity, q string
			want      []int64
		}{
			{schema.AssetName, "pn-1", ids(fx.a1)},                 // partnumber
			{schema.AssetName, "sn-aaa", ids(fx.a1, fx.a3, fx.a4)}, // serial
			{schema.AssetName, "kůň", ids(fx.a1)},                  // description
			{schema.AssetName, "ápollo", ids(fx.a3)},               // project
			{schema.AssetName, "hp", ids(fx.a2)},                   // vendor
			{schema.AssetName, "lone", ids(fx.a1)},                 // order contract name
			{schema.AssetName, "inv-a", ids(fx.a1)},                // external inventory number
			{schema.AssetName, "nomatch", nil},
			{schema.AssetServiceName, "support", ids(fx.svc1)},      // category
			{schema.AssetServiceName, "prosupport", ids(fx.svc1)},   // category vendor
			{schema.AssetServiceName, "nbd", ids(fx.svc1)},          // description
			{schema.AssetServiceName, "sn-bbb", ids(fx.svc2)},       // asset serial
			{schema.AssetServiceName, "top contract", ids(fx.svc2)}, // contract name
			{schema.AssetTypeName, "server", ids(fx.server)},
			{schema.AssetTypeName, "rack", ids(fx.server)},
			{schema.ContractName, "contract", ids(fx.top, fx.sub)},
			{schema.ContractName, "sc-1", ids(fx.sub)},
			{schema.ContractName, "rámcová", ids(fx.top)},
			{schema.ContractorName, "žluťoučký", ids(fx.acme)},
			{schema.ContractorName, "s.r.o.", ids(fx.acme)},
			{schema.ContractorName, "praha", ids(fx.acme)},
			{schema.ContractorName, "supplier", ids(fx.acme)},
			{schema.InvoiceName, "inv-2", ids(fx.inv1, fx.inv2)},
			{schema.InvoiceName, "i-2", ids(fx.inv2)},
			{schema.InvoiceName, "první", ids(fx.inv1)},
			{schema.ProbeName, "sw1", ids(fx.p1)},
			{schema.ProbeName, "pn-100", ids(fx.p1)},
			{schema.ProbeName, "psu", ids(fx.p3)},
			{schema.ProbeName, "sn-aaa", ids(fx.p1, fx.p2)},
			{schema.ProbeName, "žlutý", ids(fx.p1)},
			{schema.ProbeName, "praha", ids(fx.p1)},
			{schema.ProbeName, "r1", ids(fx.p1)},
			{schema.RMAName, "rma-1", ids(fx.rma1)},
			{schema.RMAName, "old-b", ids(fx.rma2)},
			{schema.RMAName, "repl", ids(fx.rma1)},
			{schema.RMAName, "fan ž", ids(fx.rma1)},
			{schema.RMAName, "ok", ids(fx.rma1)},
			{schema.ExternalInventoryName, "inv-", ids(fx.x1, fx.x2)},
			{schema.ExternalInventoryName, "novák", ids(fx.x1)},
			{schema.ExternalInventoryName, "ext-1", ids(fx.x1)},
			{schema.ExternalInventoryName, "brno", ids(fx.x1)},
			{schema.ExternalInventoryName, "pr1", ids(fx.x1)},
			{schema.ExternalInventoryName, "jnovak", ids(fx.x1)},
			{schema.ExternalInventoryName, "note ž", ids(fx.x1)},
			{schema.ExternalInventoryName, "spare", ids(fx.x2)},
		}
		for _, c := range cases {
			got := e.idSet(c.entity, "q="+urlEscape(c.q))
			if len(got) == 0 {
				got = nil
			}
			diff(t, c.entity+"?q="+c.q, c.want, got)
		}
		// A blank q does not filter; surrounding spaces are ignored.
		diff(t, "blank q", e.idSet(schema.AssetName, ""), e.idSet(schema.AssetName, "q=+"))
		diff(t, "padded q", ids(fx.a2), e.idSet(schema.AssetName, "q=+sn-bbb+"))
		// q combines with filters and paging.
		p := e.list(schema.AssetName, "q=sn-aaa&partnumber__empty=false&limit=1&ordering=-partnumber")
		if len(p.Records) != 1 || p.Records[0].ID != fx.a3.ID || *p.Count != 2 {
			t.Errorf("q with filters: %v records, count %v", serials(p), *p.Count)
		}
	})

	t.Run("QTreatsWildcardsLiterally", func(t *testing.T) {
		e, _ := seeded(t)
		e.createMany(schema.AssetName, store.Patch{"serial": "100%"}, store.Patch{"serial": "1000"}, store.Patch{"serial": "a_b"}, store.Patch{"serial": "axb"}, store.Patch{"serial": `back\slash`})
		for q, want := range map[string][]string{"0%": {"100%"}, "a_b": {"a_b"}, `\`: {`back\slash`}, `k\s`: {`back\slash`}, "%": {"100%"}} {
			diff(t, "q="+q, want, e.strs(schema.AssetName, "serial", "q="+urlEscape(q)))
		}
	})

	t.Run("ListsLoadTagsRelationsAndManyToMany", func(t *testing.T) {
		e, fx := seeded(t)
		p := e.list(schema.AssetName, "serial=SN-AAA&partnumber=PN-100")
		if len(p.Records) != 1 {
			t.Fatalf("got %d records", len(p.Records))
		}
		a := p.Records[0]
		diff(t, "tags", []string{"Alpha", "Beta"}, tagNames(a))
		if a.Rel("type") == nil || a.Rel("type").ID != fx.server.ID || a.Rel("order_contract") == nil {
			t.Errorf("related objects not loaded: %v", a.Related)
		}
		if got := a.Str("asset_numbers"); got != "INV-A" {
			t.Errorf("asset_numbers = %q", got)
		}
		x := e.get(schema.ExternalInventoryName, fx.x1.ID)
		diff(t, "assets", []int64{fx.a1.ID}, x.IDs("assets"))
		if len(x.RelatedMany["assets"]) != 1 {
			t.Errorf("related assets not loaded")
		}
		svc := e.get(schema.AssetServiceName, fx.svc1.ID)
		if got := svc.String(); got != "PN-100 (SN-AAA) (Sub Contract) [Support Ž]" {
			t.Errorf("display %q", got)
		}
		sub := e.get(schema.ContractName, fx.sub.ID)
		if got := sub.String(); got != "Sub Contract (SC-1) [Sub: Top Contract] via Globex" {
			t.Errorf("display %q", got)
		}
	})

	t.Run("PagesOfMoreThanAThousandKeepTheirOrder", func(t *testing.T) {
		e, fx := seeded(t)
		var ps []store.Patch
		var want []string
		for i := range 1500 {
			serial := fmt.Sprintf("BULK-%04d", (i*7919)%1500) // created out of order
			ps = append(ps, store.Patch{"serial": serial, "partnumber": "PN-BULK", "type": fx.server.ID})
			want = append(want, fmt.Sprintf("BULK-%04d", i))
		}
		e.createMany(schema.AssetName, ps...)
		q := e.query(schema.AssetName, "serial__isw=BULK-")
		q.Limit = 0 // no limit: the store's callers beyond the API's 1000
		page, err := e.s.List(e.ctx, ent(schema.AssetName), q)
		if err != nil {
			t.Fatal(err)
		}
		got := make([]string, len(page.Records))
		for i, r := range page.Records {
			got[i] = r.Str("serial")
			if r.Rel("type") == nil {
				t.Fatalf("%s: type not loaded", got[i])
			}
		}
		diff(t, "serials in list order", want, got)
	})

	t.Run("ListedRecordsHoldWhatGetReads", func(t *testing.T) {
		e, _ := seeded(t)
		kinds := map[schema.Kind]bool{}
		for _, ent := range schema.Inventory.Entities {
			for _, qs := range []string{"limit=1000", "limit=1000&q=a"} {
				for _, r := range e.list(ent.Name, qs).Records {
					want := e.get(ent.Name, r.ID)
					diff(t, fmt.Sprintf("%s %d values (%s)", ent.Name, r.ID, qs), want.Values, r.Values)
					diff(t, fmt.Sprintf("%s %d tags (%s)", ent.Name, r.ID, qs), want.Tags, r.Tags)
					for name, v := range r.Values {
						if f := ent.Field(name); f != nil && v != nil {
							kinds[f.Kind] = true
						}
					}
				}
			}
		}
		for _, k := range []schema.Kind{schema.String, schema.Int, schema.Decimal, schema.Date, schema.DateTime, schema.JSON, schema.Choice, schema.ForeignKey, schema.NetBoxRef} {
			if !kinds[k] {
				t.Errorf("no listed record holds a value of kind %d: the fixtures do not exercise it", k)
			}
		}
	})

	t.Run("PageRelatedObjectsHoldTheirBriefFieldsAndDisplayAsTheDetailDoes", func(t *testing.T) {
		e, _ := seeded(t)
		checked := 0
		for _, ent := range schema.Inventory.Entities {
			for _, r := range e.list(ent.Name, "limit=1000").Records {
				detail := e.get(ent.Name, r.ID)
				for _, f := range ent.Fields {
					if f.Kind != schema.ForeignKey || detail.Rel(f.Name) == nil {
						continue
					}
					got, want := r.Rel(f.Name), detail.Rel(f.Name)
					if got == nil {
						t.Errorf("%s %d: %s not loaded on the page", ent.Name, r.ID, f.Name)
						continue
					}
					checked++
					what := fmt.Sprintf("%s %d: %s", ent.Name, r.ID, f.Name)
					diff(t, what+" display", want.String(), got.String())
					for _, name := range got.Entity.BriefFields {
						if bf := got.Entity.Field(name); bf != nil && bf.Kind != schema.ManyToMany {
							diff(t, what+"."+name, want.Values[name], got.Values[name])
						}
					}
				}
			}
		}
		if checked == 0 {
			t.Fatal("the fixtures hold no related objects")
		}
	})
}

// queryRaw parses qs without the suite's default limit override.
func (e *env) queryRaw(entity, qs string) filter.Query {
	e.t.Helper()
	v, err := parseQS(qs)
	if err != nil {
		e.t.Fatal(err)
	}
	q, err := filter.Parse(ent(entity), v)
	if err != nil {
		e.t.Fatalf("parse %q: %v", qs, err)
	}
	return q
}
