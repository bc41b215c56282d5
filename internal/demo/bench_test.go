package demo

// Benchmarks on demo data, once on SQLite and once on PostgreSQL:
//
//	INVMON_BENCH=1 go test -run '^$' -bench . -benchtime 200x ./internal/demo/
//
// The data set (INVMON_BENCH_ASSETS assets, default 100000, and
// INVMON_BENCH_PROBES probes, default 2000000) is generated once per test
// binary and dialect, before the first benchmark that needs it. Set
// INVMON_BENCH_DIR to keep the SQLite database there and reuse it in later
// runs (it is regenerated when its counts do not match); PostgreSQL runs
// on a throw-away server (pgtest) and is always generated.
// INVMON_BENCH_PG_DSN names an existing PostgreSQL database to use instead
// (filled when empty, reused when it holds the demo data), so that runs
// can start from a copy (CREATE DATABASE ... TEMPLATE).
// INVMON_BENCH_SQLITE_PARAMS adds query parameters to the SQLite DSN, to
// try tunings without code changes (e.g. "_pragma=cache_size(-262144)").

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/config"
	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/pgtest"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
	"github.com/inventory-monitor/inventory-monitor/internal/store/sqlstore"
)

const benchSeed = 1

type benchEnv struct {
	st   *sqlstore.Store
	g    *gen // the generator's state, for more probes of the same kind
	now  time.Time
	err  error
	runs int // bulk-insert runs, to draw fresh probes each time
}

var (
	benchMu   sync.Mutex
	benchEnvs = map[string]*benchEnv{}
	benchTmp  string
)

// stopBenchStores closes the benchmark databases (called from TestMain).
func stopBenchStores() {
	benchMu.Lock()
	defer benchMu.Unlock()
	for _, env := range benchEnvs {
		if env.st != nil {
			env.st.Close()
		}
	}
	if benchTmp != "" {
		os.RemoveAll(benchTmp)
	}
}

func benchSize(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		b.Fatalf("%s=%q: want a non-negative integer", name, v)
	}
	return n
}

// benchStore returns the dialect's demo database, generating it on first use.
func benchStore(b *testing.B, dialect string) *benchEnv {
	if os.Getenv("INVMON_BENCH") == "" {
		b.Skip("demo-data benchmarks are off: set INVMON_BENCH=1 (they first generate INVMON_BENCH_ASSETS=100000 assets and INVMON_BENCH_PROBES=2000000 probes per database, which takes minutes)")
	}
	benchMu.Lock()
	defer benchMu.Unlock()
	if env, ok := benchEnvs[dialect]; ok {
		if env.err != nil {
			b.Fatalf("%s demo data: %v", dialect, env.err)
		}
		return env
	}
	assets := benchSize(b, "INVMON_BENCH_ASSETS", 100000)
	probes := benchSize(b, "INVMON_BENCH_PROBES", 2000000)
	env := &benchEnv{now: time.Now().UTC().Truncate(time.Second)}
	reuse := false
	var dsn string
	if dsn = os.Getenv("INVMON_BENCH_PG_DSN"); dialect == "postgres" && dsn != "" {
		reuse = true // an existing database: reused when its counts match, else filled
	} else if dialect == "postgres" {
		srv := pgtest.Shared(b) // skips (or fails, when required) without PostgreSQL
		name := fmt.Sprintf("demo_bench_%d_%d", assets, probes)
		if err := srv.DropDatabase(name); err != nil {
			b.Fatal(err)
		}
		var err error
		if dsn, err = srv.CreateDatabase(name, ""); err != nil {
			b.Fatal(err)
		}
	} else {
		dir := os.Getenv("INVMON_BENCH_DIR")
		if dir == "" {
			if benchTmp == "" {
				tmp, err := os.MkdirTemp("", "invmon-bench-")
				if err != nil {
					b.Fatal(err)
				}
				benchTmp = tmp
			}
			dir = benchTmp
		}
		dsn = filepath.Join(dir, fmt.Sprintf("demo-bench-%d-%d-seed%d.db", assets, probes, benchSeed))
		if _, err := os.Stat(dsn); err == nil {
			reuse = true
		}
		if params := os.Getenv("INVMON_BENCH_SQLITE_PARAMS"); params != "" {
			dsn += "?" + params
		}
	}
	benchEnvs[dialect] = env
	env.err = env.open(b, dsn, assets, probes, reuse)
	if env.err != nil {
		b.Fatalf("%s demo data: %v", dialect, env.err)
	}
	return env
}

