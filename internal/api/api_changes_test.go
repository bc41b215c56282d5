package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/inventory-monitor/inventory-monitor/internal/api"
	"github.com/inventory-monitor/inventory-monitor/internal/auth"
)

// changes lists the change-log entries of one object, newest first.
func (e *env) changes(objectType string, objectID int64) []map[string]any {
	e.t.Helper()
	r := e.do("GET", pluginAPI+"object-changes/"+query("changed_object_type", objectType, "changed_object_id", fmt.Sprint(objectID)), nil)
	want(e.t, r, http.StatusOK)
	return r.results(e.t)
}

// TestWritesAreRecordedInTheChangeLog checks that API writes produce
// object changes carrying the response's X-Request-ID, the token's user
// and changelog_message, served filterable under object-changes/.
func TestWritesAreRecordedInTheChangeLog(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		r := e.do("POST", endpoint("assets"), map[string]any{"serial": "SN-1", "partnumber": "PN", "changelog_message": "initial import"})
		want(t, r, http.StatusCreated)
		assetID := id(t, r.obj(t))
		createRID := r.Header.Get("X-Request-ID")
		r = e.do("PATCH", detailPath("assets", assetID), map[string]any{"serial": "SN-2", "changelog_message": "fix serial"})
		want(t, r, http.StatusOK)
		updateRID := r.Header.Get("X-Request-ID")
		// Another object, written with a v1 token, must not show up in the filter.
		v1 := e.newToken(auth.TokenOptions{Version: 1, WriteEnabled: true})
		other := e.do("POST", endpoint("assets"), map[string]any{"serial": "OTHER"}, authz("Token "+v1))
		want(t, other, http.StatusCreated)
		r = e.do("DELETE", detailPath("assets", assetID), map[string]any{"changelog_message": "scrapped"})
		want(t, r, http.StatusNoContent)
		deleteRID := r.Header.Get("X-Request-ID")

		cs := e.changes("inventory_monitor.asset", assetID)
		if len(cs) != 3 {
			t.Fatalf("%d change-log entries, want 3: %v", len(cs), cs)
		}
		type entry struct {
			Action, RequestID, Message, UserName, Repr string
			User                                       any
			Pre, Post                                  bool
		}
		user := map[string]any{"id": e.user.ID, "display": "alice", "username": "alice"}
		var got []entry
		for _, c := range cs {
			action, _ := c["action"].(map[string]any)
			got = append(got, entry{fmt.Sprint(action["value"]), fmt.Sprint(c["request_id"]), fmt.Sprint(c["message"]), fmt.Sprint(c["user_name"]),
				fmt.Sprint(c["object_repr"]), c["user"], c["prechange_data"] != nil, c["postchange_data"] != nil})
			diff(t, "changed object", map[string]any{"changed_object_type": "inventory_monitor.asset", "changed_object_id": assetID},
				pick(c, "changed_object_type", "changed_object_id"))
		}
		diff(t, "entries (newest first)", []entry{
			{"delete", deleteRID, "scrapped", "alice", "PN [SN-2]", user, true, false},
			{"update", updateRID, "fix serial", "alice", "PN [SN-2]", user, true, true},
			{"create", createRID, "initial import", "alice", "PN [SN-1]", user, false, true},
		}, got)
		// NetBox's str(ObjectChange), with Django's content type name.
		diff(t, "displays", []any{"Inventory Monitor | asset PN [SN-2] deleted by alice", "Inventory Monitor | asset PN [SN-2] updated by alice",
			"Inventory Monitor | asset PN [SN-1] created by alice"}, []any{cs[0]["display"], cs[1]["display"], cs[2]["display"]})
		diff(t, "action labels", []any{"Deleted", "Updated", "Created"},
			[]any{cs[0]["action"].(map[string]any)["label"], cs[1]["action"].(map[string]any)["label"], cs[2]["action"].(map[string]any)["label"]})
		diff(t, "update snapshots", []any{"SN-1", "SN-2"},
			[]any{cs[1]["prechange_data"].(map[string]any)["serial"], cs[1]["postchange_data"].(map[string]any)["serial"]})

		t.Run("DetailAndFilters", func(t *testing.T) {
			e.t = t
			cid := id(t, cs[2])
			r := e.do("GET", fmt.Sprintf("%sobject-changes/%d/", pluginAPI, cid), nil)
			want(t, r, http.StatusOK)
			diff(t, "detail", cs[2], r.obj(t))
			diff(t, "url", e.url(fmt.Sprintf("%sobject-changes/%d/", pluginAPI, cid)), cs[2]["url"])
			wantJSON(t, e.do("GET", pluginAPI+"object-changes/999999/", nil), http.StatusNotFound, map[string]any{"detail": "No ObjectChange matches the given query."})

			r = e.do("GET", pluginAPI+"object-changes/"+query("request_id", updateRID), nil)
			want(t, r, http.StatusOK)
			diff(t, "by request id", []int64{id(t, cs[1])}, idsOf(t, r.results(t)))
			r = e.do("GET", pluginAPI+"object-changes/"+query("request_id", strings.ToUpper(strings.ReplaceAll(updateRID, "-", ""))), nil)
			diff(t, "by request id in another spelling", []int64{id(t, cs[1])}, idsOf(t, r.results(t)))
			r = e.do("GET", pluginAPI+"object-changes/"+query("action", "create"), nil)
			diff(t, "creates", 2, r.obj(t)["count"])
			otherChanges := e.changes("inventory_monitor.asset", id(t, other.obj(t)))
			if len(otherChanges) != 1 || otherChanges[0]["request_id"] != other.Header.Get("X-Request-ID") {
				t.Errorf("v1-token write: %v", otherChanges)
			}
			wantJSON(t, e.do("GET", pluginAPI+"object-changes/?changed_object_id=x", nil), http.StatusBadRequest,
				map[string]any{"changed_object_id": []string{"Enter a number."}})
			wantJSON(t, e.do("GET", pluginAPI+"object-changes/?action=rename", nil), http.StatusBadRequest,
				map[string]any{"action": []string{"Select a valid choice. rename is not one of the available choices."}})
			p := e.page(pluginAPI + "object-changes/?limit=1")
			diff(t, "paginated", 4, p.Count)
			if _, q := link(t, p.Next); q.Get("offset") != "1" {
				t.Errorf("next %v", p.Next)
			}
		})

		t.Run("BulkWritesShareTheRequestID", func(t *testing.T) {
			e.t = t
			r := e.do("POST", endpoint("contracts"), []any{
				map[string]any{"name": "A", "name_internal": "A", "type": "supply", "changelog_message": "batch"},
				map[string]any{"name": "B", "name_internal": "B", "type": "supply"},
			})
			want(t, r, http.StatusCreated)
			rid := r.Header.Get("X-Request-ID")
			cr := e.do("GET", pluginAPI+"object-changes/"+query("request_id", rid, "ordering", "id"), nil)
			res := cr.results(t)
			if len(res) != 2 {
				t.Fatalf("%d entries for the bulk create", len(res))
			}
			for _, c := range res {
				diff(t, "bulk entry", map[string]any{"changed_object_type": "inventory_monitor.contract", "request_id": rid, "message": "batch"},
					pick(c, "changed_object_type", "request_id", "message"))
			}
		})
	})
}

