package sqlstore

// The domain rules that need the database: they run inside the write
// transaction, for every entry point (API, UI, CSV import, bulk edit).

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

// normalize fills values that upstream's save() derives. RMA: a blank
// original serial takes the asset's current serial (on every save where it
// is blank, as upstream).
func (s *Store) normalize(ctx context.Context, tx *writeTx, e *schema.Entity, ps []*pending) error {
	if e.Name != schema.RMAName {
		return nil
	}
	want := map[int64]bool{}
	for _, p := range ps {
		if id, ok := p.rec.Int("asset"); ok && p.rec.Str("original_serial") == "" {
			want[id] = true
		}
	}
	if len(want) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(want))
	for id := range want {
		ids = append(ids, id)
	}
	assets, err := s.byIDs(ctx, tx, s.reg.Entity(schema.AssetName), ids)
	if err != nil {
		return err
	}
	serial := map[int64]string{}
	for _, a := range assets {
		serial[a.ID] = a.Str("serial")
	}
	for _, p := range ps {
		if id, ok := p.rec.Int("asset"); ok && p.rec.Str("original_serial") == "" {
			if sn, ok := serial[id]; ok {
				p.rec.Values["original_serial"] = sn
			}
		}
	}
	return nil
}

// entityRules are the cross-row rules of contracts and contractors.
func (s *Store) entityRules(ctx context.Context, tx *writeTx, e *schema.Entity, ps []*pending) error {
	switch e.Name {
	case schema.ContractName:
		return s.contractHierarchy(ctx, tx, ps)
	case schema.ContractorName:
		return s.contractorTenant(ctx, tx, ps)
	}
	return nil
}

// contractHierarchy keeps contracts one level deep, as upstream intends,
// and closes its gaps (§13.3): no contract is its own parent or ancestor
// at any depth, and a contract with subcontracts cannot become one. The
// rules see the hierarchy as it will be after the write: parents set by
// other items of the same batch count.
func (s *Store) contractHierarchy(ctx context.Context, tx *writeTx, ps []*pending) error {
	// Parents the batch gives to existing contracts (nil: none).
	batch := map[int64]*int64{}
	for _, p := range ps {
		if p.rec.ID != 0 {
			batch[p.rec.ID] = p.rec.IntPtr("parent")
		}
	}
	parentOf := func(id int64) (int64, bool, error) {
		if p, ok := batch[id]; ok {
			if p == nil {
				return 0, false, nil
			}
			return *p, true, nil
		}
		var up sql.NullInt64
		err := tx.QueryRowContext(ctx, s.q("SELECT parent_id FROM inventory_monitor_contract WHERE id = ?"), id).Scan(&up)
		if err == sql.ErrNoRows {
			return 0, false, nil
		}
		return up.Int64, up.Valid, err
	}
	hasSubcontracts := func(id int64) (bool, error) {
		for child, p := range batch {
			if p != nil && *p == id && child != id {
				return true, nil
			}
		}
		children, err := s.linkedIDs(ctx, tx, "SELECT id FROM inventory_monitor_contract WHERE parent_id = ?", id)
		if err != nil {
			return false, err
		}
		for _, child := range children {
			if p, moved := batch[child]; !moved || (p != nil && *p == id) {
				return true, nil
			}
		}
		return false, nil
	}
	for _, p := range ps {
		parentID, ok := p.rec.Int("parent")
		if !ok || p.errs.Has("parent") {
			continue
		}
		if p.rec.ID != 0 && parentID == p.rec.ID {
			p.errs.Add("parent", "A contract cannot be its own parent.")
			continue
		}
		if _, up, err := parentOf(parentID); err != nil {
			return err
		} else if up {
			p.errs.Add("parent", "Subcontract cannot be set as Parent Contract")
		}
		// Walk up the ancestry; a way back to this contract is a cycle.
		seen := map[int64]bool{parentID: true}
		for cur := parentID; p.rec.ID != 0; {
			up, ok, err := parentOf(cur)
			if err != nil {
				return err
			}
			if !ok || seen[up] {
				break
			}
			if up == p.rec.ID {
				p.errs.Add("parent", "A contract cannot be its own ancestor.")
				break
			}
			seen[up] = true
			cur = up
		}
		if p.rec.ID != 0 && !p.errs.Has("parent") {
			has, err := hasSubcontracts(p.rec.ID)
			if err != nil {
				return err
			}
			if has {
				p.errs.Add("parent", "A contract that has subcontracts cannot become a subcontract.")
			}
		}
	}
	return nil
}

// contractorTenant allows one contractor per tenant (also a unique index).
func (s *Store) contractorTenant(ctx context.Context, tx *writeTx, ps []*pending) error {
	owner := map[int64]int{}
	for i, p := range ps {
		tenant, ok := p.rec.Int("tenant")
		if !ok {
			continue
		}
		msg := fmt.Sprintf("The tenant %d is already assigned to another contractor.", tenant)
		if _, dup := owner[tenant]; dup {
			p.errs.Add(inventory.NonField, msg)
			continue
		}
		owner[tenant] = i
		var other int64
		err := tx.QueryRowContext(ctx, s.q("SELECT id FROM inventory_monitor_contractor WHERE tenant_id = ? AND id <> ?"), tenant, p.rec.ID).Scan(&other)
		if err == nil {
			p.errs.Add(inventory.NonField, msg)
		} else if err != sql.ErrNoRows {
			return err
		}
	}
	return nil
}

