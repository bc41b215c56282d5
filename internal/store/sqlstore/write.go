package sqlstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

// pending is one object being written: its new state, its stored state
// (nil on create), the keys the input set and its errors.
type pending struct {
	rec   *schema.Record
	old   *schema.Record
	patch store.Patch // the input: which fields it sets, null included
	tags  []int64     // nil: unchanged
	errs  *inventory.ValidationError
}

// present reports whether the input sets field f (to null included);
// read-only fields are never set by input.
func (p *pending) present(f *schema.Field) bool {
	_, ok := p.patch[f.Name]
	return ok && !f.ReadOnly
}

func (s *Store) stamp() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Create inserts new objects atomically.
func (s *Store) Create(ctx context.Context, e *schema.Entity, patches []store.Patch, m store.Meta) ([]*schema.Record, error) {
	var out []*schema.Record
	err := s.inTx(ctx, func(tx *writeTx) error {
		var err error
		out, err = s.create(ctx, tx, e, patches, m)
		return err
	})
	return out, err
}

// newPending is a new object of e: the fields' defaults, then the patch.
func (s *Store) newPending(e *schema.Entity, patch store.Patch) *pending {
	r := schema.NewRecord(e)
	for _, f := range e.Fields {
		if f.Default != nil {
			r.Values[f.Name] = f.Default
		}
	}
	p := &pending{rec: r, patch: patch, errs: &inventory.ValidationError{}}
	s.apply(p, patch)
	return p
}

func (s *Store) create(ctx context.Context, tx *writeTx, e *schema.Entity, patches []store.Patch, m store.Meta) ([]*schema.Record, error) {
	now := s.stamp()
	ps := make([]*pending, len(patches))
	for i, patch := range patches {
		ps[i] = s.newPending(e, patch)
		r := ps[i].rec
		if e.Name == schema.ProbeName {
			// Upstream defaults creation_time to now (§13.6); see DefaultProbeCreationTime.
			if _, ok := r.Values["creation_time"]; !ok && !ps[i].present(e.Field("creation_time")) {
				if seen := r.Time("time"); seen != nil {
					r.Values["creation_time"] = inventory.DefaultProbeCreationTime(now, *seen)
				}
			}
		}
	}
	if err := s.check(ctx, tx, e, ps); err != nil || m.CheckOnly {
		return nil, err
	}
	ids, err := s.d.allocateIDs(ctx, tx, e.Table, len(ps))
	if err != nil {
		return nil, err
	}
	for i, p := range ps {
		p.rec.ID = ids[i]
		if e.HasTimestamps {
			p.rec.Values["created"] = now
			p.rec.Values["last_updated"] = now
		}
	}
	if err := s.insertRows(ctx, tx, e, ps); err != nil {
		return nil, err
	}
	if err := s.addCount(ctx, tx, e, len(ps)); err != nil {
		return nil, err
	}
	if err := s.writeLinks(ctx, tx, e, ps); err != nil {
		return nil, err
	}
	return s.finish(ctx, tx, e, ps, m, now)
}

// Update changes existing objects atomically; each patch sets only its keys.
func (s *Store) Update(ctx context.Context, e *schema.Entity, updates []store.Update, m store.Meta) ([]*schema.Record, error) {
	var out []*schema.Record
	err := s.inTx(ctx, func(tx *writeTx) error {
		var err error
		out, err = s.update(ctx, tx, e, updates, m)
		return err
	})
	return out, err
}

