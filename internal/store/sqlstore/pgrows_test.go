package sqlstore

import (
	"context"
	"encoding/binary"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/pgtest"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

func be64(v int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(v)) }
func be32(v int32) []byte { return binary.BigEndian.AppendUint32(nil, uint32(v)) }

// TestPostgresRawValuesDecodeAsTheDriverWould: binary integers, dates and
// timestamps (before and after PostgreSQL's 2000 epoch, encoded by pgx's
// codecs) and text forms.
func TestPostgresRawValuesDecodeAsTheDriverWould(t *testing.T) {
	bin, text := int16(1), int16(0)
	// Dates and timestamps are encoded by pgx's own codecs.
	m := pgtype.NewMap()
	encode := func(oid uint32, v time.Time) []byte {
		b, err := m.Encode(oid, pgtype.BinaryFormatCode, v, nil)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	us := func(ts time.Time) []byte { return encode(pgtype.TimestamptzOID, ts) }
	day := func(y int, mo time.Month, d int) []byte {
		return encode(pgtype.DateOID, time.Date(y, mo, d, 0, 0, 0, 0, time.UTC))
	}
	tests := []struct {
		name   string
		oid    uint32
		format int16
		raw    []byte
		want   any
	}{
		{"null", pgtype.TextOID, text, nil, nil},
		{"int8", pgtype.Int8OID, bin, be64(-9000000000), int64(-9000000000)},
		{"int4", pgtype.Int4OID, bin, be32(-7), int64(-7)},
		{"int2", pgtype.Int2OID, bin, []byte{0xff, 0xfe}, int64(-2)},
		{"int8 text", pgtype.Int8OID, text, []byte("42"), int64(42)},
		{"bool", pgtype.BoolOID, bin, []byte{1}, true},
		{"float8", pgtype.Float8OID, bin, be64(int64(math.Float64bits(2.5))), 2.5},
		{"timestamptz", pgtype.TimestamptzOID, bin, us(time.Date(2026, 11, 26, 3, 4, 5, 123456000, time.UTC)), time.Date(2026, 11, 26, 3, 4, 5, 123456000, time.UTC)},
		{"timestamptz before 2000", pgtype.TimestamptzOID, bin, us(time.Date(1999, 12, 31, 23, 59, 59, 500000000, time.UTC)), time.Date(1999, 12, 31, 23, 59, 59, 500000000, time.UTC)},
		{"date", pgtype.DateOID, bin, day(2026, 11, 26), time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)},
		{"date before 2000", pgtype.DateOID, bin, day(1999, 12, 31), time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC)},
		{"timestamp", pgtype.TimestampOID, bin, encode(pgtype.TimestampOID, time.Date(2026, 2, 3, 4, 5, 6, 7000, time.UTC)), time.Date(2026, 2, 3, 4, 5, 6, 7000, time.UTC)},
		{"numeric text", pgtype.NumericOID, text, []byte("12.50"), "12.50"},
		{"json", pgtype.JSONOID, text, []byte(`{"a":1}`), `{"a":1}`},
		{"jsonb binary", pgtype.JSONBOID, bin, append([]byte{1}, `{"a":1}`...), `{"a":1}`},
		{"varchar", pgtype.VarcharOID, text, []byte("Ž"), "Ž"},
	}
	for _, tc := range tests {
		got, err := pgValue(tc.raw, &pgconn.FieldDescription{DataTypeOID: tc.oid, Format: tc.format})
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, d)
		}
	}
	for _, bad := range []struct {
		name   string
		oid    uint32
		format int16
		raw    []byte
	}{
		{"infinite timestamp", pgtype.TimestamptzOID, bin, be64(math.MaxInt64)},
		{"infinite date", pgtype.DateOID, bin, be32(math.MinInt32)},
		{"binary numeric", pgtype.NumericOID, bin, []byte{0, 0}},
		{"text timestamp", pgtype.TimestamptzOID, text, []byte("2026-11-26 03:04:05+00")},
		{"unknown type", pgtype.PointOID, bin, []byte{0}},
	} {
		if v, err := pgValue(bad.raw, &pgconn.FieldDescription{DataTypeOID: bad.oid, Format: bad.format}); err == nil {
			t.Errorf("%s: got %v, want an error", bad.name, v)
		}
	}
}

// TestPostgresListsInTextOnlyQueryModes: with a DSN that makes pgx use the
// simple protocol or plain exec (as behind PgBouncer), where every column
// comes as text, list pages read through the driver and equal Get's.
func TestPostgresListsInTextOnlyQueryModes(t *testing.T) {
	for _, mode := range []string{"simple_protocol", "exec"} {
		t.Run(mode, func(t *testing.T) {
			ctx := context.Background()
			dsn := pgtest.NewDatabase(t, "")
			sep := "?"
			if strings.Contains(dsn, "?") {
				sep = "&"
			}
			st, err := Open(ctx, dsn+sep+"default_query_exec_mode="+mode, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			assets := st.reg.Entity(schema.AssetName)
			recs, err := st.Create(ctx, assets, []store.Patch{{"serial": "SN-1", "price": inventory.Decimal(1250), "currency": "EUR",
				"warranty_start": time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), "warranty_end": time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}}, store.Meta{})
			if err != nil {
				t.Fatal(err)
			}
			page, err := st.List(ctx, assets, filter.Query{Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Records) != 1 {
				t.Fatalf("listed %d assets", len(page.Records))
			}
			want, err := st.Get(ctx, assets, recs[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want.Values, page.Records[0].Values); d != "" {
				t.Errorf("listed asset differs from Get's (-get +list):\n%s", d)
			}
		})
	}
}
