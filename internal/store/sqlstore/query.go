package sqlstore

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
)

// where compiles the query's conditions and q into a WHERE clause body
// ("" when nothing filters) with its arguments. Every value is a bound
// parameter; only registry-defined expressions are spliced in.
func (s *Store) where(e *schema.Entity, q filter.Query) (string, []any, error) {
	var parts []string
	var args []any
	for _, c := range q.Conds {
		sqlc, a, err := s.cond(e, c)
		if err != nil {
			return "", nil, err
		}
		if sqlc != "" {
			parts = append(parts, "("+sqlc+")")
			args = append(args, a...)
		}
	}
	if q.Q != "" {
		sqlc, a := s.search(e, q.Q)
		if sqlc != "" {
			parts = append(parts, "("+sqlc+")")
			args = append(args, a...)
		}
	}
	return strings.Join(parts, " AND "), args, nil
}

// search is the q parameter: a case-insensitive substring match on any
// of the entity's search fields, own or related. It is written as a union
// of id sets (own columns in one scan, each relation joined from the
// related table) so that PostgreSQL can use its trigram indexes for each
// part and SQLite scans the table once instead of probing relations per row.
// The parts are joined by UNION ALL: the membership test removes duplicates,
// and SQLite's planner otherwise orders each part for a merge (scanning the
// whole asset table for the order-contract part). On SQLite, a part whose
// columns a trigram text index covers reads the index instead (see
// textIndexes).
func (s *Store) search(e *schema.Entity, term string) (string, []any) {
	pattern := "%" + escapeLike(term) + "%"
	var parts []string
	var args []any
	if len(e.Search) > 0 {
		if q, arg, ok := s.textMatch(e.Table, e.Search, "t", term); ok {
			parts = append(parts, q)
			args = append(args, arg)
		} else {
			var ors []string
			for _, expr := range e.Search {
				p, a := s.ciLike(expr, pattern)
				ors = append(ors, p)
				args = append(args, a...)
			}
			parts = append(parts, "SELECT t.id FROM "+e.Table+" t WHERE "+strings.Join(ors, " OR "))
		}
	}
	for _, via := range e.SearchVia {
		alias, _, _ := strings.Cut(via.Expr, ".")
		if q, arg, ok := s.textMatch(viaTable(via.IDs, alias), []string{via.Expr}, alias, term); ok {
			parts = append(parts, fmt.Sprintf(via.IDs, alias+".id IN ("+q+")"))
			args = append(args, arg)
			continue
		}
		p, a := s.ciLike(via.Expr, pattern)
		parts = append(parts, fmt.Sprintf(via.IDs, p))
		args = append(args, a...)
	}
	if len(parts) == 0 {
		return "", nil
	}
	ids := strings.Join(parts, " UNION ALL ")
	if s.d == postgresDialect {
		// The id set as an array computed once: the count and the page
		// read the matching rows by primary key, and the planner's guess of
		// a few rows keeps it from walking an ordering index in search of
		// matches that may cluster anywhere in it.
		return "t.id = ANY(ARRAY(" + ids + "))", args
	}
	return "t.id IN (" + ids + ")", args
}

// A textIndex is a SQLite FTS5 table (migration 00006) that indexes the
// trigrams of lower() copies of a table's text columns, with the table's
// rowid. lower() folds ASCII letters only, as SQLite's LIKE does, and the
// index matches case-sensitively, so the phrase query of an ASCII term of
// at least three characters, lowercased, finds exactly the rows where
// "col LIKE '%term%'" holds for one of the columns (substrings of a
// trigram-tokenized text are exactly the phrases of its trigrams).
type textIndex struct {
	table   string
	columns []string
}

// textIndexes are the SQLite text indexes by the table they index.
var textIndexes = map[string]textIndex{
	"inventory_monitor_asset": {"invmon_asset_search",
		[]string{"description", "serial", "partnumber", "project", "vendor"}},
	"inventory_monitor_externalinventory": {"ext_inv_search",
		[]string{"inventory_number", "name", "serial_number", "external_id", "person_id", "person_name",
			"location_code", "location", "department_code", "project_code", "user_name", "user_note"}},
}

