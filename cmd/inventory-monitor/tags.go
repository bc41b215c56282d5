package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

// TagCmd manages tags (NetBox extras.Tag, also served at /api/extras/tags/).
type TagCmd struct {
	Create TagCreateCmd `cmd:"" help:"Create a tag."`
	List   TagListCmd   `cmd:"" help:"List tags."`
}

// TagCreateCmd creates a tag.
type TagCreateCmd struct {
	Name        string `arg:"" help:"Tag name."`
	Slug        string `help:"Slug (letters, digits, _ and -; default: from the name)." placeholder:"S"`
	Color       string `help:"Color, six lowercase hexadecimal digits (default 9e9e9e)." placeholder:"C"`
	Description string `help:"Description." placeholder:"D"`
}

func (c *TagCreateCmd) Run(g *Globals, ctx context.Context) error {
	st, err := g.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	p := store.Patch{"name": c.Name, "slug": c.Slug, "description": c.Description}
	if c.Slug == "" {
		p["slug"] = slugify(c.Name)
	}
	if c.Color != "" {
		p["color"] = c.Color
	}
	tags, err := st.CreateTags(ctx, []store.Patch{p}, store.Meta{Message: "inventory-monitor tag create"})
	if err != nil {
		return tagError(err)
	}
	t := tags[0]
	fmt.Fprintf(os.Stderr, "Created tag %s (id %d, slug %s, color %s).\n", t.Name, t.ID, t.Slug, t.Color)
	return nil
}

// slugify is NetBox's slug for a name: lower case, each run of other
// characters than letters, digits, _ and - one hyphen.
func slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(strings.TrimSpace(name)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-' {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-")
}

// tagError words a refused tag as the API's field errors would.
func tagError(err error) error {
	var bulk *inventory.BulkError
	if !errors.As(err, &bulk) || len(bulk.Items) == 0 || bulk.Items[0].Empty() {
		return err
	}
	var fields []string
	for f, msgs := range bulk.Items[0].Fields {
		fields = append(fields, f+": "+strings.Join(msgs, " "))
	}
	sort.Strings(fields)
	return errors.New("tag not created: " + strings.Join(fields, "; "))
}

// TagListCmd lists tags by name.
type TagListCmd struct{}

func (c *TagListCmd) Run(g *Globals, ctx context.Context) error {
	st, err := g.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tSLUG\tCOLOR\tITEMS\tDESCRIPTION")
	for offset := 0; ; offset += filter.MaxLimit {
		tags, _, err := st.ListTags(ctx, filter.Query{Limit: filter.MaxLimit, Offset: offset})
		if err != nil {
			return err
		}
		for _, t := range tags {
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%d\t%s\n", t.ID, t.Name, t.Slug, t.Color, t.TaggedItems, t.Description)
		}
		if len(tags) < filter.MaxLimit {
			break
		}
	}
	return w.Flush()
}
