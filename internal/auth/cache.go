package auth

import (
	"context"
	"sync"
	"time"
)

// DefaultTokenCacheTTL is how long serve reuses a token record it has read.
// Reading the token is one of the two queries of a list request; within a
// second of a change made by another process (the CLI, another instance), a
// revoked or disabled token, or an inactive user's, may still be accepted.
// Changes made through the same Service take effect at once.
const DefaultTokenCacheTTL = time.Second

// maxCachedTokens bounds the cache before stale entries are swept. Only
// tokens that exist are cached, so it holds at most one entry per token.
const maxCachedTokens = 1024

// tokenCache holds recently read token records by lookup key (a v2 key or a
// v1 digest). Failed lookups are never cached; every check but the read
// itself (secret, allowed IPs, enabled, expiry, active user) still runs on
// each request against the cached record.
type tokenCache struct {
	mu      sync.Mutex
	entries map[string]cachedToken
	// generation counts clears: a record read while one happened is not
	// cached, so a change made here is never hidden by a read racing it.
	generation uint64
}

type cachedToken struct {
	st   StoredToken
	read time.Time
}

// lookup returns the record cached under key if it was read less than ttl
// before now, or reads it with read and caches it.
func (c *tokenCache) lookup(ctx context.Context, key string, ttl time.Duration, now time.Time, read func(context.Context) (StoredToken, error)) (StoredToken, error) {
	if ttl <= 0 {
		return read(ctx)
	}
	c.mu.Lock()
	e, ok := c.entries[key]
	generation := c.generation
	c.mu.Unlock()
	if ok && now.Sub(e.read) < ttl && !now.Before(e.read) {
		return e.st, nil
	}
	st, err := read(ctx)
	if err != nil {
		return st, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.generation != generation {
		return st, nil
	}
	if c.entries == nil {
		c.entries = map[string]cachedToken{}
	}
	if len(c.entries) >= maxCachedTokens {
		for k, e := range c.entries {
			if now.Sub(e.read) >= ttl {
				delete(c.entries, k)
			}
		}
	}
	c.entries[key] = cachedToken{st: st, read: now}
	return st, nil
}

// clear forgets every cached record (after a change to tokens or users).
func (c *tokenCache) clear() {
	c.mu.Lock()
	clear(c.entries)
	c.generation++
	c.mu.Unlock()
}