func idsOf(t testing.TB, objs []map[string]any) []int64 {
	out := []int64{}
	for _, o := range objs {
		out = append(out, id(t, o))
	}
	return out
}

// TestURLsHonourProxyHeadersAndBaseURL checks absolute URLs behind a proxy
// (X-Forwarded-Host/-Proto) and that a configured base URL wins.
func TestURLsHonourProxyHeadersAndBaseURL(t *testing.T) {
	proxied := []reqOpt{header("X-Forwarded-Host", "inv.example.org"), header("X-Forwarded-Proto", "https")}
	check := func(t *testing.T, e *env, base string, opts ...reqOpt) {
		t.Helper()
		tg := e.tag("Prod", "prod", "00ff00")
		r := e.do("POST", endpoint("asset-types"), map[string]any{"name": "T", "slug": "t"}, opts...)
		want(t, r, http.StatusCreated)
		typ := id(t, r.obj(t))
		r = e.do("POST", endpoint("assets"), []any{
			map[string]any{"serial": "A", "type": typ, "tags": []any{tg.ID}, "assigned_object_type": "dcim.rack", "assigned_object_id": 7},
			map[string]any{"serial": "B"},
		}, opts...)
		want(t, r, http.StatusCreated)
		a := r.list(t)[0].(map[string]any)
		aID := id(t, a)
		diff(t, "urls", map[string]any{
			"url":             fmt.Sprintf("%s/api/plugins/inventory-monitor/assets/%d/", base, aID),
			"display_url":     fmt.Sprintf("%s/plugins/inventory-monitor/assets/%d/", base, aID),
			"type":            fmt.Sprintf("%s/api/plugins/inventory-monitor/asset-types/%d/", base, typ),
			"assigned_object": base + "/api/dcim/racks/7/",
			"tag":             fmt.Sprintf("%s/api/extras/tags/%d/", base, tg.ID),
			"tag_display_url": fmt.Sprintf("%s/extras/tags/%d/", base, tg.ID),
		}, map[string]any{
			"url": a["url"], "display_url": a["display_url"], "type": a["type"].(map[string]any)["url"],
			"assigned_object": a["assigned_object"].(map[string]any)["url"],
			"tag":             a["tags"].([]any)[0].(map[string]any)["url"], "tag_display_url": a["tags"].([]any)[0].(map[string]any)["display_url"],
		})
		r = e.do("GET", endpoint("assets")+"?limit=1&serial__n=Z", nil, opts...)
		want(t, r, http.StatusOK)
		next, _ := r.obj(t)["next"].(string)
		if !strings.HasPrefix(next, base+"/api/plugins/inventory-monitor/assets/?") || !strings.Contains(next, "serial__n=Z") {
			t.Errorf("next %q does not start with %s or lost the filter", next, base)
		}
		r = e.do("GET", "/api/", nil, opts...)
		diff(t, "root", base+"/api/status/", r.obj(t)["status"])
	}
	t.Run("ForwardedHeaders", func(t *testing.T) {
		forEachDialect(t, func(t *testing.T, e *env) { check(t, e, "https://inv.example.org", proxied...) })
	})
	t.Run("ForwardedHostOnly", func(t *testing.T) {
		forEachDialect(t, func(t *testing.T, e *env) {
			check(t, e, "http://inv.example.org:8443", header("X-Forwarded-Host", "inv.example.org:8443"), header("X-Forwarded-Proto", "gopher"))
		})
	})
	t.Run("ConfiguredBaseURLWins", func(t *testing.T) {
		forEachDialect(t, func(t *testing.T, e *env) { check(t, e, "https://netbox.example.com", proxied...) },
			withOptions(func(o *api.Options) { o.BaseURL = "https://netbox.example.com/" }))
	})
	t.Run("ConfiguredBaseURLWithPrefix", func(t *testing.T) {
		forEachDialect(t, func(t *testing.T, e *env) { check(t, e, "https://example.com/netbox", proxied...) },
			withOptions(func(o *api.Options) { o.BaseURL = "https://example.com/netbox" }))
	})
}

