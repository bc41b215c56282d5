// Package openapitest checks HTTP responses against the API's OpenAPI
// document, so that tests of the handlers also prove the document right.
//
// Usage in a test of package api (or any package that can call
// api.OpenAPIJSON):
//
//	v := openapitest.Validator(t, api.OpenAPIJSON())
//	rec := httptest.NewRecorder()
//	srv.ServeHTTP(rec, req)
//	v.Check(t, req, rec.Code, rec.Header(), rec.Body.Bytes())
//
// or, equivalently, rec := v.Record(t, srv, req).
//
// The check is stricter than the published document in three ways, each
// derived from the request the way the handlers shape responses:
//   - objects may not carry properties the document does not list
//     (additionalProperties: false everywhere in responses);
//   - a response that may be the full or the brief representation of an
//     object (anyOf [X, BriefX]) must be the one the request asked for
//     (?brief=<true>, unless ?fields= is given);
//   - with ?fields= or ?omit=, entity objects may lack properties.
//
// Every status must be documented for the operation; redirects (301/308)
// and HEAD responses are not checked. A request to a path or method that
// the document does not describe fails the test unless it was answered
// 403, 404 or 405 with a {"detail": ...} body.
package openapitest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

const schemaPrefix = "#/components/schemas/"

// V validates responses against one OpenAPI document. It is safe for
// concurrent use.
type V struct {
	raw []byte

	mu       sync.Mutex
	variants map[shape]*variant
}

// shape is how the request asked objects to be rendered.
type shape struct {
	brief   bool // ?brief=<true> without ?fields=
	partial bool // ?fields= or ?omit=
}

type variant struct {
	doc    *openapi3.T
	router routers.Router
	opts   []openapi3.SchemaValidationOption
}

// Validator loads and validates doc (JSON or YAML); it fails the test if
// the document is not a valid OpenAPI document.
func Validator(t testing.TB, doc []byte) *V {
	t.Helper()
	v := &V{raw: doc, variants: map[shape]*variant{}}
	if _, err := v.variant(shape{}); err != nil {
		t.Fatalf("openapitest: %v", err)
	}
	return v
}

// Doc returns the document as loaded (with the validator's stricter
// response schemas for a plain request); callers must not modify it.
func (v *V) Doc() *openapi3.T {
	vr, err := v.variant(shape{})
	if err != nil {
		panic(err)
	}
	return vr.doc
}

func (v *V) variant(sh shape) (*variant, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if vr := v.variants[sh]; vr != nil {
		return vr, nil
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(v.raw)
	if err != nil {
		return nil, fmt.Errorf("load OpenAPI document: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("invalid OpenAPI document: %w", err)
	}
	tighten(doc, sh)
	// Route on the path alone: the document's server is relative.
	doc.Servers = nil
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("route OpenAPI document: %w", err)
	}
	doc.SetStringFormatValidator("uri", openapi3.NewCallbackValidator(func(s string) error {
		u, err := url.Parse(s)
		if err != nil || !u.IsAbs() || u.Host == "" {
			return fmt.Errorf("%q is not an absolute URL", s)
		}
		return nil
	}))
	vr := &variant{doc: doc, router: router, opts: doc.GetSchemaValidationOptions()}
	v.variants[sh] = vr
	return vr, nil
}

// shapeOf mirrors the API's reading of brief/fields/omit.
func shapeOf(q url.Values) shape {
	b := q.Get("brief")
	fields, omit := q.Get("fields") != "", q.Get("omit") != ""
	return shape{
		brief:   !fields && b != "", // any non-empty value, as NetBox
		partial: fields || omit,
	}
}

// tighten makes the response schemas strict for one request shape.
func tighten(doc *openapi3.T, sh shape) {
	seen := map[*openapi3.Schema]bool{}
	var walk func(r *openapi3.SchemaRef)
	walk = func(r *openapi3.SchemaRef) {
		if r == nil || r.Value == nil {
			return
		}
		// The full-or-brief choice: keep the requested one.
		if s := r.Value; len(s.AnyOf) == 2 && s.AnyOf[0].Ref != "" &&
			s.AnyOf[1].Ref == schemaPrefix+"Brief"+strings.TrimPrefix(s.AnyOf[0].Ref, schemaPrefix) {
			pick := s.AnyOf[0]
			if sh.brief {
				pick = s.AnyOf[1]
			}
			r.Value, r.Ref = pick.Value, pick.Ref
			if sh.partial {
				// A copy without required properties, for this position only.
				c := *pick.Value
				c.Required = nil
				r.Value, r.Ref = &c, ""
			}
		}
		s := r.Value
		if seen[s] {
			return
		}
		seen[s] = true
		if len(s.Properties) > 0 && s.AdditionalProperties.Has == nil && s.AdditionalProperties.Schema == nil {
			no := false
			s.AdditionalProperties.Has = &no
		}
		for _, p := range s.Properties {
			walk(p)
		}
		walk(s.Items)
		walk(s.AdditionalProperties.Schema)
		for _, l := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
			for _, x := range l {
				walk(x)
			}
		}
	}
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			for _, rr := range op.Responses.Map() {
				if rr.Value == nil {
					continue
				}
				for _, mt := range rr.Value.Content {
					walk(mt.Schema)
				}
			}
		}
	}
}

