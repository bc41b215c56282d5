// Command sqlite-ceiling measures how fast SQLite itself takes probes into
// the store's schema, without any of the store's code: it re-inserts stored
// probes of a demo database (their real mix of serials, names, devices and
// times) with one INSERT … SELECT per transaction, through the pure-Go
// driver the service uses (modernc.org/sqlite) or through native SQLite
// (mattn/go-sqlite3, cgo). It is a separate module so that the service
// never links cgo.
//
//	cp demo.db /tmp/run.db && go run . -db /tmp/run.db -driver sqlite3 -batch 100000
//
// Run it on a copy: it grows the probe table.
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"os"
	"time"

	_ "github.com/mattn/go-sqlite3"
	_ "modernc.org/sqlite"
)

// The probe columns the store writes, except the id SQLite assigns.
const columns = "time, creation_time, device_descriptor, site_descriptor, location_descriptor, part, name, serial, device_id, site_id, location_id, description, comments, discovered_data, category, custom_field_data"

func main() {
	path := flag.String("db", "", "a copy of a demo database (inventory-monitor demo)")
	driver := flag.String("driver", "sqlite", "sqlite (modernc, pure Go) or sqlite3 (mattn, native)")
	probes := flag.Int("probes", 1_000_000, "probes to insert")
	batch := flag.Int("batch", 5000, "probes per transaction")
	flag.Parse()
	if err := run(*path, *driver, *probes, *batch); err != nil {
		fmt.Fprintln(os.Stderr, "sqlite-ceiling:", err)
		os.Exit(1)
	}
}

func run(path, driver string, probes, batch int) error {
	if path == "" || batch < 1 || probes < batch {
		return fmt.Errorf("need -db, -batch ≥ 1 and -probes ≥ -batch")
	}
	if _, err := os.Stat(path); err != nil {
		return err
	}
	// The store's settings for its writer (sqlstore's DSN).
	var dsn string
	switch driver {
	case "sqlite":
		dsn = "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-524288)&_pragma=wal_autocheckpoint(100000)&_txlock=immediate"
	case "sqlite3":
		dsn = "file:" + path + "?_foreign_keys=1&_journal_mode=WAL&_synchronous=NORMAL&_cache_size=-524288&_txlock=immediate"
	default:
		return fmt.Errorf("unknown driver %q", driver)
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec("PRAGMA wal_autocheckpoint = 100000"); err != nil {
		return err
	}
	var stored, maxID int64
	if err := db.QueryRow("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM inventory_monitor_probe").Scan(&stored, &maxID); err != nil {
		return err
	}
	if stored < int64(probes) {
		return fmt.Errorf("%s holds %d probes; -probes %d needs at least as many", path, stored, probes)
	}
	// Batch i copies the stored probes in the id window i*step ..
	// i*step+batch, so that the copies spread over the whole table.
	step := maxID / int64((probes+batch-1)/batch)
	insert := "INSERT INTO inventory_monitor_probe (" + columns + ") SELECT " + columns +
		" FROM inventory_monitor_probe WHERE id > ? AND id <= ? ORDER BY id LIMIT ?"
	start := time.Now()
	done := 0
	for i := 0; done < probes; i++ {
		n := min(batch, probes-done)
		tx, err := db.Begin()
		if err != nil {
			return err
		}
		res, err := tx.Exec(insert, int64(i)*step, int64(i)*step+step, n)
		if err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		got, _ := res.RowsAffected()
		done += int(got)
		if got == 0 {
			return fmt.Errorf("no probes in id window %d..%d", int64(i)*step, int64(i)*step+step)
		}
		if i%20 == 19 {
			fmt.Fprintf(os.Stderr, "%d probes, %.0f probes/s\n", done, float64(done)/time.Since(start).Seconds())
		}
	}
	el := time.Since(start)
	fmt.Printf("%s, %d probes per transaction: %d probes in %s, %.0f probes/s\n", driver, batch, done, el.Round(time.Millisecond), float64(done)/el.Seconds())
	return nil
}
