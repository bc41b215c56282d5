package main

import "errors"

// UserCmd manages users. (Being written.)
type UserCmd struct{}

func (c *UserCmd) Run(g *Globals) error { return errors.New("user: not available yet") }

// TokenCmd manages API tokens. (Being written.)
type TokenCmd struct{}

func (c *TokenCmd) Run(g *Globals) error { return errors.New("token: not available yet") }