// TestRMACompletionSwapsTheAssetSerial drives upstream's RMA rule through
// the API: moving an RMA to completed with a replacement serial gives the
// asset that serial, once, and logs the asset change under the request.
func TestRMACompletionSwapsTheAssetSerial(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		asset := id(t, e.create("assets", map[string]any{"serial": "OLD-1", "partnumber": "PN"}))
		rma := e.create("rmas", map[string]any{"asset": asset, "issue_description": "dead PSU", "rma_number": "R1"})
		diff(t, "original serial filled from the asset", "OLD-1", rma["original_serial"])
		diff(t, "default status", "investigating", rma["status"])

		r := e.do("PATCH", detailPath("rmas", id(t, rma)), map[string]any{"status": "completed", "replacement_serial": "NEW-1"})
		want(t, r, http.StatusOK)
		rid := r.Header.Get("X-Request-ID")
		diff(t, "rma after completion", map[string]any{"status": "completed", "original_serial": "OLD-1", "replacement_serial": "NEW-1",
			"display": "RMA#R1 PN (NEW-1) [Completed]"},
			pick(r.obj(t), "status", "original_serial", "replacement_serial", "display"))
		diff(t, "asset serial", "NEW-1", e.get("assets", asset)["serial"])
		cs := e.changes("inventory_monitor.asset", asset)
		if len(cs) < 2 || cs[0]["request_id"] != rid || cs[0]["action"].(map[string]any)["value"] != "update" {
			t.Errorf("asset change log does not record the swap under request %s: %v", rid, cs)
		}

		// Re-saving the completed RMA does not apply it again.
		e.do("PATCH", detailPath("assets", asset), map[string]any{"serial": "MANUAL"})
		r = e.do("PATCH", detailPath("rmas", id(t, rma)), map[string]any{"status": "completed", "replacement_serial": "NEW-2"})
		want(t, r, http.StatusOK)
		diff(t, "asset serial after re-save", "MANUAL", e.get("assets", asset)["serial"])

		// An RMA created as completed applies at once, with the pre-swap original serial.
		other := id(t, e.create("assets", map[string]any{"serial": "A-OLD"}))
		r = e.do("POST", endpoint("rmas"), map[string]any{"asset": other, "issue_description": "x", "status": "completed", "replacement_serial": "A-NEW"})
		want(t, r, http.StatusCreated)
		diff(t, "original serial", "A-OLD", r.obj(t)["original_serial"])
		diff(t, "asset serial", "A-NEW", e.get("assets", other)["serial"])

		// Completion without a replacement serial leaves the asset alone.
		third := id(t, e.create("assets", map[string]any{"serial": "T-1"}))
		r = e.do("POST", endpoint("rmas"), map[string]any{"asset": third, "issue_description": "x", "status": "completed"})
		want(t, r, http.StatusCreated)
		diff(t, "asset serial", "T-1", e.get("assets", third)["serial"])
	})
}

