package demo

// REST API benchmarks on the same demo data, client and server in one
// process over loopback HTTP (keep-alive, 16 concurrent clients):
//
//	INVMON_BENCH=1 go test -run '^$' -bench 'API' ./internal/demo/

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/api"
	"github.com/inventory-monitor/inventory-monitor/internal/auth"
)

// apiServer starts the real API over env's store with a fresh write token.
func apiServer(b *testing.B, env *benchEnv) (*httptest.Server, string) {
	api.TuneGC() // as serve runs
	ctx := context.Background()
	pepper, _, err := auth.EnsurePepper(ctx, env.st, "")
	if err != nil {
		b.Fatal(err)
	}
	svc := auth.NewService(env.st, pepper)
	svc.TokenCacheTTL = auth.DefaultTokenCacheTTL // serve's default
	user := fmt.Sprintf("bench%d", time.Now().UnixNano())
	if _, err := svc.CreateUser(ctx, user, "bench-password", true); err != nil {
		b.Fatal(err)
	}
	token, _, err := svc.CreateToken(ctx, user, auth.TokenOptions{Version: 2, WriteEnabled: true})
	if err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", api.New(api.Options{
		Store: env.st, Auth: api.TokenAuth(svc, false), Settings: env.st.Settings(), LoginRequired: true,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}))
	srv := httptest.NewServer(mux)
	b.Cleanup(srv.Close)
	return srv, token
}

func benchClient() *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64}, Timeout: time.Minute}
}

// BenchmarkAPIAssetList: GET /assets/?limit=50, the first page, as a
// script or the UI's list asks for it; reports requests/s.
func BenchmarkAPIAssetList(b *testing.B) {
	benchPages(b, "assets", 1)
}

// BenchmarkAPIProbeList: GET /probes/?limit=50, the first page of two
// million probes in upstream's default order; reports requests/s.
func BenchmarkAPIProbeList(b *testing.B) {
	benchPages(b, "probes", 1)
}

// BenchmarkAPIAssetListPages: GET /assets/?limit=50&offset=... cycling
// over the first 20 pages (deeper offsets cost more); reports requests/s.
func BenchmarkAPIAssetListPages(b *testing.B) {
	benchPages(b, "assets", 20)
}

func benchPages(b *testing.B, endpoint string, pages int64) {
	forEachDialect(b, func(b *testing.B, env *benchEnv) {
		srv, token := apiServer(b, env)
		client := benchClient()
		var n atomic.Int64
		b.SetParallelism(8)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				url := srv.URL + "/api/plugins/inventory-monitor/" + endpoint + "/?limit=50"
				if i := n.Add(1) % pages; i > 0 {
					url += fmt.Sprintf("&offset=%d", i*50)
				}
				req, _ := http.NewRequest(http.MethodGet, url, nil)
				if !send(b, client, req, token, http.StatusOK) {
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	})
}

// BenchmarkAPIProbePost: POST /probes/ with 1000-probe bodies (b.N bodies,
// two clients); reports probes/s.
func BenchmarkAPIProbePost(b *testing.B) {
	const perBody = 1000
	forEachDialect(b, func(b *testing.B, env *benchEnv) {
		srv, token := apiServer(b, env)
		client := benchClient()
		env.runs++
		plan := env.g.planProbes(fmt.Sprintf("api-probes-%d", env.runs), b.N*perBody)
		bodies := make([][]byte, b.N)
		for i := range bodies {
			var items []map[string]any
			for _, p := range plan.patches(plan.entries[i*perBody : (i+1)*perBody]) {
				item := map[string]any{}
				for k, v := range p {
					switch x := v.(type) {
					case time.Time:
						item[k] = x.Format(time.RFC3339Nano)
					default:
						item[k] = x
					}
				}
				items = append(items, item)
			}
			var err error
			if bodies[i], err = json.Marshal(items); err != nil {
				b.Fatal(err)
			}
		}
		var next atomic.Int64
		b.SetParallelism(1)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := next.Add(1) - 1
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/plugins/inventory-monitor/probes/", bytes.NewReader(bodies[i]))
				req.Header.Set("Content-Type", "application/json")
				if !send(b, client, req, token, http.StatusCreated) {
					return
				}
			}
		})
		b.ReportMetric(float64(b.N*perBody)/b.Elapsed().Seconds(), "probes/s")
	})
}

// send makes one authenticated request and reports whether it got want.
func send(b *testing.B, client *http.Client, req *http.Request, token string, want int) bool {
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		b.Error(err)
		return false
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		body, _ := io.ReadAll(resp.Body)
		b.Errorf("status %d: %.300s", resp.StatusCode, body)
		return false
	}
	// Every body is read to its end (into a fixed buffer: io.ReadAll's
	// growing copies would cost the client more than the server's JSON).
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		b.Error(err)
		return false
	}
	return true
}