// textMatch returns a query of the ids of table's rows (alias.column
// expressions in exprs) where one of the columns contains term, ignoring
// ASCII case, read from the table's text index, with its one argument;
// ok is false when the index cannot answer it exactly (PostgreSQL, no index
// or a column it lacks, terms shorter than a trigram or with non-ASCII
// characters, whose case folding LIKE leaves to ulower).
func (s *Store) textMatch(table string, exprs []string, alias, term string) (query string, arg any, ok bool) {
	ti, found := textIndexes[table]
	if s.d != sqliteDialect || !found || len(term) < 3 || !isASCII(term) {
		return "", nil, false
	}
	cols := make([]string, len(exprs))
	for i, expr := range exprs {
		a, col, _ := strings.Cut(expr, ".")
		if a != alias || !slices.Contains(ti.columns, col) {
			return "", nil, false
		}
		cols[i] = col
	}
	match := `"` + strings.ReplaceAll(strings.ToLower(term), `"`, `""`) + `"`
	if len(cols) < len(ti.columns) {
		match = "{" + strings.Join(cols, " ") + "} : " + match
	}
	return "SELECT rowid FROM " + ti.table + " WHERE " + ti.table + " MATCH ?", match, true
}

// viaTable returns the table that alias names in a SearchVia query
// ("... JOIN table alias ON ..."), or "".
func viaTable(query, alias string) string {
	f := strings.Fields(query)
	for i := 1; i+1 < len(f); i++ {
		if f[i+1] == alias && (strings.EqualFold(f[i-1], "FROM") || strings.EqualFold(f[i-1], "JOIN")) {
			return f[i]
		}
	}
	return ""
}

func (s *Store) cond(e *schema.Entity, c filter.Cond) (string, []any, error) {
	f := c.Filter
	if f.Method != "" && f.Method != "tag" {
		return s.method(e, c)
	}
	if f.Method == "tag" {
		// Tags are ANDed: every given tag must be present (__n: none of
		// them; __any: one of them is enough).
		var terms []string
		var args []any
		for _, v := range c.Values {
			p, a := s.predicate("", f, "", []any{v})
			ex := fmt.Sprintf(f.Exists, p)
			if c.Lookup == "n" {
				ex = "NOT " + ex
			}
			terms = append(terms, ex)
			args = append(args, a...)
		}
		if c.Lookup == "any" {
			return orJoin(terms), args, nil
		}
		return strings.Join(terms, " AND "), args, nil
	}
	negate := false
	lookup := c.Lookup
	switch lookup {
	case "n", "nic", "nisw", "niew", "nie":
		negate = true
		if lookup == "n" {
			lookup = ""
		} else {
			lookup = lookup[1:]
		}
	}
	if f.Exists != "" {
		p, args := s.existsCond(f, lookup, c.Values)
		if negate {
			p = "NOT (" + p + ")"
		}
		return p, args, nil
	}
	p, args := s.predicate(e.Table, f, lookup, c.Values)
	if negate {
		if slices.Contains(c.Values, nil) {
			// p itself matches the NULL rows, so they are excluded.
			p = "NOT (" + p + ")"
		} else {
			// Django's exclude() keeps rows whose value is NULL.
			p = f.Expr + " IS NULL OR NOT (" + p + ")"
		}
	}
	return p, args, nil
}

// existsCond compiles a lookup on a value of related rows (an EXISTS
// subquery): "null" matches objects without any related row, and
// __empty=true objects whose related rows hold no value (or that have none),
// so that __empty=true and __empty=false partition the objects.
func (s *Store) existsCond(f *schema.Filter, lookup string, values []any) (string, []any) {
	var ors []string
	if lookup == "empty" {
		filled := f.Expr + " IS NOT NULL"
		if f.Type.Text() {
			filled = "(" + f.Expr + " IS NOT NULL AND " + f.Expr + " <> '')"
		}
		for _, v := range values {
			ex := fmt.Sprintf(f.Exists, filled)
			if v.(bool) {
				ex = "NOT " + ex
			}
			ors = append(ors, ex)
		}
		return orJoin(ors), nil
	}
	var vals []any
	for _, v := range values {
		if v == nil {
			ors = append(ors, "NOT "+fmt.Sprintf(f.Exists, "1=1"))
			continue
		}
		vals = append(vals, v)
	}
	var args []any
	if len(vals) > 0 {
		var p string
		p, args = s.predicate("", f, lookup, vals)
		ors = append(ors, fmt.Sprintf(f.Exists, p))
	}
	return orJoin(ors), args
}

