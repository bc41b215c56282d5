// Package storetest is the conformance suite of store.Store: every field
// rule, entity rule, delete protection, change-log entry, filter and lookup
// of the inventory model. Each implementation runs it once per database
// kind (sqlstore: SQLite and PostgreSQL), so both behave identically.
//
// The suite never imports an implementation; it receives an Opener that
// returns a fresh, empty, migrated store whose clock is pinned to now.
package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/inventory-monitor/inventory-monitor/internal/config"
	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

// Opener returns a fresh, empty store whose clock always reads now and
// that filters with settings. It registers its own cleanup on t.
type Opener func(t *testing.T, now time.Time, settings config.Settings) store.Store

// Now is the pinned clock of the suite (a weekday noon, UTC).
var Now = time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)

// RawSQL is optionally implemented by a store that exposes its database;
// the tests that must bypass the store (database-level constraints, legacy
// rows) use it and are skipped when it is missing.
type RawSQL interface {
	DB() *sql.DB
}

// Run runs the whole conformance suite against stores from open.
func Run(t *testing.T, open Opener) {
	areas := []struct {
		name string
		fn   func(*testing.T, Opener)
	}{
		{"Fields", testFields},
		{"EntityRules", testEntityRules},
		{"RMA", testRMA},
		{"DeleteProtection", testDelete},
		{"ChangeLog", testChangeLog},
		{"BulkAtomicity", testBulk},
		{"Filters", testFilters},
		{"Lookups", testLookups},
		{"DateStatus", testDateStatus},
		{"ProbeSummaries", testProbeSummaries},
		{"Listing", testListing},
		{"Search", testSearch},
		{"SearchPages", testSearchPages},
		{"Counts", testCounts},
	}
	for _, a := range areas {
		t.Run(a.name, func(t *testing.T) { a.fn(t, open) })
	}
}

// env is one test's store with helpers that fail the test on unexpected
// errors.
type env struct {
	t        *testing.T
	ctx      context.Context
	s        store.Store
	now      time.Time
	today    time.Time
	settings config.Settings
	meta     store.Meta
	seq      *int
}

var testUserID int64 = 7

func newEnv(t *testing.T, open Opener) *env {
	return newEnvWith(t, open, config.DefaultSettings())
}

func newEnvWith(t *testing.T, open Opener, settings config.Settings) *env {
	t.Helper()
	return &env{
		t: t, ctx: context.Background(), s: open(t, Now, settings), now: Now, today: inventory.Today(Now),
		settings: settings, seq: new(int),
		meta: store.Meta{UserID: &testUserID, UserName: "tester", RequestID: "req-conformance", Message: "conformance"},
	}
}

func ent(name string) *schema.Entity {
	e := schema.Inventory.Entity(name)
	if e == nil {
		panic("unknown entity " + name)
	}
	return e
}

// next returns a number unique within the test, for unique values.
func (e *env) next() int { *e.seq++; return *e.seq }

// sharedEnv returns a constructor of views on one store, opened on first
// use and closed when the parent test ends: subtests whose assertions are
// scoped to their own objects share it, which keeps the suite fast (a fresh
// PostgreSQL database costs far more than the test itself). Each view has
// its own *testing.T and Meta.
func sharedEnv(parent *testing.T, open Opener) func(t *testing.T) *env {
	var base *env
	return func(t *testing.T) *env {
		if base == nil {
			base = newEnv(parent, open)
		}
		v := *base
		v.t = t
		return &v
	}
}

func (e *env) create(entity string, p store.Patch) *schema.Record {
	e.t.Helper()
	return e.createMany(entity, p)[0]
}

func (e *env) createMany(entity string, ps ...store.Patch) []*schema.Record {
	e.t.Helper()
	recs, err := e.s.Create(e.ctx, ent(entity), ps, e.meta)
	if err != nil {
		e.t.Fatalf("create %s %s: %v", entity, short(ps), err)
	}
	if len(recs) != len(ps) {
		e.t.Fatalf("create %s: got %d records for %d patches", entity, len(recs), len(ps))
	}
	return recs
}

// createErr expects the create to fail validation and returns the error.
func (e *env) createErr(entity string, ps ...store.Patch) *inventory.BulkError {
	e.t.Helper()
	_, err := e.s.Create(e.ctx, ent(entity), ps, e.meta)
	return e.bulkErr(err, len(ps))
}

func (e *env) bulkErr(err error, n int) *inventory.BulkError {
	e.t.Helper()
	var be *inventory.BulkError
	if !errors.As(err, &be) {
		e.t.Fatalf("got error %v (%T), want *inventory.BulkError", err, err)
	}
	if len(be.Items) != n {
		e.t.Fatalf("BulkError has %d items for %d inputs: %v", len(be.Items), n, be)
	}
	return be
}

// createFields expects a one-object create to fail and returns its field errors.
func (e *env) createFields(entity string, p store.Patch) map[string][]string {
	e.t.Helper()
	be := e.createErr(entity, p)
	if be.Items[0].Empty() {
		e.t.Fatalf("BulkError without messages for the only item")
	}
	return be.Items[0].Fields
}

