package sqlitewal

import (
	"database/sql"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"
)

// pending is the number of WAL bytes waiting in buffers.
func pending() (n int) {
	mu.Lock()
	defer mu.Unlock()
	for _, w := range files {
		w.mu.Lock()
		n += len(w.buf)
		w.mu.Unlock()
	}
	return n
}

// When COMMIT returns, nothing the transaction wrote waits in a buffer —
// also when SQLite pads a commit to a sector boundary with copies of the
// commit frame and splits the last copy around a sync (synchronous=FULL on
// a device without powersafe overwrite).
func TestNothingWaitsInTheBufferAfterACommit(t *testing.T) {
	if err := Register(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, params string }{
		{"synchronous NORMAL", "&_pragma=synchronous(NORMAL)"},
		{"synchronous FULL", "&_pragma=synchronous(FULL)"},
		{"synchronous FULL, commits padded to sectors", "&psow=0&_pragma=synchronous(FULL)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "p.db")+"?_pragma=journal_mode(WAL)&vfs="+Name+c.params)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			db.SetMaxOpenConns(1)
			if _, err := db.Exec(`CREATE TABLE t (x BLOB)`); err != nil {
				t.Fatal(err)
			}
			for i, rows := range []int{1, 2, 5, 40, 1, 300, 3} {
				if _, err := db.Exec(`INSERT INTO t WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?) SELECT randomblob(900) FROM s`, rows); err != nil {
					t.Fatal(err)
				}
				if n := pending(); n != 0 {
					t.Fatalf("commit %d (%d rows): %d bytes still in the buffer", i, rows, n)
				}
			}
		})
	}
}
