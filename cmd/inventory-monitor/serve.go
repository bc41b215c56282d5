package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/api"
)

// ServeCmd runs the HTTP service.
type ServeCmd struct {
	Listen     string `help:"Address to listen on." env:"INVMON_LISTEN" default:"127.0.0.1:8080"`
	BaseURL    string `help:"External base URL used in links (default: from the request)." env:"INVMON_BASE_URL"`
	TrustProxy bool   `help:"Take the client address from X-Real-IP/X-Forwarded-For (only behind a proxy that sets them)." env:"INVMON_TRUST_PROXY"`
}

func (c *ServeCmd) Run(g *Globals, ctx context.Context) error {
	if c.BaseURL == "" {
		c.BaseURL = g.file.BaseURL
	}
	if g.file.Listen != "" && c.Listen == "127.0.0.1:8080" && os.Getenv("INVMON_LISTEN") == "" {
		c.Listen = g.file.Listen
	}
	st, err := g.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	api.TuneGC()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	handler, err := newHandler(ctx, g, c, st, log)
	if err != nil {
		return err
	}
	srv := &http.Server{Addr: c.Listen, Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("inventory-monitor listening", "url", "http://"+c.Listen+"/", "database", redact(g.Database), "dialect", st.Dialect())
	select {
	case err := <-errc:
		return fmt.Errorf("listen on %s: %w", c.Listen, err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// redact hides a password in a database URL for logs.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