func (s *Store) update(ctx context.Context, tx *writeTx, e *schema.Entity, updates []store.Update, m store.Meta) ([]*schema.Record, error) {
	now := s.stamp()
	ids := make([]int64, len(updates))
	for i, u := range updates {
		ids[i] = u.ID
	}
	olds, err := s.loadForWrite(ctx, tx, e, ids, m.SkipMissing)
	if err != nil {
		return nil, err
	}
	ps := make([]*pending, 0, len(updates))
	kept := make([]int, 0, len(updates)) // positions in updates of ps
	for i, u := range updates {
		old := olds[u.ID]
		if old == nil {
			continue // m.SkipMissing
		}
		p := &pending{rec: old.Clone(), old: old, patch: u.Patch, errs: &inventory.ValidationError{}}
		s.apply(p, u.Patch)
		ps, kept = append(ps, p), append(kept, i)
	}
	if err := s.check(ctx, tx, e, ps); err != nil || m.CheckOnly {
		return nil, realign(err, kept, len(updates))
	}
	fs := e.StoredFields()
	for _, p := range ps {
		if e.HasTimestamps {
			p.rec.Values["last_updated"] = now
		}
		sets := make([]string, 0, len(fs))
		args := make([]any, 0, len(fs)+1)
		for _, f := range fs {
			if f.Name == "created" {
				continue
			}
			sets = append(sets, f.Column+" = ?")
			args = append(args, s.d.encode(f.Kind, p.rec.Values[f.Name]))
		}
		args = append(args, p.rec.ID)
		if _, err := tx.ExecContext(ctx, s.q("UPDATE "+e.Table+" SET "+strings.Join(sets, ", ")+" WHERE id = ?"), args...); err != nil {
			return nil, s.writeError(e, err)
		}
	}
	if err := s.writeLinks(ctx, tx, e, ps); err != nil {
		return nil, err
	}
	out, err := s.finish(ctx, tx, e, ps, m, now) // its rules (RMA completion) may fail per object too
	return out, realign(err, kept, len(updates))
}

// realign spreads a BulkError about the kept updates over all n given
// (the skipped ones without errors).
func realign(err error, kept []int, n int) error {
	var bulk *inventory.BulkError
	if len(kept) == n || !errors.As(err, &bulk) || len(bulk.Items) != len(kept) {
		return err
	}
	items := make([]*inventory.ValidationError, n)
	for j, i := range kept {
		items[i] = bulk.Items[j]
	}
	return &inventory.BulkError{Items: items}
}

// loadForWrite loads the stored objects (complete, for snapshots) and
// fails with NotFoundError for the first missing id, unless skipMissing.
func (s *Store) loadForWrite(ctx context.Context, tx *writeTx, e *schema.Entity, ids []int64, skipMissing bool) (map[int64]*schema.Record, error) {
	recs, err := s.byIDs(ctx, tx, e, ids)
	if err != nil {
		return nil, err
	}
	if err := s.complete(ctx, tx, e, recs); err != nil {
		return nil, err
	}
	byID := make(map[int64]*schema.Record, len(recs))
	for _, r := range recs {
		byID[r.ID] = r
	}
	for _, id := range ids {
		if byID[id] == nil && !skipMissing {
			return nil, &inventory.NotFoundError{Model: e.Model, ID: id}
		}
	}
	return byID, nil
}

// apply copies a patch into the pending record, rejecting read-only and
// mistyped values.
func (s *Store) apply(p *pending, patch store.Patch) {
	e := p.rec.Entity
	for k, v := range patch {
		if k == "tags" && e.HasTags {
			ids, ok := v.([]int64)
			if !ok && v != nil {
				p.errs.Add("tags", "Expected a list of tag ids.")
				continue
			}
			p.tags = append([]int64{}, ids...)
			continue
		}
		f := e.Field(k)
		if f == nil {
			p.errs.Add(k, "Unknown field.")
			continue
		}
		if f.ReadOnly {
			continue
		}
		if v == nil {
			if f.Kind == schema.JSON && !f.Null {
				// The empty object, as a create without the field gets
				// (custom fields, discovered data), not a NULL write.
				p.rec.Values[k] = json.RawMessage("{}")
				continue
			}
			delete(p.rec.Values, k)
			continue
		}
		if !kindAccepts(f.Kind, v) {
			p.errs.Add(k, fmt.Sprintf("Invalid value of type %T.", v))
			continue
		}
		switch x := v.(type) {
		case time.Time:
			v = x.UTC().Truncate(time.Microsecond) // what both databases keep
		case string:
			if f.Kind == schema.String {
				// Surrounding whitespace is dropped, as NetBox's serializers
				// and forms drop it: " SN1 " is the serial SN1, "  " blank.
				v = strings.TrimSpace(x)
			}
		case json.RawMessage:
			if f.Name == "custom_fields" && p.old != nil {
				// NetBox updates custom fields key by key: the keys sent
				// replace theirs, the others stay.
				v = mergeObjects(p.old.Values[k], x)
			}
		}
		if f.BlankIsNull && v == "" {
			delete(p.rec.Values, k)
			continue
		}
		p.rec.Values[k] = v
	}
}