// afterWrite applies the RMA completion rule: when an RMA becomes
// "completed" (created so, or moved there) with a replacement serial, the
// asset's serial becomes the replacement serial. Unlike upstream (§13.7)
// the asset is validated and the change is in the asset's change log.
func (s *Store) afterWrite(ctx context.Context, tx *writeTx, e *schema.Entity, ps []*pending, m store.Meta, now time.Time) error {
	if e.Name != schema.RMAName {
		return nil
	}
	assetE := s.reg.Entity(schema.AssetName)
	for _, p := range ps {
		r := p.rec
		becameCompleted := r.Str("status") == "completed" && (p.old == nil || p.old.Str("status") != "completed")
		replacement := r.Str("replacement_serial")
		if !becameCompleted || replacement == "" {
			continue
		}
		assetID, _ := r.Int("asset")
		olds, err := s.loadForWrite(ctx, tx, assetE, []int64{assetID}, false)
		if err != nil {
			return err
		}
		if olds[assetID].Str("serial") == replacement {
			continue
		}
		msg := m.Message
		if msg == "" {
			msg = "Serial replaced on completion of " + r.String()
		}
		_, err = s.update(ctx, tx, assetE, []store.Update{{ID: assetID, Patch: store.Patch{"serial": replacement}}}, store.Meta{UserID: m.UserID, UserName: m.UserName, RequestID: m.RequestID, Message: msg})
		if bulk, ok := err.(*inventory.BulkError); ok {
			v := &inventory.ValidationError{}
			for _, item := range bulk.Items {
				for f, msgs := range item.Fields {
					for _, msg := range msgs {
						v.Add("replacement_serial", "The asset cannot take this serial ("+f+": "+msg+")")
					}
				}
			}
			return &inventory.BulkError{Items: alignedError(ps, p, v)}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func alignedError(ps []*pending, bad *pending, v *inventory.ValidationError) []*inventory.ValidationError {
	items := make([]*inventory.ValidationError, len(ps))
	for i, p := range ps {
		if p == bad {
			items[i] = v
		}
	}
	return items
}

// protect refuses deletes that would leave references behind; references
// from objects deleted in the same operation do not count.
func (s *Store) protect(ctx context.Context, tx *writeTx, e *schema.Entity, recs []*schema.Record) error {
	deleting := map[int64]bool{}
	for _, r := range recs {
		deleting[r.ID] = true
	}
	for _, r := range recs {
		switch e.Name {
		case schema.AssetName:
			// Upstream Asset.delete(): these two come with their own messages.
			if c := r.Rel("order_contract"); c != nil {
				return &inventory.ProtectedError{
					Message: "Cannot delete an Asset that is linked to a Contract. Please remove the order_contract association first.",
					Objects: []string{describe(c)},
				}
			}
			if ids, err := s.linkedIDs(ctx, tx, "SELECT externalinventory_id FROM inventory_monitor_externalinventory_assets WHERE asset_id = ?", r.ID); err != nil {
				return err
			} else if len(ids) > 0 {
				objs, err := s.describeIDs(ctx, tx, s.reg.Entity(schema.ExternalInventoryName), ids)
				if err != nil {
					return err
				}
				return &inventory.ProtectedError{
					Message: "Cannot delete an Asset that is linked to a External Inventory Items. Please remove the external inventory items association first.",
					Objects: objs,
				}
			}
		case schema.ExternalInventoryName:
			if ids := r.IDs("assets"); len(ids) > 0 {
				objs, err := s.describeIDs(ctx, tx, s.reg.Entity(schema.AssetName), ids)
				if err != nil {
					return err
				}
				return &inventory.ProtectedError{
					Message: "Cannot delete an External Inventory item that is linked to Assets. Please remove the asset associations first.",
					Objects: objs,
				}
			}
		}
	}
	ids, _ := recordIDs(recs)
	var dependents []string
	for _, ref := range s.reg.References(e) {
		if ref.Field.Kind != schema.ForeignKey || ref.Field.OnDelete != schema.Protect {
			continue
		}
		var found []int64
		for _, chunk := range chunks(ids, 5000) {
			got, err := s.linkedIDs(ctx, tx, "SELECT id FROM "+ref.From.Table+" WHERE "+ref.Field.Column+" IN ("+placeholders(len(chunk))+")", idArgs(chunk)...)
			if err != nil {
				return err
			}
			for _, id := range got {
				if ref.From != e || !deleting[id] {
					found = append(found, id)
				}
			}
		}
		if len(found) == 0 {
			continue
		}
		objs, err := s.describeIDs(ctx, tx, ref.From, found)
		if err != nil {
			return err
		}
		dependents = append(dependents, objs...)
	}
	if len(dependents) > 0 {
		return &inventory.ProtectedError{Objects: dependents}
	}
	return nil
}

func (s *Store) linkedIDs(ctx context.Context, tx *writeTx, query string, args ...any) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	return scanIDs(rows)
}

// describe is NetBox's "<str(obj)> (<pk>)" used in protected-delete messages.
func describe(r *schema.Record) string { return fmt.Sprintf("%s (%d)", r.String(), r.ID) }

func (s *Store) describeIDs(ctx context.Context, tx *writeTx, e *schema.Entity, ids []int64) ([]string, error) {
	recs, err := s.byIDs(ctx, tx, e, ids)
	if err != nil {
		return nil, err
	}
	if err := s.loadRelated(ctx, tx, e, recs, 2); err != nil {
		return nil, err
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].ID < recs[j].ID })
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = describe(r)
	}
	return out, nil
}
