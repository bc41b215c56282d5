package api_test

// The tags endpoint (/api/extras/tags/, NetBox extras.Tag) on both
// databases: its shape, filters, validation, permissions, change log, and
// tags created there put on objects and taken off when deleted.

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/inventory-monitor/inventory-monitor/internal/auth"
)

const tagsAPI = "/api/extras/tags/"

func tagPath(id int64) string { return fmt.Sprintf("%s%d/", tagsAPI, id) }

// createTag POSTs one tag and returns it (fails unless 201).
func (e *env) createTag(body map[string]any) map[string]any {
	e.t.Helper()
	r := e.do("POST", tagsAPI, body)
	want(e.t, r, http.StatusCreated)
	return r.obj(e.t)
}

func TestTagCreateAnswersNetBoxTagSerializerShape(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		got := e.createTag(map[string]any{"name": "Production", "slug": "prod", "color": "ff0000", "description": "live systems"})
		tid := id(t, got)
		base := e.srv.URL
		wantTag := map[string]any{
			"id": tid, "url": fmt.Sprintf("%s%s%d/", base, tagsAPI, tid), "display_url": fmt.Sprintf("%s/extras/tags/%d/", base, tid),
			"display": "Production", "name": "Production", "slug": "prod", "color": "ff0000", "description": "live systems",
			"tagged_items": 0, "created": "2026-03-15T12:00:00Z", "last_updated": "2026-03-15T12:00:00Z",
		}
		diff(t, "created tag", wantTag, got)
		wantJSON(t, e.do("GET", tagPath(tid), nil), http.StatusOK, wantTag)
		wantJSON(t, e.do("GET", tagsAPI, nil), http.StatusOK, map[string]any{"count": 1, "next": nil, "previous": nil, "results": []any{wantTag}})
		brief := e.do("GET", tagPath(tid)+"?brief=1", nil)
		wantJSON(t, brief, http.StatusOK, pick(wantTag, "id", "url", "display", "name", "slug", "color", "description"))
	})
}

func TestTagColorDefaultsToNetBoxGrey(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		got := e.createTag(map[string]any{"name": "plain", "slug": "plain"})
		diff(t, "defaults", map[string]any{"color": "9e9e9e", "description": ""}, pick(got, "color", "description"))
	})
}

func TestTagValidationErrorsAreFieldErrors(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		e.createTag(map[string]any{"name": "prod", "slug": "prod"})
		for _, c := range []struct {
			name string
			body any
			want any
		}{
			{"name and slug required", map[string]any{"color": "ff0000"},
				map[string]any{"name": []any{"This field is required."}, "slug": []any{"This field is required."}}},
			{"blank name", map[string]any{"name": " ", "slug": "x"}, map[string]any{"name": []any{"This field may not be blank."}}},
			{"name unique", map[string]any{"name": "prod", "slug": "prod2"}, map[string]any{"name": []any{"tag with this name already exists."}}},
			{"slug unique", map[string]any{"name": "prod2", "slug": "prod"}, map[string]any{"slug": []any{"tag with this slug already exists."}}},
			{"slug pattern", map[string]any{"name": "x", "slug": "a b"},
				map[string]any{"slug": []any{`Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.`}}},
			{"color six hex digits", map[string]any{"name": "x", "slug": "x", "color": "red"},
				map[string]any{"color": []any{"Enter a valid hexadecimal RGB color code."}}},
			{"name length", map[string]any{"name": strings.Repeat("x", 101), "slug": "x"},
				map[string]any{"name": []any{"Ensure this field has no more than 100 characters."}}},
			{"list aligned", []any{map[string]any{"name": "a", "slug": "a"}, map[string]any{"name": "b"}},
				[]any{map[string]any{}, map[string]any{"slug": []any{"This field is required."}}}},
			{"list reports every item", []any{map[string]any{"name": true, "slug": "q"}, map[string]any{"name": "prod", "slug": "z"}},
				[]any{map[string]any{"name": []any{"Not a valid string."}}, map[string]any{"name": []any{"tag with this name already exists."}}}},
		} {
			t.Run(c.name, func(t *testing.T) {
				e.t = t
				wantJSON(t, e.do("POST", tagsAPI, c.body), http.StatusBadRequest, c.want)
			})
		}
		e.t = t
		if n := e.tagCount(""); n != 1 {
			t.Errorf("%d tags after refused writes, want 1", n)
		}
	})
}

// tagCount is the count of the tag list with query ("" or "&a=b").
func (e *env) tagCount(query string) int {
	e.t.Helper()
	r := e.do("GET", tagsAPI+"?limit=1&brief=1"+query, nil)
	want(e.t, r, http.StatusOK)
	return int(r.obj(e.t)["count"].(float64))
}