// mergeObjects overlays JSON object patch on JSON object base; when either
// is not an object, patch wins whole.
func mergeObjects(base any, patch json.RawMessage) json.RawMessage {
	old, ok := base.(json.RawMessage)
	if !ok {
		return patch
	}
	var into, from map[string]json.RawMessage
	if json.Unmarshal(old, &into) != nil || json.Unmarshal(patch, &from) != nil || into == nil || from == nil {
		return patch
	}
	maps.Copy(into, from)
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false) // "<" stays "<", as Python's json writes it
	if enc.Encode(into) != nil {
		return patch
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n"))
}

func kindAccepts(k schema.Kind, v any) bool {
	switch k {
	case schema.String, schema.Choice, schema.ContentType:
		_, ok := v.(string)
		return ok
	case schema.Int, schema.ForeignKey, schema.NetBoxRef:
		_, ok := v.(int64)
		return ok
	case schema.Decimal:
		_, ok := v.(inventory.Decimal)
		return ok
	case schema.Date, schema.DateTime:
		_, ok := v.(time.Time)
		return ok
	case schema.JSON:
		_, ok := v.(json.RawMessage)
		return ok
	case schema.ManyToMany:
		_, ok := v.([]int64)
		return ok
	}
	return false
}

// check runs every rule on the pending objects and returns a BulkError
// aligned with the input when any object is invalid.
func (s *Store) check(ctx context.Context, tx *writeTx, e *schema.Entity, ps []*pending) error {
	if err := s.normalize(ctx, tx, e, ps); err != nil {
		return err
	}
	for _, p := range ps {
		checkFields(p)
		if e.Clean != nil {
			e.Clean(p.rec, p.errs)
		}
	}
	if err := s.checkReferences(ctx, tx, e, ps); err != nil {
		return err
	}
	if err := s.checkUnique(ctx, tx, e, ps); err != nil {
		return err
	}
	if err := s.entityRules(ctx, tx, e, ps); err != nil {
		return err
	}
	bulk := &inventory.BulkError{Items: make([]*inventory.ValidationError, len(ps))}
	failed := false
	for i, p := range ps {
		if !p.errs.Empty() {
			bulk.Items[i] = p.errs
			failed = true
		}
	}
	if failed {
		return bulk
	}
	return nil
}

