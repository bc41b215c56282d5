package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inventory-monitor/inventory-monitor/internal/config"
	"github.com/inventory-monitor/inventory-monitor/internal/filter"
	"github.com/inventory-monitor/inventory-monitor/internal/store/sqlstore"
)

func TestTagCreateDerivesTheSlugAndRefusesDuplicatesWithFieldMessages(t *testing.T) {
	ctx := context.Background()
	g := &Globals{Database: filepath.Join(t.TempDir(), "t.db"), file: config.File{Settings: config.DefaultSettings()}}
	if err := (&TagCreateCmd{Name: " Core Routers (DC1) "}).Run(g, ctx); err != nil {
		t.Fatal(err)
	}
	if err := (&TagCreateCmd{Name: "lab", Slug: "lab-tag", Color: "00ff00"}).Run(g, ctx); err != nil {
		t.Fatal(err)
	}
	err := (&TagCreateCmd{Name: "Core Routers (DC1)", Slug: "other"}).Run(g, ctx)
	if err == nil || err.Error() != "tag not created: name: tag with this name already exists." {
		t.Errorf("duplicate name: %v", err)
	}
	if err := (&TagCreateCmd{Name: "x", Color: "red"}).Run(g, ctx); err == nil || !strings.Contains(err.Error(), "color: Enter a valid hexadecimal RGB color code.") {
		t.Errorf("bad color: %v", err)
	}
	st, err := sqlstore.Open(ctx, g.Database, sqlstore.Options{Settings: config.DefaultSettings()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tags, _, err := st.ListTags(ctx, filter.Query{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tg := range tags {
		got = append(got, tg.Name+"|"+tg.Slug+"|"+tg.Color)
	}
	if want := "Core Routers (DC1)|core-routers-dc1|9e9e9e lab|lab-tag|00ff00"; strings.Join(got, " ") != want {
		t.Errorf("tags %q, want %q", got, want)
	}
}
