package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/demo"
	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
)

// DemoCmd fills the database with reproducible demo data.
type DemoCmd struct {
	Assets int    `help:"Number of assets." default:"1000"`
	Probes int    `help:"Number of probes." default:"20000"`
	Seed   int64  `help:"Random seed: the same seed and --now give the same data." default:"1"`
	Now    string `help:"Reference time of all generated dates (RFC 3339 or YYYY-MM-DD; default: now)." placeholder:"TIME"`
	Force  bool   `help:"Add demo data even if the database already holds assets."`
}

func (c *DemoCmd) Run(g *Globals, ctx context.Context) error {
	if c.Assets < 0 || c.Probes < 0 {
		return fmt.Errorf("demo: --assets and --probes must not be negative")
	}
	now := time.Now()
	if c.Now != "" {
		t, err := parseDemoTime(c.Now)
		if err != nil {
			return err
		}
		now = t
	}
	st, err := g.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	page, err := st.List(ctx, schema.Inventory.Entity(schema.AssetName), filter.Query{Limit: 1})
	if err != nil {
		return err
	}
	if n := *page.Count; n > 0 && !c.Force {
		return fmt.Errorf("the %s database %s already holds %d assets; demo data is meant for an empty database.\n"+
			"Use another --database, or run again with --force to add the demo data to it anyway", st.Dialect(), redact(g.Database), n)
	}
	fmt.Printf("Generating demo data into %s database %s: %d assets, %d probes, seed %d, now %s\n",
		st.Dialect(), redact(g.Database), c.Assets, c.Probes, c.Seed, now.UTC().Format(time.RFC3339))
	sum, err := demo.Generate(ctx, st, demo.Options{
		Assets:   c.Assets,
		Probes:   c.Probes,
		Seed:     c.Seed,
		Now:      now,
		Progress: os.Stderr,
	})
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("demo interrupted: the database holds the part written so far; "+
			"delete it (or use another --database) before generating again: %w", err)
	}
	if err != nil {
		return err
	}
	fmt.Print("\n", sum.String())
	return nil
}

func parseDemoTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("demo: --now %q: expected RFC 3339 (2026-05-01T12:00:00Z) or a date (2026-05-01)", s)
}
