package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/inventory-monitor/inventory-monitor/internal/store/sqlstore"
	"github.com/inventory-monitor/inventory-monitor/internal/version"
)

// newHandler builds the HTTP handler. (The API package replaces this.)
func newHandler(ctx context.Context, g *Globals, c *ServeCmd, st *sqlstore.Store, log *slog.Logger) (http.Handler, error) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/status/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"netbox-version": version.NetBoxVersion, "plugins": map[string]string{"inventory_monitor": version.Version}})
	})
	return mux, nil
}
