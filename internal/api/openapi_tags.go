package api

import (
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
)

// tags documents NetBox's tags endpoint (tags.go) as the entity endpoints
// are documented, with the tag's usage count.
func (b *oaBuilder) tags() {
	e := schema.Tags
	b.endpoint(e, TagsAPIPath, "extras", func(action string) string { return "extras_tags_" + action })
	count := oaReadOnly(oaInteger())
	count.Min = oaPtr(0.0)
	count.Description = "Number of objects the tag is on."
	oaProp(b.doc.Components.Schemas[oaComponentName(e)].Value, "tagged_items", oaInline(count), true)
}
