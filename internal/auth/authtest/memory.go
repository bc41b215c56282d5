// Package authtest provides an in-memory auth.Repository for tests of code
// that authenticates (API handlers) and a conformance suite that every
// auth.Repository implementation must pass.
package authtest

import (
	"context"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/auth"
)

// Memory is an in-memory auth.Repository with the same constraints as the
// SQL schema (unique usernames, digests and v2 keys; tokens need a user).
type Memory struct {
	mu       sync.Mutex
	users    []memUser
	tokens   []memToken
	settings map[string]string
	nextUser int64
	nextTok  int64
}

type memUser struct {
	u    auth.User
	hash string
}

type memToken struct {
	t      auth.Token
	digest string
}

// NewMemory returns an empty repository.
func NewMemory() *Memory { return &Memory{settings: map[string]string{}} }

var _ auth.Repository = (*Memory)(nil)

func (m *Memory) EnsureSetting(_ context.Context, name, value string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if v, ok := m.settings[name]; ok {
		return v, nil
	}
	m.settings[name] = value
	return value, nil
}

func (m *Memory) SetSetting(_ context.Context, name, value string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.settings[name] = value
	return nil
}

func (m *Memory) CreateUser(_ context.Context, u auth.User, hash string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, x := range m.users {
		if x.u.Username == u.Username {
			return 0, auth.ErrUserExists
		}
	}
	m.nextUser++
	u.ID = m.nextUser
	m.users = append(m.users, memUser{u: u, hash: hash})
	return u.ID, nil
}

func (m *Memory) user(id int64) *memUser {
	for i := range m.users {
		if m.users[i].u.ID == id {
			return &m.users[i]
		}
	}
	return nil
}

func (m *Memory) UserByName(_ context.Context, username string) (auth.User, string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, x := range m.users {
		if x.u.Username == username {
			return x.u, x.hash, nil
		}
	}
	return auth.User{}, "", auth.ErrUserNotFound
}

func (m *Memory) Users(context.Context) ([]auth.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]auth.User, 0, len(m.users))
	for _, x := range m.users {
		out = append(out, x.u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Username < out[j].Username })
	return out, nil
}

func (m *Memory) SetUserPassword(_ context.Context, id int64, hash string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	u := m.user(id)
	if u == nil {
		return auth.ErrUserNotFound
	}
	u.hash = hash
	return nil
}

func (m *Memory) SetUserActive(_ context.Context, id int64, active bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	u := m.user(id)
	if u == nil {
		return auth.ErrUserNotFound
	}
	u.u.IsActive = active
	return nil
}

func (m *Memory) CreateToken(_ context.Context, t auth.Token, digest string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u := m.user(t.UserID)
	if u == nil {
		return 0, auth.ErrUserNotFound
	}
	for _, x := range m.tokens {
		if x.digest == digest || (t.Version == 2 && x.t.Version == 2 && x.t.Key == t.Key) {
			return 0, auth.ErrDuplicateToken
		}
	}
	m.nextTok++
	t.ID = m.nextTok
	t.Username = u.u.Username
	t.LastUsed = nil
	t.AllowedIPs = slices.Clone(t.AllowedIPs)
	m.tokens = append(m.tokens, memToken{t: t, digest: digest})
	return t.ID, nil
}

func (m *Memory) stored(x memToken) auth.StoredToken {
	t := x.t
	u := m.user(t.UserID)
	t.Username = u.u.Username
	t.AllowedIPs = slices.Clone(t.AllowedIPs)
	return auth.StoredToken{Token: t, Digest: x.digest, User: u.u}
}

func (m *Memory) TokenByDigest(_ context.Context, digest string) (auth.StoredToken, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, x := range m.tokens {
		if x.t.Version == 1 && x.digest == digest {
			return m.stored(x), nil
		}
	}
	return auth.StoredToken{}, auth.ErrTokenNotFound
}

func (m *Memory) TokenByKey(_ context.Context, key string) (auth.StoredToken, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, x := range m.tokens {
		if x.t.Version == 2 && x.t.Key == key {
			return m.stored(x), nil
		}
	}
	return auth.StoredToken{}, auth.ErrTokenNotFound
}

func (m *Memory) Tokens(_ context.Context, userID int64) ([]auth.Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []auth.Token{}
	for _, x := range m.tokens {
		if userID == 0 || x.t.UserID == userID {
			out = append(out, m.stored(x).Token)
		}
	}
	return out, nil
}

func (m *Memory) token(id int64) *memToken {
	for i := range m.tokens {
		if m.tokens[i].t.ID == id {
			return &m.tokens[i]
		}
	}
	return nil
}

func (m *Memory) SetTokenEnabled(_ context.Context, id int64, enabled bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	t := m.token(id)
	if t == nil {
		return auth.ErrTokenNotFound
	}
	t.t.Enabled = enabled
	return nil
}

func (m *Memory) DeleteToken(_ context.Context, id int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.tokens {
		if m.tokens[i].t.ID == id {
			m.tokens = slices.Delete(m.tokens, i, i+1)
			return nil
		}
	}
	return auth.ErrTokenNotFound
}

func (m *Memory) TouchToken(_ context.Context, id int64, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if t := m.token(id); t != nil {
		t.t.LastUsed = &at
	}
	return nil
}
