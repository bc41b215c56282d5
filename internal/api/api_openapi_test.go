package api_test

import (
	"net/http"
	"sync"
	"testing"

	"github.com/inventory-monitor/inventory-monitor/internal/api"
	"github.com/inventory-monitor/inventory-monitor/internal/api/openapitest"
)

var openAPI struct {
	once sync.Once
	v    *openapitest.V
}

// validateAgainstOpenAPI checks one response against the OpenAPI document
// the server publishes (api.OpenAPIJSON), with the strict validator of
// internal/api/openapitest. Every request of these tests goes through it
// (see doRequest), so the document and the handlers cannot drift apart.
func validateAgainstOpenAPI(t testing.TB, req *http.Request, status int, header http.Header, body []byte) {
	t.Helper()
	openAPI.once.Do(func() { openAPI.v = openapitest.Validator(t, api.OpenAPIJSON()) })
	if openAPI.v == nil {
		t.Fatal("OpenAPI validator unavailable (see the first test that loaded it)")
	}
	openAPI.v.Check(t, req, status, header, body)
}
