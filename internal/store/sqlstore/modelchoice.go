package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/inventory-monitor/inventory-monitor/internal/filter"
)

// checkModelChoices refuses a value of a model choice filter that names
// no object — a tag (tag, tag_id) or a related object (type_id, contractor
// names, ...) — as NetBox's model choice filters do, and a currency that is
// not configured, as upstream's currency choice filters do (with any
// lookup but empty): a filter error, so the API answers 400, not an empty
// list.
func (s *Store) checkModelChoices(ctx context.Context, q filter.Query) error {
	var tags map[string]map[string]bool // by filter key: tag → slugs, tag_id → ids
	for _, c := range q.Conds {
		f := c.Filter
		currency := f.Currency && c.Lookup != "empty" && c.Lookup != "isnull"
		if f.Method != "tag" && !currency && (f.ValidIn == "" || (c.Lookup != "" && c.Lookup != "n")) {
			continue
		}
		var known map[string]bool
		if currency {
			// "null" passes as for a choice filter (filter.parseValue):
			// an empty value, or the text "null" that matches nothing.
			known = map[string]bool{"null": true}
			for _, cur := range s.settings.Currencies {
				known[cur.Code] = true
			}
		} else if f.Method == "tag" {
			if tags == nil {
				all, err := s.Tags(ctx)
				if err != nil {
					return err
				}
				tags = map[string]map[string]bool{"tag": {}, "tag_id": {}}
				for _, t := range all {
					tags["tag"][t.Slug], tags["tag_id"][fmt.Sprint(t.ID)] = true, true
				}
			}
			known = tags[f.Key]
		} else {
			var err error
			if known, err = s.existingValues(ctx, f.ValidIn, c.Values); err != nil {
				return err
			}
		}
		for _, v := range c.Values {
			if v != nil && !known[fmt.Sprint(v)] {
				param := f.Key
				if c.Lookup != "" {
					param += "__" + c.Lookup
				}
				return &filter.Error{Param: param, Message: fmt.Sprintf("Select a valid choice. %v is not one of the available choices.", v)}
			}
		}
	}
	return nil
}

// existingValues returns which of values (formatted with fmt.Sprint) occur
// in column "table.column".
func (s *Store) existingValues(ctx context.Context, tableColumn string, values []any) (map[string]bool, error) {
	table, column, _ := strings.Cut(tableColumn, ".")
	var args []any
	for _, v := range values {
		if v != nil {
			args = append(args, v)
		}
	}
	found := map[string]bool{}
	if len(args) == 0 {
		return found, nil
	}
	rows, err := s.db.QueryContext(ctx, s.q("SELECT "+column+" FROM "+table+" WHERE "+column+" IN ("+placeholders(len(args))+")"), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var v any
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		if b, ok := v.([]byte); ok {
			v = string(b)
		}
		found[fmt.Sprint(v)] = true
	}
	return found, rows.Err()
}
