package sqlstore

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
)

// rowSource is what the page scanners read: *sql.Rows, or pgRows.
type rowSource interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close() error
}

// readRows runs a read query and hands its rows to fn. On PostgreSQL the
// rows come straight from pgx (pgRows): list pages are thousands of
// values, and database/sql's per-value conversions cost more than
// reading them. fn must not use the store (its connection is held).
func (s *Store) readRows(ctx context.Context, query string, args []any, fn func(rowSource) error) error {
	if s.d != postgresDialect {
		rows, err := s.query(ctx, s.db, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		return fn(rows)
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("unexpected PostgreSQL driver connection %T", dc)
		}
		pc := c.Conn()
		if mode := pc.Config().DefaultQueryExecMode; mode == pgx.QueryExecModeExec || mode == pgx.QueryExecModeSimpleProtocol {
			// These modes (chosen in the DSN, e.g. behind PgBouncer) take
			// every column as text, which pgRows does not parse: the
			// driver's scanning reads it.
			return errTextResults
		}
		rows, err := pc.Query(ctx, query, append([]any{resultFormats}, args...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		return fn(&pgRows{rows: rows, fields: rows.FieldDescriptions()})
	})
	if !errors.Is(err, errTextResults) {
		return err
	}
	rows, err := conn.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	return fn(rows)
}

// errTextResults: the connection's query mode returns text columns only.
var errTextResults = errors.New("text results")

// resultFormats asks for integers, booleans, floats, dates and timestamps
// in binary form and for everything else (text, JSON, numeric: what
// decode reads for decimals) in text form.
var resultFormats = pgx.QueryResultFormatsByOID{
	pgtype.Int8OID: pgx.BinaryFormatCode, pgtype.Int4OID: pgx.BinaryFormatCode, pgtype.Int2OID: pgx.BinaryFormatCode,
	pgtype.BoolOID: pgx.BinaryFormatCode, pgtype.Float8OID: pgx.BinaryFormatCode,
	pgtype.TimestamptzOID: pgx.BinaryFormatCode, pgtype.TimestampOID: pgx.BinaryFormatCode, pgtype.DateOID: pgx.BinaryFormatCode,
}

// pgRows scans pgx rows into *any destinations with the Go values the
// database/sql driver would give: int64, float64, bool, string (text,
// JSON, numeric), time.Time (UTC) or nil.
type pgRows struct {
	rows   pgx.Rows
	fields []pgconn.FieldDescription
}

func (r *pgRows) Next() bool   { return r.rows.Next() }
func (r *pgRows) Err() error   { return r.rows.Err() }
func (r *pgRows) Close() error { r.rows.Close(); return nil }

func (r *pgRows) Scan(dest ...any) error {
	raw := r.rows.RawValues()
	if len(dest) != len(raw) {
		return fmt.Errorf("scan: %d destinations for %d columns", len(dest), len(raw))
	}
	for i, b := range raw {
		p, ok := dest[i].(*any)
		if !ok {
			return fmt.Errorf("scan: destination %d is %T, want *any", i, dest[i])
		}
		v, err := pgValue(b, &r.fields[i])
		if err != nil {
			return fmt.Errorf("column %s: %w", r.fields[i].Name, err)
		}
		*p = v
	}
	return nil
}

// pgEpoch is the origin of PostgreSQL's binary dates and timestamps.
var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

func pgValue(b []byte, f *pgconn.FieldDescription) (any, error) {
	if b == nil {
		return nil, nil
	}
	binaryFormat := f.Format == pgx.BinaryFormatCode
	switch f.DataTypeOID {
	case pgtype.Int8OID, pgtype.Int4OID, pgtype.Int2OID:
		if !binaryFormat {
			return strconv.ParseInt(string(b), 10, 64)
		}
		switch len(b) {
		case 8:
			return int64(binary.BigEndian.Uint64(b)), nil
		case 4:
			return int64(int32(binary.BigEndian.Uint32(b))), nil
		case 2:
			return int64(int16(binary.BigEndian.Uint16(b))), nil
		}
	case pgtype.BoolOID:
		if !binaryFormat {
			return string(b) == "t", nil
		}
		if len(b) == 1 {
			return b[0] == 1, nil
		}
	case pgtype.Float8OID:
		if !binaryFormat {
			return strconv.ParseFloat(string(b), 64)
		}
		if len(b) == 8 {
			return math.Float64frombits(binary.BigEndian.Uint64(b)), nil
		}
	case pgtype.TimestamptzOID, pgtype.TimestampOID:
		if binaryFormat && len(b) == 8 {
			us := int64(binary.BigEndian.Uint64(b))
			if us == math.MaxInt64 || us == math.MinInt64 {
				return nil, fmt.Errorf("infinite timestamp")
			}
			return time.Unix(pgEpoch.Unix()+us/1e6, us%1e6*1e3).UTC(), nil
		}
	case pgtype.DateOID:
		if binaryFormat && len(b) == 4 {
			days := int32(binary.BigEndian.Uint32(b))
			if days == math.MaxInt32 || days == math.MinInt32 {
				return nil, fmt.Errorf("infinite date")
			}
			return pgEpoch.AddDate(0, 0, int(days)), nil
		}
	case pgtype.JSONBOID:
		if binaryFormat {
			if len(b) == 0 || b[0] != 1 {
				return nil, fmt.Errorf("unknown jsonb format")
			}
			return string(b[1:]), nil
		}
		return string(b), nil
	case pgtype.TextOID, pgtype.VarcharOID, pgtype.BPCharOID, pgtype.NameOID, pgtype.JSONOID, pgtype.NumericOID, pgtype.UnknownOID:
		if f.DataTypeOID == pgtype.NumericOID && binaryFormat {
			break
		}
		return string(b), nil
	}
	return nil, fmt.Errorf("unsupported type %d in format %d", f.DataTypeOID, f.Format)
}

var _ rowSource = (*sql.Rows)(nil)
