package demo

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/config"
	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/pgtest"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
	"github.com/inventory-monitor/inventory-monitor/internal/store/sqlstore"
)

func TestMain(m *testing.M) {
	code := m.Run()
	stopBenchStores()
	pgtest.StopShared()
	os.Exit(code)
}

var testNow = time.Date(2026, 5, 1, 12, 34, 56, 0, time.UTC)

const (
	testAssets = 300
	testProbes = 3000
	testSeed   = 42
)

// openStore opens a fresh database of the dialect with the clock pinned
// to now, so that date bands and probe recency agree with the data.
func openStore(t testing.TB, dialect string, now time.Time) *sqlstore.Store {
	t.Helper()
	var dsn string
	if dialect == "postgres" {
		dsn = pgtest.NewDatabase(t, "")
	} else {
		dsn = filepath.Join(t.TempDir(), "demo.db")
	}
	st, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{
		Settings: config.DefaultSettings(),
		Now:      func() time.Time { return now },
	})
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func generate(t *testing.T, st store.Store, seed int64) Summary {
	t.Helper()
	sum, err := Generate(context.Background(), st, Options{Assets: testAssets, Probes: testProbes, Seed: seed, Now: testNow})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return sum
}

// all returns every object of an entity in id order.
func all(t *testing.T, st store.Store, name string) []*schema.Record {
	t.Helper()
	e := schema.Inventory.Entity(name)
	var out []*schema.Record
	start := int64(0)
	for {
		page, err := st.List(context.Background(), e, filter.Query{Start: &start, Limit: 1000})
		if err != nil {
			t.Fatalf("list %s: %v", name, err)
		}
		out = append(out, page.Records...)
		if len(page.Records) < 1000 {
			return out
		}
		start = page.Records[len(page.Records)-1].ID + 1
	}
}

// count runs a filtered asset list and returns its count.
func count(t *testing.T, st store.Store, name, query string) int {
	t.Helper()
	e := schema.Inventory.Entity(name)
	v, err := url.ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	q, err := filter.Parse(e, v)
	if err != nil {
		t.Fatalf("parse %q: %v", query, err)
	}
	q.Limit = 1
	page, err := st.List(context.Background(), e, q)
	if err != nil {
		t.Fatalf("list %s?%s: %v", name, query, err)
	}
	return *page.Count
}

// fingerprint is what must be identical for the same seed and Now.
type fingerprint struct {
	assetSerials, probeSerials, rmaSerials []string
	probeTimes                             []time.Time
	counts                                 map[string]int
}

func takeFingerprint(t *testing.T, st store.Store) fingerprint {
	f := fingerprint{counts: map[string]int{}}
	for _, r := range all(t, st, schema.AssetName) {
		f.assetSerials = append(f.assetSerials, r.Str("serial"))
	}
	for _, r := range all(t, st, schema.ProbeName) {
		f.probeSerials = append(f.probeSerials, r.Str("serial"))
		f.probeTimes = append(f.probeTimes, *r.Time("time"))
	}
	for _, r := range all(t, st, schema.RMAName) {
		f.rmaSerials = append(f.rmaSerials, r.Str("original_serial")+"/"+r.Str("replacement_serial"))
	}
	for _, e := range schema.Inventory.Entities {
		f.counts[e.Name] = count(t, st, e.Name, "")
	}
	return f
}

func (f fingerprint) equal(t *testing.T, what string, o fingerprint) {
	t.Helper()
	if !slices.Equal(f.assetSerials, o.assetSerials) {
		t.Errorf("%s: asset serials differ", what)
	}
	if !slices.Equal(f.probeSerials, o.probeSerials) {
		t.Errorf("%s: probe serials differ", what)
	}
	if !slices.EqualFunc(f.probeTimes, o.probeTimes, time.Time.Equal) {
		t.Errorf("%s: probe times differ", what)
	}
	if !slices.Equal(f.rmaSerials, o.rmaSerials) {
		t.Errorf("%s: RMA serials differ", what)
	}
	for k, v := range f.counts {
		if o.counts[k] != v {
			t.Errorf("%s: %s count %d vs %d", what, k, v, o.counts[k])
		}
	}
}

