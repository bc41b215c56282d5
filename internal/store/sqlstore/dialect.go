package sqlstore

// Every difference between SQLite and PostgreSQL lives in this file.

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"math/big"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store/sqlitewal"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"
	"modernc.org/sqlite"
)

type dialect int

type driverValue = driver.Value

const (
	sqliteDialect dialect = iota
	postgresDialect
)

func (d dialect) String() string {
	if d == postgresDialect {
		return "postgres"
	}
	return "sqlite"
}

// SQLite stores timestamps as fixed-width UTC text so that text order is
// time order.
const sqliteTimeLayout = "2006-01-02T15:04:05.000000Z"

var registerOnce sync.Once

// registerSQLiteFunctions adds REGEXP and a Unicode-aware lower() to
// SQLite, which has neither built in (its LIKE folds ASCII only).
func registerSQLiteFunctions() {
	registerOnce.Do(func() {
		var cache sync.Map
		sqlite.MustRegisterDeterministicScalarFunction("regexp", 2, func(ctx *sqlite.FunctionContext, args []driverValue) (driverValue, error) {
			pat, _ := args[0].(string)
			s, ok := args[1].(string)
			if !ok {
				return int64(0), nil
			}
			re, ok := cache.Load(pat)
			if !ok {
				c, err := regexp.Compile(pat)
				if err != nil {
					return nil, fmt.Errorf("invalid regular expression: %v", err)
				}
				cache.Store(pat, c)
				re = c
			}
			if re.(*regexp.Regexp).MatchString(s) {
				return int64(1), nil
			}
			return int64(0), nil
		})
		sqlite.MustRegisterDeterministicScalarFunction("ulower", 1, func(ctx *sqlite.FunctionContext, args []driverValue) (driverValue, error) {
			s, ok := args[0].(string)
			if !ok {
				return args[0], nil
			}
			return strings.ToLower(s), nil
		})
	})
}

