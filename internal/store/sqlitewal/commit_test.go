package sqlitewal

import (
	"context"
	"database/sql"
	"fmt"
	"os"
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

// conn opens one connection to path with the given DSN parameters.
func conn(t *testing.T, path, params string) *sql.Conn {
	t.Helper()
	if err := Register(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)"+params)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// openTable opens a connection and creates the test table t: a random-
// looking indexed key x and payloads p large enough to fill many pages.
func openTable(t *testing.T, path, params string) *sql.Conn {
	t.Helper()
	c := conn(t, path, params)
	run(t, c, `CREATE TABLE t (id INTEGER PRIMARY KEY, tx INTEGER, x INTEGER, p BLOB)`)
	run(t, c, `CREATE INDEX t_x ON t (x)`)
	return c
}

func run(t *testing.T, c *sql.Conn, q string, args ...any) {
	t.Helper()
	if _, err := c.ExecContext(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func count(t *testing.T, c *sql.Conn) (rows int, check string) {
	t.Helper()
	ctx := context.Background()
	if err := c.QueryRowContext(ctx, `SELECT count(*) FROM t`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if err := c.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil {
		t.Fatal(err)
	}
	return rows, check
}

const (
	// The store's mode: no WAL sync at commit (a sync writes the buffer).
	gathering = "&vfs=" + Name + "&_pragma=synchronous(NORMAL)"
	// A small cache makes a large transaction spill pages into the WAL
	// before it commits, and rewriting them makes SQLite overwrite those
	// frames and rewrite the checksums of the frames after them at commit.
	spilling = gathering + "&_pragma=cache_size(-256)"
	// With a WAL sync at commit on a device without powersafe overwrite,
	// SQLite pads a commit to a sector boundary with copies of the commit
	// frame, splitting the last copy's write around the sync.
	padded = "&vfs=" + Name + "&psow=0&_pragma=synchronous(FULL)"
)

const insertRows = `INSERT INTO t (x, p) WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?) SELECT i * 7919 % 100003, randomblob(700) FROM s`

// When a transaction ends, nothing it wrote waits in a buffer: not after
// a commit (padded or not, after spills and checksum rewrites), not after
// a rollback.
func TestNothingWaitsInTheBufferWhenATransactionEnds(t *testing.T) {
	for _, c := range []struct{ name, params string }{
		{"synchronous NORMAL", gathering},
		{"synchronous FULL", "&vfs=" + Name + "&_pragma=synchronous(FULL)"},
		{"spilling transactions", spilling},
		{"commits padded to sectors", padded},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := openTable(t, filepath.Join(t.TempDir(), "p.db"), c.params)
			steps := []string{"insert 1", "insert 40", "rewrite", "rollback", "insert 2", "insert 300", "rollback", "insert 3"}
			for i, step := range steps {
				switch step {
				case "rewrite":
					run(t, w, `BEGIN IMMEDIATE`)
					run(t, w, `INSERT INTO t (x, p) WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 2000) SELECT i, randomblob(700) FROM s`)
					run(t, w, `UPDATE t SET x = x + 1 WHERE x <= 2000`)
					run(t, w, `COMMIT`)
				case "rollback":
					run(t, w, `BEGIN IMMEDIATE`)
					run(t, w, insertRows, 2000)
					run(t, w, `ROLLBACK`)
				default:
					var n int
					if _, err := fmt.Sscanf(step, "insert %d", &n); err != nil {
						t.Fatal(err)
					}
					run(t, w, insertRows, n)
				}
				if n := pending(); n != 0 {
					t.Fatalf("step %d (%s): %d bytes still in the buffer", i, step, n)
				}
				if n := lateWrites.Load(); n != 0 {
					t.Fatalf("step %d (%s): %d commits left frames for the barrier", i, step, n)
				}
			}
		})
	}
}

// A padded commit split at a sector boundary 48 bytes into a frame writes
// 24 bytes of page data that look like a frame header: aimed at every
// frame position that can happen, the reader still reads every commit.
func TestPaddedCommitsAreReadableAtEveryFramePosition(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pad.db")
	w := openTable(t, path, padded+"&_pragma=wal_autocheckpoint(0)")
	r := conn(t, path, "")
	hits := 0
	for i := 0; i < 3000 && hits < 3; i++ {
		st, err := os.Stat(path + "-wal")
		if err != nil {
			t.Fatal(err)
		}
		frames := (st.Size() - walHeaderSize) / (4096 + frameHeaderSize)
		// With 4 KiB pages the sync point falls 48 bytes into a frame when
		// the commit's last frame is number 338 of a 512-frame cycle.
		need := (338 - frames%512 + 512) % 512
		pages := int64(1 + i%6)
		aimed := need > 3 && need < 40
		if aimed {
			pages = need - 2
		}
		run(t, w, `INSERT INTO t (x, p) VALUES (?, zeroblob(?))`, i, pages*4092-10)
		if n := pending(); n != 0 {
			t.Fatalf("commit %d: %d bytes still in the buffer", i, n)
		}
		if aimed {
			if _, check := count(t, r); check != "ok" {
				t.Fatalf("commit %d: the reader's integrity_check: %s", i, check)
			}
			hits++
		}
	}
	if hits == 0 {
		t.Fatal("no commit was aimed at the split")
	}
	// Every byte went out through the commit's own writes, where a failure
	// fails the commit, not at its publication.
	if n := lateWrites.Load(); n != 0 {
		t.Fatalf("%d commits left frames for the barrier", n)
	}
}

// A crash right after a commit that rewrote frame checksums keeps the
// commit: the database and its WAL as a killed process leaves them (no
// shared-memory index) recover every row.
func TestACommitThatRewroteChecksumsSurvivesACrash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	w := openTable(t, path, spilling)
	run(t, w, insertRows, 100)
	// Rows in index order, updated after they spilled: SQLite overwrites
	// the spilled frames in place and, at commit, rewrites the checksums of
	// every frame from the first overwritten one on (wal.c, iReCksum).
	run(t, w, `BEGIN IMMEDIATE`)
	run(t, w, `INSERT INTO t (x, p) WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 2000) SELECT i, randomblob(700) FROM s`)
	run(t, w, `UPDATE t SET x = x + 1 WHERE length(p) = 700 AND id > 100`)
	run(t, w, `COMMIT`)
	if n := pending(); n != 0 {
		t.Errorf("%d bytes still in the buffer after COMMIT", n)
	}
	crashed := filepath.Join(t.TempDir(), "c.db")
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(path + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(crashed+suffix, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if rows, check := count(t, conn(t, crashed, "")); rows != 2100 || check != "ok" {
		t.Fatalf("after recovery: %d rows (want 2100), integrity_check %s", rows, check)
	}
}

// Frames a rolled-back transaction spilled never reach the file after the
// write lock is gone, where another writer's frames may be by then.
func TestRolledBackFramesNeverLandOnAnotherWritersCommit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.db")
	w := openTable(t, path, spilling)
	run(t, w, insertRows, 2000)
	run(t, w, `PRAGMA wal_checkpoint(TRUNCATE)`) // the rollback then reads nothing back
	run(t, w, `BEGIN IMMEDIATE`)
	run(t, w, insertRows, 2000)
	run(t, w, `ROLLBACK`)
	other := conn(t, path, "") // another writer, as a second process would be
	run(t, other, `UPDATE t SET p = randomblob(700), x = x + 1`)
	if rows, check := count(t, w); rows != 2000 || check != "ok" {
		t.Fatalf("the first writer reads %d rows (want 2000), integrity_check %s", rows, check)
	}
	if rows, check := count(t, conn(t, path, "")); rows != 2000 || check != "ok" {
		t.Fatalf("a new connection reads %d rows (want 2000), integrity_check %s", rows, check)
	}
}