// checkFields applies the field declarations: required, length, choices,
// ranges.
func checkFields(p *pending) {
	r := p.rec
	for _, f := range r.Entity.Fields {
		if f.ReadOnly || p.errs.Has(f.Name) {
			continue
		}
		v, ok := r.Values[f.Name]
		if !ok || v == nil {
			if !f.Null && f.Kind != schema.ManyToMany && f.Kind != schema.JSON {
				switch {
				case p.old == nil && !p.present(f):
					p.errs.Add(f.Name, "This field is required.")
				case f.Kind == schema.String && !f.Required:
					r.Values[f.Name] = "" // NOT NULL text without a value is blank
				default:
					p.errs.Add(f.Name, "This field may not be null.")
				}
			}
			continue
		}
		switch x := v.(type) {
		case string:
			if strings.IndexByte(x, 0) >= 0 {
				p.errs.Add(f.Name, "Null characters are not allowed.")
				continue
			}
			if x == "" && f.Required {
				p.errs.Add(f.Name, "This field may not be blank.")
				continue
			}
			if f.MaxLen > 0 && utf8.RuneCountInString(x) > f.MaxLen {
				p.errs.Add(f.Name, fmt.Sprintf("Ensure this field has no more than %d characters.", f.MaxLen))
			}
			if x != "" && !f.Format.Valid(x) {
				p.errs.Add(f.Name, f.Format.Message()) // both, as DRF reports every failed validator
			}
			if f.Kind == schema.Choice && !(x == "" && !f.Required) && !f.Choices.Has(x) {
				p.errs.Add(f.Name, fmt.Sprintf("%q is not a valid choice.", x))
			}
			if f.Kind == schema.ContentType && !slices.Contains(f.ContentTypes, x) {
				p.errs.Add(f.Name, fmt.Sprintf("Invalid object type %q: must be one of %s.", x, strings.Join(f.ContentTypes, ", ")))
			}
		case int64:
			if f.NonNegative && x < 0 {
				p.errs.Add(f.Name, "Ensure this value is greater than or equal to 0.")
			}
			if f.Kind == schema.Int && (x > 2147483647 && f.Name == "quantity") {
				p.errs.Add(f.Name, "Ensure this value is less than or equal to 2147483647.")
			}
		case inventory.Decimal:
			if f.NonNegative && x < 0 {
				p.errs.Add(f.Name, "Ensure this value is greater than or equal to 0.")
			}
			if f.Digits > 0 && f.Digits < 19 {
				limit := inventory.Decimal(1)
				for i := 0; i < f.Digits; i++ {
					limit *= 10
				}
				if x >= limit || x <= -limit {
					p.errs.Add(f.Name, fmt.Sprintf("Ensure that there are no more than %d digits in total.", f.Digits))
				}
			}
		}
	}
}

// checkReferences verifies that foreign keys, many-to-many ids and tag ids
// point to existing objects, with one query per field.
func (s *Store) checkReferences(ctx context.Context, tx *writeTx, e *schema.Entity, ps []*pending) error {
	for _, f := range e.Fields {
		if f.Kind != schema.ForeignKey && f.Kind != schema.ManyToMany {
			continue
		}
		want := map[int64]bool{}
		for _, p := range ps {
			if f.Kind == schema.ForeignKey {
				if id, ok := p.rec.Int(f.Name); ok {
					want[id] = true
				}
			} else {
				for _, id := range p.rec.IDs(f.Name) {
					want[id] = true
				}
			}
		}
		found, err := s.existing(ctx, tx, s.reg.Entity(f.Ref).Table, want)
		if err != nil {
			return err
		}
		for _, p := range ps {
			var refs []int64
			if f.Kind == schema.ForeignKey {
				if id, ok := p.rec.Int(f.Name); ok {
					refs = []int64{id}
				}
			} else {
				refs = p.rec.IDs(f.Name)
			}
			for _, id := range refs {
				if !found[id] {
					p.errs.Add(f.Name, fmt.Sprintf("Related object not found using the provided numeric ID: %d", id))
				}
			}
		}
	}
	if e.HasTags {
		want := map[int64]bool{}
		for _, p := range ps {
			for _, id := range p.tags {
				want[id] = true
			}
		}
		found, err := s.existing(ctx, tx, schema.TagTable, want)
		if err != nil {
			return err
		}
		for _, p := range ps {
			for _, id := range p.tags {
				if !found[id] {
					p.errs.Add("tags", fmt.Sprintf("Related object not found using the provided numeric ID: %d", id))
				}
			}
		}
	}
	return nil
}

