package sqlstore

import (
	"context"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

// ProbeSummaries finds each asset's newest probe by its serial and its RMA
// serials (upstream's list uses the own serial only, §13.12; the detail page
// uses all three — we use all three everywhere). Each (asset, serial) pair
// costs one descent of the (serial, time) index, so a page of 50 assets is
// independent of the number of probes.
func (s *Store) ProbeSummaries(ctx context.Context, assetIDs []int64) (map[int64]store.ProbeSummary, error) {
	out := make(map[int64]store.ProbeSummary, len(assetIDs))
	now := s.now()
	days := s.settings.ProbeRecentDays
	for _, chunk := range chunks(assetIDs, 2000) {
		ph := placeholders(len(chunk))
		args := idArgs(chunk)
		query := `SELECT k.asset_id, (SELECT MAX(p.time) FROM inventory_monitor_probe p WHERE p.serial = k.serial) FROM (
	SELECT id AS asset_id, serial FROM inventory_monitor_asset WHERE id IN (` + ph + `)
	UNION SELECT asset_id, original_serial FROM inventory_monitor_rma WHERE asset_id IN (` + ph + `) AND original_serial IS NOT NULL AND original_serial <> ''
	UNION SELECT asset_id, replacement_serial FROM inventory_monitor_rma WHERE asset_id IN (` + ph + `) AND replacement_serial IS NOT NULL AND replacement_serial <> ''
) k`
		rows, err := s.db.QueryContext(ctx, s.q(query), append(append(append([]any{}, args...), args...), args...)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var raw any
			if err := rows.Scan(&id, &raw); err != nil {
				rows.Close()
				return nil, err
			}
			sum := out[id]
			if raw != nil {
				v, err := s.d.decode(schema.DateTime, raw)
				if err != nil {
					rows.Close()
					return nil, err
				}
				t := v.(time.Time)
				if sum.LastProbe == nil || t.After(*sum.LastProbe) {
					sum.LastProbe = &t
				}
			}
			out[id] = sum
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for id, sum := range out {
		sum.Recent = inventory.IsRecentlyProbed(now, sum.LastProbe, days)
		out[id] = sum
	}
	return out, nil
}
