package api

import (
	"bytes"
	"embed"
	"encoding/json"
	"html/template"
	"net/http"
	"strings"
	"sync"

	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"gopkg.in/yaml.v3"
)

// Where the document and Swagger UI are served. The UI's assets are served
// by the UI page itself (?asset=<name>): /api/docs/ is readable without
// login, like the page, and asset names need no trailing slash.
const (
	SchemaPath    = "/api/schema/"
	DocsPath      = "/api/docs/"
	SwaggerUIPath = "/api/schema/swagger-ui/"

	// SwaggerUIVersion is the vendored swagger-ui-dist release.
	SwaggerUIVersion = "5.35.0"

	contentTypeOpenAPIYAML = "application/vnd.oai.openapi; charset=utf-8"
	contentTypeOpenAPIJSON = "application/vnd.oai.openapi+json; charset=utf-8"
)

// swaggerUI holds swagger-ui-dist's swagger-ui.css, swagger-ui-bundle.js,
// favicon-32x32.png, LICENSE and NOTICE (Apache-2.0 requires keeping
// it), from the npm registry (swagger-ui-dist@5.35.0).
//
//go:embed swaggerui
var swaggerUI embed.FS

// swaggerAssets are the names served with ?asset=, with their content types.
var swaggerAssets = map[string]string{
	"swagger-ui.css":         "text/css; charset=utf-8",
	"swagger-ui-bundle.js":   "text/javascript; charset=utf-8",
	"swagger-initializer.js": "text/javascript; charset=utf-8",
	"favicon-32x32.png":      "image/png",
	"LICENSE":                "text/plain; charset=utf-8",
}

// swaggerInitializer starts Swagger UI on the URL in the page's data-url.
const swaggerInitializer = `window.addEventListener("load", function () {
  var el = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: el.getAttribute("data-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: true,
    displayRequestDuration: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
});
`

var swaggerPage = template.Must(template.New("swagger").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>inventory-monitor REST API</title>
<link rel="stylesheet" href="{{.Assets}}swagger-ui.css">
<link rel="icon" type="image/png" href="{{.Assets}}favicon-32x32.png" sizes="32x32">
</head>
<body>
<div id="swagger-ui" data-url="{{.Schema}}"></div>
<script src="{{.Assets}}swagger-ui-bundle.js"></script>
<script src="{{.Assets}}swagger-initializer.js"></script>
</body>
</html>
`))

var openAPI struct {
	once       sync.Once
	json, yaml []byte
}

func buildDocument() {
	openAPI.once.Do(func() {
		doc := buildOpenAPI(schema.Inventory)
		j, err := json.Marshal(doc)
		if err != nil {
			panic("openapi: marshal document: " + err.Error())
		}
		dec := json.NewDecoder(bytes.NewReader(j))
		dec.UseNumber()
		var generic any
		if err := dec.Decode(&generic); err != nil {
			panic("openapi: reparse document: " + err.Error())
		}
		generic = yamlNumbers(generic)
		var y bytes.Buffer
		enc := yaml.NewEncoder(&y)
		enc.SetIndent(2)
		if err := enc.Encode(generic); err != nil {
			panic("openapi: YAML document: " + err.Error())
		}
		enc.Close()
		openAPI.json, openAPI.yaml = j, y.Bytes()
	})
}

// yamlNumbers turns JSON numbers into integers where they are integral,
// so the YAML encoder writes 10000000000 rather than 1e+10 (a string to
// YAML 1.1 readers).
func yamlNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = yamlNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = yamlNumbers(e)
		}
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	}
	return v
}

// OpenAPIJSON returns the OpenAPI 3.0.3 document of the API as JSON (built
// once from the registry; callers must not modify the slice).
func OpenAPIJSON() []byte {
	buildDocument()
	return openAPI.json
}

// OpenAPIYAML returns the same document as YAML.
func OpenAPIYAML() []byte {
	buildDocument()
	return openAPI.yaml
}

// docRoutes registers the OpenAPI document and Swagger UI.
func (s *Server) docRoutes() {
	s.mux.HandleFunc("GET "+SchemaPath+"{$}", s.handleSchema)
	s.mux.HandleFunc("GET "+DocsPath+"{$}", s.handleSwaggerUI)
	s.mux.HandleFunc("GET "+SwaggerUIPath+"{$}", s.handleSwaggerUI)
}

// handleSchema serves the document: YAML, or JSON with ?format=json
// (drf-spectacular's media types).
func (s *Server) handleSchema(w http.ResponseWriter, r *http.Request) {
	body, contentType, file := OpenAPIYAML(), contentTypeOpenAPIYAML, "inventory-monitor.yaml"
	switch r.URL.Query().Get("format") {
	case "", "yaml":
	case "json":
		body, contentType, file = OpenAPIJSON(), contentTypeOpenAPIJSON, "inventory-monitor.json"
	default:
		detail(w, http.StatusNotFound, "Not found.")
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `inline; filename="`+file+`"`)
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// handleSwaggerUI serves the Swagger UI page, or with ?asset=<name> one of
// its embedded assets.
func (s *Server) handleSwaggerUI(w http.ResponseWriter, r *http.Request) {
	if name := r.URL.Query().Get("asset"); name != "" {
		serveSwaggerAsset(w, name)
		return
	}
	if r.URL.Query().Get("format") == "openapi" {
		// pynetbox's nb.openapi() asks /api/docs/?format=openapi for the JSON document.
		w.Header().Set("Content-Type", contentTypeOpenAPIJSON)
		w.Write(OpenAPIJSON())
		return
	}
	prefix := ""
	if s.opts.BaseURL != "" {
		// A configured base URL may carry a path prefix (proxy sub-path).
		base := strings.TrimRight(s.opts.BaseURL, "/")
		if i := strings.Index(base, "://"); i >= 0 {
			base = base[i+3:]
		}
		if i := strings.IndexByte(base, '/'); i >= 0 {
			prefix = base[i:]
		}
	}
	var page bytes.Buffer
	err := swaggerPage.Execute(&page, struct{ Assets, Schema string }{
		Assets: prefix + DocsPath + "?asset=",
		Schema: prefix + SchemaPath + "?format=json",
	})
	if err != nil {
		s.writeError(w, r, err, false)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	w.Write(page.Bytes())
}

func serveSwaggerAsset(w http.ResponseWriter, name string) {
	contentType, ok := swaggerAssets[name]
	if !ok {
		detail(w, http.StatusNotFound, "Not found.")
		return
	}
	body := []byte(swaggerInitializer)
	if name != "swagger-initializer.js" {
		b, err := swaggerUI.ReadFile("swaggerui/" + name)
		if err != nil {
			detail(w, http.StatusNotFound, "Not found.")
			return
		}
		body = b
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}
