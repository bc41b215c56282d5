package main

import "errors"

// DemoCmd fills the database with demo data. (Being written.)
type DemoCmd struct{}

func (c *DemoCmd) Run(g *Globals) error { return errors.New("demo: not available yet") }