func TestTagMissingIsNetBox404(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		notFound := map[string]any{"detail": "No Tag matches the given query."}
		wantJSON(t, e.do("GET", tagPath(999), nil), http.StatusNotFound, notFound)
		wantJSON(t, e.do("PATCH", tagPath(999), map[string]any{"color": "ffffff"}), http.StatusNotFound, notFound)
		wantJSON(t, e.do("PUT", tagPath(999), map[string]any{"color": "ffffff"}), http.StatusNotFound, notFound)
		wantJSON(t, e.do("DELETE", tagPath(999), nil), http.StatusNotFound, notFound)
	})
}

func TestTagListFiltersByIDNameSlugAndSearch(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		// NetBox's object-type filters are refused, not ignored.
		for _, param := range []string{"content_types", "object_types", "for_object_type_id"} {
			r := e.do("GET", tagsAPI+"?"+param+"=inventory_monitor.asset", nil)
			want(t, r, http.StatusBadRequest)
		}
		prod := id(t, e.createTag(map[string]any{"name": "Production", "slug": "prod", "description": "live"}))
		lab := id(t, e.createTag(map[string]any{"name": "Lab", "slug": "lab"}))
		spare := id(t, e.createTag(map[string]any{"name": "Spare", "slug": "spare-parts", "color": "00ff00"}))
		ids := func(query string) []int64 {
			t.Helper()
			var out []int64
			for _, m := range e.do("GET", tagsAPI+query, nil).results(t) {
				out = append(out, id(t, m))
			}
			return out
		}
		for query, want := range map[string][]int64{
			"":                         {lab, prod, spare}, // by name
			"?id=" + fmt.Sprint(prod):  {prod},
			"?name=Lab":                {lab},
			"?name=Lab&name=Spare":     {lab, spare},
			"?name__ic=o":              {prod},
			"?slug=spare-parts":        {spare},
			"?slug__n=prod":            {lab, spare},
			"?color=00ff00":            {spare},
			"?q=LIVE":                  {prod},
			"?q=spare":                 {spare},
			"?ordering=-name":          {spare, prod, lab},
			"?name=nothing":            nil,
			"?start=0&limit=2":         {prod, lab},
			"?limit=1&offset=1":        {prod},
			"?description__empty=true": {lab, spare},
		} {
			diff(t, "tags"+query, want, ids(query))
		}
		r := e.do("GET", tagsAPI+"?limit=1", nil)
		if next, _ := r.obj(t)["next"].(string); next != e.srv.URL+tagsAPI+"?limit=1&offset=1" {
			t.Errorf("next = %q", next)
		}
		want(t, e.do("GET", tagsAPI+"?id=x", nil), http.StatusBadRequest)
	})
}

func TestTagUpdateSetsOnlyGivenFields(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		tid := id(t, e.createTag(map[string]any{"name": "prod", "slug": "prod", "description": "d"}))
		e.createTag(map[string]any{"name": "lab", "slug": "lab"})
		r := e.do("PATCH", tagPath(tid), map[string]any{"color": "00ff00"})
		want(t, r, http.StatusOK)
		diff(t, "patched", map[string]any{"name": "prod", "slug": "prod", "color": "00ff00", "description": "d"},
			pick(r.obj(t), "name", "slug", "color", "description"))
		wantJSON(t, e.do("PATCH", tagPath(tid), map[string]any{"slug": "lab"}), http.StatusBadRequest,
			map[string]any{"slug": []any{"tag with this slug already exists."}})
		wantJSON(t, e.do("PUT", tagPath(tid), map[string]any{"name": "prod"}), http.StatusBadRequest,
			map[string]any{"slug": []any{"This field is required."}})
		want(t, e.do("PUT", tagPath(tid), map[string]any{"name": "Prod", "slug": "prod"}), http.StatusOK)
		bulk := e.do("PATCH", tagsAPI, []any{map[string]any{"id": tid, "description": "bulk"}})
		want(t, bulk, http.StatusOK)
		if got := bulk.list(t)[0].(map[string]any)["description"]; got != "bulk" {
			t.Errorf("bulk patched description = %v", got)
		}
	})
}

