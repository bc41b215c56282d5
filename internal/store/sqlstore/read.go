package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

// relatedDepth is how far foreign keys are followed when loading objects:
// deep enough for every display string and nested brief object (an
// external inventory item's asset's order contract's contractor).
const relatedDepth = 3

// depths caches depthOf.
var depths sync.Map // *schema.Entity → int

// depthOf is how far e's relations are loaded: as deep as its serializer
// reaches (each relation field's nested brief object, and the display
// strings on the way, which read the related objects' own relations), at
// most relatedDepth. An asset needs two levels (its order contract and
// that contract's parent and contractor); an external inventory item
// three (its assets' order contracts' contractors).
func depthOf(e *schema.Entity) int {
	if d, ok := depths.Load(e); ok {
		return d.(int)
	}
	d := min(serializerDepth(e, false, 0), relatedDepth)
	depths.Store(e, d)
	return d
}

// serializerDepth is the relation depth e's full or brief form needs.
func serializerDepth(e *schema.Entity, brief bool, level int) int {
	if level > relatedDepth {
		return relatedDepth + 1 // deeper than ever loaded: stop
	}
	names := e.APIFields
	if brief && len(e.BriefFields) > 0 {
		names = e.BriefFields
	}
	d := 0
	for _, f := range e.Fields {
		if f.Kind == schema.ForeignKey || f.Kind == schema.ManyToMany {
			d = 1 // the display string may read any related object
			break
		}
	}
	for _, name := range names {
		f := e.Field(name)
		if f == nil || (f.Kind != schema.ForeignKey && f.Kind != schema.ManyToMany) {
			continue
		}
		d = max(d, 1+serializerDepth(schema.Inventory.Entity(f.Ref), true, level+1))
	}
	return d
}

// readShape is a select list of an entity's stored fields (all of them,
// or those of a brief read).
type readShape struct {
	fields  []*schema.Field
	columns string // on alias t
}

var readShapes, briefShapes sync.Map // *schema.Entity → *readShape

func shapeOf(e *schema.Entity) *readShape {
	if sh, ok := readShapes.Load(e); ok {
		return sh.(*readShape)
	}
	sh := newShape(e.StoredFields())
	readShapes.Store(e, sh)
	return sh
}

// briefShapeOf is the shape of e's objects that a list page reads for
// the objects its rows point to: the API renders those in their brief
// form only, so the stored fields among e's BriefFields and DisplayFields
// (and the foreign keys of "rel.field" ones) are all it needs. Records
// read so hold no other values.
func briefShapeOf(e *schema.Entity) *readShape {
	if sh, ok := briefShapes.Load(e); ok {
		return sh.(*readShape)
	}
	sh := shapeOf(e) // no brief form: rendered whole
	if len(e.BriefFields) > 0 {
		want := map[string]bool{}
		for _, name := range e.BriefReads() {
			want[name] = true
		}
		var fields []*schema.Field
		for _, f := range e.StoredFields() {
			if want[f.Name] {
				fields = append(fields, f)
			}
		}
		sh = newShape(fields)
	}
	briefShapes.Store(e, sh)
	return sh
}

func newShape(fields []*schema.Field) *readShape {
	cols := []string{"t.id"}
	for _, f := range fields {
		cols = append(cols, "t."+f.Column)
	}
	return &readShape{fields: fields, columns: strings.Join(cols, ", ")}
}

func selectColumns(e *schema.Entity) string { return shapeOf(e).columns }

// columns is the select list of e's records: selectColumns, and for assets
// the computed asset_numbers (see assetNumbersColumn) after them.
func (s *Store) columns(e *schema.Entity) string {
	if e.Name == schema.AssetName {
		return selectColumns(e) + ", " + s.assetNumbersColumn("t")
	}
	return selectColumns(e)
}

// aliasColumns is columns(e) for table alias a.
func (s *Store) aliasColumns(e *schema.Entity, a string) string {
	return s.shapeColumns(e, shapeOf(e), a)
}

// shapeColumns is the select list of shape sh of e for table alias a (for
// assets with the computed asset_numbers after the fields).
func (s *Store) shapeColumns(e *schema.Entity, sh *readShape, a string) string {
	cols := make([]string, 0, len(sh.fields)+2)
	cols = append(cols, a+".id")
	for _, f := range sh.fields {
		cols = append(cols, a+"."+f.Column)
	}
	if e.Name == schema.AssetName {
		cols = append(cols, s.assetNumbersColumn(a))
	}
	return strings.Join(cols, ", ")
}

// width is the number of columns(e).
func width(e *schema.Entity) int { return shapeWidth(e, shapeOf(e)) }

// shapeWidth is the number of shapeColumns(e, sh, ...).
func shapeWidth(e *schema.Entity, sh *readShape) int {
	n := len(sh.fields) + 1
	if e.Name == schema.AssetName {
		n++
	}
	return n
}

