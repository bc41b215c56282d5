package api

import (
	"os"
	"runtime/debug"
)

// ServerGCPercent is the garbage collector target serve runs with: the
// server's live heap is small (records of one page, statement caches;
// SQLite's page cache is not Go heap), while every list response allocates
// anew, so collecting at 5× the live heap instead of 2× saves a tenth to a
// fifth of the CPU of a list request for a few hundred MB at most.
const ServerGCPercent = 400

// TuneGC applies ServerGCPercent unless the GOGC environment variable
// chooses the setting.
func TuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(ServerGCPercent)
	}
}
