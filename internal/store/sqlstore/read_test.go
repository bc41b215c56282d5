package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

func TestInListLen(t *testing.T) {
	lengths := map[int]bool{}
	for n := 0; n <= 5000; n++ {
		l := inListLen(n)
		if l < n || (n > 4 && 2*l > 3*n+3) {
			t.Fatalf("inListLen(%d) = %d", n, l)
		}
		lengths[l] = true
	}
	if len(lengths) > 30 {
		t.Errorf("%d distinct lengths up to 5000", len(lengths))
	}
}

// TestReadPaths checks loads by id lists of every length up to past a
// padding step, and relations shared between levels, on both databases.
func TestReadPaths(t *testing.T) {
	forEachDialect(t, func(t *testing.T, _ string, st *Store) {
		ctx := context.Background()
		reg := st.reg
		create := func(entity string, p store.Patch) *schema.Record {
			t.Helper()
			recs, err := st.Create(ctx, reg.Entity(entity), []store.Patch{p}, store.Meta{})
			if err != nil {
				t.Fatal(err)
			}
			return recs[0]
		}
		acme := create(schema.ContractorName, store.Patch{"name": "ACME"})
		globex := create(schema.ContractorName, store.Patch{"name": "Globex"})
		top := create(schema.ContractName, store.Patch{"name": "Top", "name_internal": "T", "type": "supply", "contractor": acme.ID})
		sub := create(schema.ContractName, store.Patch{"name": "Sub", "name_internal": "S", "type": "service", "contractor": globex.ID, "parent": top.ID})
		lone := create(schema.ContractName, store.Patch{"name": "Lone", "name_internal": "L", "type": "order"})
		contracts := []*schema.Record{top, sub, lone}
		assets := reg.Entity(schema.AssetName)
		var ids []int64
		for i := range 40 {
			a := create(schema.AssetName, store.Patch{"serial": fmt.Sprintf("SN-%02d", i), "order_contract": contracts[i%3].ID})
			ids = append(ids, a.ID)
		}
		// Tags of a page come with its rows: ordered by name, all
		// fields, none for untagged records.
		var tagIDs []int64
		for _, name := range []string{"zeta \"q\" \\ <x>", "Alpha ž", "beta\u2028"} {
			tg, err := st.CreateTag(ctx, schema.Tag{Name: name, Slug: fmt.Sprintf("s%d", len(tagIDs)), Color: "00ff00", Description: "d " + name})
			if err != nil {
				t.Fatal(err)
			}
			tagIDs = append(tagIDs, tg.ID)
		}
		if _, err := st.Update(ctx, assets, []store.Update{{ID: ids[2], Patch: store.Patch{"tags": tagIDs}}}, store.Meta{}); err != nil {
			t.Fatal(err)
		}
		// asset_numbers: distinct and sorted, on the page and
		// on related assets.
		for _, num := range []string{"B-2", "A-1", "A-1"} {
			create(schema.ExternalInventoryName, store.Patch{"inventory_number": num, "name": "item " + num, "assets": []int64{ids[0], ids[1]}})
		}
		x := create(schema.ExternalInventoryName, store.Patch{"inventory_number": "C-3", "name": "other", "assets": []int64{ids[1]}})
		if got := x.RelatedMany["assets"]; len(got) != 1 || got[0].Str("asset_numbers") != "A-1, B-2, C-3" {
			t.Errorf("related asset numbers: %v", got)
		}
		for n := 1; n <= len(ids); n++ {
			recs, err := st.byIDs(ctx, st.db, assets, ids[:n])
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, r := range recs {
				got = append(got, r.ID)
			}
			slices.Sort(got)
			if !slices.Equal(got, ids[:n]) {
				t.Fatalf("byIDs(%d ids) = %v", n, got)
			}
		}
		q, err := filter.Parse(assets, map[string][]string{"limit": {"0"}})
		if err != nil {
			t.Fatal(err)
		}
		page, err := st.List(ctx, assets, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Records) != 40 || *page.Count != 40 {
			t.Fatalf("%d records, count %d", len(page.Records), *page.Count)
		}
		for i, a := range page.Records {
			var names []string
			for _, tg := range a.Tags {
				names = append(names, tg.Name+"|"+tg.Slug+"|"+tg.Color+"|"+tg.Description)
			}
			if i == 2 {
				want := []string{"Alpha ž|s1|00ff00|d Alpha ž", "beta\u2028|s2|00ff00|d beta\u2028", "zeta \"q\" \\ <x>|s0|00ff00|d zeta \"q\" \\ <x>"}
				if !slices.Equal(names, want) || a.Tags[0].ID != tagIDs[1] {
					t.Errorf("tags %q, want %q", names, want)
				}
			} else if a.Tags != nil {
				t.Errorf("asset %s: tags %v", a.Str("serial"), a.Tags)
			}
			nums := map[int]string{0: "A-1, B-2", 1: "A-1, B-2, C-3"}[i]
			if got, ok := a.Values["asset_numbers"]; (ok || nums != "") && got != nums {
				t.Errorf("asset %s: asset_numbers %#v, want %q", a.Str("serial"), got, nums)
			}
			c := a.Rel("order_contract")
			if c == nil {
				t.Fatalf("asset %d: no order contract", a.ID)
			}
			// Every display string of the page is complete, and the
			// third level is loaded (asset → contract → parent → contractor).
			want := map[int64]string{top.ID: "Top (T) via ACME", sub.ID: "Sub (S) [Sub: Top] via Globex", lone.ID: "Lone (L)"}[c.ID]
			if got := c.String(); got != want {
				t.Errorf("asset %d: contract %q, want %q", a.ID, got, want)
			}
			if p := c.Rel("parent"); p != nil && p.Rel("contractor") == nil {
				t.Errorf("asset %d: level 3 contractor not loaded", a.ID)
			}
		}
		// Offsets page through the same order, also with prepared statements.
		var paged []int64
		for off := 0; off < 40; off += 7 {
			q, _ := filter.Parse(assets, map[string][]string{"limit": {"7"}, "offset": {fmt.Sprint(off)}})
			p, err := st.List(ctx, assets, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range p.Records {
				paged = append(paged, r.ID)
			}
		}
		var all []int64
		for _, r := range page.Records {
			all = append(all, r.ID)
		}
		if !slices.Equal(paged, all) {
			t.Errorf("pages %v, want %v", paged, all)
		}
	})
}

func TestDepthOf(t *testing.T) {
	want := map[string]int{
		schema.AssetName:             2,
		schema.ContractName:          2,
		schema.ExternalInventoryName: 3,
	}
	for name, d := range want {
		if got := depthOf(schema.Inventory.Entity(name)); got != d {
			t.Errorf("depthOf(%s) = %d, want %d", name, got, d)
		}
	}
	for _, e := range schema.Inventory.Entities {
		t.Logf("%s: %d", e.Name, depthOf(e))
	}
}

// TestTagsColumnReadsAlikeWithAndWithoutTheFastPath: scanTags either
// declines or reads what encoding/json reads, for both databases' forms.
func TestTagsColumnReadsAlikeWithAndWithoutTheFastPath(t *testing.T) {
	inputs := []string{
		`[]`, ` [ ] `,
		`[[1,"Alpha","alpha","ff0000",""]]`,                                                   // SQLite json_array
		`[[1, "Alpha", "alpha", "ff0000", ""], ` + "\n" + ` [22, "Beta", "beta", "", "x y"]]`, // PostgreSQL json_agg
		`[[3,"Ž \"quoted\"","z","00ff00","back\\slash"]]`,                                     // escapes: encoding/json
		`[[4,"€uro","euro","","\u00e9"]]`,
		`[[5,"a","b","c"]]`, `[[6,"a","b","c","d","e"]]`, `[["7","a","b","c","d"]]`, `[[8,"a","b","c","d"]`, `[[9,"a","b","c","d"]] x`,
		`[[010,"a","b","c","d"]]`, "[[11,\"bad \xff utf-8\",\"b\",\"c\",\"d\"]]",
	}
	for _, in := range inputs {
		fast, ok := scanTags([]byte(in))
		if !ok {
			continue
		}
		want, err := decodeTagsJSON([]byte(in))
		if err != nil {
			t.Errorf("%s: fast path read %v where encoding/json fails: %v", in, fast, err)
			continue
		}
		if diff := cmp.Diff(want, fast); diff != "" {
			t.Errorf("%s: fast path differs (-json +fast):\n%s", in, diff)
		}
	}
	if _, ok := scanTags([]byte(`[[1, "Alpha", "alpha", "ff0000", ""], [2, "B", "b", "", ""]]`)); !ok {
		t.Error("the common form is not read by the fast path")
	}
}
