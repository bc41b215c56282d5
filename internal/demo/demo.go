// Package demo fills a store with realistic, reproducible demo and
// benchmark data: asset types, contractors, contract trees, invoices,
// assets, services, RMAs, external inventory and probes whose serials
// partly match the assets, spread over time so that some assets are
// recently probed and some are stale.
//
// Everything random comes from a PCG generator seeded with Options.Seed
// and every date is relative to Options.Now, so the same seed and the same
// Now produce the same data. All objects are written through
// store.Store.Create in batches, i.e. through the same validation and
// change-log path as the API.
package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

// Options control Generate.
type Options struct {
	Assets int // number of assets
	Probes int // number of probes
	Seed   int64
	// Now is the reference time of every generated date (zero: time.Now).
	// Probes lie in the ~180 days before Now; warranties around it.
	Now time.Time
	// Progress receives one line per entity and, for assets and probes,
	// a progress line at most every progressEvery. Nil: silent.
	Progress io.Writer
}

// Batch sizes of the Create calls.
const (
	assetBatch = 2000
	probeBatch = 5000
	otherBatch = 2000
)

// progressEvery is the minimum interval between two progress lines.
const progressEvery = 2 * time.Second

// probeWindow is how far back probes go.
const probeWindow = 180 * 24 * time.Hour

// EntityStat is what Generate wrote of one entity.
type EntityStat struct {
	Entity  string // schema entity name, or "tag"
	Label   string // plural for humans: "asset types"
	Count   int
	Elapsed time.Duration
}

// Summary reports what Generate wrote.
type Summary struct {
	Entities []EntityStat
	// ProbesMatched probes carry an asset serial or an RMA serial;
	// ProbesUnknown match no asset.
	ProbesMatched, ProbesUnknown int
	// DuplicateSerials is the number of assets that reuse another asset's serial.
	DuplicateSerials int
	Elapsed          time.Duration
}

// Count returns the number of objects written of an entity ("tag" for tags).
func (s Summary) Count(entity string) int {
	for _, e := range s.Entities {
		if e.Entity == entity {
			return e.Count
		}
	}
	return 0
}

// String renders the summary as a small table.
func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-20s %10s %10s %12s\n", "entity", "count", "elapsed", "rate")
	for _, e := range s.Entities {
		rate := ""
		if secs := e.Elapsed.Seconds(); secs > 0 && e.Count > 0 {
			rate = fmt.Sprintf("%.0f/s", float64(e.Count)/secs)
		}
		fmt.Fprintf(&b, "%-20s %10d %10s %12s\n", e.Label, e.Count, roundDuration(e.Elapsed), rate)
	}
	fmt.Fprintf(&b, "%-20s %10s %10s\n", "total", "", roundDuration(s.Elapsed))
	fmt.Fprintf(&b, "probes matching an asset or RMA serial: %d, matching nothing: %d; assets with a duplicate serial: %d\n",
		s.ProbesMatched, s.ProbesUnknown, s.DuplicateSerials)
	return b.String()
}

func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= time.Minute:
		return d.Round(time.Second)
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(100 * time.Microsecond)
}

// Generate writes the demo data set described by opts into st.
func Generate(ctx context.Context, st store.Store, opts Options) (Summary, error) {
	if opts.Assets < 0 || opts.Probes < 0 {
		return Summary{}, errors.New("demo: the numbers of assets and probes must not be negative")
	}
	g := newGen(ctx, st, opts)
	err := g.run()
	return g.sum, err
}

func newGen(ctx context.Context, st store.Store, opts Options) *gen {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	now := opts.Now.UTC().Truncate(time.Second)
	g := &gen{
		ctx:   ctx,
		st:    st,
		opts:  opts,
		now:   now,
		today: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC),
		out:   opts.Progress,
		meta:  store.Meta{UserName: "demo", Message: fmt.Sprintf("inventory-monitor demo (seed %d)", opts.Seed)},
	}
	if g.out == nil {
		g.out = io.Discard
	}
	return g
}

// run writes everything, entity by entity.
func (g *gen) run() error {
	start := time.Now()
	steps := []func() error{
		g.inspect, g.tags, g.assetTypes, g.contractors, g.contracts, g.invoices,
		g.assets, g.services, g.rmas, g.externalInventory, g.probes,
	}
	for _, step := range steps {
		if err := g.ctx.Err(); err != nil {
			return err
		}
		if err := step(); err != nil {
			return err
		}
	}
	g.analyze()
	g.sum.Elapsed = time.Since(start)
	return nil
}

// gen carries the state of one Generate run.
type gen struct {
	ctx   context.Context
	st    store.Store
	opts  Options
	now   time.Time
	today time.Time
	out   io.Writer
	meta  store.Meta
	sum   Summary

	// Existing data (Generate on a non-empty database, demo --force).
	runTag     string // prefix that keeps unique values unique across runs
	tenantBase int64

	topo          topology
	tagIDs        []int64
	typeIDs       []int64 // by index into assetTypes
	contractorIDs []int64
	contractList  []contractInfo
	assetList     []assetInfo
	serials       map[string]bool // every asset and RMA serial
}