func (e *env) update(entity string, id int64, p store.Patch) *schema.Record {
	e.t.Helper()
	recs, err := e.s.Update(e.ctx, ent(entity), []store.Update{{ID: id, Patch: p}}, e.meta)
	if err != nil {
		e.t.Fatalf("update %s %d %s: %v", entity, id, short(p), err)
	}
	return recs[0]
}

func (e *env) updateFields(entity string, id int64, p store.Patch) map[string][]string {
	e.t.Helper()
	_, err := e.s.Update(e.ctx, ent(entity), []store.Update{{ID: id, Patch: p}}, e.meta)
	be := e.bulkErr(err, 1)
	if be.Items[0].Empty() {
		e.t.Fatalf("BulkError without messages for the only item")
	}
	return be.Items[0].Fields
}

func (e *env) get(entity string, id int64) *schema.Record {
	e.t.Helper()
	r, err := e.s.Get(e.ctx, ent(entity), id)
	if err != nil {
		e.t.Fatalf("get %s %d: %v", entity, id, err)
	}
	return r
}

func (e *env) exists(entity string, id int64) bool {
	e.t.Helper()
	_, err := e.s.Get(e.ctx, ent(entity), id)
	var nf *inventory.NotFoundError
	if errors.As(err, &nf) {
		return false
	}
	if err != nil {
		e.t.Fatalf("get %s %d: %v", entity, id, err)
	}
	return true
}

func (e *env) del(entity string, ids ...int64) error {
	e.t.Helper()
	return e.s.Delete(e.ctx, ent(entity), ids, e.meta)
}

func (e *env) mustDelete(entity string, ids ...int64) {
	e.t.Helper()
	if err := e.del(entity, ids...); err != nil {
		e.t.Fatalf("delete %s %v: %v", entity, ids, err)
	}
}

// query parses a NetBox query string for entity; without limit it lists
// everything (up to filter.MaxLimit).
func (e *env) query(entity, qs string) filter.Query {
	e.t.Helper()
	v, err := url.ParseQuery(qs)
	if err != nil {
		e.t.Fatalf("bad query string %q: %v", qs, err)
	}
	q, err := filter.Parse(ent(entity), v)
	if err != nil {
		e.t.Fatalf("parse %s?%s: %v", entity, qs, err)
	}
	if !v.Has("limit") {
		q.Limit = filter.MaxLimit
	}
	return q
}

// changeQuery parses a NetBox query string for the change log.
func (e *env) changeQuery(qs string) filter.Query {
	e.t.Helper()
	v, err := url.ParseQuery(qs)
	if err != nil {
		e.t.Fatalf("bad query string %q: %v", qs, err)
	}
	q, err := filter.Parse(schema.ObjectChanges, v)
	if err != nil {
		e.t.Fatalf("parse object changes ?%s: %v", qs, err)
	}
	return q
}

// changeList lists change-log entries for a query string.
func (e *env) changeList(qs string) ([]store.ObjectChange, *int) {
	e.t.Helper()
	cs, n, err := e.s.Changes(e.ctx, e.changeQuery(qs))
	if err != nil {
		e.t.Fatalf("changes ?%s: %v", qs, err)
	}
	return cs, n
}

// addUser inserts a user row (the change log's user filters name users).
func (e *env) addUser(id int64, name string) {
	e.t.Helper()
	e.mustExec(fmt.Sprintf("INSERT INTO %s (id, username, created) VALUES (%d, '%s', '2026-01-01T00:00:00Z')", schema.UserTable, id, name))
}

func (e *env) list(entity, qs string) store.Page {
	e.t.Helper()
	page, err := e.s.List(e.ctx, ent(entity), e.query(entity, qs))
	if err != nil {
		e.t.Fatalf("list %s?%s: %v", entity, qs, err)
	}
	return page
}

// ids lists the ids matching qs in list order.
func (e *env) ids(entity, qs string) []int64 {
	e.t.Helper()
	page := e.list(entity, qs)
	out := make([]int64, len(page.Records))
	for i, r := range page.Records {
		out[i] = r.ID
	}
	return out
}

// idSet lists the ids matching qs, sorted.
func (e *env) idSet(entity, qs string) []int64 {
	e.t.Helper()
	ids := e.ids(entity, qs)
	slices.Sort(ids)
	return ids
}

// strs lists field of every record matching qs, sorted.
func (e *env) strs(entity, field, qs string) []string {
	e.t.Helper()
	page := e.list(entity, qs)
	out := make([]string, 0, len(page.Records))
	for _, r := range page.Records {
		out = append(out, r.Str(field))
	}
	slices.Sort(out)
	return out
}

func (e *env) count(entity string) int {
	e.t.Helper()
	page := e.list(entity, "")
	return *page.Count
}

// changes lists the change-log entries of one object, newest first.
func (e *env) changes(entity string, id int64) []store.ObjectChange {
	e.t.Helper()
	cs, _, err := e.s.Changes(e.ctx, e.changeQuery(fmt.Sprintf("changed_object_type=%s&changed_object_id=%d&limit=1000", ent(entity).ObjectType, id)))
	if err != nil {
		e.t.Fatalf("changes: %v", err)
	}
	return cs
}

