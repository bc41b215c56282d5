package sqlstore

import (
	"context"
	"fmt"

	"github.com/inventory-monitor/inventory-monitor/internal/filter"
)

// checkTagFilters refuses tag and tag_id filter values that name no tag,
// as NetBox's model choice filters do (a filter error, so the API answers
// 400, not an empty list).
func (s *Store) checkTagFilters(ctx context.Context, q filter.Query) error {
	var conds []filter.Cond
	for _, c := range q.Conds {
		if c.Filter.Method == "tag" {
			conds = append(conds, c)
		}
	}
	if len(conds) == 0 {
		return nil
	}
	tags, err := s.Tags(ctx)
	if err != nil {
		return err
	}
	known := map[any]bool{}
	for _, t := range tags {
		known[t.Slug], known[t.ID] = true, true
	}
	for _, c := range conds {
		for _, v := range c.Values {
			if v != nil && !known[v] {
				param := c.Filter.Key
				if c.Lookup != "" {
					param += "__" + c.Lookup
				}
				return &filter.Error{Param: param, Message: fmt.Sprintf("Select a valid choice. %v is not one of the available choices.", v)}
			}
		}
	}
	return nil
}