func (s *Store) existing(ctx context.Context, db querier, table string, want map[int64]bool) (map[int64]bool, error) {
	found := map[int64]bool{}
	if len(want) == 0 {
		return found, nil
	}
	ids := make([]int64, 0, len(want))
	for id := range want {
		ids = append(ids, id)
	}
	for _, chunk := range chunks(ids, 5000) {
		rows, err := db.QueryContext(ctx, s.q("SELECT id FROM "+table+" WHERE id IN ("+placeholders(len(chunk))+")"), idArgs(chunk)...)
		if err != nil {
			return nil, err
		}
		ids, err := scanIDs(rows)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			found[id] = true
		}
	}
	return found, nil
}

// checkUnique enforces unique fields against the table and within the batch.
func (s *Store) checkUnique(ctx context.Context, tx *writeTx, e *schema.Entity, ps []*pending) error {
	for _, f := range e.Fields {
		if !f.Unique {
			continue
		}
		owner := map[string]int{} // value → index in batch
		var vals []any
		for i, p := range ps {
			v, ok := p.rec.Values[f.Name].(string)
			if !ok {
				continue
			}
			if j, dup := owner[v]; dup && j != i {
				p.errs.Add(f.Name, uniqueMessage(e, f))
				continue
			}
			owner[v] = i
			vals = append(vals, v)
		}
		if len(vals) == 0 {
			continue
		}
		rows, err := tx.QueryContext(ctx, s.q("SELECT id, "+f.Column+" FROM "+e.Table+" WHERE "+f.Column+" IN ("+placeholders(len(vals))+")"), vals...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var v string
			if err := rows.Scan(&id, &v); err != nil {
				rows.Close()
				return err
			}
			if p := ps[owner[v]]; p.rec.ID != id {
				p.errs.Add(f.Name, uniqueMessage(e, f))
			}
		}
		rows.Close()
	}
	return nil
}

// uniqueMessage is DRF's UniqueValidator message, "<model> with this
// <field> already exists.", from the model's and the field's verbose names
// as they are (DRF does not capitalise them; Django's forms would).
func uniqueMessage(e *schema.Entity, f *schema.Field) string {
	label := f.Label
	if label == "" {
		label = strings.ReplaceAll(f.Name, "_", " ")
	}
	return fmt.Sprintf("%s with this %s already exists.", e.DjangoVerboseName(), label)
}

// insertRows writes the pending rows (see dialect.insertRows).
func (s *Store) insertRows(ctx context.Context, tx *writeTx, e *schema.Entity, ps []*pending) error {
	fs := e.StoredFields()
	cols := make([]string, 0, len(fs)+1)
	kinds := make([]schema.Kind, 0, len(fs)+1)
	cols, kinds = append(cols, "id"), append(kinds, schema.Int)
	for _, f := range fs {
		cols, kinds = append(cols, f.Column), append(kinds, f.Kind)
	}
	emptyJSON := json.RawMessage("{}")
	value := func(i, c int) any {
		r := ps[i].rec
		if c == 0 {
			return r.ID
		}
		f := fs[c-1]
		v := r.Values[f.Name]
		if v == nil && f.Kind == schema.JSON {
			return emptyJSON
		}
		return v
	}
	if err := s.d.insertRows(ctx, tx, e.Table, cols, kinds, len(ps), value); err != nil {
		return s.writeError(e, err)
	}
	return nil
}

// writeError turns a constraint failure that slipped past the checks
// (a concurrent writer) into a validation error instead of a 500.
func (s *Store) writeError(e *schema.Entity, err error) error {
	switch {
	case isUniqueViolation(err):
		return &inventory.BulkError{Items: []*inventory.ValidationError{inventory.FieldError(inventory.NonField, "A unique constraint was violated: "+e.Verbose+" already exists with these values.")}}
	case isForeignKeyViolation(err):
		return &inventory.BulkError{Items: []*inventory.ValidationError{inventory.FieldError(inventory.NonField, "A related object does not exist (it may have been deleted concurrently).")}}
	}
	return fmt.Errorf("write %s: %w", e.Name, err)
}

