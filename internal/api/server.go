// Package api serves the REST API, wire-compatible with the upstream
// plugin and NetBox's conventions, driven by the entity registry.
package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/inventory-monitor/inventory-monitor/internal/config"
	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
	"github.com/inventory-monitor/inventory-monitor/internal/version"
)

// Principal is the authenticated caller of a request.
type Principal struct {
	UserID   int64
	UserName string
	CanWrite bool
}

// AuthError is a refused authentication; its message is NetBox's.
type AuthError struct{ Message string }

func (e *AuthError) Error() string { return e.Message }

// Authenticator resolves the caller from the request headers; it returns
// (nil, nil) when the request carries no credentials.
type Authenticator interface {
	Authenticate(r *http.Request) (*Principal, error)
}

// Options configure the API server.
type Options struct {
	Store    store.Store
	Auth     Authenticator
	Settings config.Settings
	// BaseURL, when set, is used for every absolute URL instead of the
	// request's (X-Forwarded-*) host.
	BaseURL string
	// LoginRequired refuses anonymous requests (NetBox's default).
	LoginRequired bool
	// MaxBodyBytes bounds request bodies (default 32 MiB).
	MaxBodyBytes int64
	Log          *slog.Logger
}

// Server is the REST API handler.
type Server struct {
	opts Options
	reg  *schema.Registry
	mux  *http.ServeMux
	// crossOrigin refuses browsers' cross-origin writes (a form posted
	// from another site); API clients, which send neither Origin nor
	// Sec-Fetch-Site, pass.
	crossOrigin *http.CrossOriginProtection
}

// New builds the API handler for /api/.
func New(opts Options) *Server {
	if opts.MaxBodyBytes == 0 {
		opts.MaxBodyBytes = 32 << 20
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	s := &Server{opts: opts, reg: schema.Inventory, mux: http.NewServeMux(), crossOrigin: http.NewCrossOriginProtection()}
	s.routes()
	return s
}

type ctxKey int

const (
	principalKey ctxKey = iota
	requestIDKey
)

func principal(r *http.Request) *Principal {
	p, _ := r.Context().Value(principalKey).(*Principal)
	return p
}

func requestID(r *http.Request) string {
	id, _ := r.Context().Value(requestIDKey).(string)
	return id
}

// meta is the change-log attribution of a write request.
func meta(r *http.Request, message string) store.Meta {
	m := store.Meta{RequestID: requestID(r), Message: message}
	if p := principal(r); p != nil {
		id := p.UserID
		m.UserID = &id
		m.UserName = p.UserName
	}
	return m
}

func (s *Server) routes() {
	s.mux.HandleFunc("GET /api/{$}", s.handleRoot)
	s.mux.HandleFunc("GET /api/status/{$}", s.handleStatus)
	s.mux.HandleFunc("GET /api/plugins/{$}", s.handlePlugins)
	s.mux.HandleFunc("GET /api/plugins/installed-plugins/{$}", s.handleInstalledPlugins)
	s.mux.HandleFunc("GET "+PluginAPIPath+"{$}", s.handlePluginRoot)
	s.mux.HandleFunc("GET "+PluginAPIPath+"object-changes/{$}", s.handleChanges)
	s.mux.HandleFunc("GET "+PluginAPIPath+"object-changes/{id}/{$}", s.handleChange)
	for _, v := range readOnlyViews {
		s.mux.HandleFunc("OPTIONS "+v.path+"{$}", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", readOnlyAllow)
			writeJSON(w, http.StatusOK, viewMetadata(v.name))
		})
		s.mux.HandleFunc(v.path+"{$}", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", readOnlyAllow) // other methods are 405, not 404
			s.methodNotAllowed(w, r)
		})
	}
	for _, e := range s.reg.Entities {
		base := PluginAPIPath + e.Path + "/"
		s.mux.HandleFunc("GET "+base+"{$}", s.entity(e, s.handleList))
		s.mux.HandleFunc("OPTIONS "+base+"{$}", s.entity(e, s.handleOptions))
		s.mux.HandleFunc("GET "+base+"{id}/{$}", s.entity(e, s.handleGet))
		s.mux.HandleFunc("OPTIONS "+base+"{id}/{$}", s.entity(e, s.handleOptions))
		s.writeRoutes(base, s.entityWriter(e))
	}
	s.tagRoutes()
	s.docRoutes()
	s.mux.HandleFunc("/api/", s.handleNotFound)
}

