package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

func snapshot(t *testing.T, data json.RawMessage) map[string]any {
	t.Helper()
	if data == nil {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("snapshot %s: %v", data, err)
	}
	return m
}

func testChangeLog(t *testing.T, open Opener) {
	view := sharedEnv(t, open)
	t.Run("CreateUpdateDeleteEachWriteOneEntry", func(t *testing.T) {
		e := view(t)
		tg := e.tag("prod")
		e.meta = store.Meta{UserID: &testUserID, UserName: "alice", RequestID: "req-create", Message: "initial import"}
		a := e.create(schema.AssetName, store.Patch{"serial": "SN-1", "partnumber": "PN", "price": dec("12.5"), "currency": "EUR",
			"warranty_end": date("2027-01-31"), "tags": []int64{tg.ID}})
		e.meta = store.Meta{UserName: "bob", RequestID: "req-update", Message: "fix serial"}
		e.update(schema.AssetName, a.ID, store.Patch{"serial": "SN-2"})
		e.meta = store.Meta{UserName: "carol", RequestID: "req-delete"}
		e.mustDelete(schema.AssetName, a.ID)

		cs := e.changes(schema.AssetName, a.ID)
		type entry struct {
			Action, User, Request, Message, Repr string
			UserID                               *int64
			Pre, Post                            bool
		}
		var got []entry
		for _, c := range cs {
			got = append(got, entry{c.Action, c.UserName, c.RequestID, c.Message, c.ObjectRepr, c.UserID, c.PrechangeData != nil, c.PostchangeData != nil})
			if c.ChangedObjectType != "inventory_monitor.asset" || c.ChangedObjectID != a.ID {
				t.Errorf("entry for %s %d", c.ChangedObjectType, c.ChangedObjectID)
			}
			if !c.Time.Equal(e.now) {
				t.Errorf("entry time %v, want the store clock %v", c.Time, e.now)
			}
		}
		diff(t, "entries (newest first)", []entry{
			{"delete", "carol", "req-delete", "", "PN [SN-2]", nil, true, false},
			{"update", "bob", "req-update", "fix serial", "PN [SN-2]", nil, true, true},
			{"create", "alice", "req-create", "initial import", "PN [SN-1]", &testUserID, false, true},
		}, got)
		if len(cs) != 3 {
			t.FailNow()
		}
		post := snapshot(t, cs[2].PostchangeData)
		diff(t, "create snapshot", map[string]any{"id": float64(a.ID), "serial": "SN-1", "partnumber": "PN", "price": 12.5, "currency": "EUR",
			"warranty_end": "2027-01-31", "tags": []any{"prod"}, "assignment_status": "stocked", "quantity": float64(1)},
			pick(post, "id", "serial", "partnumber", "price", "currency", "warranty_end", "tags", "assignment_status", "quantity"))
		diff(t, "update pre/post serial", []any{"SN-1", "SN-2"}, []any{snapshot(t, cs[1].PrechangeData)["serial"], snapshot(t, cs[1].PostchangeData)["serial"]})
		diff(t, "delete pre", "SN-2", snapshot(t, cs[0].PrechangeData)["serial"])
	})

	t.Run("ChangesFilterAndPage", func(t *testing.T) {
		e := newEnv(t, open)
		e.meta.RequestID = "bulk-1"
		as := e.createMany(schema.AssetName, e.valid(schema.AssetName), e.valid(schema.AssetName), e.valid(schema.AssetName))
		e.meta.RequestID = "bulk-2"
		e.create(schema.ContractName, e.valid(schema.ContractName))
		e.update(schema.AssetName, as[0].ID, store.Patch{"description": "x"})

		e.addUser(testUserID, "tester")
		q := func(qs string) ([]store.ObjectChange, int) {
			t.Helper()
			cs, n := e.changeList(qs)
			if n == nil {
				t.Fatalf("no count for %s", qs)
			}
			return cs, *n
		}
		after, before := e.now.Add(-time.Second), e.now.Add(time.Second)
		for _, c := range []struct {
			name, query string
			want        int
		}{
			{"bulk-1 entries", "request_id=bulk-1", 3},
			{"object type ignoring case (ContentTypeFilter)", "changed_object_type=Inventory_Monitor.ASSET&request_id=bulk-1", 3},
			{"time itself is no filter (DateTimeFromToRangeFilter)", "time=garbage&time__gte=x", 5},
			{"bulk-1 or bulk-2 entries", "request_id=bulk-1&request_id=bulk-2", 5},
			{"two objects", fmt.Sprintf("changed_object_id=%d&changed_object_id=%d&changed_object_type=inventory_monitor.asset", as[0].ID, as[1].ID), 3},
			{"by user", fmt.Sprintf("user_name=tester&user_id=%d", testUserID), 5},
			{"by the user's name", "user=tester", 5},
			{"by a name no entry has", "user_name=nobody", 0},
			{"text lookups", "object_repr__ic=contract&action__n=delete", 1},
			{"time window", "time_after=" + url.QueryEscape(after.Format(time.RFC3339Nano)) + "&time_before=" + url.QueryEscape(before.Format(time.RFC3339Nano)), 5},
			{"after the clock", "time_after=" + url.QueryEscape(before.Format(time.RFC3339Nano)), 0},
			{"q on object_repr", "q=CONTRACT", 1},
			{"q on message", "q=conformance", 5},
			{"q on user_name", "q=TESTER", 5},
		} {
			_, n := q(c.query)
			diff(t, c.name, c.want, n)
		}
		cs, n := q("changed_object_type=inventory_monitor.asset&action=update")
		if n != 1 || len(cs) != 1 || cs[0].ChangedObjectID != as[0].ID {
			t.Errorf("update entries: %d %v", n, cs)
		}
		cs, n = q("changed_object_type=inventory_monitor.asset&limit=2&offset=1")
		if n != 4 || len(cs) != 2 {
			t.Errorf("paged: total %d, page %d; want 4 and 2", n, len(cs))
		}
		for _, qs := range []string{"user=nobody", "user_id=987654"} {
			if _, _, err := e.s.Changes(e.ctx, e.changeQuery(qs)); !errors.As(err, new(*filter.Error)) {
				t.Errorf("%s: %v, want a filter error (no such user)", qs, err)
			}
		}
		one, err := e.s.Change(e.ctx, cs[0].ID)
		if err != nil || one.ID != cs[0].ID || one.ChangedObjectType != "inventory_monitor.asset" {
			t.Errorf("Change(%d) = %+v, %v", cs[0].ID, one, err)
		}
		if _, err := e.s.Change(e.ctx, 987654); !errors.As(err, new(*inventory.NotFoundError)) {
			t.Errorf("Change(missing) = %v, want NotFoundError", err)
		}
		all, _ := q("limit=100")
		for i := 1; i < len(all); i++ {
			if all[i-1].Time.Before(all[i].Time) || (all[i-1].Time.Equal(all[i].Time) && all[i-1].ID < all[i].ID) {
				t.Errorf("entries not newest first: %d before %d", all[i-1].ID, all[i].ID)
			}
		}
	})

	t.Run("ChangesByIDLookupsUserOrderingAndCursor", func(t *testing.T) {
		e := newEnv(t, open)
		e.meta = store.Meta{UserName: "alice", RequestID: "r-1"}
		as := e.createMany(schema.AssetName, e.valid(schema.AssetName), e.valid(schema.AssetName), e.valid(schema.AssetName))
		e.meta = store.Meta{UserName: "bob", RequestID: "r-2"}
		e.update(schema.AssetName, as[0].ID, store.Patch{"description": "x"})
		e.mustDelete(schema.AssetName, as[2].ID)
		all := e.allChanges() // newest first
		if len(all) != 5 {
			t.Fatalf("%d entries, want 5", len(all))
		}
		ids := func(cs []store.ObjectChange) []int64 {
			out := []int64{}
			for _, c := range cs {
				out = append(out, c.ID)
			}
			return out
		}
		asc := ids(all)
		slices.Reverse(asc)
		list := func(qs string) ([]int64, *int) {
			t.Helper()
			cs, n := e.changeList(qs)
			return ids(cs), n
		}
		got, n := list(fmt.Sprintf("id=%d&id=%d&ordering=id", asc[1], asc[3]))
		diff(t, "id=a&id=b", []int64{asc[1], asc[3]}, got)
		diff(t, "its count", 2, *n)
		got, _ = list(fmt.Sprintf("id__gte=%d&id__lt=%d&id__n=%d&ordering=id", asc[1], asc[4], asc[2]))
		diff(t, "id__gte, id__lt and id__n", []int64{asc[1], asc[3]}, got)
		got, _ = list("id__empty=true")
		diff(t, "id__empty=true", []int64{}, got)
		got, _ = list(fmt.Sprintf("changed_object_id__n=%d&ordering=id", as[0].ID))
		diff(t, "changed_object_id__n", []int64{asc[1], asc[2], asc[4]}, got)

		got, _ = list("user_name=bob&ordering=id")
		diff(t, "user_name=bob", []int64{asc[3], asc[4]}, got)
		got, _ = list("user_name__isw=BO&ordering=id")
		diff(t, "user_name__isw=BO", []int64{asc[3], asc[4]}, got)
		got, _ = list("user_name=bob&request_id=r-1")
		diff(t, "different filters are ANDed", []int64{}, got)

		got, _ = list("ordering=-id")
		diff(t, "ordering -id", ids(all), got)
		got, _ = list("ordering=nonsense,action,-id")
		diff(t, "ordering action,-id (unknown names ignored)", []int64{asc[2], asc[1], asc[0], asc[4], asc[3]}, got)
		got, _ = list("ordering=-time,-id")
		diff(t, "ordering -time,-id", ids(all), got)
		got, _ = list("ordering=time")
		diff(t, "ordering time (ties by id)", asc, got)

		got, n = list(fmt.Sprintf("start=%d&limit=2", asc[1]))
		diff(t, "cursor page: by id from start", []int64{asc[1], asc[2]}, got)
		if n != nil {
			t.Errorf("cursor mode counted %d entries", *n)
		}
		got, _ = list(fmt.Sprintf("start=%d", asc[4]+1))
		diff(t, "cursor past the end", []int64{}, got)
	})

	t.Run("LongMetaValuesAreCutNotRefused", func(t *testing.T) {
		e := view(t)
		long := strings.Repeat("r", 80)
		e.meta = store.Meta{UserName: strings.Repeat("u", 200), RequestID: long, Message: strings.Repeat("m", 300)}
		a := e.create(schema.AssetName, e.valid(schema.AssetName))
		cs := e.changes(schema.AssetName, a.ID)
		if len(cs) != 1 {
			t.Fatalf("%d entries", len(cs))
		}
		diff(t, "lengths", []int{150, 36, 200}, []int{len(cs[0].UserName), len(cs[0].RequestID), len(cs[0].Message)})
		got, _, err := e.s.Changes(e.ctx, e.changeQuery("request_id="+long))
		if err != nil || len(got) != 1 {
			t.Errorf("query by the long request id: %d entries, %v", len(got), err)
		}
	})

	t.Run("EveryChangeLoggedEntityIsLogged", func(t *testing.T) {
		e := view(t)
		for _, en := range schema.Inventory.Entities {
			r := e.create(en.Name, e.valid(en.Name))
			cs := e.changes(en.Name, r.ID)
			if !en.ChangeLogged {
				continue
			}
			if len(cs) != 1 || cs[0].Action != "create" || cs[0].ObjectRepr != r.String() {
				t.Errorf("%s: entries %+v, want one create with repr %q", en.Name, cs, r.String())
			}
		}
	})

	t.Run("ProbesWriteNoEntries", func(t *testing.T) {
		e := view(t)
		before := len(e.allChanges())
		p := e.create(schema.ProbeName, e.valid(schema.ProbeName))
		e.update(schema.ProbeName, p.ID, store.Patch{"name": "renamed"})
		e.mustDelete(schema.ProbeName, p.ID)
		if n := len(e.allChanges()) - before; n != 0 {
			t.Errorf("probe writes logged %d entries", n)
		}
	})

	t.Run("FailedBulkWriteLeavesNoRowsAndNoEntries", func(t *testing.T) {
		e := view(t)
		assets, changes := e.count(schema.AssetName), len(e.allChanges())
		e.createErr(schema.AssetName, e.valid(schema.AssetName), store.Patch{"serial": ""}, e.valid(schema.AssetName))
		if n := e.count(schema.AssetName) - assets; n != 0 {
			t.Errorf("%d assets stored", n)
		}
		if n := len(e.allChanges()) - changes; n != 0 {
			t.Errorf("%d change-log entries written", n)
		}
	})
}

func pick(m map[string]any, keys ...string) map[string]any {
	out := map[string]any{}
	for _, k := range keys {
		if v, ok := m[k]; ok {
			out[k] = v
		}
	}
	return out
}
