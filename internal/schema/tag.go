package schema

// Tags describes NetBox's extras.Tag, served at /api/extras/tags/, to the
// query language and the store's field checks: its columns, filters,
// search and ordering. Like ObjectChanges it is not an entity of the
// Inventory registry: tags are labels of every entity, written through
// their own endpoint, and their rows are read with their usage count.
var Tags = func() *Entity {
	e := &Entity{
		Name: "tag", Model: "Tag", Verbose: "Tag", Plural: "Tags",
		Table: TagTable, Path: "tags", ObjectType: "extras.tag",
		Fields: []*Field{
			{Name: "name", Kind: String, MaxLen: 100, Required: true, Unique: true},
			{Name: "slug", Kind: String, MaxLen: 100, Required: true, Unique: true, Format: Slug},
			// NetBox's ColorField default (ColorChoices.COLOR_GREY).
			{Name: "color", Kind: String, MaxLen: 6, Default: "9e9e9e", Format: Color},
			{Name: "description", Kind: String, MaxLen: 200, Default: ""},
			{Name: "created", Kind: DateTime, Null: true, ReadOnly: true},
			{Name: "last_updated", Kind: DateTime, Null: true, ReadOnly: true},
		},
		HasTimestamps: true,
		ChangeLogged:  true,
		Ordering:      []string{"name"},
		// NetBox's TagFilterSet.search: name, slug and description.
		Search:      []string{"t.name", "t.slug", "t.description"},
		APIFields:   []string{"id", "url", "display_url", "display", "name", "slug", "color", "description", "tagged_items", "created", "last_updated"},
		BriefFields: []string{"id", "url", "display", "name", "slug", "color", "description"},
		Filters: []*Filter{
			// NetBox's tag filters by the object types a tag is allowed on
			// or used with: answering every tag would be worse than saying so.
			objectTypesUnsupported("content_types"), objectTypesUnsupported("object_types"),
			objectTypesUnsupported("for_object_type_id"),
		},
		DisplayFields: []string{"name"},
		Display:       func(r *Record) string { return r.Str("name") },
	}
	newRegistry(e)
	return e
}()

func objectTypesUnsupported(key string) *Filter {
	return &Filter{Key: key, Type: FString, NeedsNetBox: "Tags here are not restricted to object types; filter by name, slug or q instead."}
}