// changeLogFixture writes five change-log entries: alice creates three
// assets in one request, bob updates the first and deletes the third.
// It returns the asset ids and the entry ids, oldest first.
func changeLogFixture(t *testing.T, e *env) (assets, entries []int64) {
	t.Helper()
	r := e.do("POST", endpoint("assets"), []any{map[string]any{"serial": "C-1"}, map[string]any{"serial": "C-2"}, map[string]any{"serial": "C-3"}})
	want(t, r, http.StatusCreated)
	for _, a := range r.list(t) {
		assets = append(assets, id(t, a.(map[string]any)))
	}
	ctx := context.Background()
	if _, err := e.svc.CreateUser(ctx, "bob", "another horse battery", false); err != nil {
		t.Fatal(err)
	}
	bob, _, err := e.svc.CreateToken(ctx, "bob", auth.TokenOptions{Version: 2, WriteEnabled: true})
	if err != nil {
		t.Fatal(err)
	}
	want(t, e.do("PATCH", detailPath("assets", assets[0]), map[string]any{"serial": "C-1b"}, authz("Bearer "+bob)), http.StatusOK)
	want(t, e.do("DELETE", detailPath("assets", assets[2]), nil, authz("Bearer "+bob)), http.StatusNoContent)
	p := e.page(pluginAPI + "object-changes/?limit=100")
	entries = p.IDs
	slices.Reverse(entries)
	if len(entries) != 5 {
		t.Fatalf("%d change-log entries, want 5", len(entries))
	}
	return assets, entries
}

