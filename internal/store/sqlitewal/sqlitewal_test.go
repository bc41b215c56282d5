package sqlitewal

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
)

// openPair opens one database twice: a writer through the gathering VFS,
// with a page cache of cacheKiB (a small one makes large transactions spill
// pages into the WAL and read them back before they commit), and a reader
// through SQLite's default VFS, which sees only what reached the file.
func openPair(t *testing.T, cacheKiB int) (writer, reader *sql.Conn) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "wal.db")
	writer = openTable(t, path, fmt.Sprintf("%s&_pragma=cache_size(-%d)", gathering, cacheKiB))
	return writer, conn(t, path, "&_pragma=synchronous(NORMAL)")
}

// insert adds n rows in one transaction.
func insert(t *testing.T, c *sql.Conn, tx, n int) {
	t.Helper()
	run(t, c, `BEGIN IMMEDIATE`)
	run(t, c, `INSERT INTO t (tx, x, p)
		WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
		SELECT ?, (i * 7919 + ?) % 100003, randomblob(700) FROM s`, n, tx, tx*104729)
	run(t, c, `COMMIT`)
}

type summary struct{ rows, txs, sumX int64 }

func summarize(t *testing.T, c *sql.Conn) summary {
	t.Helper()
	var s summary
	if err := c.QueryRowContext(context.Background(),
		`SELECT count(*), count(DISTINCT tx), coalesce(sum(x), 0) FROM t`).Scan(&s.rows, &s.txs, &s.sumX); err != nil {
		t.Fatal(err)
	}
	var check string
	if err := c.QueryRowContext(context.Background(), `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q, %v", check, err)
	}
	return s
}

// A commit is in the file, frames and all, by the time the writer's COMMIT
// returns: another connection reading the WAL through its own descriptor
// (and a VFS without the buffer) sees exactly what the writer sees — for
// small transactions, ones larger than the buffer, ones that spilled pages
// and rewrote them before committing, and after the WAL restarts.
func TestCommittedTransactionsAreInTheFileForOtherConnections(t *testing.T) {
	writer, reader := openPair(t, 256)
	steps := []struct {
		name string
		run  func(tx int)
	}{
		{"one row", func(tx int) { insert(t, writer, tx, 1) }},
		{"a few pages", func(tx int) { insert(t, writer, tx, 50) }},
		{"larger than the buffer and the cache", func(tx int) { insert(t, writer, tx, 3000) }},
		{"rows rewritten in the transaction that wrote them", func(tx int) {
			run(t, writer, `BEGIN IMMEDIATE`)
			run(t, writer, `INSERT INTO t (tx, x, p) WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 2000) SELECT ?, i, randomblob(700) FROM s`, tx)
			run(t, writer, `UPDATE t SET x = x + 1, p = randomblob(600) WHERE tx = ?`, tx)
			run(t, writer, `COMMIT`)
		}},
		{"a rolled-back transaction that spilled", func(tx int) {
			run(t, writer, `BEGIN IMMEDIATE`)
			run(t, writer, `INSERT INTO t (tx, x, p) WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 2000) SELECT ?, i, randomblob(700) FROM s`, tx)
			run(t, writer, `ROLLBACK`)
			insert(t, writer, tx, 10)
		}},
		{"after a checkpoint restarts the WAL", func(tx int) {
			run(t, writer, `PRAGMA wal_checkpoint(TRUNCATE)`)
			insert(t, writer, tx, 500)
		}},
		{"deletes", func(tx int) {
			run(t, writer, `DELETE FROM t WHERE id % 3 = 0`)
		}},
	}
	for i, step := range steps {
		for round := 0; round < 3; round++ {
			step.run(i*10 + round)
			// The reader first: a read on the writer's WAL writes the
			// buffer out and would hide a commit left in it.
			got := summarize(t, reader)
			if want := summarize(t, writer); got != want {
				t.Fatalf("%s, round %d: the other connection read %+v, the writer %+v", step.name, round, got, want)
			}
		}
	}
}

// The point of the VFS: a transaction's frames reach the file in far fewer
// writes than SQLite's two per frame.
func TestFramesReachTheFileInFewWrites(t *testing.T) {
	writer, _ := openPair(t, 64<<10)
	frames0, writes0 := Gathered()
	insert(t, writer, 1, 5000)
	frames1, writes1 := Gathered()
	frames, writes := frames1-frames0, writes1-writes0
	if frames < 500 {
		t.Fatalf("%d frames went through the buffer; the WAL file is not the VFS's", frames)
	}
	if writes*10 > frames {
		t.Fatalf("%d frames took %d writes", frames, writes)
	}
	t.Logf("%d frames in %d writes", frames, writes)
}
