// Package store defines the storage contract of inventory-monitor; the
// SQL implementation is in sqlstore and the conformance suite that every
// implementation must pass is in storetest.
package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
)

// Patch holds the fields a write sets, by field name, as typed values
// (see schema.Kind); a present key with a nil value sets NULL. The key
// "tags" holds []int64 tag ids. For updates, "id" is not used: the id is
// given separately.
type Patch map[string]any

// Update is one object's patch in a bulk update.
type Update struct {
	ID    int64
	Patch Patch
}

// Meta describes who writes and why; it ends up in the change log.
type Meta struct {
	UserID    *int64
	UserName  string
	RequestID string
	Message   string // changelog_message
	// CheckOnly runs every rule of a Create or Update and writes nothing;
	// the result is nil records and the validation error, if any.
	CheckOnly bool
	// SkipMissing makes Update and Delete pass over ids that name no
	// object, as NetBox's bulk views (pk__in) do, instead of failing with
	// a NotFoundError; a BulkError stays aligned with the given updates.
	SkipMissing bool
}

// Page is one page of a list.
type Page struct {
	Records []*schema.Record
	Count   *int // nil in cursor mode
}

// ObjectChange is one change-log entry (NetBox core.ObjectChange).
type ObjectChange struct {
	ID                int64
	Time              time.Time
	UserID            *int64
	UserName          string
	RequestID         string
	Action            string // create, update, delete
	ChangedObjectType string
	ChangedObjectID   int64
	ObjectRepr        string
	Message           string
	PrechangeData     json.RawMessage
	PostchangeData    json.RawMessage
}

// ProbeSummary is an asset's probe data: the newest probe matched by its
// serial or one of its RMA serials.
type ProbeSummary struct {
	LastProbe *time.Time
	Recent    bool
}

// TagInfo is a tag as its endpoint serves it (NetBox extras.Tag): with
// its timestamps and the number of objects it labels.
type TagInfo struct {
	schema.Tag
	Created, LastUpdated *time.Time
	TaggedItems          int
}

// Store is the persistence of every entity of schema.Inventory.
type Store interface {
	Get(ctx context.Context, e *schema.Entity, id int64) (*schema.Record, error)
	List(ctx context.Context, e *schema.Entity, q filter.Query) (Page, error)
	// Create, Update and Delete are atomic: one failing item writes nothing.
	// Validation failures are *inventory.BulkError (aligned with the input),
	// delete refusals *inventory.ProtectedError, missing objects
	// *inventory.NotFoundError.
	Create(ctx context.Context, e *schema.Entity, patches []Patch, m Meta) ([]*schema.Record, error)
	Update(ctx context.Context, e *schema.Entity, updates []Update, m Meta) ([]*schema.Record, error)
	Delete(ctx context.Context, e *schema.Entity, ids []int64, m Meta) error
	// ProbeSummaries returns the probe data of the given assets.
	ProbeSummaries(ctx context.Context, assetIDs []int64) (map[int64]ProbeSummary, error)
	// Tags
	CreateTag(ctx context.Context, t schema.Tag) (schema.Tag, error)
	Tags(ctx context.Context) ([]schema.Tag, error)
	// ListTags lists tags matching q (parsed for schema.Tags) with the
	// number of matching tags (nil in cursor mode); GetTag returns one or
	// *inventory.NotFoundError. CreateTags, UpdateTags and DeleteTags
	// write as Create, Update and Delete do (atomic, validated, change
	// logged, m's CheckOnly and SkipMissing); deleting a tag takes it off
	// every object it labels.
	ListTags(ctx context.Context, q filter.Query) ([]TagInfo, *int, error)
	GetTag(ctx context.Context, id int64) (TagInfo, error)
	CreateTags(ctx context.Context, patches []Patch, m Meta) ([]TagInfo, error)
	UpdateTags(ctx context.Context, updates []Update, m Meta) ([]TagInfo, error)
	DeleteTags(ctx context.Context, ids []int64, m Meta) error
	// FindIDs returns the ids, at most limit, of the objects whose "id"
	// or text, choice or integer fields equal attrs exactly (nil: NULL);
	// an attribute that is no such field is an error.
	FindIDs(ctx context.Context, e *schema.Entity, attrs map[string]any, limit int) ([]int64, error)
	// Changes lists change-log entries matching q (parsed for
	// schema.ObjectChanges), newest first unless q orders them otherwise,
	// with the number of matching entries (nil in cursor mode, q.Start
	// set). An invalid filter value is a *filter.Error.
	Changes(ctx context.Context, q filter.Query) ([]ObjectChange, *int, error)
	// Change returns one entry or *inventory.NotFoundError.
	Change(ctx context.Context, id int64) (ObjectChange, error)
	Close() error
}