// TestChangeLogRefusesNullCharactersAndReplacesInvalidUTF8 checks that a
// NUL in a text parameter is a 400 naming the parameter (not a database
// error, nor a value cut at the NUL) and that invalid UTF-8 matches
// nothing, as on the entity lists.
func TestChangeLogRefusesNullCharactersAndReplacesInvalidUTF8(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		changeLogFixture(t, e)
		for _, param := range []string{"q", "changed_object_type", "request_id", "user_name", "user", "action", "changed_object_id", "id", "time_after"} {
			wantJSON(t, e.do("GET", pluginAPI+"object-changes/?"+param+"=a%00b", nil), http.StatusBadRequest,
				map[string]any{param: []string{"Null characters are not allowed."}})
		}
		// On SQLite "C%00" used to match every entry as "C".
		wantJSON(t, e.do("GET", pluginAPI+"object-changes/?q=C%00", nil), http.StatusBadRequest,
			map[string]any{"q": []string{"Null characters are not allowed."}})
		for _, param := range []string{"q", "changed_object_type", "request_id", "user_name", "object_repr__ic"} {
			p := e.page(pluginAPI + "object-changes/?" + param + "=%FFC%C3")
			diff(t, param+" with invalid UTF-8", page{Count: 0.0}, p)
		}
		// user names a user: a name no user has is refused.
		wantJSON(t, e.do("GET", pluginAPI+"object-changes/?user=%FFC%C3", nil), http.StatusBadRequest,
			map[string]any{"user": []string{"Select a valid choice. \uFFFDC\uFFFD is not one of the available choices."}})
	})
}

// TestChangeLogCursorPaginationFollowsNextToTheEnd checks ?start=: entries
// by id ascending from start, count and previous null, next carrying
// start=<last id + 1> and null on the last page, filters kept; start with
// offset or ordering is a 400.
func TestChangeLogCursorPaginationFollowsNextToTheEnd(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		_, entries := changeLogFixture(t, e)
		list := pluginAPI + "object-changes/"
		p := e.page(list + fmt.Sprintf("?start=%d&limit=2", entries[1]))
		diff(t, "first page", page{Count: nil, Previous: nil, IDs: entries[1:3]}, page{Count: p.Count, Previous: p.Previous, IDs: p.IDs})
		path, q := link(t, p.Next)
		diff(t, "next path", e.url(list), path)
		diff(t, "next query", url.Values{"start": {fmt.Sprint(entries[2] + 1)}, "limit": {"2"}}, q)

		// Following next ends: the last full page has no next.
		p = e.page(list + "?" + q.Encode())
		diff(t, "last page", page{IDs: entries[3:5]}, p)

		p = e.page(list + fmt.Sprintf("?start=%d&limit=10&action=create", entries[0]))
		diff(t, "filtered, one page", page{IDs: entries[:3]}, p)
		p = e.page(list + fmt.Sprintf("?start=%d&limit=1&action=update&action=delete", entries[0]))
		diff(t, "filtered page", entries[3:4], p.IDs)
		_, q = link(t, p.Next)
		diff(t, "filtered next", url.Values{"start": {fmt.Sprint(entries[3] + 1)}, "limit": {"1"}, "action": {"update", "delete"}}, q)
		diff(t, "past the end", page{}, e.page(list+fmt.Sprintf("?start=%d", entries[4]+1)))

		for _, c := range []struct{ query, msg string }{
			{"?start=1&offset=2", "The start and offset parameters cannot be used together."},
			{"?start=1&ordering=-time", "The start parameter cannot be combined with ordering."},
			{"?start=x", "Invalid start value: must be a non-negative integer."},
		} {
			wantJSON(t, e.do("GET", list+c.query, nil), http.StatusBadRequest, map[string]any{"start": []string{c.msg}})
		}
	})
}