func TestGenerate(t *testing.T) {
	var sqliteFP *fingerprint
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			st := openStore(t, dialect, testNow)
			sum := generate(t, st, testSeed)
			checkDataset(t, st, sum)

			// Same seed and Now on a second, empty database: identical data.
			fp := takeFingerprint(t, st)
			st2 := openStore(t, dialect, testNow)
			generate(t, st2, testSeed)
			fp.equal(t, "second "+dialect+" database", takeFingerprint(t, st2))

			// And across dialects.
			if sqliteFP == nil {
				sqliteFP = &fp
			} else {
				sqliteFP.equal(t, "sqlite vs "+dialect, fp)
			}
		})
	}
}

func TestOtherSeedDiffers(t *testing.T) {
	a := openStore(t, "sqlite", testNow)
	b := openStore(t, "sqlite", testNow)
	generate(t, a, 1)
	generate(t, b, 2)
	if slices.Equal(takeFingerprint(t, a).assetSerials, takeFingerprint(t, b).assetSerials) {
		t.Error("seeds 1 and 2 produced the same asset serials")
	}
}

func checkDataset(t *testing.T, st *sqlstore.Store, sum Summary) {
	ctx := context.Background()
	// Counts: as asked, as reported, as stored.
	if got := sum.Count(schema.AssetName); got != testAssets {
		t.Errorf("summary assets = %d, want %d", got, testAssets)
	}
	if got := sum.Count(schema.ProbeName); got != testProbes {
		t.Errorf("summary probes = %d, want %d", got, testProbes)
	}
	minimum := map[string]int{
		schema.AssetTypeName: 15, schema.ContractorName: 25, schema.ContractName: 60, schema.InvoiceName: 60,
		schema.AssetName: testAssets, schema.AssetServiceName: testAssets / 4, schema.RMAName: 3,
		schema.ExternalInventoryName: testAssets / 20, schema.ProbeName: testProbes,
	}
	for name, want := range minimum {
		stored := count(t, st, name, "")
		if stored != sum.Count(name) {
			t.Errorf("%s: stored %d, summary says %d", name, stored, sum.Count(name))
		}
		if stored < want {
			t.Errorf("%s: %d stored, want at least %d", name, stored, want)
		}
	}
	if stored, err := st.Tags(ctx); err != nil || len(stored) != len(tags) || sum.Count("tag") != len(tags) {
		t.Errorf("tags: %d stored (err %v), summary %d, want %d", len(stored), err, sum.Count("tag"), len(tags))
	}
	if n := count(t, st, schema.ContractName, "contract_type=Subcontract"); n == 0 {
		t.Error("no subcontracts")
	}
	for _, typ := range contractTypes {
		if n := count(t, st, schema.ContractName, "type="+typ); n == 0 {
			t.Errorf("no contract of type %s", typ)
		}
	}

	// Every warranty band occurs, including future and open-ended periods.
	for _, band := range []string{"expired", "expiring", "valid", "none"} {
		if n := count(t, st, schema.AssetName, "warranty_status="+band); n == 0 {
			t.Errorf("no asset with warranty_status=%s", band)
		}
	}
	today := testNow.Format(time.DateOnly)
	if n := count(t, st, schema.AssetName, "warranty_start__gt="+today+"&warranty_end__empty=false"); n == 0 {
		t.Error("no asset whose warranty starts in the future")
	}
	if n := count(t, st, schema.AssetName, "warranty_start__empty=false&warranty_end__empty=true"); n == 0 {
		t.Error("no asset with an open-ended warranty")
	}
	if n := count(t, st, schema.AssetName, "service_status=valid"); n == 0 {
		t.Error("no asset with a valid service")
	}
	if n := count(t, st, schema.AssetName, "has_duplicates=true"); n < 2 {
		t.Errorf("has_duplicates=true finds %d assets, want a few", n)
	}
	if n := count(t, st, schema.AssetName, "has_external_inventory_items=true"); n < testAssets/20 {
		t.Errorf("%d assets with external inventory, want ~10%%", n)
	}
	assigned := count(t, st, schema.AssetName, "assigned_object_id__empty=false")
	if assigned < testAssets*55/100 || assigned > testAssets*85/100 {
		t.Errorf("%d of %d assets assigned, want ~70%%", assigned, testAssets)
	}
	for _, v := range []string{"Cisco", "Juniper", "Arista", "Dell", "HPE", "Nokia"} {
		if n := count(t, st, schema.AssetName, "vendor="+v); n == 0 {
			t.Errorf("no %s asset", v)
		}
	}

	// Recent and stale assets, and assets never probed.
	assets := all(t, st, schema.AssetName)
	ids := make([]int64, len(assets))
	serials := map[string]bool{}
	for i, a := range assets {
		ids[i] = a.ID
		serials[a.Str("serial")] = true
	}
	sums, err := st.ProbeSummaries(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	var recent, stale, never int
	for _, id := range ids {
		switch s := sums[id]; {
		case s.LastProbe == nil:
			never++
		case s.Recent:
			recent++
		default:
			stale++
		}
	}
	t.Logf("assets: %d recently probed, %d stale, %d never probed", recent, stale, never)
	if recent == 0 || stale == 0 || never == 0 {
		t.Errorf("want recent, stale and never-probed assets; got %d/%d/%d", recent, stale, never)
	}

	// RMAs: a completed RMA with a replacement serial swapped the asset's serial.
	swapped := 0
	byID := map[int64]*schema.Record{}
	for _, a := range assets {
		byID[a.ID] = a
	}
	for _, r := range all(t, st, schema.RMAName) {
		for _, f := range []string{"original_serial", "replacement_serial"} {
			if s := r.Str(f); s != "" {
				serials[s] = true
			}
		}
		if id, _ := r.Int("asset"); r.Str("status") == "completed" && r.Str("replacement_serial") != "" {
			if byID[id].Str("serial") != r.Str("replacement_serial") {
				t.Errorf("RMA %d completed with %s, asset serial %s", r.ID, r.Str("replacement_serial"), byID[id].Str("serial"))
			}
			swapped++
		}
	}
	t.Logf("%d asset serials swapped by completed RMAs", swapped)

	// Probes: ~70 % match an asset or RMA serial, the rest nothing; all
	// within the last ~180 days, first seen no later than seen.
	var matched, unknown int
	oldest := testNow.Add(-probeWindow)
	for _, p := range all(t, st, schema.ProbeName) {
		if serials[p.Str("serial")] {
			matched++
		} else {
			unknown++
		}
		tm, ct := p.Time("time"), p.Time("creation_time")
		if tm.Before(oldest) || tm.After(testNow) || ct == nil || ct.After(*tm) {
			t.Fatalf("probe %d: time %v, creation_time %v", p.ID, tm, ct)
		}
	}
	if matched != sum.ProbesMatched || unknown != sum.ProbesUnknown {
		t.Errorf("probes matching/unknown %d/%d, summary says %d/%d", matched, unknown, sum.ProbesMatched, sum.ProbesUnknown)
	}
	if unknown == 0 || matched < testProbes*6/10 || matched > testProbes*8/10 {
		t.Errorf("probes: %d match an asset, %d match nothing; want ~70%%/30%%", matched, unknown)
	}
}

func TestSummaryString(t *testing.T) {
	s := Summary{Entities: []EntityStat{{Entity: "asset", Label: "assets", Count: 10, Elapsed: time.Second}}, Elapsed: 2 * time.Second}
	if got := s.String(); !strings.Contains(got, "assets") || !strings.Contains(got, "10/s") || s.Count("asset") != 10 || s.Count("probe") != 0 {
		t.Errorf("String/Count: %q", got)
	}
}