// writeLinks stores many-to-many ids and tags that the input set.
func (s *Store) writeLinks(ctx context.Context, tx *writeTx, e *schema.Entity, ps []*pending) error {
	for _, f := range e.Fields {
		if f.Kind != schema.ManyToMany {
			continue
		}
		for _, p := range ps {
			if !p.present(f) && p.old != nil {
				continue
			}
			if p.old != nil {
				if _, err := tx.ExecContext(ctx, s.q("DELETE FROM "+f.JoinTable+" WHERE "+f.JoinFrom+" = ?"), p.rec.ID); err != nil {
					return err
				}
			}
			ids := uniqueIDs(p.rec.IDs(f.Name))
			p.rec.Values[f.Name] = ids
			for _, id := range ids {
				if _, err := tx.ExecContext(ctx, s.q("INSERT INTO "+f.JoinTable+" ("+f.JoinFrom+", "+f.JoinTo+") VALUES (?, ?)"), p.rec.ID, id); err != nil {
					return s.writeError(e, err)
				}
			}
		}
	}
	if !e.HasTags {
		return nil
	}
	for _, p := range ps {
		if p.tags == nil {
			continue
		}
		if p.old != nil {
			if _, err := tx.ExecContext(ctx, s.q("DELETE FROM "+schema.TaggedItemTable+" WHERE object_type = ? AND object_id = ?"), e.ObjectType, p.rec.ID); err != nil {
				return err
			}
		}
		for _, id := range uniqueIDs(p.tags) {
			if _, err := tx.ExecContext(ctx, s.q("INSERT INTO "+schema.TaggedItemTable+" (object_type, object_id, tag_id) VALUES (?, ?, ?)"), e.ObjectType, p.rec.ID, id); err != nil {
				return s.writeError(e, err)
			}
		}
	}
	return nil
}

