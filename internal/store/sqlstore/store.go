// Package sqlstore implements store.Store on SQLite and PostgreSQL with
// explicit SQL generated from the entity registry.
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sync"
	"sync/atomic"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/config"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
)

//go:embed migrations
var migrations embed.FS

// Options configure a Store.
type Options struct {
	Settings config.Settings
	// Now returns the current time; tests pin it.
	Now func() time.Time
	// NoMigrate skips running migrations on open.
	NoMigrate bool
}

// Store is the SQL implementation of store.Store.
type Store struct {
	db       *sql.DB
	writer   *sql.DB // write transactions: db on PostgreSQL, one connection on SQLite (see open)
	d        dialect
	reg      *schema.Registry
	settings config.Settings
	now      func() time.Time
	// fold is the collation that makes PostgreSQL fold non-ASCII case
	// ("" when the database default does, and on SQLite); see detectFold.
	fold string
	// stmts caches prepared read statements by SQL text (SQLite, whose
	// driver otherwise parses every query anew; pgx caches its own).
	stmts  sync.Map // string → *sql.Stmt
	nstmts atomic.Int32
}

// Open connects to dsn (postgres:// URL or SQLite path) and migrates the
// schema to the newest version.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	db, writer, d, err := open(dsn)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		writer.Close()
		return nil, fmt.Errorf("connect to %s database: %w", d, err)
	}
	s := &Store{db: db, writer: writer, d: d, reg: schema.Inventory, settings: opts.Settings, now: opts.Now}
	if s.now == nil {
		s.now = time.Now
	}
	if d == postgresDialect {
		s.fold = detectFold(ctx, db)
	}
	if !opts.NoMigrate {
		if _, err := s.Migrate(ctx); err != nil {
			s.Close()
			return nil, err
		}
		if err := s.Recount(ctx); err != nil {
			s.Close()
			return nil, fmt.Errorf("count rows: %w", err)
		}
	}
	return s, nil
}

// DB exposes the connection pool (benchmarks and tools).
func (s *Store) DB() *sql.DB { return s.db }

// Dialect names the database kind: "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.String() }

// Settings returns the plugin settings the store filters with.
func (s *Store) Settings() config.Settings { return s.settings }

// Close closes the prepared statements and the connection pool.
func (s *Store) Close() error {
	s.stmts.Range(func(_, v any) bool {
		v.(*sql.Stmt).Close()
		return true
	})
	if s.writer != s.db {
		s.writer.Close()
	}
	return s.db.Close()
}

// maxStmts bounds the statement cache; queries beyond it run unprepared.
const maxStmts = 512

// prepared returns the cached prepared statement for query (SQLite only),
// or nil when queries should run unprepared.
func (s *Store) prepared(ctx context.Context, query string) *sql.Stmt {
	if s.d != sqliteDialect {
		return nil
	}
	if st, ok := s.stmts.Load(query); ok {
		return st.(*sql.Stmt)
	}
	if s.nstmts.Load() >= maxStmts {
		return nil
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil // the unprepared query reports the error
	}
	if prev, loaded := s.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt)
	}
	s.nstmts.Add(1)
	return st
}

// query runs a read on db, through a cached prepared statement when db is
// the store's pool.
func (s *Store) query(ctx context.Context, db querier, query string, args ...any) (*sql.Rows, error) {
	if db, ok := db.(*sql.DB); ok && db == s.db {
		if st := s.prepared(ctx, query); st != nil {
			return st.QueryContext(ctx, args...)
		}
	}
	return db.QueryContext(ctx, query, args...)
}

// queryRow is query for a single row.
func (s *Store) queryRow(ctx context.Context, db querier, query string, args ...any) *sql.Row {
	if db, ok := db.(*sql.DB); ok && db == s.db {
		if st := s.prepared(ctx, query); st != nil {
			return st.QueryRowContext(ctx, args...)
		}
	}
	return db.QueryRowContext(ctx, query, args...)
}

// migrations is the goose provider of the dialect's migrations.
func (s *Store) migrations() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+s.d.String())
	if err != nil {
		return nil, err
	}
	gd := goose.DialectSQLite3
	if s.d == postgresDialect {
		gd = goose.DialectPostgres
	}
	p, err := goose.NewProvider(gd, s.db, sub, goose.WithTableName("inventory_monitor_schema_version"))
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// MigrationResult names an applied migration.
type MigrationResult struct {
	Version int64
	Source  string
}

// Migrate applies pending migrations of the store's dialect.
func (s *Store) Migrate(ctx context.Context) ([]MigrationResult, error) {
	p, err := s.migrations()
	if err != nil {
		return nil, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate %s database: %w", s.d, err)
	}
	out := make([]MigrationResult, 0, len(res))
	for _, r := range res {
		out = append(out, MigrationResult{Version: r.Source.Version, Source: r.Source.Path})
	}
	return out, nil
}

// SchemaVersion returns the newest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int64, error) {
	var v sql.NullInt64
	err := s.db.QueryRowContext(ctx, "SELECT MAX(version_id) FROM inventory_monitor_schema_version WHERE is_applied").Scan(&v)
	return v.Int64, err
}

func (s *Store) q(query string) string { return s.d.rebind(query) }

// querier is the part of *sql.DB and *sql.Tx that reads need.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// writeTx is a write transaction. On PostgreSQL it also holds its
// connection, so that bulk inserts can COPY on it (database/sql's Tx does
// not hand out the driver connection).
type writeTx struct {
	*sql.Tx
	conn *sql.Conn // PostgreSQL only
}

// withPGX runs fn with the PostgreSQL transaction's pgx connection. A
// panic in fn is raised again after database/sql has released the
// connection: inside Raw it would make database/sql close the connection,
// which waits for the open transaction, before any rollback could run.
func (tx *writeTx) withPGX(fn func(*pgx.Conn) error) error {
	var panicked any
	err := tx.conn.Raw(func(dc any) (err error) {
		defer func() {
			if p := recover(); p != nil {
				panicked, err = p, fmt.Errorf("panic: %v", p)
			}
		}()
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("unexpected PostgreSQL driver connection %T", dc)
		}
		return fn(c.Conn())
	})
	if panicked != nil {
		panic(panicked)
	}
	return err
}

// inTx runs fn in a write transaction and commits when it returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx *writeTx) error) error {
	tx, err := s.d.beginWrite(ctx, s.writer)
	if err != nil {
		return err
	}
	if tx.conn != nil {
		defer tx.conn.Close() // after the transaction has ended (below)
	}
	// Ends the transaction when fn panics (Close would wait for it);
	// after a commit it does nothing.
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}