func (env *benchEnv) open(b *testing.B, dsn string, assets, probes int, reuse bool) error {
	ctx := context.Background()
	opts := sqlstore.Options{Settings: config.DefaultSettings(), Now: func() time.Time { return env.now }}
	st, err := sqlstore.Open(ctx, dsn, opts)
	if err != nil {
		return err
	}
	genOpts := Options{Assets: assets, Probes: probes, Seed: benchSeed, Now: env.now, Progress: os.Stderr}
	if reuse {
		a, p := countOf(ctx, st, schema.AssetName), countOf(ctx, st, schema.ProbeName)
		if a == assets && p == probes {
			fmt.Fprintf(os.Stderr, "%s: reusing %s (%d assets, %d probes)\n", b.Name(), dsn, a, p)
			env.st = st
			env.g = newGen(ctx, st, genOpts)
			return env.g.loadFromStore()
		}
		if st.Dialect() == "postgres" {
			if a != 0 || p != 0 {
				st.Close()
				return fmt.Errorf("%s holds %d assets and %d probes: want an empty database or the demo data", dsn, a, p)
			}
		} else {
			st.Close()
			fmt.Fprintf(os.Stderr, "%s: %s holds %d assets and %d probes, regenerating\n", b.Name(), dsn, a, p)
			path, _, _ := strings.Cut(dsn, "?")
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(path + suffix)
			}
			if st, err = sqlstore.Open(ctx, dsn, opts); err != nil {
				return err
			}
		}
	}
	env.st = st
	fmt.Fprintf(os.Stderr, "%s: generating %d assets and %d probes on %s\n", b.Name(), assets, probes, st.Dialect())
	env.g = newGen(ctx, st, genOpts)
	if err := env.g.run(); err != nil {
		return err
	}
	fmt.Fprint(os.Stderr, env.g.sum.String())
	return nil
}

func countOf(ctx context.Context, st store.Store, name string) int {
	page, err := st.List(ctx, schema.Inventory.Entity(name), filter.Query{Limit: 1})
	if err != nil || page.Count == nil {
		return -1
	}
	return *page.Count
}

// loadFromStore rebuilds the state the probe planner needs (topology,
// assets with their parts and devices) from an existing demo database.
func (g *gen) loadFromStore() error {
	g.topo = newTopology(g.rand("topology"), g.opts.Assets)
	g.serials = map[string]bool{}
	partIndex := map[string]int{}
	for i, p := range parts {
		if _, ok := partIndex[p.number]; !ok {
			partIndex[p.number] = i
		}
	}
	return g.eachRecord(schema.AssetName, func(r *schema.Record) {
		a := assetInfo{id: r.ID, serial: r.Str("serial"), device: -1, site: -1, probed: true}
		a.part = partIndex[r.Str("partnumber")]
		if id, ok := r.Int("assigned_object_id"); ok && r.Str("assigned_object_type") == "dcim.device" && int(id) <= len(g.topo.devices) {
			a.device = int(id) - 1
		}
		g.serials[a.serial] = true
		g.assetList = append(g.assetList, a)
	})
}

// forEachDialect runs fn as the sub-benchmarks sqlite and postgres.
func forEachDialect(b *testing.B, fn func(b *testing.B, env *benchEnv)) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		b.Run(dialect, func(b *testing.B) { fn(b, benchStore(b, dialect)) })
	}
}

func reportMillis(b *testing.B) {
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/op")
}

