// Command inventory-monitor is the asset-inventory service: API, UI and
// tools in one binary.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/alecthomas/kong"
	"github.com/inventory-monitor/inventory-monitor/internal/config"
	"github.com/inventory-monitor/inventory-monitor/internal/store/sqlstore"
	"github.com/inventory-monitor/inventory-monitor/internal/version"
)

// Globals are the options every subcommand shares; each can also come from
// an INVMON_* environment variable or the config file (flags win, then the
// environment, then the file).
type Globals struct {
	Config    string `help:"YAML config file (plugin settings and server options)." env:"INVMON_CONFIG" type:"path" placeholder:"FILE"`
	Database  string `help:"SQLite file path or postgres:// URL (default inventory-monitor.db)." env:"INVMON_DATABASE" placeholder:"DSN"`
	SecretKey string `help:"Server pepper for token digests (default: generated and stored in the database)." env:"INVMON_SECRET_KEY" placeholder:"KEY"`

	file config.File
}

// CLI is the command tree.
type CLI struct {
	Globals
	Serve   ServeCmd   `cmd:"" help:"Run the REST API and its docs (no web UI yet)."`
	Migrate MigrateCmd `cmd:"" help:"Apply database migrations and exit."`
	Demo    DemoCmd    `cmd:"" help:"Fill the database with reproducible demo data."`
	User    UserCmd    `cmd:"" help:"Manage users."`
	Token   TokenCmd   `cmd:"" help:"Manage API tokens."`
	Tag     TagCmd     `cmd:"" help:"Manage tags."`
	Version VersionCmd `cmd:"" help:"Print the version."`
}

// load reads the config file (if any) and fills unset globals from it.
func (g *Globals) load() error {
	if g.Config != "" {
		f, err := config.Load(g.Config)
		if err != nil {
			return err
		}
		g.file = f
	} else {
		g.file = config.File{Settings: config.DefaultSettings()}
	}
	if g.Database == "" {
		g.Database = g.file.Database
	}
	if g.Database == "" {
		g.Database = "inventory-monitor.db"
	}
	if g.SecretKey == "" {
		g.SecretKey = g.file.SecretKey
	}
	return nil
}

// openStore opens (and migrates) the configured database.
func (g *Globals) openStore(ctx context.Context) (*sqlstore.Store, error) {
	return sqlstore.Open(ctx, g.Database, sqlstore.Options{Settings: g.file.Settings})
}

// MigrateCmd applies migrations.
type MigrateCmd struct{}

func (c *MigrateCmd) Run(g *Globals, ctx context.Context) error {
	s, err := sqlstore.Open(ctx, g.Database, sqlstore.Options{Settings: g.file.Settings, NoMigrate: true})
	if err != nil {
		return err
	}
	defer s.Close()
	applied, err := s.Migrate(ctx)
	if err != nil {
		return err
	}
	for _, m := range applied {
		fmt.Printf("applied %s\n", m.Source)
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("%s database %s is at schema version %d\n", s.Dialect(), redact(g.Database), v)
	return nil
}

// VersionCmd prints the version.
type VersionCmd struct{}

func (c *VersionCmd) Run() error {
	fmt.Println("inventory-monitor", version.Version)
	return nil
}

func main() {
	var cli CLI
	parser := kong.Must(&cli,
		kong.Name("inventory-monitor"),
		kong.Description("Asset inventory for NetBox operators: assets, probes, contracts, RMAs."),
		kong.UsageOnError(),
	)
	kctx, err := parser.Parse(os.Args[1:])
	if err != nil {
		// A usage error: the conventional exit status 2, as for a bad
		// configuration file.
		parser.Errorf("%s", err)
		if pe, ok := err.(*kong.ParseError); ok {
			_ = pe.Context.PrintUsage(true)
		}
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := cli.Globals.load(); err != nil {
		fmt.Fprintln(os.Stderr, "inventory-monitor:", err)
		os.Exit(2)
	}
	kctx.BindTo(ctx, (*context.Context)(nil))
	err = kctx.Run(&cli.Globals)
	switch {
	case err == nil: // serve returns nil when stopped by a signal
	case errors.Is(err, context.Canceled):
		// Another command cut short by Ctrl-C or SIGTERM: not a success.
		fmt.Fprintln(os.Stderr, "inventory-monitor: interrupted:", err)
		os.Exit(130)
	default:
		fmt.Fprintln(os.Stderr, "inventory-monitor:", err)
		os.Exit(1)
	}
}