// writeRoutes serves the writes of the collection at base and its objects
// (base{id}/), and answers 405 for the methods no route takes.
func (s *Server) writeRoutes(base string, ow objectWriter) {
	handle := func(h func(http.ResponseWriter, *http.Request, objectWriter)) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { h(w, r, ow) }
	}
	s.mux.HandleFunc("POST "+base+"{$}", handle(s.handleCreate))
	s.mux.HandleFunc("PUT "+base+"{$}", handle(s.handleBulkUpdate))
	s.mux.HandleFunc("PATCH "+base+"{$}", handle(s.handleBulkUpdate))
	s.mux.HandleFunc("DELETE "+base+"{$}", handle(s.handleBulkDelete))
	s.mux.HandleFunc("PUT "+base+"{id}/{$}", handle(s.handleUpdate))
	s.mux.HandleFunc("PATCH "+base+"{id}/{$}", handle(s.handleUpdate))
	s.mux.HandleFunc("DELETE "+base+"{id}/{$}", handle(s.handleDelete))
	s.mux.HandleFunc(base+"{$}", s.methodNotAllowed)
	s.mux.HandleFunc(base+"{id}/{$}", s.methodNotAllowed)
}

type entityHandler func(w http.ResponseWriter, r *http.Request, e *schema.Entity)

func (s *Server) entity(e *schema.Entity, h entityHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { h(w, r, e) }
}

// ServeHTTP applies the API middleware: request id, API-Version,
// trailing-slash redirect, authentication, write permission, panic guard.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rid := uuid.NewString()
	h := w.Header()
	h.Set("API-Version", version.APIVersion)
	h.Set("X-Request-ID", rid)
	h.Set("Vary", "Accept, Cookie, Origin")
	h.Set("Allow", "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS")
	ctx := context.WithValue(r.Context(), requestIDKey, rid)
	r = r.WithContext(ctx)
	defer func() {
		if v := recover(); v != nil {
			s.opts.Log.Error("panic in API handler", "request_id", rid, "panic", v, "stack", string(debug.Stack()))
			writeJSON(w, http.StatusInternalServerError, map[string]any{"detail": "Internal server error.", "request_id": rid})
		}
	}()
	if err := s.crossOrigin.Check(r); err != nil {
		// Refused before authentication, in the API's shape (NetBox
		// answers a failed CSRF check the same way).
		detail(w, http.StatusForbidden, "CSRF Failed: "+err.Error()+".")
		return
	}
	if r.URL.RawQuery != "" {
		// A ";" is part of a value, as for Django (Go's parser would drop
		// the whole pair, and with it a filter). A query that does not
		// parse is refused rather than read in part.
		r.URL.RawQuery = strings.ReplaceAll(r.URL.RawQuery, ";", "%3B")
		if _, err := url.ParseQuery(r.URL.RawQuery); err != nil {
			detail(w, http.StatusBadRequest, "Invalid query string: "+err.Error()+".")
			return
		}
	}
	if !strings.HasSuffix(r.URL.Path, "/") && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		target := r.URL.Path + "/"
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return
	}
	p, err := s.opts.Auth.Authenticate(r)
	if err != nil {
		var ae *AuthError
		if !errors.As(err, &ae) {
			s.opts.Log.Error("authentication failed", "request_id", rid, "err", err)
			writeJSON(w, http.StatusInternalServerError, map[string]any{"detail": "Internal server error.", "request_id": rid})
			return
		}
		writeJSON(w, http.StatusForbidden, map[string]any{"detail": ae.Message})
		return
	}
	if p == nil && s.opts.LoginRequired && !public(r) {
		writeJSON(w, http.StatusForbidden, map[string]any{"detail": "Authentication credentials were not provided."})
		return
	}
	if !safeMethod(r.Method) && (p == nil || !p.CanWrite) {
		writeJSON(w, http.StatusForbidden, map[string]any{"detail": "You do not have permission to perform this action."})
		return
	}
	if p != nil {
		r = r.WithContext(context.WithValue(r.Context(), principalKey, p))
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes)
	s.mux.ServeHTTP(w, r)
}