func parseAssetQuery(b *testing.B, query string) filter.Query {
	v, err := url.ParseQuery(query)
	if err != nil {
		b.Fatal(err)
	}
	q, err := filter.Parse(schema.Inventory.Entity(schema.AssetName), v)
	if err != nil {
		b.Fatal(err)
	}
	q.Limit = 50
	return q
}

// BenchmarkAssetPageWithProbeStatus: one page of 50 assets (with the
// count, default ordering, cycling through the first 20 pages) plus each
// asset's last probe time and recent flag.
func BenchmarkAssetPageWithProbeStatus(b *testing.B) {
	forEachDialect(b, func(b *testing.B, env *benchEnv) {
		ctx := context.Background()
		e := schema.Inventory.Entity(schema.AssetName)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			page, err := env.st.List(ctx, e, filter.Query{Limit: 50, Offset: (i % 20) * 50})
			if err != nil {
				b.Fatal(err)
			}
			ids := make([]int64, len(page.Records))
			for k, r := range page.Records {
				ids[k] = r.ID
			}
			if _, err := env.st.ProbeSummaries(ctx, ids); err != nil {
				b.Fatal(err)
			}
		}
		reportMillis(b)
	})
}

// searchTerms are typical q searches: a serial prefix, a part number, a
// project, a contract name (through order_contract), an inventory number
// (through the external inventory).
var searchTerms = []string{"FOC21", "QSFP-100G", "DC-REFRESH", "Order 2024", "INV-2023-0001"}

// BenchmarkAssetSearch: q over assets, limit 50, with the count.
func BenchmarkAssetSearch(b *testing.B) {
	forEachDialect(b, func(b *testing.B, env *benchEnv) {
		ctx := context.Background()
		e := schema.Inventory.Entity(schema.AssetName)
		queries := make([]filter.Query, len(searchTerms))
		for i, term := range searchTerms {
			queries[i] = parseAssetQuery(b, "q="+url.QueryEscape(term))
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := env.st.List(ctx, e, queries[i%len(queries)]); err != nil {
				b.Fatal(err)
			}
		}
		reportMillis(b)
	})
}

// BenchmarkAssetThreeFilters: three filters, limit 50, with the count.
func BenchmarkAssetThreeFilters(b *testing.B) {
	forEachDialect(b, func(b *testing.B, env *benchEnv) {
		ctx := context.Background()
		e := schema.Inventory.Entity(schema.AssetName)
		q := parseAssetQuery(b, "lifecycle_status=in_use&vendor=Cisco&warranty_status=valid")
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := env.st.List(ctx, e, q); err != nil {
				b.Fatal(err)
			}
		}
		reportMillis(b)
	})
}

// BenchmarkProbeBulkInsert: b.N Create calls of INVMON_BENCH_PROBE_BATCH
// (default 5000) probes each (~70 % with asset or RMA serials) on top of
// the demo data, from INVMON_BENCH_PROBE_WRITERS (default 2) concurrent
// writers, as a bulk loader would run them; building the batches is timed
// too. Reports probes/s. It runs last because it grows the probe table.
func BenchmarkProbeBulkInsert(b *testing.B) {
	forEachDialect(b, func(b *testing.B, env *benchEnv) {
		ctx := context.Background()
		e := schema.Inventory.Entity(schema.ProbeName)
		env.runs++
		batch := benchSize(b, "INVMON_BENCH_PROBE_BATCH", probeBatch)
		writers := max(1, benchSize(b, "INVMON_BENCH_PROBE_WRITERS", 2))
		plan := env.g.planProbes(fmt.Sprintf("bench-probes-%d", env.runs), b.N*batch)
		meta := store.Meta{UserName: "bench"}
		var next atomic.Int64
		var wg sync.WaitGroup
		b.ResetTimer()
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := int(next.Add(1) - 1); i < b.N; i = int(next.Add(1) - 1) {
					patches := plan.patches(plan.entries[i*batch : (i+1)*batch])
					if _, err := env.st.Create(ctx, e, patches, meta); err != nil {
						b.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "probes/s")
	})
}
