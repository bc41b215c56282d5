package sqlstore_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inventory-monitor/inventory-monitor/internal/auth"
	"github.com/inventory-monitor/inventory-monitor/internal/auth/authtest"
	"github.com/inventory-monitor/inventory-monitor/internal/pgtest"
	"github.com/inventory-monitor/inventory-monitor/internal/store/sqlstore"
)

// authDialects yields a DSN for a fresh database of each dialect.
var authDialects = []struct {
	name string
	dsn  func(t *testing.T) string
}{
	{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "auth.db") }},
	{"postgres", func(t *testing.T) string { return pgtest.NewDatabase(t, "") }},
}

func authOpen(t *testing.T, dsn string) *sqlstore.Store {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestAuthRepository runs the auth conformance suite on both databases.
func TestAuthRepository(t *testing.T) {
	for _, d := range authDialects {
		t.Run(d.name, func(t *testing.T) {
			authtest.Run(t, authOpen(t, d.dsn(t)))
		})
	}
}

// TestAuthTokenDigestsOnly checks that neither tokens nor passwords reach
// the database in clear, that the digests are HMAC-SHA256 with the stored
// pepper, and that tokens survive a restart.
func TestAuthTokenDigestsOnly(t *testing.T) {
	ctx := context.Background()
	for _, d := range authDialects {
		t.Run(d.name, func(t *testing.T) {
			dsn := d.dsn(t)
			st := authOpen(t, dsn)
			pepper, _, err := auth.EnsurePepper(ctx, st, "")
			if err != nil {
				t.Fatal(err)
			}
			var stored string
			if err := st.DB().QueryRowContext(ctx, "SELECT value FROM inventory_monitor_setting WHERE name = 'token_pepper'").Scan(&stored); err != nil {
				t.Fatal(err)
			}
			if stored != string(pepper) || len(stored) != 64 {
				t.Fatalf("stored pepper %q, service pepper %q", stored, pepper)
			}
			svc := auth.NewService(st, pepper)
			const password = "plain password 123"
			if _, err := svc.CreateUser(ctx, "digest", password, false); err != nil {
				t.Fatal(err)
			}
			v1, t1, err := svc.CreateToken(ctx, "digest", auth.TokenOptions{Version: 1, WriteEnabled: true})
			if err != nil {
				t.Fatal(err)
			}
			v2, t2, err := svc.CreateToken(ctx, "digest", auth.TokenOptions{Version: 2, AllowedIPs: []string{"192.0.2.0/24"}})
			if err != nil {
				t.Fatal(err)
			}
			key, secret, _ := strings.Cut(strings.TrimPrefix(v2, auth.TokenPrefix), ".")

			for _, table := range []string{"inventory_monitor_user", "inventory_monitor_token", "inventory_monitor_setting"} {
				for _, row := range authDump(t, st, table) {
					for _, leak := range []string{password, v1, v1[8:], v2, secret} {
						if strings.Contains(row, leak) {
							t.Errorf("%s row %q contains the secret %q", table, row, leak)
						}
					}
				}
			}

			mac := func(msg string) string {
				m := hmac.New(sha256.New, []byte(stored))
				m.Write([]byte(msg))
				return hex.EncodeToString(m.Sum(nil))
			}
			want := map[int64][3]string{t1.ID: {"1", v1[:8], mac(v1)}, t2.ID: {"2", key, mac(secret)}}
			rows, err := st.DB().QueryContext(ctx, "SELECT id, version, token_key, digest FROM inventory_monitor_token")
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for rows.Next() {
				var id int64
				var version, k, digest string
				if err := rows.Scan(&id, &version, &k, &digest); err != nil {
					t.Fatal(err)
				}
				if got := [3]string{version, k, digest}; got != want[id] {
					t.Errorf("token %d: (version, key, digest) = %v, want %v", id, got, want[id])
				}
				n++
			}
			if err := rows.Err(); err != nil || n != 2 {
				t.Fatalf("read %d token rows, %v", n, err)
			}
			rows.Close()

			// Restart: a new store and service find the same pepper.
			st.Close()
			st2 := authOpen(t, dsn)
			pepper2, _, err := auth.EnsurePepper(ctx, st2, "")
			if err != nil || string(pepper2) != stored {
				t.Fatalf("pepper after restart = %q, %v", pepper2, err)
			}
			svc2 := auth.NewService(st2, pepper2)
			if id, err := svc2.Authenticate(ctx, "Token "+v1, nil); err != nil || id.Token.ID != t1.ID {
				t.Errorf("v1 after restart: %+v, %v", id, err)
			}
			if id, err := svc2.Authenticate(ctx, "Bearer "+v2, []byte{192, 0, 2, 1}); err != nil || id.Token.ID != t2.ID {
				t.Errorf("v2 after restart: %+v, %v", id, err)
			}
		})
	}
}

// authDump returns every row of table as text.
func authDump(t *testing.T, st *sqlstore.Store, table string) []string {
	t.Helper()
	rows, err := st.DB().QueryContext(context.Background(), "SELECT * FROM "+table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		parts := make([]string, len(cols))
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			parts[i] = fmt.Sprintf("%s=%v", cols[i], v)
		}
		out = append(out, strings.Join(parts, " "))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
