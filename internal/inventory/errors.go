package inventory

import (
	"fmt"
	"sort"
	"strings"
)

// NonField is the key NetBox uses for errors about a whole object.
const NonField = "__all__"

// ValidationError maps field names to messages, the shape NetBox answers
// with on a 400: {"field": ["msg"], "__all__": ["msg"]}.
type ValidationError struct {
	Fields map[string][]string
}

// Add records a message for field; it returns the receiver for chaining.
func (e *ValidationError) Add(field, msg string) *ValidationError {
	if e.Fields == nil {
		e.Fields = map[string][]string{}
	}
	e.Fields[field] = append(e.Fields[field], msg)
	return e
}

// Merge copies every message of other into e.
func (e *ValidationError) Merge(other *ValidationError) {
	if other == nil {
		return
	}
	for f, msgs := range other.Fields {
		for _, m := range msgs {
			e.Add(f, m)
		}
	}
}

// Has reports whether field already has a message.
func (e *ValidationError) Has(field string) bool { return len(e.Fields[field]) > 0 }

// Empty reports whether no message was recorded.
func (e *ValidationError) Empty() bool { return e == nil || len(e.Fields) == 0 }

// Err returns e as an error, or nil when it holds no message.
func (e *ValidationError) Err() error {
	if e.Empty() {
		return nil
	}
	return e
}

func (e *ValidationError) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+strings.Join(e.Fields[k], " "))
	}
	return "validation failed: " + strings.Join(parts, "; ")
}

// FieldError is a shorthand for a ValidationError with one message.
func FieldError(field, msg string) *ValidationError {
	return (&ValidationError{}).Add(field, msg)
}

// BulkError carries the per-item errors of a bulk write, aligned with the
// input: Items[i] is nil for an item that was fine.
type BulkError struct {
	Items []*ValidationError
}

func (e *BulkError) Error() string {
	for i, it := range e.Items {
		if !it.Empty() {
			return fmt.Sprintf("item %d: %s", i, it.Error())
		}
	}
	return "bulk write failed"
}

// ProtectedError refuses a delete because other objects depend on the target.
type ProtectedError struct {
	Message string   // upstream's explanation, when it has one
	Objects []string // "<display> (<id>)" of each dependent object
}

func (e *ProtectedError) Error() string {
	if e.Message != "" {
		return e.Message
	}
	return fmt.Sprintf("Unable to delete object. %d dependent objects were found: %s",
		len(e.Objects), strings.Join(e.Objects, ", "))
}

// NotFoundError reports a missing object; Model is the model class name
// Django's message uses ("AssetType").
type NotFoundError struct {
	Model string // e.g. "AssetType"
	ID    int64
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("No %s matches the given query.", e.Model)
}