// public paths are readable without login, as in NetBox: the API root
// (pynetbox reads the version from it without sending its token) and the
// API's schema and docs. Status, like everything else, needs login.
func public(r *http.Request) bool {
	switch r.URL.Path {
	case "/api/", "/api/schema/", "/api/docs/", "/api/schema/swagger-ui/":
		return r.Method == http.MethodGet || r.Method == http.MethodHead
	}
	return false
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// baseURL is scheme://host for absolute URLs: the configured base URL,
// else the X-Forwarded-* headers of a proxy, else the request itself.
func (s *Server) baseURL(r *http.Request) string {
	if s.opts.BaseURL != "" {
		return strings.TrimRight(s.opts.BaseURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := firstHeader(r, "X-Forwarded-Proto"); p == "http" || p == "https" {
		scheme = p
	}
	host := r.Host
	if h := firstHeader(r, "X-Forwarded-Host"); h != "" {
		host = h
	}
	return scheme + "://" + host
}

func firstHeader(r *http.Request, name string) string {
	v := r.Header.Get(name)
	if i := strings.IndexByte(v, ','); i >= 0 {
		v = v[:i]
	}
	return strings.TrimSpace(v)
}

func (s *Server) renderer(r *http.Request) renderer { return renderer{base: s.baseURL(r)} }

func writeJSON(w http.ResponseWriter, status int, v any) {
	writeJSONWith(w, status, func(b []byte) ([]byte, error) { return appendJSON(b, v) })
}

// writeJSONWith answers with the JSON that enc appends to a pooled buffer.
func writeJSONWith(w http.ResponseWriter, status int, enc func([]byte) ([]byte, error)) {
	bp := jsonBuffers.Get().(*[]byte)
	b, err := enc((*bp)[:0])
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"detail":"Internal server error."}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	// A known length spares chunked framing: a list page (~50 KB)
	// leaves in two writes instead of three.
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
	if err == nil && cap(b) <= 4<<20 {
		*bp = b[:0]
	}
	jsonBuffers.Put(bp)
}

func detail(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"detail": msg})
}

// writeError answers a store or filter error in NetBox's shape.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error, list bool) {
	var (
		bulk      *inventory.BulkError
		invalid   *inventory.ValidationError
		notFound  *inventory.NotFoundError
		protected *inventory.ProtectedError
		ferr      *filter.Error
	)
	switch {
	case errors.As(err, &bulk):
		if list {
			out := make([]any, len(bulk.Items))
			for i, it := range bulk.Items {
				out[i] = fieldErrors(it)
			}
			writeJSON(w, http.StatusBadRequest, out)
			return
		}
		for _, it := range bulk.Items {
			if !it.Empty() {
				writeJSON(w, http.StatusBadRequest, fieldErrors(it))
				return
			}
		}
		detail(w, http.StatusBadRequest, "Invalid data.")
	case errors.As(err, &invalid):
		writeJSON(w, http.StatusBadRequest, fieldErrors(invalid))
	case errors.As(err, &notFound):
		detail(w, http.StatusNotFound, notFound.Error())
	case errors.As(err, &protected):
		body := map[string]any{
			"detail": fmt.Sprintf("Unable to delete object. %d dependent objects were found: %s", len(protected.Objects), strings.Join(protected.Objects, ", ")),
		}
		if protected.Message != "" {
			body["reason"] = protected.Message // upstream's explanation, which NetBox's API drops
		}
		writeJSON(w, http.StatusConflict, body)
	case errors.As(err, &ferr):
		writeJSON(w, http.StatusBadRequest, map[string][]string{ferr.Param: {ferr.Message}})
	case errors.Is(err, context.Canceled):
		detail(w, 499, "Request cancelled.")
	default:
		s.opts.Log.Error("API request failed", "request_id", requestID(r), "method", r.Method, "path", r.URL.Path, "err", err)
		writeJSON(w, http.StatusInternalServerError, map[string]any{"detail": "Internal server error.", "request_id": requestID(r)})
	}
}

func fieldErrors(v *inventory.ValidationError) map[string][]string {
	if v.Empty() {
		return map[string][]string{}
	}
	return v.Fields
}

func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	detail(w, http.StatusMethodNotAllowed, fmt.Sprintf("Method %q not allowed.", r.Method))
}

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	detail(w, http.StatusNotFound, "Not found.")
}

func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

var startTime = time.Now()