// predicate compiles one lookup over the values (ORed) on f.Expr, a
// column of table when it starts with "t." (table is "" otherwise).
func (s *Store) predicate(table string, f *schema.Filter, lookup string, values []any) (string, []any) {
	expr := f.Expr
	var ors []string
	var args []any
	add := func(p string, a ...any) {
		ors = append(ors, p)
		args = append(args, a...)
	}
	switch lookup {
	case "empty", "isnull":
		for _, v := range values {
			empty := v.(bool)
			p := expr + " IS NULL"
			if lookup == "empty" && f.Type.Text() {
				p = "(" + expr + " IS NULL OR " + expr + " = '')"
			}
			if !empty {
				p = "NOT " + p
			}
			add(p)
		}
	case "ic", "isw", "iew", "ie":
		for _, v := range values {
			val := escapeLike(v.(string))
			switch lookup {
			case "ic":
				val = "%" + val + "%"
			case "isw":
				val = val + "%"
			case "iew":
				val = "%" + val
			}
			p, a := s.filterLike(table, expr, val)
			add(p, a...)
		}
	case "regex", "iregex":
		for _, v := range values {
			p, a := s.regex(expr, v.(string), lookup == "iregex")
			add(p, a...)
		}
	case "lt", "lte", "gt", "gte":
		op := map[string]string{"lt": "<", "lte": "<=", "gt": ">", "gte": ">="}[lookup]
		for _, v := range values {
			switch v {
			case nil:
				continue
			case filter.Nothing:
				add("1=0")
				continue
			}
			add(expr+" "+op+" "+s.d.param(f.Type), s.d.encodeFilter(f.Type, v))
		}
	default: // the filter's base lookup
		var in []any
		for _, v := range values {
			switch v {
			case nil:
				add(expr + " IS NULL")
				continue
			case filter.Nothing:
				add("1=0")
				continue
			}
			switch f.Base {
			case "icontains":
				p, a := s.filterLike(table, expr, "%"+escapeLike(fmt.Sprint(v))+"%")
				add(p, a...)
			case "iexact":
				p, a := s.ciEqual(expr, v.(string))
				add(p, a...)
			default:
				if f.Type == schema.FDateTime {
					// A date-only value matches the whole day.
					if t := v.(time.Time); t.Equal(t.Truncate(24 * time.Hour)) {
						add(expr+" >= ? AND "+expr+" < ?", s.d.encodeFilter(f.Type, t), s.d.encodeFilter(f.Type, t.AddDate(0, 0, 1)))
						continue
					}
				}
				in = append(in, s.d.encodeFilter(f.Type, v))
			}
		}
		if len(in) == 1 {
			add(expr+" = "+s.d.param(f.Type), in...)
		} else if len(in) > 1 {
			ph := make([]string, len(in))
			for i := range ph {
				ph[i] = s.d.param(f.Type)
			}
			add(expr+" IN ("+strings.Join(ph, ", ")+")", in...)
		}
	}
	if len(ors) == 0 {
		return "1=1", nil
	}
	if len(ors) == 1 {
		return ors[0], args
	}
	return "(" + strings.Join(ors, ") OR (") + ")", args
}

// orderIndexes are the indexes, by table, that lead with the default
// ordering's first columns where that ordering has more columns than the
// index. SQLite's planner (3.54) costs sorting the rest of a long ORDER BY
// as if it were a whole sort, and so sorts two million probes for the
// first page of the list (1.3 s) instead of reading the index until the
// page is full (1 ms): an unfiltered list in the default order names its
// index.
var orderIndexes = map[string]string{
	"inventory_monitor_probe": "invmon_probe_order_idx",
}

// fewValues are the indexed columns, by table, that hold a few distinct
// values (vendor names, project codes) however many rows there are.
var fewValues = map[string][]string{
	"inventory_monitor_asset": {"vendor", "project"},
}

// filterLike is ciLike for a filter on expr. On a column of fewValues it
// matches the column's distinct values instead of every row's value and
// selects the rows holding one of them, which is the same set of rows:
//
//	t.vendor IN (distinct vendors LIKE pattern)
//
// The distinct values are read by a skip scan of the column's index (one
// index probe per value), and the rows then come from an index on the
// column (with equality, so an index on (lifecycle_status, vendor, ...)
// serves the common filter combinations), not from a scan of every row.
func (s *Store) filterLike(table, expr, pattern string) (string, []any) {
	col, ok := strings.CutPrefix(expr, "t.")
	if !ok || !slices.Contains(fewValues[table], col) {
		return s.ciLike(expr, pattern)
	}
	p, args := s.ciLike("v.x", pattern)
	return expr + " IN (WITH RECURSIVE v(x) AS (SELECT MIN(" + col + ") FROM " + table +
		" UNION ALL SELECT (SELECT MIN(" + col + ") FROM " + table + " WHERE " + col + " > v.x) FROM v WHERE v.x IS NOT NULL)" +
		" SELECT v.x FROM v WHERE " + p + ")", args
}

