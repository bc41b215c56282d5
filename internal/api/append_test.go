package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
)

// sampleRecord fills every field of e with a value of its kind (or leaves
// it NULL when null is set), and relations with records of their own.
func sampleRecord(e *schema.Entity, id int64, text string, null bool, depth int) *schema.Record {
	r := schema.NewRecord(e)
	r.ID = id
	r.Tags = []schema.Tag{{ID: 3, Name: text + " tag", Slug: "t-3", Color: "ff0000"}, {ID: 1234, Name: "Beta", Slug: "beta", Color: ""}}
	r.Values["asset_numbers"] = "INV-1, INV-2"
	if null {
		r.Tags = nil
		delete(r.Values, "asset_numbers")
	}
	for i, f := range e.Fields {
		if null && f.Kind != schema.ManyToMany {
			continue
		}
		switch f.Kind {
		case schema.String, schema.Choice:
			r.Values[f.Name] = fmt.Sprintf("%s %d", text, i)
		case schema.ContentType:
			r.Values[f.Name] = "dcim.device"
		case schema.Int, schema.NetBoxRef:
			r.Values[f.Name] = int64(i * 7)
		case schema.Decimal:
			r.Values[f.Name] = inventory.Decimal(123456)
		case schema.Date:
			r.Values[f.Name] = time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)
		case schema.DateTime:
			r.Values[f.Name] = time.Date(2026, 3, 4, 5, 6, 7, 891000, time.FixedZone("CET", 3600))
		case schema.JSON:
			r.Values[f.Name] = json.RawMessage(`{ "k" : [1, "<&>"] }`)
		case schema.ForeignKey:
			r.Values[f.Name] = int64(100 + i)
			if depth > 0 && i%2 == 0 { // odd ones stay unloaded: {"id", "display"}
				r.SetRelated(f.Name, sampleRecord(schema.Inventory.Entity(f.Ref), int64(100+i), text, false, depth-1))
			}
		case schema.ManyToMany:
			if null {
				continue
			}
			r.Values[f.Name] = []int64{7, 8}
			if depth > 0 {
				if r.RelatedMany == nil {
					r.RelatedMany = map[string][]*schema.Record{}
				}
				ref := schema.Inventory.Entity(f.Ref)
				r.RelatedMany[f.Name] = []*schema.Record{sampleRecord(ref, 7, text, false, depth-1), sampleRecord(ref, 8, text, true, depth-1)}
			}
		}
	}
	return r
}

// TestAppendRecord: the direct encoding equals the object tree's.
func TestAppendRecord(t *testing.T) {
	for _, base := range []string{"http://example.test", "https://h\u00e9st:8080/<p&x>", "http://bad\xff\"host"} {
		rd := renderer{base: base}
		for _, e := range schema.Inventory.Entities {
			for _, text := range []string{"plain", "quote \" back \\ <tag> & \u2028 \x01 ž"} {
				for _, null := range []bool{false, true} {
					r := sampleRecord(e, 42, text, null, 3)
					if e.Name == schema.AssetName && !null {
						r.Values["assigned_object_type"] = "ipam.unknown" // no NetBox path
					}
					for _, brief := range []bool{false, true} {
						var want []byte
						var err error
						if brief {
							want, err = marshal(rd.brief(r))
						} else {
							want, err = marshal(rd.full(r))
						}
						if err != nil {
							t.Fatal(err)
						}
						got, err := rd.appendRecord(nil, r, brief)
						if err != nil {
							t.Fatal(err)
						}
						if !bytes.Equal(got, want) {
							t.Fatalf("%s brief=%v null=%v base=%q:\ngot  %s\nwant %s", e.Name, brief, null, base, got, want)
						}
					}
				}
			}
		}
	}
}

// TestTimeAppendersMatchTimeFormat: the layout-free date and timestamp
// writers give the formatters' bytes (fractions, zones, far years), and
// timestamps read as DRF writes them.
func TestTimeAppendersMatchTimeFormat(t *testing.T) {
	for tm, want := range map[time.Time]string{
		time.Date(2026, 3, 1, 0, 0, 0, 500000000, time.UTC):              "2026-03-01T00:00:00.500000Z",
		time.Date(2026, 3, 1, 0, 0, 0, 999, time.UTC):                    "2026-03-01T00:00:00Z",
		time.Date(2026, 3, 1, 0, 0, 0, 1000, time.UTC):                   "2026-03-01T00:00:00.000001Z",
		time.Date(2026, 3, 1, 2, 0, 0, 0, time.FixedZone("CET", 2*3600)): "2026-03-01T00:00:00Z",
	} {
		if got := string(appendDateTime(nil, tm)); got != want {
			t.Errorf("appendDateTime(%v) = %q, want %q", tm, got, want)
		}
	}
	times := []time.Time{
		time.Date(2026, 11, 26, 3, 4, 5, 0, time.UTC),
		time.Date(2026, 1, 2, 0, 0, 0, 120000000, time.UTC),
		time.Date(1999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 1000, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 100, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 6, 1, 12, 0, 0, 5000, time.FixedZone("CEST", 2*3600)),
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		times = append(times, time.Unix(rnd.Int64N(1<<36)-1<<35, rnd.Int64N(1e9)).UTC())
	}
	for _, tm := range times {
		if got, want := string(appendDate(nil, tm)), tm.Format("2006-01-02"); got != want {
			t.Errorf("appendDate(%v) = %q, want %q", tm, got, want)
		}
		if got, want := string(appendDateTime(nil, tm)), schema.FormatDateTime(tm); got != want {
			t.Errorf("appendDateTime(%v) = %q, want %q", tm, got, want)
		}
	}
}
