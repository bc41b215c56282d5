package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/inventory-monitor/inventory-monitor/internal/api"
	"github.com/inventory-monitor/inventory-monitor/internal/auth"
	"github.com/inventory-monitor/inventory-monitor/internal/store/sqlstore"
)

// newHandler builds the service's HTTP handler: the REST API under /api/.
func newHandler(ctx context.Context, g *Globals, c *ServeCmd, st *sqlstore.Store, log *slog.Logger) (http.Handler, error) {
	pepper, warnings, err := auth.EnsurePepper(ctx, st, g.SecretKey)
	if err != nil {
		return nil, err
	}
	for _, w := range warnings {
		log.Warn(w)
	}
	svc := auth.NewService(st, pepper)
	svc.TokenCacheTTL = c.TokenCache
	if err := firstStart(ctx, svc, c); err != nil {
		return nil, err
	}
	apiServer := api.New(api.Options{
		Store:         st,
		Auth:          api.TokenAuth(svc, c.TrustProxy),
		Settings:      g.file.Settings,
		BaseURL:       c.BaseURL,
		LoginRequired: true,
		Log:           log,
	})
	mux := http.NewServeMux()
	mux.Handle("/api/", apiServer)
	mux.Handle("/api", apiServer) // its redirect to /api/ carries the API's headers
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/api/docs/", http.StatusFound)
	})
	// The API refuses browsers' cross-origin writes itself (with its
	// headers and a JSON body); the other routes only redirect GETs.
	return mux, nil
}

// firstStart creates an administrator and a write token when the database
// has no user yet, and prints how to log in.
func firstStart(ctx context.Context, svc *auth.Service, c *ServeCmd) error {
	users, err := svc.Users(ctx)
	if err != nil || len(users) > 0 {
		return err
	}
	password := auth.GeneratePassword()
	if _, err := svc.CreateUser(ctx, "admin", password, true); err != nil {
		return err
	}
	token, _, err := svc.CreateToken(ctx, "admin", auth.TokenOptions{Version: 2, WriteEnabled: true, Description: "created at first start"})
	if err != nil {
		return err
	}
	fmt.Printf(`First start: created the administrator.
  user:      admin
  password:  %s
  API token: %s   (write access; shown only now)
  try:       curl -H "Authorization: Bearer %s" http://%s/api/plugins/inventory-monitor/assets/
Change the password with: inventory-monitor user passwd admin
`, password, token, token, c.Listen)
	return nil
}