// open opens the database named by dsn: a postgres:// URL or an SQLite
// file path (optionally prefixed sqlite: or file:). On SQLite it also
// returns the pool that all writes go through: one connection, because
// SQLite has one writer at a time anyway, and one whose page cache stays
// warm. A connection discards its whole cache when it sees that another
// connection wrote, so writes spread over the read pool would re-read
// every index page they touch. On PostgreSQL writer is db.
func open(dsn string) (db, writer *sql.DB, d dialect, err error) {
	db, d, err = openPool(dsn, "")
	if err != nil || d == postgresDialect || strings.Contains(dsn, ":memory:") || strings.Contains(dsn, "mode=memory") {
		return db, db, d, err // (a second pool would open another in-memory database)
	}
	// A larger cache for the writer: bulk probe ingestion touches the
	// probe indexes all over (pages are allocated only as they are used).
	writer, _, err = openPool(dsn, "&_pragma=cache_size(-524288)")
	if err != nil {
		db.Close()
		return nil, nil, d, err
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	return db, writer, d, nil
}

// openPool opens one connection pool; extra adds SQLite DSN parameters
// after the defaults (a later _pragma wins).
func openPool(dsn, extra string) (*sql.DB, dialect, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		// JIT compilation costs far more than it saves on the short,
		// index-driven queries of this service (the planner's estimates for
		// OR-ed EXISTS searches trigger it); a DSN may still turn it on.
		if u, err := url.Parse(dsn); err == nil {
			q := u.Query()
			if q.Get("jit") == "" {
				q.Set("jit", "off")
				u.RawQuery = q.Encode()
				dsn = u.String()
			}
		}
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, 0, err
		}
		db.SetMaxOpenConns(32)
		db.SetMaxIdleConns(32)
		db.SetConnMaxIdleTime(5 * time.Minute)
		return db, postgresDialect, nil
	}
	registerSQLiteFunctions()
	if err := sqlitewal.Register(); err != nil {
		return nil, 0, err
	}
	path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "file:")
	if path == "" {
		return nil, 0, fmt.Errorf("empty database path")
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	// WAL lets readers run beside the writer; immediate transactions take
	// the write lock at BEGIN so a second writer waits (busy_timeout)
	// instead of failing with "database is locked" on upgrade.
	// Bulk probe ingestion dirties thousands of index pages per commit:
	// a larger WAL (checkpoint every ~400 MB, truncated back to 64 MB
	// afterwards) writes each page to the database once per checkpoint
	// instead of once per commit; temporary structures stay in memory.
	full := "file:" + path + sep + "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(30000)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-131072)&_pragma=wal_autocheckpoint(100000)&_pragma=journal_size_limit(67108864)&_pragma=temp_store(2)&_txlock=immediate&vfs=" + sqlitewal.Name + extra
	db, err := sql.Open("sqlite", full)
	if err != nil {
		return nil, 0, err
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	return db, sqliteDialect, nil
}

// rebind turns ? placeholders into $n for PostgreSQL.
func (d dialect) rebind(q string) string {
	if d != postgresDialect || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	inQuote := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c == '\'' {
			inQuote = !inQuote
		}
		if c == '?' && !inQuote {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// encode converts a record value of kind k to a driver argument.
func (d dialect) encode(k schema.Kind, v any) any {
	if v == nil {
		return nil
	}
	switch k {
	case schema.Decimal:
		dec := v.(inventory.Decimal)
		if d == postgresDialect {
			return dec.String()
		}
		return int64(dec)
	case schema.Date:
		t := v.(time.Time)
		if d == postgresDialect {
			return t
		}
		return t.Format("2006-01-02")
	case schema.DateTime:
		t := v.(time.Time).UTC()
		if d == postgresDialect {
			return t
		}
		return t.Format(sqliteTimeLayout)
	case schema.JSON:
		return string(v.(json.RawMessage))
	}
	return v
}

// encodeFilter converts a filter value to a driver argument.
func (d dialect) encodeFilter(t schema.FilterType, v any) any {
	switch t {
	case schema.FDecimal:
		return d.encode(schema.Decimal, v)
	case schema.FDate:
		return d.encode(schema.Date, v)
	case schema.FDateTime:
		return d.encode(schema.DateTime, v)
	}
	return v
}

// decode converts a scanned column (scanned into any) to a record value.
func (d dialect) decode(k schema.Kind, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch k {
	case schema.String, schema.Choice, schema.ContentType:
		switch s := v.(type) {
		case string:
			return s, nil
		case []byte:
			return string(s), nil
		}
	case schema.Int, schema.ForeignKey, schema.NetBoxRef:
		switch n := v.(type) {
		case int64:
			return n, nil
		case int32:
			return int64(n), nil
		}
	case schema.Decimal:
		switch n := v.(type) {
		case int64:
			return inventory.Decimal(n), nil
		case string:
			return inventory.ParseDecimal(n, 0)
		case []byte:
			return inventory.ParseDecimal(string(n), 0)
		case float64:
			return inventory.DecimalFromFloat(n, 0)
		}
	case schema.Date:
		switch t := v.(type) {
		case time.Time:
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
		case string:
			if day, ok := parseSQLiteTime(t); ok && len(t) == len("2006-01-02") {
				return day, nil
			}
			return time.Parse("2006-01-02", t)
		}
	case schema.DateTime:
		switch t := v.(type) {
		case time.Time:
			return t.UTC(), nil
		case string:
			if ts, ok := parseSQLiteTime(t); ok && len(t) == len(sqliteTimeLayout) {
				return ts, nil
			}
			return time.Parse(time.RFC3339Nano, t)
		}
	case schema.JSON:
		switch j := v.(type) {
		case string:
			return json.RawMessage(j), nil
		case []byte:
			return json.RawMessage(append([]byte(nil), j...)), nil
		}
	}
	return nil, fmt.Errorf("cannot decode %T as kind %d", v, k)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// escapeLike escapes LIKE wildcards; patterns use ESCAPE '\'.
func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// ciLike returns a case-insensitive LIKE predicate of expr against pattern.
func (d dialect) ciLike(expr, pattern string) (string, []any) {
	if d == postgresDialect {
		return expr + ` ILIKE ? ESCAPE '\'`, []any{pattern}
	}
	if isASCII(pattern) {
		return expr + ` LIKE ? ESCAPE '\'`, []any{pattern}
	}
	return "ulower(" + expr + `) LIKE ? ESCAPE '\'`, []any{lowerUnicode(pattern)}
}

// ciEqual returns a case-insensitive equality predicate.
func (d dialect) ciEqual(expr, value string) (string, []any) {
	if d == postgresDialect {
		return "UPPER(" + expr + ") = UPPER(?)", []any{value}
	}
	if isASCII(value) {
		return expr + " = ? COLLATE NOCASE", []any{value}
	}
	return "ulower(" + expr + ") = ?", []any{lowerUnicode(value)}
}

func lowerUnicode(s string) string { return strings.Map(unicode.ToLower, s) }

// unicodeCollation is a PostgreSQL collation (ICU, root locale) whose case
// mapping covers all of Unicode.
const unicodeCollation = `"und-x-icu"`

// detectFold decides how PostgreSQL folds case for non-ASCII text. A
// database created with the C locale (initdb --no-locale, many containers)
// folds ASCII only, so ILIKE 'žluť%' would miss 'Žluťoučký'; then the ICU
// root collation is used when the server has it. It returns the COLLATE
// target, or "" when the database default already folds Unicode (or no
// better collation exists).
func detectFold(ctx context.Context, db *sql.DB) string {
	var ok bool
	if err := db.QueryRowContext(ctx, "SELECT lower('ŽÁ') = 'žá'").Scan(&ok); err == nil && ok {
		return ""
	}
	if err := db.QueryRowContext(ctx, "SELECT lower('ŽÁ' COLLATE "+unicodeCollation+") = 'žá'").Scan(&ok); err == nil && ok {
		return unicodeCollation
	}
	return ""
}

// folded returns expr under the Unicode-folding collation when the pattern
// needs it (PostgreSQL only; ASCII patterns keep the default collation).
func (s *Store) folded(expr, pattern string) (string, bool) {
	if s.d != postgresDialect || s.fold == "" || isASCII(pattern) {
		return expr, false
	}
	return "(" + expr + " COLLATE " + s.fold + ")", true
}

// ciLike is dialect.ciLike with Unicode case folding on PostgreSQL.
func (s *Store) ciLike(expr, pattern string) (string, []any) {
	expr, _ = s.folded(expr, pattern)
	return s.d.ciLike(expr, pattern)
}

// ciEqual is dialect.ciEqual with Unicode case folding on PostgreSQL.
func (s *Store) ciEqual(expr, value string) (string, []any) {
	if fexpr, ok := s.folded(expr, value); ok {
		return "UPPER(" + fexpr + ") = UPPER(CAST(? AS text) COLLATE " + s.fold + ")", []any{value}
	}
	return s.d.ciEqual(expr, value)
}

// regex is dialect.regex with Unicode case folding on PostgreSQL.
func (s *Store) regex(expr, pattern string, insensitive bool) (string, []any) {
	if insensitive {
		expr, _ = s.folded(expr, pattern)
	}
	return s.d.regex(expr, pattern, insensitive)
}

// regex returns a regular-expression match predicate.
func (d dialect) regex(expr, pattern string, insensitive bool) (string, []any) {
	if d == postgresDialect {
		op := " ~ ?"
		if insensitive {
			op = " ~* ?"
		}
		return expr + op, []any{pattern}
	}
	if insensitive {
		pattern = "(?i)" + pattern
	}
	return expr + " REGEXP ?", []any{pattern}
}

// nullSafeEqual compares two expressions treating NULLs as equal.
func (d dialect) nullSafeEqual(a, b string) string {
	if d == postgresDialect {
		return a + " IS NOT DISTINCT FROM " + b
	}
	return a + " IS " + b
}

// unindexed is column col in a condition that must not pick an index by
// itself. SQLite breaks an OR of conditions on different columns into one
// index search per branch (a date-status band: one of them finds every
// row with an empty end date, then reads each to check the other
// filters) instead of the range of the query's other, selective filters;
// its unary + keeps the value and hides the column from the planner.
// PostgreSQL weighs the branches with its statistics, and has no unary +
// for dates.
func (d dialect) unindexed(col string) string {
	if d == postgresDialect {
		return col
	}
	return "+" + col
}

// allocateIDs reserves n consecutive-or-not primary keys for table inside
// the write transaction, so bulk inserts can be multi-row statements and
// still know every new id.
func (d dialect) allocateIDs(ctx context.Context, tx *writeTx, table string, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if d == postgresDialect {
		rows, err := tx.QueryContext(ctx, "SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)", table, n)
		if err != nil {
			return nil, err
		}
		return scanIDs(rows)
	}
	// SQLite: the immediate transaction holds the write lock, so the
	// sequence cannot move under us; inserting explicit ids advances it.
	var seq sql.NullInt64
	if err := tx.QueryRowContext(ctx, "SELECT seq FROM sqlite_sequence WHERE name = ?", table).Scan(&seq); err != nil && err != sql.ErrNoRows {
		return nil, err
	}
	var maxID sql.NullInt64
	if err := tx.QueryRowContext(ctx, "SELECT MAX(id) FROM "+table).Scan(&maxID); err != nil {
		return nil, err
	}
	next := max(seq.Int64, maxID.Int64) + 1
	for i := 0; i < n; i++ {
		ids = append(ids, next+int64(i))
	}
	return ids, nil
}

// isUniqueViolation reports a unique-constraint failure from either driver.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// isForeignKeyViolation reports a foreign-key failure from either driver.
func isForeignKeyViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "FOREIGN KEY constraint failed") || strings.Contains(s, "SQLSTATE 23503")
}

// beginWrite starts a write transaction. SQLite's DSN makes every BEGIN
// immediate. On PostgreSQL the transaction runs on a connection of its own
// that the caller closes after the commit or rollback.
func (d dialect) beginWrite(ctx context.Context, db *sql.DB) (*writeTx, error) {
	if d != postgresDialect {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return nil, err
		}
		return &writeTx{Tx: tx}, nil
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	return &writeTx{Tx: tx, conn: conn}, nil
}

// param is the placeholder for a filter value. PostgreSQL infers a
// parameter's type from the column, so an int8 value compared with an
// int4 column (quantity) would fail to encode; the cast makes any int64
// comparable, out-of-range values simply match nothing.
func (d dialect) param(t schema.FilterType) string {
	if d == postgresDialect && (t == schema.FNumber || t == schema.FID) {
		return "CAST(? AS BIGINT)"
	}
	return "?"
}

// insertRows inserts n rows; value(i, c) is row i's record value (as
// schema.Record holds it, nil for NULL) for column c, of kind kinds[c].
// SQLite runs one prepared single-row statement per row. PostgreSQL takes
// a batch by COPY on the transaction's connection, in binary, built
// straight from the values without boxing each one into a driver
// argument: COPY inserts the heap tuples in batches, a third faster than
// an INSERT of the same rows.
func (d dialect) insertRows(ctx context.Context, tx *writeTx, table string, cols []string, kinds []schema.Kind, n int, value func(i, c int) any) error {
	if n == 0 {
		return nil
	}
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") "
	row := func(i int) []any {
		args := make([]any, len(cols))
		for c, k := range kinds {
			args[c] = d.encode(k, value(i, c))
		}
		return args
	}
	values := head + "VALUES (" + placeholders(len(cols)) + ")"
	if n == 1 {
		_, err := tx.ExecContext(ctx, d.rebind(values), row(0)...)
		return err
	}
	if d == postgresDialect {
		columns := make([]pgColumn, len(cols))
		for c, k := range kinds {
			columns[c] = newPGColumn(k, n)
		}
		// Row by row: a record's values are read while they are in the
		// CPU cache (column by column, every record would be fetched from
		// memory once per column).
		for i := 0; i < n; i++ {
			for c := range columns {
				columns[c].set(i, value(i, c))
			}
		}
		return tx.withPGX(func(c *pgx.Conn) error {
			_, err := c.CopyFrom(ctx, pgx.Identifier{table}, cols, &pgColumnSource{columns: columns, n: n, i: -1})
			return err
		})
	}
	// A multi-row INSERT would need a statement journal (a copy of every
	// page it touches, so that the statement alone can roll back), which
	// costs more than it saves on parsing; a single-row INSERT needs none.
	stmt, err := tx.PrepareContext(ctx, values)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i := 0; i < n; i++ {
		if _, err := stmt.ExecContext(ctx, row(i)...); err != nil {
			return err
		}
	}
	return nil
}

// pgColumn collects one column of record values as values pgx encodes in
// binary without converting them again (numeric, date and JSON values
// given as text would be parsed back by pgx for each value).
type pgColumn struct {
	kind  schema.Kind
	ints  []pgtype.Int8
	times []pgtype.Timestamptz
	dates []pgtype.Date
	nums  []pgtype.Numeric
	jsons [][]byte // nil is NULL
	texts []pgtype.Text
}

func newPGColumn(k schema.Kind, n int) pgColumn {
	c := pgColumn{kind: k}
	switch k {
	case schema.Int, schema.ForeignKey, schema.NetBoxRef:
		c.ints = make([]pgtype.Int8, n)
	case schema.DateTime:
		c.times = make([]pgtype.Timestamptz, n)
	case schema.Date:
		c.dates = make([]pgtype.Date, n)
	case schema.Decimal:
		c.nums = make([]pgtype.Numeric, n)
	case schema.JSON:
		c.jsons = make([][]byte, n)
	default:
		c.texts = make([]pgtype.Text, n)
	}
	return c
}

// set stores row i's value (as schema.Record holds it; nil is NULL). A
// value of another Go type is a bug and panics, as encode does.
func (c *pgColumn) set(i int, v any) {
	if v == nil {
		return // the zero value is NULL
	}
	switch c.kind {
	case schema.Int, schema.ForeignKey, schema.NetBoxRef:
		c.ints[i] = pgtype.Int8{Int64: v.(int64), Valid: true}
	case schema.DateTime:
		c.times[i] = pgtype.Timestamptz{Time: v.(time.Time), Valid: true}
	case schema.Date: // its calendar day, whatever the session time zone
		c.dates[i] = pgtype.Date{Time: v.(time.Time), Valid: true}
	case schema.Decimal:
		c.nums[i] = pgtype.Numeric{Int: big.NewInt(int64(v.(inventory.Decimal))), Exp: -inventory.DecimalPlaces, Valid: true}
	case schema.JSON:
		c.jsons[i] = v.(json.RawMessage)
	default:
		c.texts[i] = pgtype.Text{String: v.(string), Valid: true}
	}
}

// value returns row i's value for pgx to encode: a pointer into the column,
// which boxes without copying.
func (c *pgColumn) value(i int) any {
	switch c.kind {
	case schema.Int, schema.ForeignKey, schema.NetBoxRef:
		return &c.ints[i]
	case schema.DateTime:
		return &c.times[i]
	case schema.Date:
		return &c.dates[i]
	case schema.Decimal:
		return &c.nums[i]
	case schema.JSON:
		return &c.jsons[i]
	}
	return &c.texts[i]
}

// pgColumnSource hands collected columns to COPY row by row.
type pgColumnSource struct {
	columns []pgColumn
	n, i    int
	row     []any
}

func (s *pgColumnSource) Next() bool {
	s.i++
	return s.i < s.n
}

func (s *pgColumnSource) Values() ([]any, error) {
	if s.row == nil {
		s.row = make([]any, len(s.columns))
	}
	for c := range s.columns {
		s.row[c] = s.columns[c].value(s.i)
	}
	return s.row, nil
}

func (s *pgColumnSource) Err() error { return nil }

// parseSQLiteTime reads the fixed-width text SQLite columns hold,
// "2006-01-02" or sqliteTimeLayout, without time.Parse's general
// machinery (lists read thousands of them). Anything else: ok is false.
func parseSQLiteTime(s string) (t time.Time, ok bool) {
	num := func(from, to int) int {
		n := 0
		for i := from; i < to; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				ok = false
				return 0
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	switch {
	case len(s) == len("2006-01-02") && s[4] == '-' && s[7] == '-':
		ok = true
		y, m, d := num(0, 4), num(5, 7), num(8, 10)
		if !ok || m < 1 || m > 12 || d < 1 || d > 31 {
			return time.Time{}, false
		}
		t = time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		return t, t.Day() == d
	case len(s) == len(sqliteTimeLayout) && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':' && s[19] == '.' && s[26] == 'Z':
		ok = true
		y, m, d := num(0, 4), num(5, 7), num(8, 10)
		hh, mm, ss, us := num(11, 13), num(14, 16), num(17, 19), num(20, 26)
		if !ok || m < 1 || m > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 59 {
			return time.Time{}, false
		}
		t = time.Date(y, time.Month(m), d, hh, mm, ss, us*1000, time.UTC)
		return t, t.Day() == d
	}
	return time.Time{}, false
}
