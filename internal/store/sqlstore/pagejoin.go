package sqlstore

import (
	"strconv"
	"sync"

	"github.com/inventory-monitor/inventory-monitor/internal/schema"
)

// pageJoin is one object a list page's row points to, read by an outer
// join in the page query: the target of field f of the row's entity
// (parent < 0) or of an earlier join's object (parent is its index).
type pageJoin struct {
	ref    *schema.Entity
	shape  *readShape // what of ref is read (briefShapeOf)
	f      *schema.Field
	alias  string
	parent int
	level  int // 1: the page's related objects, 2: theirs
}

// pageJoinPlan is an entity's page joins and their select list and FROM
// clause additions (on a page aliased t).
type pageJoinPlan struct {
	joins   []pageJoin
	columns string // ", " and the joined columns, or ""
	from    string // the LEFT JOINs
	width   int    // the number of joined columns
}

var pageJoinPlans sync.Map // *schema.Entity → *pageJoinPlan (nil: none)

// pageJoins is the joins that read all of e's related objects with a
// list page (depthOf(e) levels, at most two), or nil when e's relations
// take more (many-to-many fields, deeper serializers) and are loaded by
// loadRelated instead.
func (s *Store) pageJoins(e *schema.Entity) *pageJoinPlan {
	if p, ok := pageJoinPlans.Load(e); ok {
		return p.(*pageJoinPlan)
	}
	p := s.buildPageJoins(e)
	pageJoinPlans.Store(e, p)
	return p
}

func (s *Store) buildPageJoins(e *schema.Entity) *pageJoinPlan {
	depth := depthOf(e)
	if depth < 1 || depth > 2 || hasManyToMany(e) || len(fkFields(e)) == 0 {
		return nil
	}
	p := &pageJoinPlan{}
	for i, f := range fkFields(e) {
		ref := s.reg.Entity(f.Ref)
		if depth == 2 && hasManyToMany(ref) {
			return nil
		}
		p.joins = append(p.joins, pageJoin{ref: ref, shape: briefShapeOf(ref), f: f, alias: "j" + strconv.Itoa(i), parent: -1, level: 1})
	}
	if depth == 2 {
		for pi, parent := range p.joins[:len(p.joins):len(p.joins)] {
			for i, f := range fkFields(parent.ref) {
				ref := s.reg.Entity(f.Ref)
				p.joins = append(p.joins, pageJoin{ref: ref, shape: briefShapeOf(ref), f: f, alias: parent.alias + "_" + strconv.Itoa(i), parent: pi, level: 2})
			}
		}
	}
	for _, j := range p.joins {
		on := "t"
		if j.parent >= 0 {
			on = p.joins[j.parent].alias
		}
		p.columns += ", " + s.shapeColumns(j.ref, j.shape, j.alias)
		p.from += " LEFT JOIN " + j.ref.Table + " " + j.alias + " ON " + j.alias + ".id = " + on + "." + j.f.Column
		p.width += shapeWidth(j.ref, j.shape)
	}
	return p
}

func hasManyToMany(e *schema.Entity) bool {
	for _, f := range e.Fields {
		if f.Kind == schema.ManyToMany {
			return true
		}
	}
	return false
}

// scanJoinedPage is scanPage for a page query with p's joined columns
// after the tags column: it also links the page's related objects as
// loadRelated does (each object shared by every reference to it, the
// first level's objects before the second's, and the relations of the
// levels below depthOf(e) linked).
func (s *Store) scanJoinedPage(e *schema.Entity, rows rowSource, tags bool, count *int64, p *pageJoinPlan) ([]*schema.Record, error) {
	defer rows.Close()
	n, lead := pageLayout(e, tags, count)
	raw, ptrs := scanTargets(lead + n + p.width)
	var out []*schema.Record
	// joined[i][k] is join i's object of the page's k-th record (nil: none).
	joined := make([][]*schema.Record, len(p.joins))
	// Rows repeat their related objects: each is decoded once.
	decoded := map[*schema.Entity]map[int64]*schema.Record{}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		r, err := s.decodePageRow(e, raw, n, tags, count)
		if err != nil {
			return nil, err
		}
		if r == nil {
			continue
		}
		out = append(out, r)
		at := lead + n
		for i, j := range p.joins {
			var jr *schema.Record
			if id, ok := raw[at].(int64); ok {
				if jr = decoded[j.ref][id]; jr == nil {
					if jr, err = s.decodeShape(j.ref, j.shape, raw[at:]); err != nil {
						return nil, err
					}
					if decoded[j.ref] == nil {
						decoded[j.ref] = map[int64]*schema.Record{}
					}
					decoded[j.ref][id] = jr
				}
			}
			joined[i] = append(joined[i], jr)
			at += shapeWidth(j.ref, j.shape)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	// Register each level's objects, first seen first, the way
	// loadRelated does, and link the levels above the last.
	loaded := map[*schema.Entity]map[int64]*schema.Record{}
	var level1 []group
	for level := 1; level <= 2; level++ {
		for i, j := range p.joins {
			if j.level != level {
				continue
			}
			byID := loaded[j.ref]
			if byID == nil {
				byID = map[int64]*schema.Record{}
				loaded[j.ref] = byID
			}
			var fresh []*schema.Record
			for _, jr := range joined[i] {
				if jr != nil && byID[jr.ID] == nil {
					byID[jr.ID] = jr
					fresh = append(fresh, jr)
				}
			}
			if level == 1 && len(fresh) > 0 {
				level1 = append(level1, group{j.ref, fresh})
			}
		}
	}
	linkRelated(s.reg, e, out, loaded)
	if depthOf(e) >= 2 {
		for _, g := range level1 {
			linkRelated(s.reg, g.e, g.recs, loaded)
		}
	}
	return out, nil
}

// group is records of one entity.
type group struct {
	e    *schema.Entity
	recs []*schema.Record
}