func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// method compiles the filters upstream implements as filter methods.
func (s *Store) method(e *schema.Entity, c filter.Cond) (string, []any, error) {
	today := inventory.Today(s.now())
	switch c.Filter.Method {
	case "warranty_status":
		wd := s.settings.WarningDays("warranty")
		var ors []string
		var args []any
		for _, v := range c.Values {
			p, a := s.band("t.warranty_start", "t.warranty_end", v.(string), wd, today)
			ors = append(ors, p)
			args = append(args, a...)
		}
		return orJoin(ors), args, nil
	case "service_status":
		// Any-match: an asset matches a band when one of its services is
		// in it; "none" means the asset has no service at all.
		wd := s.settings.WarningDays("service")
		var bands, ors []string
		var args []any
		none := false
		for _, v := range c.Values {
			if v.(string) == "none" {
				none = true
				continue
			}
			p, a := s.band("sv.service_start", "sv.service_end", v.(string), wd, today)
			bands = append(bands, p)
			args = append(args, a...)
		}
		if len(bands) > 0 {
			ors = append(ors, "EXISTS (SELECT 1 FROM inventory_monitor_assetservice sv WHERE sv.asset_id = t.id AND ("+orJoin(bands)+"))")
		}
		if none {
			ors = append(ors, "NOT EXISTS (SELECT 1 FROM inventory_monitor_assetservice sv WHERE sv.asset_id = t.id)")
		}
		return orJoin(ors), args, nil
	case "has_external_inventory_items":
		return existsIf(c, "EXISTS (SELECT 1 FROM inventory_monitor_externalinventory_assets m WHERE m.asset_id = t.id)"), nil, nil
	case "has_assets":
		return existsIf(c, "EXISTS (SELECT 1 FROM inventory_monitor_externalinventory_assets m WHERE m.externalinventory_id = t.id)"), nil, nil
	case "has_duplicates":
		// Exact, case-sensitive serial equality over all assets (upstream).
		return existsIf(c, "EXISTS (SELECT 1 FROM inventory_monitor_asset d WHERE d.serial = t.serial AND d.id <> t.id)"), nil, nil
	case "master_contracts":
		if c.Values[0].(bool) {
			return "t.parent_id IS NULL", nil, nil
		}
		return "", nil, nil
	case "contract_type":
		// The union of the selected kinds (upstream honours only a single
		// value, §13.19; the union gives the same result in every case).
		var top, sub bool
		for _, v := range c.Values {
			switch v.(string) {
			case "All":
				top, sub = true, true
			case "Contract":
				top = true
			case "Subcontract":
				sub = true
			}
		}
		switch {
		case top && sub:
			return "", nil, nil
		case top:
			return "t.parent_id IS NULL", nil, nil
		default:
			return "t.parent_id IS NOT NULL", nil, nil
		}
	case "latest_only":
		if !c.Values[0].(bool) {
			return "", nil, nil
		}
		// (time, id) as one row value: one index range from this probe
		// on, where an OR of the two made SQLite read the serial's every
		// probe (8 s instead of 1.8 s over two million).
		return "NOT EXISTS (SELECT 1 FROM inventory_monitor_probe p2 WHERE p2.serial = t.serial AND (p2.time, p2.id) > (t.time, t.id))", nil, nil
	case "latest_only_per_device":
		if !c.Values[0].(bool) {
			return "", nil, nil
		}
		return "NOT EXISTS (SELECT 1 FROM inventory_monitor_probe p2 WHERE p2.serial = t.serial AND " + s.d.nullSafeEqual("p2.device_id", "t.device_id") +
			" AND (p2.time, p2.id) > (t.time, t.id))", nil, nil
	case "rma_serial":
		var ors []string
		var args []any
		for _, v := range c.Values {
			pattern := "%" + escapeLike(v.(string)) + "%"
			for _, col := range []string{"t.original_serial", "t.replacement_serial"} {
				p, a := s.ciLike(col, pattern)
				ors = append(ors, p)
				args = append(args, a...)
			}
		}
		return orJoin(ors), args, nil
	}
	return "", nil, fmt.Errorf("filter %s: no implementation for method %q", c.Filter.Key, c.Filter.Method)
}

func existsIf(c filter.Cond, exists string) string {
	if c.Values[0].(bool) {
		return exists
	}
	return "NOT " + exists
}

func orJoin(ps []string) string {
	if len(ps) == 0 {
		return "1=0"
	}
	return "(" + strings.Join(ps, ") OR (") + ")"
}