func (e *env) allChanges() []store.ObjectChange {
	e.t.Helper()
	q := e.changeQuery("")
	q.Limit = 100000
	cs, _, err := e.s.Changes(e.ctx, q)
	if err != nil {
		e.t.Fatalf("changes: %v", err)
	}
	return cs
}

// db returns the raw database or skips the test.
func (e *env) db() *sql.DB {
	e.t.Helper()
	r, ok := e.s.(RawSQL)
	if !ok {
		e.t.Skip("store does not expose its database")
	}
	return r.DB()
}

// exec runs a literal SQL statement (no parameters: placeholder syntax
// differs between databases).
func (e *env) exec(stmt string) error {
	e.t.Helper()
	_, err := e.db().ExecContext(e.ctx, stmt)
	return err
}

func (e *env) mustExec(stmt string) {
	e.t.Helper()
	if err := e.exec(stmt); err != nil {
		e.t.Fatalf("%s: %v", stmt, err)
	}
}

// day returns today + n days (a Date value).
func (e *env) day(n int) time.Time { return e.today.AddDate(0, 0, n) }

func dec(s string) inventory.Decimal {
	d, err := inventory.ParseDecimal(s, 0)
	if err != nil {
		panic(err)
	}
	return d
}

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// valid returns a minimal valid patch for entity, creating what it must
// refer to. Unique fields get values unique within the test.
func (e *env) valid(entity string) store.Patch {
	e.t.Helper()
	n := e.next()
	switch entity {
	case schema.AssetTypeName:
		return store.Patch{"name": fmt.Sprintf("Type %d", n), "slug": fmt.Sprintf("type-%d", n)}
	case schema.AssetName:
		return store.Patch{"serial": fmt.Sprintf("SN-%d", n)}
	case schema.AssetServiceName:
		return store.Patch{"asset": e.create(schema.AssetName, e.valid(schema.AssetName)).ID,
			"contract": e.create(schema.ContractName, e.valid(schema.ContractName)).ID}
	case schema.ContractName:
		return store.Patch{"name": fmt.Sprintf("Contract %d", n), "name_internal": fmt.Sprintf("C-%d", n), "type": "supply"}
	case schema.ContractorName:
		return store.Patch{"name": fmt.Sprintf("Contractor %d", n)}
	case schema.InvoiceName:
		return store.Patch{"name": fmt.Sprintf("Invoice %d", n), "name_internal": fmt.Sprintf("I-%d", n),
			"contract": e.create(schema.ContractName, e.valid(schema.ContractName)).ID}
	case schema.ProbeName:
		return store.Patch{"time": e.now.Add(-time.Hour), "name": fmt.Sprintf("probe %d", n), "serial": fmt.Sprintf("PSN-%d", n)}
	case schema.RMAName:
		return store.Patch{"asset": e.create(schema.AssetName, e.valid(schema.AssetName)).ID, "issue_description": "broken"}
	case schema.ExternalInventoryName:
		return store.Patch{"inventory_number": fmt.Sprintf("INV-%d", n), "name": fmt.Sprintf("Item %d", n)}
	}
	e.t.Fatalf("no valid patch for %s", entity)
	return nil
}

// with returns a copy of p with the given key/value pairs set.
func with(p store.Patch, kv ...any) store.Patch {
	out := store.Patch{}
	for k, v := range p {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// without returns a copy of p without the given keys.
func without(p store.Patch, keys ...string) store.Patch {
	out := store.Patch{}
	for k, v := range p {
		if !slices.Contains(keys, k) {
			out[k] = v
		}
	}
	return out
}

func ids(recs ...*schema.Record) []int64 {
	out := make([]int64, len(recs))
	for i, r := range recs {
		out[i] = r.ID
	}
	slices.Sort(out)
	return out
}

// diff fails the test with a go-cmp diff when got != want.
func diff(t *testing.T, what string, want, got any, opts ...cmp.Option) {
	t.Helper()
	if d := cmp.Diff(want, got, opts...); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, d)
	}
}

// msgs is shorthand for a one-field error map.
func msgs(field string, m ...string) map[string][]string { return map[string][]string{field: m} }

// hasMsg reports whether errs holds msg for field.
func hasMsg(errs map[string][]string, field, msg string) bool {
	return slices.Contains(errs[field], msg)
}

func wantMsg(t *testing.T, errs map[string][]string, field, msg string) {
	t.Helper()
	if !hasMsg(errs, field, msg) {
		t.Errorf("want %s: %q, got errors %v", field, msg, errs)
	}
}

func join(ss ...string) string { return strings.Join(ss, "&") }

func urlEscape(s string) string { return url.QueryEscape(s) }

func parseQS(qs string) (url.Values, error) { return url.ParseQuery(qs) }

// short renders v for a failure message, cut to a readable length.
func short(v any) string {
	s := fmt.Sprint(v)
	if r := []rune(s); len(r) > 300 {
		return string(r[:300]) + "…"
	}
	return s
}