// Check validates one response to req: its status must be documented for
// the operation, and its headers and body must match the document. A
// mismatch fails the test (t.Errorf) with the operation, the status and the
// validation error.
func (v *V) Check(t testing.TB, req *http.Request, status int, header http.Header, body []byte) {
	t.Helper()
	if err := v.check(req, status, header, body); err != nil {
		t.Errorf("openapi: %v", err)
	}
}

// Record serves req with h, checks the response and returns it.
func (v *V) Record(t testing.TB, h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	v.Check(t, req, rec.Code, rec.Header(), rec.Body.Bytes())
	return rec
}

func (v *V) check(req *http.Request, status int, header http.Header, body []byte) error {
	switch status {
	case http.StatusMovedPermanently, http.StatusPermanentRedirect, http.StatusFound, http.StatusTemporaryRedirect:
		return nil
	}
	if req.Method == http.MethodHead {
		return nil
	}
	vr, err := v.variant(shapeOf(req.URL.Query()))
	if err != nil {
		return err
	}
	what := req.Method + " " + req.URL.RequestURI()
	route, params, err := vr.router.FindRoute(req)
	if err != nil {
		if status == http.StatusForbidden || status == http.StatusNotFound || status == http.StatusMethodNotAllowed {
			return v.checkDetail(vr, what, status, header, body)
		}
		return fmt.Errorf("%s → %d: no operation in the document (%v); body: %s", what, status, err, excerpt(body))
	}
	op := route.Operation.OperationID
	if op == "" {
		op = route.Method + " " + route.Path
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Options: &openapi3filter.Options{
			IncludeResponseStatus:   true,
			MultiError:              true,
			SchemaValidationOptions: vr.opts,
		},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return fmt.Errorf("%s (operation %s) → %d: %v\nbody: %s", what, op, status, describe(err), excerpt(body))
	}
	return nil
}

// checkDetail validates an answer outside the documented operations: a
// {"detail": ...} object with the API's headers.
func (v *V) checkDetail(vr *variant, what string, status int, header http.Header, body []byte) error {
	for _, h := range []string{"API-Version", "X-Request-ID"} {
		if header.Get(h) == "" {
			return fmt.Errorf("%s → %d: header %s missing", what, status, h)
		}
	}
	if ct := header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return fmt.Errorf("%s → %d: Content-Type %q, want application/json", what, status, ct)
	}
	detail := vr.doc.Components.Schemas["Detail"]
	if detail == nil {
		return fmt.Errorf("%s → %d: the document has no Detail schema", what, status)
	}
	var value any
	if err := decodeJSON(body, &value); err != nil {
		return fmt.Errorf("%s → %d: body is not JSON: %v; body: %s", what, status, err, excerpt(body))
	}
	if err := detail.Value.VisitJSON(value, openapi3.MultiErrors()); err != nil {
		return fmt.Errorf("%s → %d: body does not match Detail: %v; body: %s", what, status, err, excerpt(body))
	}
	return nil
}

// describe flattens kin-openapi's nested errors into one readable message.
func describe(err error) string {
	var me openapi3.MultiError
	var re *openapi3filter.ResponseError
	if errors.As(err, &re) && re.Err != nil {
		msg := re.Reason
		if errors.As(re.Err, &me) {
			var parts []string
			for _, e := range me {
				parts = append(parts, "  - "+oneLine(e))
			}
			return msg + ":\n" + strings.Join(parts, "\n")
		}
		return msg + ": " + oneLine(re.Err)
	}
	return err.Error()
}

func oneLine(err error) string {
	var se *openapi3.SchemaError
	if !errors.As(err, &se) {
		return err.Error()
	}
	msg := fmt.Sprintf("at /%s: %s", strings.Join(se.JSONPointer(), "/"), se.Reason)
	// anyOf/oneOf failures say nothing about why each branch failed.
	if se.Schema != nil && (se.SchemaField == "anyOf" || se.SchemaField == "oneOf") {
		branches := se.Schema.AnyOf
		if se.SchemaField == "oneOf" {
			branches = se.Schema.OneOf
		}
		for i, b := range branches {
			if b.Value == nil {
				continue
			}
			name := b.Ref
			if name == "" {
				name = fmt.Sprintf("#%d", i)
			}
			name = strings.TrimPrefix(name, schemaPrefix)
			if err := b.Value.VisitJSON(se.Value, openapi3.MultiErrors(), openapi3.VisitAsResponse()); err != nil {
				var reasons []string
				var me openapi3.MultiError
				if errors.As(err, &me) {
					for _, e := range me {
						reasons = append(reasons, branchReason(e))
					}
				} else {
					reasons = append(reasons, branchReason(err))
				}
				msg += fmt.Sprintf("\n      not %s: %s", name, strings.Join(reasons, "; "))
			}
		}
	}
	return msg
}

func branchReason(err error) string {
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		return fmt.Sprintf("at /%s: %s", strings.Join(se.JSONPointer(), "/"), se.Reason)
	}
	return err.Error()
}

func excerpt(body []byte) string {
	const max = 2000
	body = bytes.TrimSpace(body)
	if len(body) > max {
		return string(body[:max]) + "…"
	}
	return string(body)
}

func decodeJSON(body []byte, v any) error { return json.Unmarshal(body, v) }
