package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/api"
)

// ServeCmd runs the HTTP service.
type ServeCmd struct {
	Listen     string        `help:"Address to listen on (default 127.0.0.1:8080, or the config file's listen)." env:"INVMON_LISTEN"`
	BaseURL    string        `help:"External base URL used in links (default: from the request)." env:"INVMON_BASE_URL"`
	TrustProxy bool          `help:"Take the client address from X-Real-IP/X-Forwarded-For (only behind a proxy that sets them)." env:"INVMON_TRUST_PROXY"`
	TokenCache time.Duration `default:"1s" help:"How long an API token, once read, is reused without reading it again. A token revoked or disabled by another process (the token command, another instance) may still be accepted for this long; 0 reads it on every request." env:"INVMON_TOKEN_CACHE"`
}

func (c *ServeCmd) Run(g *Globals, ctx context.Context) error {
	// Flags and environment (kong) win over the config file.
	if c.BaseURL == "" {
		c.BaseURL = g.file.BaseURL
	}
	if c.Listen == "" {
		c.Listen = cmp.Or(g.file.Listen, "127.0.0.1:8080")
	}
	if err := checkBaseURL(c.BaseURL); err != nil {
		return err
	}
	if c.TokenCache < 0 {
		return fmt.Errorf("invalid --token-cache %s: use 0 or a positive duration (1s, 500ms)", c.TokenCache)
	}
	// Bind before anything claims the service is up.
	ln, err := net.Listen("tcp", c.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.Listen, err)
	}
	defer ln.Close()
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
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("inventory-monitor listening", "url", "http://"+ln.Addr().String()+"/", "database", redact(g.Database), "dialect", st.Dialect())
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

// checkBaseURL accepts "" (links follow the request) or an absolute
// http(s) URL without query or fragment: records' url fields, which
// pynetbox follows, are built on it.
func checkBaseURL(base string) error {
	if base == "" {
		return nil
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(base, "?#") || u.User != nil {
		return fmt.Errorf("base URL %q (--base-url, INVMON_BASE_URL or base_url in the config file): "+
			"must be an absolute http:// or https:// URL without user, query or fragment, such as https://inventory.example.com", base)
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
