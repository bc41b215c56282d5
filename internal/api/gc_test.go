package api

import (
	"runtime/debug"
	"testing"
)

func TestTuneGCSetsTheServerTargetUnlessGOGCIsSet(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	t.Setenv("GOGC", "")
	TuneGC()
	if got := debug.SetGCPercent(77); got != ServerGCPercent {
		t.Errorf("GC percent after TuneGC = %d, want %d", got, ServerGCPercent)
	}
	t.Setenv("GOGC", "77")
	TuneGC()
	if got := debug.SetGCPercent(100); got != 77 {
		t.Errorf("TuneGC changed the GC percent GOGC chose: %d, want 77", got)
	}
}