type contractInfo struct {
	id       int64
	typ      string
	currency string
	start    time.Time // invoicing period, zero when unset
	end      time.Time
	year     int
}

type assetInfo struct {
	id       int64
	serial   string // current serial (after an RMA swap)
	part     int
	device   int // index into topo.devices, -1 when not on a device
	site     int // index into topo.sites, -1 when unknown
	deployed bool
	probed   bool
	rma      *rmaInfo
}

type rmaInfo struct {
	original, replacement string
	// replacedAgo is when the replacement went in, in days before today (-1: not yet).
	replacedAgo int
}

// rand returns the generator of one phase: each phase has its own stream
// so that its data does not depend on how much randomness others used.
func (g *gen) rand(phase string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(phase))
	return rand.New(rand.NewPCG(uint64(g.opts.Seed), h.Sum64()))
}

func (g *gen) entity(name string) *schema.Entity { return schema.Inventory.Entity(name) }

// create writes patches in batches and returns the new ids in input order.
func (g *gen) create(name string, patches []store.Patch, batch int, p *progress) ([]int64, error) {
	e := g.entity(name)
	ids := make([]int64, 0, len(patches))
	for start := 0; start < len(patches); start += batch {
		end := min(start+batch, len(patches))
		recs, err := g.st.Create(g.ctx, e, patches[start:end], g.meta)
		if err != nil {
			return ids, fmt.Errorf("demo: create %s: %w", strings.ToLower(e.Plural), err)
		}
		for _, r := range recs {
			ids = append(ids, r.ID)
		}
		if p != nil {
			p.update(len(ids))
		}
	}
	return ids, nil
}

func (g *gen) record(entity, label string, n int, elapsed time.Duration) {
	g.sum.Entities = append(g.sum.Entities, EntityStat{Entity: entity, Label: label, Count: n, Elapsed: elapsed})
	rate := ""
	if n > 0 && elapsed > 0 {
		rate = fmt.Sprintf(" (%.0f/s)", float64(n)/elapsed.Seconds())
	}
	fmt.Fprintf(g.out, "%s: %d in %s%s\n", label, n, roundDuration(elapsed), rate)
}

// progress prints "probes 400000/2000000 (20%) 41234/s" at most every
// progressEvery.
type progress struct {
	w     io.Writer
	label string
	total int
	start time.Time
	last  time.Time
}

func (g *gen) progress(label string, total int) *progress {
	now := time.Now()
	return &progress{w: g.out, label: label, total: total, start: now, last: now}
}

func (p *progress) update(done int) {
	now := time.Now()
	if now.Sub(p.last) < progressEvery || done >= p.total {
		return
	}
	p.last = now
	pct := 0
	if p.total > 0 {
		pct = done * 100 / p.total
	}
	fmt.Fprintf(p.w, "%s %d/%d (%d%%) %.0f/s\n", p.label, done, p.total, pct, float64(done)/now.Sub(p.start).Seconds())
}

// inspect looks at what the database already holds, so that a second run
// (demo --force) does not collide with unique values of the first.
func (g *gen) inspect() error {
	total := 0
	for _, e := range schema.Inventory.Entities {
		page, err := g.st.List(g.ctx, e, filter.Query{Limit: 1})
		if err != nil {
			return fmt.Errorf("demo: count %s: %w", strings.ToLower(e.Plural), err)
		}
		if page.Count != nil {
			total += *page.Count
		}
	}
	if total == 0 {
		return nil
	}
	g.runTag = fmt.Sprintf("X%d-", total)
	return g.eachRecord(schema.ContractorName, func(r *schema.Record) {
		if t, ok := r.Int("tenant"); ok && t > g.tenantBase {
			g.tenantBase = t
		}
	})
}

// eachRecord visits every stored object of an entity, in id order.
func (g *gen) eachRecord(name string, fn func(r *schema.Record)) error {
	e := g.entity(name)
	start := int64(0)
	for {
		page, err := g.st.List(g.ctx, e, filter.Query{Start: &start, Limit: 1000})
		if err != nil {
			return err
		}
		for _, r := range page.Records {
			fn(r)
			start = r.ID + 1
		}
		if len(page.Records) < 1000 {
			return nil
		}
	}
}

// analyze refreshes the planner statistics after the bulk load when the
// store exposes its database (sqlstore does); without them the first
// queries on a freshly loaded database can get poor plans.
func (g *gen) analyze() {
	s, ok := g.st.(interface{ DB() *sql.DB })
	if !ok {
		return
	}
	start := time.Now()
	if _, err := s.DB().ExecContext(g.ctx, "ANALYZE"); err != nil {
		fmt.Fprintf(g.out, "analyze: %v (ignored)\n", err)
		return
	}
	fmt.Fprintf(g.out, "analyze: %s\n", roundDuration(time.Since(start)))
}

// --- dates ---------------------------------------------------------------

func (g *gen) day(offset int) time.Time { return g.today.AddDate(0, 0, offset) }

// between returns a uniformly random int in [lo, hi].
func between(r *rand.Rand, lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.IntN(hi-lo+1)
}

func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// weighted picks an index with probability proportional to its weight.
func weighted(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}
