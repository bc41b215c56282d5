package storetest

import (
	"cmp"
	"fmt"
	"slices"
	"testing"

	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

// testSearchPages checks the pages of a q search (the store may page a
// search differently from a plain list): every ordering, ties broken by
// id, NULLs last ascending and first descending, pages that add up to the
// whole result, a page past the end, and the count with filters and q.
func testSearchPages(t *testing.T, open Opener) {
	type asset struct {
		id         int64
		partnumber *string
		serial     string
		vendor     *string
		match      bool
	}
	str := func(s string) *string { return &s }
	e := newEnv(t, open)
	// Duplicates of every ordering column but the id, NULLs in the
	// nullable ones, and assets q does not match interleaved.
	var fixture []asset
	for i, a := range []asset{
		{partnumber: str("B"), serial: "s1", vendor: str("Acme"), match: true},
		{partnumber: nil, serial: "s2", vendor: nil, match: true},
		{partnumber: str("A"), serial: "s3", vendor: str("Acme"), match: true},
		{partnumber: str("A"), serial: "s3", vendor: str("Acme"), match: true},
		{partnumber: str("A"), serial: "s0", vendor: nil, match: false},
		{partnumber: str("B"), serial: "s0", vendor: nil, match: true},
		{partnumber: nil, serial: "s2", vendor: nil, match: true},
		{partnumber: str("A"), serial: "s1", vendor: str("Zeta"), match: true},
		{partnumber: nil, serial: "s1", vendor: str("Acme"), match: false},
		{partnumber: str("A"), serial: "s3", vendor: nil, match: true},
		{partnumber: nil, serial: "s9", vendor: str("Zeta"), match: true},
		{partnumber: str("C"), serial: "s3", vendor: str("Acme"), match: true},
	} {
		p := store.Patch{"serial": a.serial, "description": "other item"}
		if a.match {
			p["description"] = fmt.Sprintf("pagesearch item %d", i)
		}
		if a.partnumber != nil {
			p["partnumber"] = *a.partnumber
		}
		if a.vendor != nil {
			p["vendor"] = *a.vendor
		}
		a.id = e.create(schema.AssetName, p).ID
		fixture = append(fixture, a)
	}
	// nullable compares as PostgreSQL sorts: NULL after every value.
	nullable := func(x, y *string) int {
		switch {
		case x == nil && y == nil:
			return 0
		case x == nil:
			return 1
		case y == nil:
			return -1
		}
		return cmp.Compare(*x, *y)
	}
	type key func(x, y asset) int
	desc := func(k key) key { return func(x, y asset) int { return k(y, x) } }
	partnumber := func(x, y asset) int { return nullable(x.partnumber, y.partnumber) }
	serial := func(x, y asset) int { return cmp.Compare(x.serial, y.serial) }
	vendor := func(x, y asset) int { return nullable(x.vendor, y.vendor) }
	id := func(x, y asset) int { return cmp.Compare(x.id, y.id) }
	// reference lists the matching assets (and keep) in the order of keys.
	reference := func(keep func(asset) bool, keys ...key) []int64 {
		var out []asset
		for _, a := range fixture {
			if a.match && keep(a) {
				out = append(out, a)
			}
		}
		slices.SortStableFunc(out, func(x, y asset) int {
			for _, k := range keys {
				if c := k(x, y); c != 0 {
					return c
				}
			}
			return 0
		})
		ids := []int64{}
		for _, a := range out {
			ids = append(ids, a.id)
		}
		return ids
	}
	all := func(asset) bool { return true }
	orderings := []struct {
		qs   string
		want []int64
	}{
		// The default ordering: partnumber, serial, description (unique
		// here: it decides before vendor), ...
		{"", nil},
		{"ordering=partnumber,serial,vendor", reference(all, partnumber, serial, vendor, id)},
		{"ordering=-partnumber", reference(all, desc(partnumber), id)},
		{"ordering=vendor,-serial", reference(all, vendor, desc(serial), id)},
		{"ordering=-vendor,partnumber", reference(all, desc(vendor), partnumber, id)},
		{"ordering=-serial,-id", reference(all, desc(serial), desc(id))},
		{"ordering=serial", reference(all, serial, id)},
	}
	t.Run("Orderings", func(t *testing.T) {
		for _, o := range orderings {
			want := o.want
			if o.qs == "" {
				// The same as a plain list of the matching assets.
				want = nil
				for _, id := range e.ids(schema.AssetName, "") {
					if i := slices.IndexFunc(fixture, func(a asset) bool { return a.id == id }); fixture[i].match {
						want = append(want, id)
					}
				}
			}
			qs := "q=pagesearch"
			if o.qs != "" {
				qs += "&" + o.qs
			}
			p := e.list(schema.AssetName, qs)
			diff(t, qs, want, pageIDs(p))
			if p.Count == nil || *p.Count != len(want) {
				t.Errorf("%s: count %v, want %d", qs, p.Count, len(want))
			}
			// Page by page, every page with the whole count.
			for _, limit := range []int{1, 3, 5} {
				var got []int64
				for offset := 0; offset < len(want)+limit; offset += limit {
					pqs := fmt.Sprintf("%s&limit=%d&offset=%d", qs, limit, offset)
					p := e.list(schema.AssetName, pqs)
					if p.Count == nil || *p.Count != len(want) {
						t.Errorf("%s: count %v, want %d", pqs, p.Count, len(want))
					}
					got = append(got, pageIDs(p)...)
				}
				diff(t, fmt.Sprintf("%s by pages of %d", qs, limit), want, got)
			}
		}
	})

	t.Run("PastTheEnd", func(t *testing.T) {
		n := len(reference(all))
		for _, qs := range []string{"q=pagesearch&limit=5&offset=100", "q=pagesearch&limit=5&offset=" + fmt.Sprint(n), "q=pagesearch&ordering=-vendor&limit=1&offset=1000"} {
			p := e.list(schema.AssetName, qs)
			diff(t, qs, []int64{}, pageIDs(p))
			if p.Count == nil || *p.Count != n {
				t.Errorf("%s: count %v, want %d", qs, p.Count, n)
			}
		}
	})

	t.Run("NoMatch", func(t *testing.T) {
		for _, qs := range []string{"q=nomatchatall", "q=nomatchatall&limit=5&offset=5", "q=pagesearch&vendor=Nobody"} {
			p := e.list(schema.AssetName, qs)
			diff(t, qs, []int64{}, pageIDs(p))
			if p.Count == nil || *p.Count != 0 {
				t.Errorf("%s: count %v, want 0", qs, p.Count)
			}
		}
	})

	t.Run("CountWithFiltersAndQ", func(t *testing.T) {
		acme := func(a asset) bool { return a.vendor != nil && *a.vendor == "Acme" }
		partA := func(a asset) bool { return a.partnumber != nil && *a.partnumber == "A" }
		notS3 := func(a asset) bool { return a.serial != "s3" }
		cases := []struct {
			qs   string
			want []int64
		}{
			{"q=pagesearch&vendor=Acme&ordering=serial", reference(acme, serial, id)},
			{"q=pagesearch&vendor=Acme&partnumber=A&ordering=-serial", reference(func(a asset) bool { return acme(a) && partA(a) }, desc(serial), id)},
			{"q=pagesearch&serial__n=s3&ordering=partnumber", reference(notS3, partnumber, id)},
			{"q=s3&ordering=id", nil}, // serials: matching and not matching "pagesearch"
		}
		for _, c := range cases {
			want := c.want
			if want == nil {
				want = []int64{}
				for _, a := range fixture {
					if a.serial == "s3" {
						want = append(want, a.id)
					}
				}
			}
			for _, limit := range []int{2, 1000} {
				qs := fmt.Sprintf("%s&limit=%d", c.qs, limit)
				p := e.list(schema.AssetName, qs)
				diff(t, qs, want[:min(limit, len(want))], pageIDs(p))
				if p.Count == nil || *p.Count != len(want) {
					t.Errorf("%s: count %v, want %d", qs, p.Count, len(want))
				}
			}
		}
	})
}

// pageIDs lists the ids of a page's records in order.
func pageIDs(p store.Page) []int64 {
	out := []int64{}
	for _, r := range p.Records {
		out = append(out, r.ID)
	}
	return out
}