// TestChangeLogFiltersByIDUserAndObjectID checks the id filter (repeated
// values ORed, numeric lookups), user as the username next to user_name
// and user_id, changed_object_id lookups, and that changed_object_type_id
// is refused with a hint instead of being ignored.
func TestChangeLogFiltersByIDUserAndObjectID(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		assets, entries := changeLogFixture(t, e)
		ids := func(query string) []int64 {
			t.Helper()
			p := e.page(pluginAPI + "object-changes/" + query + "&ordering=id")
			return append([]int64{}, p.IDs...)
		}
		diff(t, "id=a&id=b", []int64{entries[1], entries[3]}, ids(fmt.Sprintf("?id=%d&id=%d", entries[3], entries[1])))
		diff(t, "id__gte&id__lt", entries[1:4], ids(fmt.Sprintf("?id__gte=%d&id__lt=%d", entries[1], entries[4])))
		diff(t, "id__n", []int64{entries[0], entries[3]}, ids(fmt.Sprintf("?id__n=%d&id__n=%d&id__lt=%d", entries[1], entries[2], entries[4])))
		diff(t, "id__empty", []int64{}, ids("?id__empty=true"))
		diff(t, "changed_object_id__n", []int64{entries[1], entries[2], entries[4]}, ids(fmt.Sprintf("?changed_object_id__n=%d", assets[0])))
		diff(t, "changed_object_id", []int64{entries[2], entries[4]}, ids(fmt.Sprintf("?changed_object_id=%d", assets[2])))

		diff(t, "user=bob", entries[3:], ids("?user=bob"))
		diff(t, "user=alice&user=bob", entries, ids("?user=alice&user=bob"))
		for _, key := range []string{"user", "user__n"} {
			wantJSON(t, e.do("GET", pluginAPI+"object-changes/?"+key+"=nobody", nil), http.StatusBadRequest,
				map[string]any{key: []string{"Select a valid choice. nobody is not one of the available choices."}})
		}
		diff(t, "user__n=bob", entries[:3], ids("?user__n=bob"))
		wantJSON(t, e.do("GET", pluginAPI+"object-changes/?user_id=987654", nil), http.StatusBadRequest,
			map[string]any{"user_id": []string{"Select a valid choice. 987654 is not one of the available choices."}})
		diff(t, "user_name=alice", entries[:3], ids("?user_name=alice"))
		diff(t, "user and user_name are ANDed", []int64{}, ids("?user=bob&user_name=alice"))
		diff(t, "user_id", entries[:3], ids(fmt.Sprintf("?user_id=%d", e.user.ID)))
		repr, _ := e.do("GET", fmt.Sprintf("%sobject-changes/%d/", pluginAPI, entries[2]), nil).obj(t)["object_repr"].(string)
		var sameRepr []int64
		for _, id := range entries {
			if r, _ := e.do("GET", fmt.Sprintf("%sobject-changes/%d/", pluginAPI, id), nil).obj(t)["object_repr"].(string); r == repr {
				sameRepr = append(sameRepr, id)
			}
		}
		diff(t, "object_repr", sameRepr, ids("?object_repr="+url.QueryEscape(repr)))
		diff(t, "object_repr of nothing", []int64{}, ids("?object_repr=no-such-object"))

		for _, key := range []string{"changed_object_type_id", "changed_object_type_id__n"} {
			wantJSON(t, e.do("GET", pluginAPI+"object-changes/?"+key+"=5", nil), http.StatusBadRequest, map[string]any{key: []string{
				"Content type ids are NetBox's, which this server does not hold; " +
					"filter by changed_object_type (app_label.model, e.g. changed_object_type=inventory_monitor.asset) instead."}})
		}
		for _, c := range []struct{ query, key, msg string }{
			{"?id=x", "id", "Enter a number."},
			{"?id__gt=1.5.1", "id__gt", "Enter a number."},
			{"?id__empty=maybe", "id__empty", "Select a valid choice. maybe is not one of the available choices."},
			{"?changed_object_id__lt=x", "changed_object_id__lt", "Enter a number."},
			{"?user_id=alice", "user_id", "“alice” is not a valid value."},
		} {
			wantJSON(t, e.do("GET", pluginAPI+"object-changes/"+c.query, nil), http.StatusBadRequest, map[string]any{c.key: []string{c.msg}})
		}
		// Unknown filters and lookups are ignored.
		diff(t, "unknown", entries, ids("?colour=red&id__foo=1&user__ic=b"))
		// The text fields take NetBox's lookups.
		diff(t, "object_repr__ic", []int64{entries[0], entries[3]}, ids("?object_repr__ic=c-1"))
		diff(t, "user_name__nie", entries[3:], ids("?user_name__nie=ALICE"))
		diff(t, "action__n", entries[:3], ids("?action__n=update&action__n=delete"))
	})
}