// assetNumbersColumn is the asset's asset_numbers for alias a: the
// distinct, sorted, non-empty inventory numbers of its external inventory
// items joined by ", ", NULL when there are none.
func (s *Store) assetNumbersColumn(a string) string {
	from := " FROM inventory_monitor_externalinventory_assets m JOIN inventory_monitor_externalinventory x ON x.id = m.externalinventory_id" +
		" WHERE m.asset_id = " + a + ".id AND x.inventory_number <> ''"
	if s.d == postgresDialect {
		return "(SELECT string_agg(DISTINCT x.inventory_number, ', ' ORDER BY x.inventory_number)" + from + ")"
	}
	// SQLite: most assets have no items; a probe of the link index skips
	// the aggregate for them.
	return "CASE WHEN EXISTS (SELECT 1 FROM inventory_monitor_externalinventory_assets m WHERE m.asset_id = " + a + ".id)" +
		" THEN (SELECT group_concat(n, ', ' ORDER BY n) FROM (SELECT DISTINCT x.inventory_number AS n" + from + ")) END"
}

// idsIn is a predicate "col is one of ids" whose SQL text varies little
// with the number of ids, so that its statement is prepared once and
// reused: a bigint array parameter on PostgreSQL; on SQLite an IN list
// padded (repeating the last id) to one of a few lengths.
func (s *Store) idsIn(col string, ids []int64) (string, []any) {
	if s.d == postgresDialect {
		return col + " = ANY(?)", []any{ids}
	}
	n := inListLen(len(ids))
	args := make([]any, n)
	for i := range args {
		args[i] = ids[min(i, len(ids)-1)]
	}
	return col + " IN (" + placeholders(n) + ")", args
}

// inListLen rounds n up to 1, 2, 3, 4, 6, 8, 12, 16, 24, …: at most half
// again as many placeholders, and a few dozen lengths in all.
func inListLen(n int) int {
	if n <= 4 {
		return max(n, 1)
	}
	p := 4
	for {
		if n <= p+p/2 {
			return p + p/2
		}
		if n <= 2*p {
			return 2 * p
		}
		p *= 2
	}
}

// tagsColumn is the tags of e's row t as a JSON array of [id, name, slug,
// color, description] arrays ordered by name (NULL or [] without tags).
func (s *Store) tagsColumn(e *schema.Entity) string {
	from := " FROM " + schema.TaggedItemTable + " ti JOIN " + schema.TagTable + " tg ON tg.id = ti.tag_id" +
		" WHERE ti.object_type = " + sqlString(e.ObjectType) + " AND ti.object_id = t.id)"
	// A probe of the tagged-item key skips the aggregate (and its join)
	// for untagged rows, most of them.
	tagged := "CASE WHEN EXISTS (SELECT 1 FROM " + schema.TaggedItemTable + " ti WHERE ti.object_type = " + sqlString(e.ObjectType) + " AND ti.object_id = t.id)"
	if s.d == postgresDialect {
		return tagged + " THEN (SELECT json_agg(json_build_array(tg.id, tg.name, tg.slug, tg.color, tg.description) ORDER BY tg.name)" + from + " END"
	}
	return tagged + " THEN (SELECT json_group_array(json_array(tg.id, tg.name, tg.slug, tg.color, tg.description) ORDER BY tg.name)" + from + " END"
}

// decodeTags reads a tagsColumn value.
func decodeTags(v any) ([]schema.Tag, error) {
	var b []byte
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		if x == "[]" { // SQLite's json_group_array of no rows
			return nil, nil
		}
		b = []byte(x)
	case []byte:
		b = x
	default:
		return nil, fmt.Errorf("tags: unexpected %T", v)
	}
	if tags, ok := scanTags(b); ok {
		return tags, nil
	}
	return decodeTagsJSON(b)
}

// decodeTagsJSON is decodeTags through encoding/json.
func decodeTagsJSON(b []byte) ([]schema.Tag, error) {
	var raw [][]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("tags: %w", err)
	}
	if len(raw) == 0 {
		return nil, nil
	}
	out := make([]schema.Tag, len(raw))
	for i, r := range raw {
		t := &out[i]
		if len(r) != 5 {
			return nil, fmt.Errorf("tags: %d values", len(r))
		}
		for j, dst := range []any{&t.ID, &t.Name, &t.Slug, &t.Color, &t.Description} {
			if err := json.Unmarshal(r[j], dst); err != nil {
				return nil, fmt.Errorf("tags: %w", err)
			}
		}
	}
	return out, nil
}

// scanTags reads the common form of a tags column without reflection:
// [[id, "name", "slug", "color", "description"], ...] whose strings hold
// no escapes. ok is false for anything else, which decodeTags then reads
// with encoding/json.
func scanTags(b []byte) (tags []schema.Tag, ok bool) {
	i := 0
	skip := func() {
		for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r') {
			i++
		}
	}
	expect := func(c byte) bool {
		skip()
		if i < len(b) && b[i] == c {
			i++
			return true
		}
		return false
	}
	str := func() (string, bool) {
		if !expect('"') {
			return "", false
		}
		start := i
		for i < len(b) && b[i] != '"' {
			if b[i] == '\\' || b[i] < 0x20 {
				return "", false
			}
			i++
		}
		if i == len(b) || !utf8.Valid(b[start:i]) { // encoding/json would replace invalid bytes
			return "", false
		}
		i++
		return string(b[start : i-1]), true
	}
	if !expect('[') {
		return nil, false
	}
	if expect(']') {
		skip()
		return nil, i == len(b)
	}
	for {
		var t schema.Tag
		if !expect('[') {
			return nil, false
		}
		skip()
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i-start > 1 && b[start] == '0' { // not a JSON number
			return nil, false
		}
		id, err := strconv.ParseInt(string(b[start:i]), 10, 64)
		if err != nil {
			return nil, false
		}
		t.ID = id
		for _, dst := range []*string{&t.Name, &t.Slug, &t.Color, &t.Description} {
			if !expect(',') {
				return nil, false
			}
			if *dst, ok = str(); !ok {
				return nil, false
			}
		}
		if !expect(']') {
			return nil, false
		}
		tags = append(tags, t)
		if expect(']') {
			skip()
			return tags, i == len(b)
		}
		if !expect(',') {
			return nil, false
		}
	}
}

