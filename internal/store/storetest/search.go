package storetest

import (
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

// testSearch checks q and the icontains family against a reference
// implementation of their meaning (a case-insensitive substring of one
// field), on terms of every kind an index could get wrong: short, long,
// mixed case, non-ASCII, with LIKE wildcards, quotes and spaces, and
// after the searched values change.
func testSearch(t *testing.T, open Opener) {
	// Own search fields of an asset, in the order of the fixture below.
	type asset struct{ serial, partnumber, description, project, vendor string }
	fixture := []asset{
		{"FOC2133X0AB", "QSFP-100G-LR4", "Optic in rack 12", "DC-Refresh", "Cisco"},
		{"foc2133y", "qsfp-40g", "", "dc-refresh-2", "Cisco Systems"},
		{"100%_done", `back\slash"quote`, "Žluťoučký kůň FOCUS", "", "Juniper"},
		{"AB", "CD", "EF", "", ""},
		{"xyz", "", "", "LAB", "cisco"},
		{"SN-ZETA", "", "", "", "ŽLUŤÁK s.r.o."},
	}
	fold := func(s, term string) string {
		for _, r := range term {
			if r >= 0x80 {
				return strings.Map(unicode.ToLower, s)
			}
		}
		return strings.Map(func(r rune) rune {
			if r >= 'A' && r <= 'Z' {
				return r + 'a' - 'A'
			}
			return r
		}, s)
	}
	contains := func(s, term string) bool { return s != "" && strings.Contains(fold(s, term), fold(term, term)) }
	reference := func(term string, fields func(a asset) []string) []string {
		out := []string{}
		for _, a := range fixture {
			for _, f := range fields(a) {
				if contains(f, term) {
					out = append(out, a.serial)
					break
				}
			}
		}
		slices.Sort(out)
		return out
	}
	own := func(a asset) []string { return []string{a.serial, a.partnumber, a.description, a.project, a.vendor} }
	seed := func(t *testing.T) (*env, map[string]*schema.Record) {
		e := newEnv(t, open)
		recs := map[string]*schema.Record{}
		for _, a := range fixture {
			p := store.Patch{"serial": a.serial}
			for k, v := range map[string]string{"partnumber": a.partnumber, "description": a.description, "project": a.project, "vendor": a.vendor} {
				if v != "" {
					p[k] = v
				}
			}
			recs[a.serial] = e.create(schema.AssetName, p)
		}
		return e, recs
	}

	t.Run("QMatchesSubstringsOfOwnFieldsExactly", func(t *testing.T) {
		e, _ := seed(t)
		terms := []string{
			"foc2133", "FOC21", "focus", "qsfp-100g", "QSFP", "dc-refresh", "DC-REFRESH-2", "rack 12", "n rack",
			"100%", "0%_d", "%_", "%", "_", `\sl`, `h"q`, `"`, `"quote`, "bcd", "abc", "cde", "fo", "ab", "x", "yz",
			"kůň", "ŽLUŤOUČKÝ", "žluťák", "ák s", "s.r.o.", "S.R.O", "cisco systems", "isco", "LR4", "ZETA", "nomatch",
			"sn-zeta ", "a b", "12", "2", "-",
		}
		for _, term := range terms {
			want := reference(strings.TrimSpace(term), own)
			diff(t, "q="+term, want, e.strs(schema.AssetName, "serial", "q="+urlEscape(term)))
			// The count agrees with the page.
			if p := e.list(schema.AssetName, "q="+urlEscape(term)); *p.Count != len(want) {
				t.Errorf("q=%s: count %d, want %d", term, *p.Count, len(want))
			}
		}
	})

	t.Run("QFollowsUpdatesAndDeletes", func(t *testing.T) {
		e, recs := seed(t)
		e.update(schema.AssetName, recs["xyz"].ID, store.Patch{"serial": "NEWSERIAL-777", "description": "Moved to Lab 3"})
		diff(t, "new serial", []string{"NEWSERIAL-777"}, e.strs(schema.AssetName, "serial", "q=serial-77"))
		diff(t, "new description", []string{"NEWSERIAL-777"}, e.strs(schema.AssetName, "serial", "q=lab+3"))
		diff(t, "old serial", []string{}, e.strs(schema.AssetName, "serial", "q=xyz"))
		// A change of another field keeps the searched ones.
		e.update(schema.AssetName, recs["xyz"].ID, store.Patch{"quantity": int64(3)})
		diff(t, "other field changed", []string{"NEWSERIAL-777"}, e.strs(schema.AssetName, "serial", "q=newserial"))
		e.update(schema.AssetName, recs["AB"].ID, store.Patch{"partnumber": nil, "description": "deleted-marker"})
		diff(t, "cleared", []string{}, e.strs(schema.AssetName, "serial", "q=CD&partnumber__empty=false"))
		diff(t, "before delete", []string{"AB"}, e.strs(schema.AssetName, "serial", "q=deleted-marker"))
		e.mustDelete(schema.AssetName, recs["AB"].ID)
		diff(t, "after delete", []string{}, e.strs(schema.AssetName, "serial", "q=deleted-marker"))
		a := e.create(schema.AssetName, store.Patch{"serial": "FRESH-ASSET-1"})
		diff(t, "created", ids(a), e.idSet(schema.AssetName, "q=fresh-asset"))
		// RMA completion replaces the asset's serial.
		r := e.create(schema.RMAName, store.Patch{"asset": a.ID, "issue_description": "dead", "status": "shipped", "replacement_serial": "REPLACED-9"})
		e.update(schema.RMAName, r.ID, store.Patch{"status": "completed"})
		diff(t, "replacement serial", ids(a), e.idSet(schema.AssetName, "q=replaced-9"))
		diff(t, "replaced serial", []int64{}, e.idSet(schema.AssetName, "q=fresh-asset"))
	})

	t.Run("QThroughRelatedObjectsSearchesOnlyTheirSearchedField", func(t *testing.T) {
		e, recs := seed(t)
		c := e.create(schema.ContractName, store.Patch{"name": "Order 2024/77", "name_internal": "Internal Name X", "type": "supply"})
		e.update(schema.AssetName, recs["FOC2133X0AB"].ID, store.Patch{"order_contract": c.ID})
		x := e.create(schema.ExternalInventoryName, store.Patch{"inventory_number": "INV-2023-0001", "name": "Laptop Foo",
			"person_name": "Jan Novák", "assets": []int64{recs["foc2133y"].ID}})
		diff(t, "contract name", []string{"FOC2133X0AB"}, e.strs(schema.AssetName, "serial", "q=order+2024"))
		diff(t, "contract internal name", []string{}, e.strs(schema.AssetName, "serial", "q=internal+name"))
		diff(t, "inventory number", []string{"foc2133y"}, e.strs(schema.AssetName, "serial", "q=inv-2023-0001"))
		diff(t, "external item name", []string{}, e.strs(schema.AssetName, "serial", "q=laptop"))
		diff(t, "external item own search", ids(x), e.idSet(schema.ExternalInventoryName, "q=laptop"))
		diff(t, "external item non-ASCII", ids(x), e.idSet(schema.ExternalInventoryName, "q=NOVÁK"))
		diff(t, "external item person", ids(x), e.idSet(schema.ExternalInventoryName, "q=jan+nov"))
		e.update(schema.ExternalInventoryName, x.ID, store.Patch{"inventory_number": "INV-2099-5"})
		diff(t, "new inventory number", []string{"foc2133y"}, e.strs(schema.AssetName, "serial", "q=inv-2099"))
		diff(t, "old inventory number", []string{}, e.strs(schema.AssetName, "serial", "q=inv-2023"))
		e.update(schema.ExternalInventoryName, x.ID, store.Patch{"assets": []int64{}})
		diff(t, "unlinked external item", []string{}, e.strs(schema.AssetName, "serial", "q=inv-2099"))
		e.mustDelete(schema.ExternalInventoryName, x.ID)
		diff(t, "deleted external item", []int64{}, e.idSet(schema.ExternalInventoryName, "q=laptop"))
		// A service is found by its asset's serial, not the asset's other fields.
		svc := e.create(schema.AssetServiceName, store.Patch{"asset": recs["FOC2133X0AB"].ID, "contract": c.ID})
		diff(t, "service by asset serial", ids(svc), e.idSet(schema.AssetServiceName, "q=foc2133x"))
		diff(t, "service by asset part number", []int64{}, e.idSet(schema.AssetServiceName, "q=qsfp-100g"))
		diff(t, "service by contract", ids(svc), e.idSet(schema.AssetServiceName, "q=order+2024"))
	})

	// vendor and project filters are icontains (upstream); they are matched
	// against the columns' distinct values.
	t.Run("IcontainsFiltersOnFewValuedColumns", func(t *testing.T) {
		e, recs := seed(t)
		e.update(schema.AssetName, recs["FOC2133X0AB"].ID, store.Patch{"lifecycle_status": "in_use", "warranty_start": e.day(-10), "warranty_end": e.day(100)})
		e.update(schema.AssetName, recs["foc2133y"].ID, store.Patch{"lifecycle_status": "in_use", "warranty_end": e.day(-1)})
		e.update(schema.AssetName, recs["xyz"].ID, store.Patch{"lifecycle_status": "in_use"})
		vendor := func(a asset) []string { return []string{a.vendor} }
		project := func(a asset) []string { return []string{a.project} }
		for _, v := range []string{"cisco", "CISCO", "SYSTEMS", "isc", "s", "žluťák", "ŽLUŤÁK S.R.O.", "r.o", "nomatch", "%", "_", "juniper"} {
			diff(t, "vendor="+v, reference(v, vendor), e.strs(schema.AssetName, "serial", "vendor="+urlEscape(v)))
		}
		for _, v := range []string{"dc-refresh", "LAB", "2", "nomatch"} {
			diff(t, "project="+v, reference(v, project), e.strs(schema.AssetName, "serial", "project="+urlEscape(v)))
		}
		cases := []struct {
			qs   string
			want []string
		}{
			{"vendor=cisco&vendor=juniper", []string{"100%_done", "FOC2133X0AB", "foc2133y", "xyz"}},
			{"vendor=null", []string{"AB"}},
			{"vendor=null&vendor=juniper", []string{"100%_done", "AB"}},
			{"project=lab&project=refresh-2", []string{"foc2133y", "xyz"}},
			{"lifecycle_status=in_use&vendor=Cisco", []string{"FOC2133X0AB", "foc2133y", "xyz"}},
			{"lifecycle_status=in_use&vendor=Cisco&warranty_status=valid", []string{"FOC2133X0AB"}},
			{"lifecycle_status=in_use&vendor=Cisco&warranty_status=expired", []string{"foc2133y"}},
			{"lifecycle_status=in_use&vendor=Cisco&warranty_status=none", []string{"xyz"}},
			{"q=foc&vendor=systems", []string{"foc2133y"}},
		}
		for _, c := range cases {
			diff(t, c.qs, c.want, e.strs(schema.AssetName, "serial", c.qs))
			if p := e.list(schema.AssetName, c.qs+"&limit=1"); *p.Count != len(c.want) {
				t.Errorf("%s: count %d, want %d", c.qs, *p.Count, len(c.want))
			}
		}
	})
}