func uniqueIDs(ids []int64) []int64 {
	out := make([]int64, 0, len(ids))
	seen := map[int64]bool{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// finish runs post-write side effects, reloads the written objects and
// records the change log, all inside the transaction.
func (s *Store) finish(ctx context.Context, tx *writeTx, e *schema.Entity, ps []*pending, m store.Meta, now time.Time) ([]*schema.Record, error) {
	if err := s.afterWrite(ctx, tx, e, ps, m, now); err != nil {
		return nil, err
	}
	if inMemoryComplete(e, ps) {
		// Nothing to resolve and nothing to log (bulk probe ingestion):
		// the written records are what a read would return.
		out := make([]*schema.Record, len(ps))
		for i, p := range ps {
			out[i] = p.rec
		}
		return out, nil
	}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.rec.ID
	}
	byID, err := s.loadForWrite(ctx, tx, e, ids, false)
	if err != nil {
		return nil, err
	}
	out := make([]*schema.Record, len(ps))
	var changes []store.ObjectChange
	for i, p := range ps {
		out[i] = byID[p.rec.ID]
		if e.ChangeLogged {
			action := "create"
			var pre *schema.Record
			if p.old != nil {
				action, pre = "update", p.old
			}
			changes = append(changes, change(m, now, action, pre, out[i]))
		}
	}
	return out, s.logChanges(ctx, tx, changes)
}

// inMemoryComplete reports whether freshly created records need no read
// back: no change log, no relations to load, no tags.
func inMemoryComplete(e *schema.Entity, ps []*pending) bool {
	if e.ChangeLogged {
		return false
	}
	for _, f := range e.Fields {
		if f.Kind == schema.ForeignKey || f.Kind == schema.ManyToMany {
			return false
		}
	}
	for _, p := range ps {
		if p.old != nil || len(p.tags) > 0 {
			return false
		}
	}
	return true
}

// Delete removes objects atomically, after the protection rules; deleting
// a contract deletes its subcontracts (upstream CASCADE).
func (s *Store) Delete(ctx context.Context, e *schema.Entity, ids []int64, m store.Meta) error {
	return s.inTx(ctx, func(tx *writeTx) error { return s.delete(ctx, tx, e, ids, m) })
}

func (s *Store) delete(ctx context.Context, tx *writeTx, e *schema.Entity, ids []int64, m store.Meta) error {
	now := s.stamp()
	byID, err := s.loadForWrite(ctx, tx, e, ids, m.SkipMissing)
	if err != nil {
		return err
	}
	recs := make([]*schema.Record, 0, len(byID))
	for _, id := range uniqueIDs(ids) {
		if r := byID[id]; r != nil { // nil: m.SkipMissing
			recs = append(recs, r)
		}
	}
	// Cascade: collect descendants through CASCADE references (contract.parent).
	all, err := s.cascade(ctx, tx, e, recs)
	if err != nil {
		return err
	}
	if err := s.protect(ctx, tx, e, all); err != nil {
		return err
	}
	var changes []store.ObjectChange
	// Children first so foreign keys never point to a deleted row.
	for i := len(all) - 1; i >= 0; i-- {
		r := all[i]
		if e.ChangeLogged {
			changes = append(changes, change(m, now, "delete", r, nil))
		}
	}
	delIDs := make([]int64, len(all))
	for i, r := range all {
		delIDs[len(all)-1-i] = r.ID
	}
	for _, chunk := range chunks(delIDs, 5000) {
		args := idArgs(chunk)
		if e.HasTags {
			if _, err := tx.ExecContext(ctx, s.q("DELETE FROM "+schema.TaggedItemTable+" WHERE object_type = ? AND object_id IN ("+placeholders(len(chunk))+")"), append([]any{e.ObjectType}, args...)...); err != nil {
				return err
			}
		}
		for _, f := range e.Fields {
			if f.Kind == schema.ManyToMany {
				if _, err := tx.ExecContext(ctx, s.q("DELETE FROM "+f.JoinTable+" WHERE "+f.JoinFrom+" IN ("+placeholders(len(chunk))+")"), args...); err != nil {
					return err
				}
			}
		}
	}
	// One statement per row, children first: a self-referencing table must
	// never see a row deleted before its subcontracts.
	for _, id := range delIDs {
		if _, err := tx.ExecContext(ctx, s.q("DELETE FROM "+e.Table+" WHERE id = ?"), id); err != nil {
			if isForeignKeyViolation(err) {
				return &inventory.ProtectedError{Message: "Unable to delete object: other objects still refer to it."}
			}
			return fmt.Errorf("delete %s: %w", e.Name, err)
		}
	}
	if err := s.addCount(ctx, tx, e, -len(delIDs)); err != nil {
		return err
	}
	return s.logChanges(ctx, tx, changes)
}

// cascade returns recs followed by every object reached through CASCADE
// references of the same entity (breadth first).
func (s *Store) cascade(ctx context.Context, tx *writeTx, e *schema.Entity, recs []*schema.Record) ([]*schema.Record, error) {
	all := append([]*schema.Record(nil), recs...)
	seen := map[int64]bool{}
	for _, r := range recs {
		seen[r.ID] = true
	}
	for _, ref := range s.reg.References(e) {
		if ref.From != e || ref.Field.OnDelete != schema.Cascade {
			continue
		}
		frontier := recs
		for len(frontier) > 0 {
			ids, _ := recordIDs(frontier)
			rows, err := tx.QueryContext(ctx, s.q("SELECT id FROM "+e.Table+" WHERE "+ref.Field.Column+" IN ("+placeholders(len(ids))+")"), idArgs(ids)...)
			if err != nil {
				return nil, err
			}
			found, err := scanIDs(rows)
			if err != nil {
				return nil, err
			}
			var childIDs []int64
			for _, id := range found {
				if !seen[id] {
					seen[id] = true
					childIDs = append(childIDs, id)
				}
			}
			if len(childIDs) == 0 {
				break
			}
			children, err := s.byIDs(ctx, tx, e, childIDs)
			if err != nil {
				return nil, err
			}
			if err := s.complete(ctx, tx, e, children); err != nil {
				return nil, err
			}
			all = append(all, children...)
			frontier = children
		}
	}
	return all, nil
}