// scanIDs reads a single id column and closes rows.
func scanIDs(rows *sql.Rows) ([]int64, error) {
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// scanTargets is a row of n values and the pointers rows.Scan fills it by.
func scanTargets(n int) (raw, ptrs []any) {
	raw = make([]any, n)
	ptrs = make([]any, n)
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	return raw, ptrs
}

// pageLayout is the width of a page row's record (with its tags column when
// tags is set) and the number of leading columns (the count, when read).
func pageLayout(e *schema.Entity, tags bool, count *int64) (n, lead int) {
	n = width(e)
	if tags {
		n++
	}
	if count != nil {
		lead = 1
	}
	return n, lead
}

// scanRecords reads rows selected with s.columns(e), and then the
// tagsColumn when tags is set.
func (s *Store) scanRecords(e *schema.Entity, rows rowSource, tags bool) ([]*schema.Record, error) {
	return s.scanPage(e, rows, tags, nil)
}

// scanPage is scanRecords for rows that start with a count column when
// count is not nil: it is read into count, and rows whose columns(e) are
// NULL (an outer join's miss) hold no record.
func (s *Store) scanPage(e *schema.Entity, rows rowSource, tags bool, count *int64) ([]*schema.Record, error) {
	defer rows.Close()
	n, lead := pageLayout(e, tags, count)
	raw, ptrs := scanTargets(lead + n)
	var out []*schema.Record
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		r, err := s.decodePageRow(e, raw, n, tags, count)
		if err != nil {
			return nil, err
		}
		if r != nil {
			out = append(out, r)
		}
	}
	return out, rows.Err()
}

// decodePageRow decodes one scanned row of scanPage or scanJoinedPage:
// the count first when count is not nil (read into it), then the record's
// n columns (the tags column last when tags is set). A row without a
// record (an outer join's miss beside the count) gives nil.
func (s *Store) decodePageRow(e *schema.Entity, raw []any, n int, tags bool, count *int64) (*schema.Record, error) {
	lead := 0
	if count != nil {
		lead = 1
		c, ok := raw[0].(int64)
		if !ok {
			return nil, fmt.Errorf("%s: count of type %T", e.Name, raw[0])
		}
		*count = c
	}
	r, err := s.decodeRecord(e, raw[lead:])
	if err != nil {
		return nil, err
	}
	if r == nil {
		if count != nil {
			return nil, nil
		}
		return nil, fmt.Errorf("%s: NULL id", e.Name)
	}
	if tags {
		if r.Tags, err = decodeTags(raw[lead+n-1]); err != nil {
			return nil, fmt.Errorf("%s %d: %w", e.Name, r.ID, err)
		}
	}
	return r, nil
}

// decodeRecord makes a record of the first width(e) values of raw (a
// row's columns(e)); nil when its id is NULL (an outer join's miss).
func (s *Store) decodeRecord(e *schema.Entity, raw []any) (*schema.Record, error) {
	return s.decodeShape(e, shapeOf(e), raw)
}

// decodeShape is decodeRecord for the columns of shape sh.
func (s *Store) decodeShape(e *schema.Entity, sh *readShape, raw []any) (*schema.Record, error) {
	fs := sh.fields
	var r *schema.Record
	switch id := raw[0].(type) {
	case int64:
		r = &schema.Record{Entity: e, ID: id, Values: make(map[string]any, len(fs))}
	case nil:
		return nil, nil
	default:
		return nil, fmt.Errorf("unexpected id type %T", raw[0])
	}
	for i, f := range fs {
		v := raw[i+1]
		if v == nil {
			continue
		}
		// Strings and integers come as they are stored: keep the
		// scanned interface rather than box them again.
		switch v.(type) {
		case string:
			if f.Kind == schema.String || f.Kind == schema.Choice || f.Kind == schema.ContentType {
				r.Values[f.Name] = v
				continue
			}
		case int64:
			if f.Kind == schema.Int || f.Kind == schema.ForeignKey || f.Kind == schema.NetBoxRef {
				r.Values[f.Name] = v
				continue
			}
		}
		v, err := s.d.decode(f.Kind, v)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", e.Name, f.Name, err)
		}
		if v != nil {
			r.Values[f.Name] = v
		}
	}
	if e.Name == schema.AssetName {
		switch v := raw[len(fs)+1].(type) {
		case string:
			r.Values["asset_numbers"] = v
		case []byte:
			r.Values["asset_numbers"] = string(v)
		}
	}
	return r, nil
}