// band is the SQL form of a date-status band (upstream date_status_q); it
// agrees with inventory.DateBand by construction and by test.
func (s *Store) band(start, end, band string, warningDays *int, today time.Time) (string, []any) {
	wd := 0
	if warningDays != nil {
		wd = *warningDays
	}
	t := s.d.encode(schema.Date, today)
	threshold := s.d.encode(schema.Date, today.AddDate(0, 0, wd))
	start, end = s.d.unindexed(start), s.d.unindexed(end)
	started := "(" + start + " IS NULL OR " + start + " <= ?)"
	switch band {
	case "expired":
		return started + " AND " + end + " <= ?", []any{t, t}
	case "expiring":
		if wd <= 0 {
			return "1=0", nil
		}
		return started + " AND " + end + " > ? AND " + end + " <= ?", []any{t, t, threshold}
	case "valid":
		return "(" + started + " AND " + end + " > ?) OR (" + start + " > ? AND " + end + " IS NOT NULL) OR (" + end + " IS NULL AND " + start + " IS NOT NULL)",
			[]any{t, threshold, t}
	default: // none
		return end + " IS NULL AND " + start + " IS NULL", nil
	}
}

// orderBy builds the ORDER BY list: the requested ordering or the
// entity's default, always ending with the primary key so pages are stable.
func (s *Store) orderBy(e *schema.Entity, q filter.Query) string {
	return s.orderSQL(e, orderKeys(e, q))
}

// orderKeys is the ordering orderBy writes: the requested keys or the
// entity's default, ending with the primary key (t.id) when they do not
// name it; t.id alone in cursor mode.
func orderKeys(e *schema.Entity, q filter.Query) []filter.Order {
	if q.Start != nil {
		return []filter.Order{{Column: "t.id"}}
	}
	var keys []filter.Order
	if len(q.Ordering) > 0 {
		keys = append(keys, q.Ordering...)
	} else {
		for _, name := range e.Ordering {
			desc := strings.HasPrefix(name, "-")
			name = strings.TrimPrefix(name, "-")
			if name == "id" {
				keys = append(keys, filter.Order{Column: "t.id", Desc: desc})
				continue
			}
			if f := e.Field(name); f != nil {
				keys = append(keys, filter.Order{Column: "t." + f.Column, Desc: desc})
			}
		}
	}
	if !slices.ContainsFunc(keys, func(o filter.Order) bool { return o.Column == "t.id" }) {
		keys = append(keys, filter.Order{Column: "t.id"})
	}
	return keys
}

// exposeJoinedKeys returns the select-list addition (", o1.name AS _o0,
// ...") that exposes the keys read from Query.Joins, and keys with those
// keys renamed to the exposed columns of alias t: the ordering of a query
// that sorts a subquery's selected rows again.
func exposeJoinedKeys(keys []filter.Order) (string, []filter.Order) {
	var extra strings.Builder
	out := slices.Clone(keys)
	for i, k := range keys {
		if strings.HasPrefix(k.Column, "t.") {
			continue
		}
		name := "_o" + strconv.Itoa(i)
		extra.WriteString(", " + k.Column + " AS " + name)
		out[i].Column = "t." + name
	}
	return extra.String(), out
}

// orderSQL writes keys as an ORDER BY list.
func (s *Store) orderSQL(e *schema.Entity, keys []filter.Order) string {
	nullable := map[string]bool{}
	for _, f := range e.Fields {
		nullable["t."+f.Column] = f.Null
	}
	parts := make([]string, 0, 2*len(keys))
	for _, k := range keys {
		dir := ""
		if k.Desc {
			dir = " DESC"
		}
		if s.d == sqliteDialect && (nullable[k.Column] || k.Nullable) {
			// PostgreSQL's (and so Django's) NULL placement: last
			// ascending, first descending; SQLite's default is the reverse.
			// Written as an expression so an index on it can serve the sort.
			parts = append(parts, "("+k.Column+" IS NULL)"+dir)
		}
		parts = append(parts, k.Column+dir)
	}
	return strings.Join(parts, ", ")
}

// orderColumns are the distinct columns of table alias t that keys sort
// by, as "t.column" (t.id first); ok is false when a key is not a plain
// column of t.
func orderColumns(keys []filter.Order) (cols []string, ok bool) {
	cols = []string{"t.id"}
	for _, k := range keys {
		name, found := strings.CutPrefix(k.Column, "t.")
		if !found || !isIdent(name) {
			return nil, false
		}
		if !slices.Contains(cols, k.Column) {
			cols = append(cols, k.Column)
		}
	}
	return cols, true
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if c != '_' && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}