// TestChangeLogOrdering checks ?ordering= on the change log: time and id
// both ways, other columns with ties broken by id, unknown names ignored,
// and newest first without it.
func TestChangeLogOrdering(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		_, entries := changeLogFixture(t, e)
		newest := slices.Clone(entries)
		slices.Reverse(newest)
		for _, c := range []struct {
			ordering string
			want     []int64
		}{
			{"", newest},
			{"id", entries},
			{"-id", newest},
			{"time", entries},  // every entry has the store clock's time: ties by id
			{"-time", entries}, // ties by id ascending, as on the entity lists
			{"-time,-id", newest},
			{"action", []int64{entries[0], entries[1], entries[2], entries[4], entries[3]}},
			{"-action,id", []int64{entries[3], entries[4], entries[0], entries[1], entries[2]}},
			{"user_name,-id", []int64{entries[2], entries[1], entries[0], entries[4], entries[3]}},
			{"colour,-changed_object_id,id", []int64{entries[2], entries[4], entries[1], entries[0], entries[3]}},
		} {
			p := e.page(pluginAPI + "object-changes/" + query("ordering", c.ordering))
			diff(t, "ordering="+c.ordering, c.want, p.IDs)
		}
	})
}

// TestChangeLogIgnoresEmptyParameterValues checks that a filter given
// without a value filters nothing, as on the entity lists.
func TestChangeLogIgnoresEmptyParameterValues(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		_, entries := changeLogFixture(t, e)
		p := e.page(pluginAPI + "object-changes/?action=&changed_object_id=&id=&id__gt=&user=&user_id=&user_name=&request_id=" +
			"&changed_object_type=&changed_object_type_id=&time_after=&time_before=&q=&ordering=&start=&offset=&limit=")
		diff(t, "count", float64(len(entries)), p.Count)
		diff(t, "action=&action=create", 3.0, e.page(pluginAPI+"object-changes/?action=&action=create").Count)
	})
}

// TestChangeLogBriefFieldsAndOmit checks ?brief (id, url, display,
// action), ?fields (wins over omit and brief) and ?omit on the change log's
// list and detail, as on the entity lists.
func TestChangeLogBriefFieldsAndOmit(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *env) {
		_, entries := changeLogFixture(t, e)
		list, detail := pluginAPI+"object-changes/", fmt.Sprintf("%sobject-changes/%d/", pluginAPI, entries[0])
		full := e.do("GET", detail, nil)
		want(t, full, http.StatusOK)
		keys := func(r *resp, list bool) []string {
			t.Helper()
			want(t, r, http.StatusOK)
			o := r.obj(t)
			if list {
				res := r.results(t)
				if len(res) == 0 {
					t.Fatalf("no results: %s", r)
				}
				o = res[0]
			}
			out := []string{}
			for k := range o {
				out = append(out, k)
			}
			slices.Sort(out)
			return out
		}
		for _, c := range []struct {
			query string
			want  []string
		}{
			{"brief=1", []string{"action", "display", "id", "url"}},
			{"brief=true&omit=url", []string{"action", "display", "id"}},
			{"fields=id,time,colour", []string{"id", "time"}},
			{"fields=id,user&brief=1&omit=id", []string{"id", "user"}},
			{"brief=&omit=prechange_data,postchange_data,user", []string{"action", "changed_object_id", "changed_object_type", "display", "display_url",
				"id", "message", "object_repr", "request_id", "time", "url", "user_name"}},
		} {
			diff(t, "list ?"+c.query, c.want, keys(e.do("GET", list+"?limit=1&"+c.query, nil), true))
			diff(t, "detail ?"+c.query, c.want, keys(e.do("GET", detail+"?"+c.query, nil), false))
		}
		r := e.do("GET", detail+"?brief=1", nil)
		diff(t, "brief values", pick(full.obj(t), "id", "url", "display", "action"), r.obj(t))
		p := e.page(list + fmt.Sprintf("?start=%d&limit=2&brief=1", entries[0]))
		diff(t, "brief cursor page", entries[:2], p.IDs)
	})
}