func TestTagWritesNeedAWriteEnabledToken(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		tid := id(t, e.createTag(map[string]any{"name": "prod", "slug": "prod"}))
		ro := "Bearer " + e.newToken(auth.TokenOptions{Version: 2})
		noPerm := map[string]any{"detail": "You do not have permission to perform this action."}
		wantJSON(t, e.do("GET", tagsAPI, nil, noAuth()), http.StatusForbidden, map[string]any{"detail": "Authentication credentials were not provided."})
		want(t, e.do("GET", tagPath(tid), nil, authz(ro)), http.StatusOK)
		wantJSON(t, e.do("POST", tagsAPI, map[string]any{"name": "x", "slug": "x"}, authz(ro)), http.StatusForbidden, noPerm)
		wantJSON(t, e.do("PATCH", tagPath(tid), map[string]any{"color": "000000"}, authz(ro)), http.StatusForbidden, noPerm)
		wantJSON(t, e.do("DELETE", tagPath(tid), nil, authz(ro)), http.StatusForbidden, noPerm)
		if n := e.tagCount(""); n != 1 {
			t.Errorf("%d tags, want 1", n)
		}
	})
}

func TestTagWritesAreInTheChangeLog(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		tid := id(t, e.createTag(map[string]any{"name": "prod", "slug": "prod", "changelog_message": "new"}))
		want(t, e.do("PATCH", tagPath(tid), map[string]any{"color": "00ff00"}), http.StatusOK)
		want(t, e.do("DELETE", tagPath(tid), nil), http.StatusNoContent)
		r := e.do("GET", pluginAPI+"object-changes/?changed_object_type=extras.tag&ordering=id", nil)
		want(t, r, http.StatusOK)
		var got []map[string]any
		for _, c := range r.results(t) {
			got = append(got, map[string]any{"action": c["action"].(map[string]any)["value"], "id": c["changed_object_id"],
				"repr": c["object_repr"], "user": c["user_name"], "message": c["message"], "display": c["display"]})
		}
		diff(t, "tag changes", []map[string]any{
			{"action": "create", "id": tid, "repr": "prod", "user": "alice", "message": "new", "display": "Extras | tag prod created by alice"},
			{"action": "update", "id": tid, "repr": "prod", "user": "alice", "message": "", "display": "Extras | tag prod updated by alice"},
			{"action": "delete", "id": tid, "repr": "prod", "user": "alice", "message": "", "display": "Extras | tag prod deleted by alice"},
		}, got)
		update := r.results(t)[1]
		diff(t, "update snapshots", []any{"9e9e9e", "00ff00"},
			[]any{update["prechange_data"].(map[string]any)["color"], update["postchange_data"].(map[string]any)["color"]})
	})
}

func TestTagCreatedByAPITagsAssetsAndItsDeleteUntagsThem(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		tid := id(t, e.createTag(map[string]any{"name": "prod", "slug": "prod", "color": "ff0000"}))
		asset := e.create("assets", map[string]any{"serial": "SN-1", "partnumber": "PN", "tags": []any{map[string]any{"name": "prod"}}})
		diff(t, "asset tags", []any{map[string]any{"id": tid, "url": e.srv.URL + tagPath(tid), "display_url": fmt.Sprintf("%s/extras/tags/%d/", e.srv.URL, tid),
			"display": "prod", "name": "prod", "slug": "prod", "color": "ff0000"}}, asset["tags"])
		e.create("assets", map[string]any{"serial": "SN-2", "partnumber": "PN"})
		if got := e.do("GET", tagPath(tid), nil).obj(t)["tagged_items"]; got != 1.0 {
			t.Errorf("tagged_items = %v, want 1", got)
		}
		if n := e.count("assets", "tag=prod"); n != 1 {
			t.Errorf("%d assets tagged prod, want 1", n)
		}
		want(t, e.do("DELETE", tagPath(tid), nil), http.StatusNoContent)
		want(t, e.do("GET", tagPath(tid), nil), http.StatusNotFound)
		got := e.do("GET", detailPath("assets", id(t, asset)), nil).obj(t)
		diff(t, "asset tags after the tag's delete", []any{}, got["tags"])
		want(t, e.do("GET", endpoint("assets")+"?tag=prod", nil), http.StatusBadRequest) // no such tag any more
	})
}

func TestTagBulkCreateAndDeleteAreAllOrNothing(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		r := e.do("POST", tagsAPI, []any{map[string]any{"name": "a", "slug": "a"}, map[string]any{"name": "b", "slug": "b"}})
		want(t, r, http.StatusCreated)
		l := r.list(t)
		a, b := id(t, l[0].(map[string]any)), id(t, l[1].(map[string]any))
		want(t, e.do("POST", tagsAPI, []any{map[string]any{"name": "c", "slug": "c"}, map[string]any{"name": "a", "slug": "a2"}}), http.StatusBadRequest)
		if n := e.tagCount(""); n != 2 {
			t.Errorf("%d tags after a refused bulk create, want 2", n)
		}
		want(t, e.do("DELETE", tagsAPI, []any{map[string]any{"id": a}, map[string]any{"id": b}}), http.StatusNoContent)
		if n := e.tagCount(""); n != 0 {
			t.Errorf("%d tags after bulk delete, want 0", n)
		}
	})
}