// byIDsJoined is byIDs that also reads, by outer joins in the same query,
// the objects e's foreign keys point to: joined[i] lists those of e's i-th
// foreign key field (fkFields), one per distinct id.
func (s *Store) byIDsJoined(ctx context.Context, db querier, e *schema.Entity, ids []int64) (recs []*schema.Record, joined [][]*schema.Record, err error) {
	fks := fkFields(e)
	cols := []string{s.aliasColumns(e, "t")}
	from := e.Table + " t"
	n := width(e)
	for i, f := range fks {
		ref := s.reg.Entity(f.Ref)
		a := "j" + strconv.Itoa(i)
		cols = append(cols, s.aliasColumns(ref, a))
		from += " LEFT JOIN " + ref.Table + " " + a + " ON " + a + ".id = t." + f.Column
		n += width(ref)
	}
	joined = make([][]*schema.Record, len(fks))
	seen := make([]map[int64]bool, len(fks))
	for i := range seen {
		seen[i] = map[int64]bool{}
	}
	raw, ptrs := scanTargets(n)
	for _, chunk := range chunks(ids, 5000) {
		cond, args := s.idsIn("t.id", chunk)
		rows, err := s.query(ctx, db, s.q("SELECT "+strings.Join(cols, ", ")+" FROM "+from+" WHERE "+cond), args...)
		if err != nil {
			return nil, nil, err
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, nil, err
			}
			r, err := s.decodeRecord(e, raw)
			if err != nil || r == nil {
				rows.Close()
				return nil, nil, cmp.Or(err, fmt.Errorf("%s: NULL id", e.Name))
			}
			recs = append(recs, r)
			at := width(e)
			for i, f := range fks {
				ref := s.reg.Entity(f.Ref)
				if id, ok := raw[at].(int64); ok && !seen[i][id] {
					seen[i][id] = true
					jr, err := s.decodeRecord(ref, raw[at:])
					if err != nil {
						rows.Close()
						return nil, nil, err
					}
					joined[i] = append(joined[i], jr)
				}
				at += width(ref)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
	}
	return recs, joined, nil
}

// fkFields are e's foreign key fields.
func fkFields(e *schema.Entity) []*schema.Field {
	var out []*schema.Field
	for _, f := range e.Fields {
		if f.Kind == schema.ForeignKey {
			out = append(out, f)
		}
	}
	return out
}

// byIDs loads the objects with the given ids (any order) without relations.
func (s *Store) byIDs(ctx context.Context, db querier, e *schema.Entity, ids []int64) ([]*schema.Record, error) {
	var out []*schema.Record
	for _, chunk := range chunks(ids, 5000) {
		cond, args := s.idsIn("t.id", chunk)
		rows, err := s.query(ctx, db, s.q("SELECT "+s.columns(e)+" FROM "+e.Table+" t WHERE "+cond), args...)
		if err != nil {
			return nil, err
		}
		recs, err := s.scanRecords(e, rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, recs...)
	}
	return out, nil
}

func chunks(ids []int64, n int) [][]int64 {
	var out [][]int64
	for len(ids) > n {
		out = append(out, ids[:n])
		ids = ids[n:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}

// Get returns one object with its tags, many-to-many ids and related objects.
func (s *Store) Get(ctx context.Context, e *schema.Entity, id int64) (*schema.Record, error) {
	return s.get(ctx, s.db, e, id)
}

func (s *Store) get(ctx context.Context, db querier, e *schema.Entity, id int64) (*schema.Record, error) {
	recs, err := s.byIDs(ctx, db, e, []int64{id})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, &inventory.NotFoundError{Model: e.Model, ID: id}
	}
	if err := s.complete(ctx, db, e, recs); err != nil {
		return nil, err
	}
	return recs[0], nil
}

// List returns one page of objects matching q.
func (s *Store) List(ctx context.Context, e *schema.Entity, q filter.Query) (store.Page, error) {
	page, err := s.list(ctx, e, q)
	return page, s.filterError(ctx, q, err)
}

// invalidRegex returns PostgreSQL's complaint about a regular expression.
func invalidRegex(err error) *pgconn.PgError {
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "2201B" {
		return pg
	}
	return nil
}

// regexFilterError finds the regular-expression filter value PostgreSQL
// refuses (each pattern tried alone) and names its parameter.
func (s *Store) regexFilterError(ctx context.Context, q filter.Query, err error) error {
	for _, c := range q.Conds {
		if c.Lookup != "regex" && c.Lookup != "iregex" {
			continue
		}
		for _, v := range c.Values {
			pred, args := s.d.regex("''", v.(string), c.Lookup == "iregex")
			var match bool
			if pg := invalidRegex(s.db.QueryRowContext(ctx, s.q("SELECT "+pred), args...).Scan(&match)); pg != nil {
				return &filter.Error{Param: c.Filter.Key + "__" + c.Lookup,
					Message: "Enter a valid regular expression: " + strings.TrimPrefix(pg.Message, "invalid regular expression: ") + "."}
			}
		}
	}
	return err
}

func (s *Store) list(ctx context.Context, e *schema.Entity, q filter.Query) (store.Page, error) {
	if err := s.checkModelChoices(ctx, q); err != nil {
		return store.Page{}, err
	}
	where, args, err := s.where(e, q)
	if err != nil {
		return store.Page{}, err
	}
	if q.Q != "" && where != "" && q.Start == nil {
		// A search's matches are an id set that no ordering index helps
		// to page through (see listMatching).
		if keyCols, ok := orderColumns(orderKeys(e, q)); ok {
			return s.listMatching(ctx, e, q, where, args, keyCols)
		}
	}
	var page store.Page
	cond := ""
	if where != "" {
		cond = " WHERE " + where
	}
	// PostgreSQL reads an unfiltered page's stored count in the page query
	// (one round trip less).
	countInPage := s.d == postgresDialect && q.Start == nil && cond == ""
	if q.Start == nil && !countInPage {
		var n int
		var err error
		if cond == "" {
			n, err = s.storedCount(ctx, e)
		} else {
			err = s.queryRow(ctx, s.db, s.q("SELECT COUNT(*) FROM "+e.Table+" t"+cond), args...).Scan(&n)
		}
		if err != nil {
			return page, fmt.Errorf("count %s: %w", e.Name, err)
		}
		page.Count = &n
	} else if q.Start != nil {
		if cond == "" {
			cond = " WHERE t.id >= ?"
		} else {
			cond += " AND t.id >= ?"
		}
		args = append(args, *q.Start)
	}
	// The page's tags come with its rows (one query less).
	cols := s.columns(e)
	if e.HasTags {
		cols += ", " + s.tagsColumn(e)
	}
	keys := orderKeys(e, q)
	order := s.orderSQL(e, keys)
	// The rows are selected from the table with the joins that related
	// ordering keys read; a query sorting the selected page again reads
	// those keys from the columns exposed (PostgreSQL).
	from := e.Table + " t" + strings.Join(q.Joins, "")
	inOrder := s.orderIndexUse(ctx, e, q, cond, page.Count)
	if inOrder == wholeOrderIndex {
		from = e.Table + " t INDEXED BY " + orderIndexes[e.Table]
	}
	exposed, pageOrder := "", order
	if len(q.Joins) > 0 {
		var pageKeys []filter.Order
		exposed, pageKeys = exposeJoinedKeys(keys)
		pageOrder = s.orderSQL(e, pageKeys)
	}
	// The page's related objects come by outer joins on the page's rows
	// (no query per related entity).
	joins := s.pageJoins(e)
	if joins != nil && s.d == sqliteDialect {
		page.Records, err = s.joinedPageByIDs(ctx, e, q, from, cond, args, order, cols, joins)
		if err != nil {
			return page, fmt.Errorf("list %s: %w", e.Name, err)
		}
		return page, nil
	}
	var query string
	if joins != nil {
		// The page is selected first, so that only its rows are joined
		// and their computed columns evaluated (not those OFFSET skips).
		var limit string
		limit, args = s.limitClause(q, args)
		inner := "SELECT t.*" + exposed + " FROM " + from + cond + " ORDER BY " + order + limit
		query = "SELECT " + cols + joins.columns + " FROM (" + inner + ") t" + joins.from + " ORDER BY " + pageOrder
		if countInPage {
			query = "SELECT c.n, " + cols + joins.columns + " FROM (" + storedCountQuery(e) + ") c LEFT JOIN (" + inner + ") t ON 1 = 1" + joins.from + " ORDER BY " + pageOrder
		}
	} else if s.d == sqliteDialect {
		// SQLite computes the columns of the page's rows only (not of
		// the rows OFFSET skips).
		var limit string
		limit, args = s.limitClause(q, args)
		query = "SELECT " + cols + " FROM " + from + cond + " ORDER BY " + order + limit
		if inOrder == windowOfOrderIndex {
			recs, full, err := s.pageInOrderWindow(ctx, e, q, cols, cond, order+limit, args, *page.Count)
			if err != nil {
				return page, fmt.Errorf("list %s: %w", e.Name, err)
			}
			if full {
				page.Records = recs
				return page, nil
			}
		}
	} else {
		// PostgreSQL would compute the subquery columns of every row
		// OFFSET skips too: they are computed on the page only, in the
		// same (total) order.
		var limit string
		limit, args = s.limitClause(q, args)
		inner := "SELECT t.*" + exposed + " FROM " + from + cond + " ORDER BY " + order + limit
		query = "SELECT " + cols + " FROM (" + inner + ") t ORDER BY " + pageOrder
		if countInPage {
			// The count row is joined to the page, as in listMatching.
			query = "SELECT c.n, " + cols + " FROM (" + storedCountQuery(e) + ") c LEFT JOIN (" + inner + ") t ON 1 = 1 ORDER BY " + pageOrder
		}
	}
	var count *int64
	n := int64(-1)
	if countInPage {
		count = &n
	}
	err = s.readRows(ctx, s.q(query), args, func(rows rowSource) error {
		var err error
		if joins != nil {
			page.Records, err = s.scanJoinedPage(e, rows, e.HasTags, count, joins)
		} else {
			page.Records, err = s.scanPage(e, rows, e.HasTags, count)
		}
		return err
	})
	if err != nil {
		return page, fmt.Errorf("list %s: %w", e.Name, err)
	}
	if countInPage {
		if n < 0 { // no stored count: storedCount reports it
			if _, err := s.storedCount(ctx, e); err != nil {
				return page, fmt.Errorf("count %s: %w", e.Name, err)
			}
			return page, fmt.Errorf("count %s: not stored", e.Name)
		}
		c := int(n)
		page.Count = &c
	}
	if joins != nil {
		return page, nil
	}
	return page, s.completeRecords(ctx, s.db, e, page.Records, false)
}

// orderIndexUse says how a SQLite page in the default order reads the
// entity's ordering index (orderIndexes), which SQLite's planner neglects
// for long orderings: an unfiltered page reads it until the page is full;
// a filtered one first tries the window of the index's first
// maxOrderScan rows in order when the count promises the page there, the
// matches spreading evenly (latest_only: about 770 rows instead of the
// filter computed for two million probes and 130,000 sorted). A selective
// filter (a device's probes) keeps the planner's plan.
func (s *Store) orderIndexUse(ctx context.Context, e *schema.Entity, q filter.Query, cond string, count *int) orderIndexMode {
	if orderIndexes[e.Table] == "" || s.d != sqliteDialect || len(q.Ordering) > 0 || q.Start != nil || len(q.Joins) > 0 {
		return plannersChoice
	}
	if cond == "" {
		return wholeOrderIndex
	}
	if count == nil || *count == 0 || q.Limit <= 0 {
		return plannersChoice
	}
	total, err := s.storedCount(ctx, e)
	if err != nil || float64(q.Offset+q.Limit)*float64(total)/float64(*count)*orderWindowHeadroom > float64(maxOrderScan) {
		return plannersChoice
	}
	return windowOfOrderIndex
}

type orderIndexMode int

const (
	plannersChoice orderIndexMode = iota
	wholeOrderIndex
	windowOfOrderIndex
)

// maxOrderScan is the window of the ordering index a filtered page is
// looked for in: rows read in order, each looked up in the table.
var maxOrderScan = 20000 // variables for the tests

// orderWindowHeadroom is how many times the rows an even spread of the
// matches needs the window must hold for a filtered page to be looked for
// there.
var orderWindowHeadroom = 4.0

// pageInOrderWindow selects the page among the first maxOrderScan rows in
// the default order. Their matches are the first matches in that order, so
// the page is exact when the window holds all of it (full); otherwise
// (matches clustered further on) the caller asks the planner.
func (s *Store) pageInOrderWindow(ctx context.Context, e *schema.Entity, q filter.Query, cols, cond, orderAndLimit string, args []any, count int) ([]*schema.Record, bool, error) {
	window := "SELECT t.* FROM " + e.Table + " t INDEXED BY " + orderIndexes[e.Table] + " ORDER BY " + s.orderBy(e, q) + " LIMIT " + strconv.Itoa(maxOrderScan)
	var recs []*schema.Record
	err := s.readRows(ctx, s.q("SELECT "+cols+" FROM ("+window+") t"+cond+" ORDER BY "+orderAndLimit), args, func(rows rowSource) error {
		var err error
		recs, err = s.scanPage(e, rows, e.HasTags, nil)
		return err
	})
	full := err == nil && len(recs) == min(q.Limit, max(count-q.Offset, 0))
	if orderWindowTried != nil {
		orderWindowTried(full)
	}
	return recs, full, err
}

// orderWindowTried, when set (tests), hears whether each window held its page.
var orderWindowTried func(full bool)

// joinedPageByIDs reads a SQLite page with joins in two statements: the
// page's ids (an index walk that reads no row OFFSET skips), then the
// page's rows (cols) with their related objects by id, put back in the
// ids' order. In one statement SQLite would sort the joined rows again
// (it does not carry the page's order through the joins), which costs
// more than the second statement. Like the count, the two statements
// are not one snapshot: a row deleted in between is missing from the page,
// and one changed in between shows its new values in its old place (even
// when it no longer matches the filter).
func (s *Store) joinedPageByIDs(ctx context.Context, e *schema.Entity, q filter.Query, from, cond string, args []any, order, cols string, joins *pageJoinPlan) ([]*schema.Record, error) {
	limit, args := s.limitClause(q, args)
	rows, err := s.query(ctx, s.db, s.q("SELECT t.id FROM "+from+cond+" ORDER BY "+order+limit), args...)
	if err != nil {
		return nil, err
	}
	ids, err := scanIDs(rows)
	if err != nil {
		return nil, err
	}
	at := make(map[int64]int, len(ids))
	for i, id := range ids {
		at[id] = i
	}
	var out []*schema.Record
	for _, chunk := range chunks(ids, 1000) {
		in, inArgs := s.idsIn("t.id", chunk)
		rows, err := s.query(ctx, s.db, s.q("SELECT "+cols+joins.columns+" FROM "+e.Table+" t"+joins.from+" WHERE "+in), inArgs...)
		if err != nil {
			return nil, err
		}
		recs, err := s.scanJoinedPage(e, rows, e.HasTags, nil, joins)
		if err != nil {
			return nil, err
		}
		out = append(out, recs...)
	}
	slices.SortFunc(out, func(a, b *schema.Record) int { return at[a.ID] - at[b.ID] })
	return out, nil
}

// listMatching is List for a search page with its count, in one query
// that finds the matching rows once: their ids and ordering columns are
// materialized, counted, and sorted for the page, and only the page's rows
// are read whole (with their computed columns). A search matching thousands
// of rows so neither evaluates its conditions twice (count and page) nor
// sorts the full rows. keyCols are orderColumns of the page's ordering.
//
// Filters without a search keep List's two queries: there the count often
// reads a covering index only, and the page walks an index in the order
// (SQLite's default asset ordering, PostgreSQL's incremental sort) and
// stops after the page, where the matching set's ordering columns would
// be read from every matching row (a broad filter, 30,000 rows and more).
func (s *Store) listMatching(ctx context.Context, e *schema.Entity, q filter.Query, where string, args []any, keyCols []string) (store.Page, error) {
	var page store.Page
	query, args := s.matchingQuery(e, q, where, args, keyCols)
	var n int64
	err := s.readRows(ctx, s.q(query), args, func(rows rowSource) error {
		var err error
		page.Records, err = s.scanPage(e, rows, e.HasTags, &n)
		return err
	})
	if err != nil {
		return page, fmt.Errorf("list %s: %w", e.Name, err)
	}
	count := int(n)
	page.Count = &count
	return page, s.completeRecords(ctx, s.db, e, page.Records, false)
}

// limitClause is a page's LIMIT and OFFSET, appending their arguments.
// SQLite binds them, so that the statement text is the same for every
// page (and prepared once; -1 is no limit); PostgreSQL gets literals, so
// that the planner chooses by them.
func (s *Store) limitClause(q filter.Query, args []any) (string, []any) {
	if s.d == sqliteDialect {
		limit := int64(-1)
		if q.Limit > 0 {
			limit = int64(q.Limit)
		}
		return " LIMIT ? OFFSET ?", append(args, limit, int64(max(q.Offset, 0)))
	}
	var clause string
	if q.Limit > 0 {
		clause += fmt.Sprintf(" LIMIT %d", q.Limit)
	}
	if q.Offset > 0 {
		clause += fmt.Sprintf(" OFFSET %d", q.Offset)
	}
	return clause, args
}

// matchingQuery is listMatching's query and arguments.
func (s *Store) matchingQuery(e *schema.Entity, q filter.Query, where string, args []any, keyCols []string) (string, []any) {
	cols := s.columns(e)
	if e.HasTags {
		cols += ", " + s.tagsColumn(e)
	}
	// The ordering is written on alias t: the matching set's columns keep
	// the table's names, so it sorts both the set and the page's rows.
	order := s.orderBy(e, q)
	limit, args := s.limitClause(q, args)
	// The count row is joined to the page (outer joins): a page past the
	// end is one row of the count with NULL columns.
	query := "WITH m AS MATERIALIZED (SELECT " + strings.Join(keyCols, ", ") + " FROM " + e.Table + " t WHERE " + where + ")" +
		" SELECT c.n, " + cols + " FROM (SELECT COUNT(*) AS n FROM m) c" +
		" LEFT JOIN (SELECT t.id FROM m t ORDER BY " + order + limit + ") p ON 1 = 1" +
		" LEFT JOIN " + e.Table + " t ON t.id = p.id ORDER BY " + order
	return query, args
}

// complete loads what the API and display strings need beyond the row:
// tags, many-to-many ids, related objects and computed values.
func (s *Store) complete(ctx context.Context, db querier, e *schema.Entity, recs []*schema.Record) error {
	return s.completeRecords(ctx, db, e, recs, true)
}

// completeRecords is complete, without loading tags unless tags is set.
func (s *Store) completeRecords(ctx context.Context, db querier, e *schema.Entity, recs []*schema.Record, tags bool) error {
	if len(recs) == 0 {
		return nil
	}
	if tags {
		if err := s.loadTags(ctx, db, e, recs); err != nil {
			return err
		}
	}
	if err := s.loadManyToMany(ctx, db, e, recs); err != nil {
		return err
	}
	return s.loadRelated(ctx, db, e, recs, depthOf(e))
}

func recordIDs(recs []*schema.Record) ([]int64, map[int64]*schema.Record) {
	ids := make([]int64, len(recs))
	byID := make(map[int64]*schema.Record, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
		byID[r.ID] = r
	}
	return ids, byID
}

func idArgs(ids []int64) []any {
	a := make([]any, len(ids))
	for i, id := range ids {
		a[i] = id
	}
	return a
}

// sqlString quotes a registry constant as an SQL string literal. Tag
// queries name the object type as a literal: a bound parameter there would
// make SQLite re-plan the statement on every execution (a parameter that
// an index's statistics depend on).
func sqlString(v string) string { return "'" + strings.ReplaceAll(v, "'", "''") + "'" }

func (s *Store) loadTags(ctx context.Context, db querier, e *schema.Entity, recs []*schema.Record) error {
	if !e.HasTags {
		return nil
	}
	ids, byID := recordIDs(recs)
	for _, chunk := range chunks(ids, 5000) {
		cond, args := s.idsIn("ti.object_id", chunk)
		rows, err := s.query(ctx, db, s.q("SELECT ti.object_id, tg.id, tg.name, tg.slug, tg.color, tg.description FROM "+schema.TaggedItemTable+
			" ti JOIN "+schema.TagTable+" tg ON tg.id = ti.tag_id WHERE ti.object_type = "+sqlString(e.ObjectType)+" AND "+cond+" ORDER BY tg.name"), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var oid int64
			var t schema.Tag
			if err := rows.Scan(&oid, &t.ID, &t.Name, &t.Slug, &t.Color, &t.Description); err != nil {
				rows.Close()
				return err
			}
			if r := byID[oid]; r != nil {
				r.Tags = append(r.Tags, t)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) loadManyToMany(ctx context.Context, db querier, e *schema.Entity, recs []*schema.Record) error {
	for _, f := range e.Fields {
		if f.Kind != schema.ManyToMany {
			continue
		}
		ids, byID := recordIDs(recs)
		for _, r := range recs {
			r.Values[f.Name] = []int64{}
		}
		for _, chunk := range chunks(ids, 5000) {
			cond, args := s.idsIn(f.JoinFrom, chunk)
			rows, err := s.query(ctx, db, s.q("SELECT "+f.JoinFrom+", "+f.JoinTo+" FROM "+f.JoinTable+" WHERE "+cond+" ORDER BY "+f.JoinTo), args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var from, to int64
				if err := rows.Scan(&from, &to); err != nil {
					rows.Close()
					return err
				}
				r := byID[from]
				r.Values[f.Name] = append(r.Values[f.Name].([]int64), to)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
	}
	return nil
}

// loadRelated fills Related (foreign keys) and RelatedMany (many-to-many)
// down to depth levels, breadth first: one query per referenced entity and
// level, and none for objects an earlier level already loaded (an object
// is shared by every reference to it within the call, and its relations
// are loaded at least as deep as each reference needs).
func (s *Store) loadRelated(ctx context.Context, db querier, e *schema.Entity, recs []*schema.Record, depth int) error {
	loaded := map[*schema.Entity]map[int64]*schema.Record{}
	// register adds records first seen at some level and returns them.
	register := func(ref *schema.Entity, rs []*schema.Record) []*schema.Record {
		byID := loaded[ref]
		if byID == nil {
			byID = make(map[int64]*schema.Record, len(rs))
			loaded[ref] = byID
		}
		fresh := rs[:0:0]
		for _, r := range rs {
			if byID[r.ID] == nil {
				byID[r.ID] = r
				fresh = append(fresh, r)
			}
		}
		return fresh
	}
	// levels[k] holds the records whose relations are level k+1.
	levels := [][]group{{{e, recs}}}
	for k := 0; k < depth && k < len(levels); k++ {
		// The ids each referenced entity needs, in first-seen order.
		var targets []*schema.Entity
		want := map[*schema.Entity][]int64{}
		seen := map[*schema.Entity]map[int64]bool{}
		for _, g := range levels[k] {
			for _, f := range g.e.Fields {
				if f.Kind != schema.ForeignKey && f.Kind != schema.ManyToMany {
					continue
				}
				ref := s.reg.Entity(f.Ref)
				for _, r := range g.recs {
					if f.Kind == schema.ForeignKey {
						if id, ok := r.Int(f.Name); ok {
							addWanted(ref, id, loaded, seen, want, &targets)
						}
						continue
					}
					for _, id := range r.IDs(f.Name) {
						addWanted(ref, id, loaded, seen, want, &targets)
					}
				}
			}
		}
		add := func(level int, g group) {
			for len(levels) <= level {
				levels = append(levels, nil)
			}
			if len(g.recs) > 0 {
				levels[level] = append(levels[level], g)
			}
		}
		for _, ref := range targets {
			// When the next level needs these objects' foreign keys too,
			// they come in the same query.
			if k+2 <= depth && len(fkFields(ref)) > 0 {
				related, joined, err := s.byIDsJoined(ctx, db, ref, want[ref])
				if err != nil {
					return err
				}
				add(k+1, group{ref, register(ref, related)})
				for i, f := range fkFields(ref) {
					target := s.reg.Entity(f.Ref)
					add(k+2, group{target, register(target, joined[i])})
				}
				continue
			}
			related, err := s.byIDs(ctx, db, ref, want[ref])
			if err != nil {
				return err
			}
			add(k+1, group{ref, register(ref, related)})
		}
		for _, g := range levels[k] {
			linkRelated(s.reg, g.e, g.recs, loaded)
		}
	}
	return nil
}

func addWanted(ref *schema.Entity, id int64, loaded map[*schema.Entity]map[int64]*schema.Record,
	seen map[*schema.Entity]map[int64]bool, want map[*schema.Entity][]int64, targets *[]*schema.Entity) {
	if loaded[ref][id] != nil {
		return
	}
	sn := seen[ref]
	if sn == nil {
		sn = map[int64]bool{}
		seen[ref] = sn
		*targets = append(*targets, ref)
	}
	if !sn[id] {
		sn[id] = true
		want[ref] = append(want[ref], id)
	}
}

// linkRelated points recs' relation fields at the loaded objects. A field
// no record references is left unset.
func linkRelated(reg *schema.Registry, e *schema.Entity, recs []*schema.Record, loaded map[*schema.Entity]map[int64]*schema.Record) {
	for _, f := range e.Fields {
		if f.Kind != schema.ForeignKey && f.Kind != schema.ManyToMany {
			continue
		}
		byID := loaded[reg.Entity(f.Ref)]
		if f.Kind == schema.ForeignKey {
			for _, r := range recs {
				if id, ok := r.Int(f.Name); ok && byID[id] != nil {
					r.SetRelated(f.Name, byID[id])
				}
			}
			continue
		}
		used := false
		for _, r := range recs {
			if len(r.IDs(f.Name)) > 0 {
				used = true
				break
			}
		}
		if !used {
			continue
		}
		for _, r := range recs {
			if r.RelatedMany == nil {
				r.RelatedMany = map[string][]*schema.Record{}
			}
			var many []*schema.Record
			for _, id := range r.IDs(f.Name) {
				if rr := byID[id]; rr != nil {
					many = append(many, rr)
				}
			}
			r.RelatedMany[f.Name] = many
		}
	}
}
