package schema

import "github.com/inventory-monitor/inventory-monitor/internal/inventory"

// UserTable holds the users who sign in and own tokens.
const UserTable = "inventory_monitor_user"

// ObjectChanges describes the change log (NetBox's ObjectChange) to the
// query language: its columns, filters, search and ordering, so that
// its list reads filters, lookups and ordering as the entity lists do. It
// is not an entity of the Inventory registry: the change log is written
// only by the store, beside the objects it records.
var ObjectChanges = func() *Entity {
	e := &Entity{
		Name: "objectchange", Model: "ObjectChange", Verbose: "Object Change", Plural: "Object Changes",
		Table: ObjectChangeTable, Path: "object-changes",
		Fields: []*Field{
			{Name: "time", Kind: DateTime},
			{Name: "user", Column: "user_id", Kind: Int, Null: true},
			{Name: "user_name", Kind: String},
			{Name: "request_id", Kind: String},
			{Name: "action", Kind: Choice, Choices: &inventory.ObjectChangeAction},
			{Name: "changed_object_type", Kind: String},
			{Name: "changed_object_id", Kind: Int},
			{Name: "object_repr", Kind: String},
			{Name: "message", Kind: String},
			{Name: "prechange_data", Kind: JSON, Null: true},
			{Name: "postchange_data", Kind: JSON, Null: true},
		},
		Ordering: []string{"-time", "-id"},
		// NetBox's ObjectChangeFilterSet.search, and the message.
		Search: []string{"t.user_name", "t.object_repr", "t.message"},
		Filters: []*Filter{
			// user is the user's name, user_id the user (model choice
			// filters: a value naming no user is refused).
			{Key: "user", Type: FString, Expr: "u.username", Base: "exact", Extra: []string{"n"}, ValidIn: UserTable + ".username",
				Exists: "EXISTS (SELECT 1 FROM " + UserTable + " u WHERE u.id = t.user_id AND %s)"},
			{Key: "user_id", Type: FID, Expr: "t.user_id", Base: "exact", Variants: true, ValidIn: UserTable + ".id"},
			// NetBox's ContentTypeFilter: one app_label.model (the last
			// given), case-insensitive (the store lowercases it).
			{Key: "changed_object_type", Type: FString, Expr: "t.changed_object_type", Base: "exact", Single: true},
			{Key: "changed_object_type_id", Type: FString, NeedsNetBox: "Content type ids are NetBox's, which this server does not hold; " +
				"filter by changed_object_type (app_label.model, e.g. changed_object_type=inventory_monitor.asset) instead."},
			// DateTimeFromToRangeFilter on time.
			{Key: "time_after", Type: FDateTime, Expr: "t.time", Base: "gte", Single: true},
			{Key: "time_before", Type: FDateTime, Expr: "t.time", Base: "lte", Single: true},
		},
	}
	newRegistry(e)
	// NetBox's DateTimeFromToRangeFilter replaces the time field's own
	// filters: time_after and time_before only (time=... is ignored).
	delete(e.filterByKey, "time")
	return e
}()
