// Package auth holds users, passwords and API tokens, and authenticates API
// requests the way NetBox (4.5+) does.
//
// Tokens come in two versions, as in NetBox:
//
//   - v1: 40 lowercase hex characters, sent as "Token <40 hex>";
//   - v2: "nbt_<12 char key>.<40 char secret>", sent as "Bearer nbt_…".
//
// Either keyword works with either version (case-insensitive); the value
// decides the version. Plaintext tokens are returned once, at creation, and
// never stored: the database keeps HMAC-SHA256(pepper, v1 token) or, for v2,
// the key and HMAC-SHA256(pepper, secret). Passwords are argon2id hashes.
package auth

import (
	"context"
	"errors"
	"time"
)

// User is an account that owns tokens.
type User struct {
	ID          int64
	Username    string
	IsSuperuser bool
	IsActive    bool
	Created     time.Time
}

// Token is an API token as stored: it never holds the secret.
type Token struct {
	ID       int64
	UserID   int64
	Username string // filled on reads
	// Version is 1 or 2.
	Version int
	// Key is the v2 token's 12-character key (public, used for look-up).
	// For v1 it is the first 8 characters of the token, kept only so that
	// people can tell their tokens apart.
	Key          string
	WriteEnabled bool
	Enabled      bool
	Expires      *time.Time
	Description  string
	Created      time.Time
	LastUsed     *time.Time
	// AllowedIPs are normalised CIDR prefixes; empty means any source.
	AllowedIPs []string
}

// Display is the token's public, non-secret form: "nbt_<key>" for v2,
// "<first 8 chars>…" for v1.
func (t Token) Display() string {
	if t.Version == 2 {
		return TokenPrefix + t.Key
	}
	return t.Key + "…"
}

// Expired reports whether the token has expired at now (NetBox: now >= expires).
func (t Token) Expired(now time.Time) bool {
	return t.Expires != nil && !now.Before(*t.Expires)
}

// StoredToken is what a token look-up returns: the token, its digest and
// its owner.
type StoredToken struct {
	Token  Token
	Digest string // lowercase hex HMAC-SHA256
	User   User
}

// Sentinel errors of the service and of Repository implementations.
var (
	ErrUserNotFound       = errors.New("user not found")
	ErrUserExists         = errors.New("a user with that username already exists")
	ErrTokenNotFound      = errors.New("token not found")
	ErrDuplicateToken     = errors.New("token key or digest already exists")
	ErrInvalidCredentials = errors.New("invalid username or password")
	ErrUserInactive       = errors.New("user inactive")
)

// Repository is the storage the service needs. Implementations return the
// sentinel errors above (possibly wrapped) where documented.
type Repository interface {
	SettingStore

	// CreateUser inserts u (its ID is ignored) and returns the new ID;
	// ErrUserExists when the username is taken.
	CreateUser(ctx context.Context, u User, passwordHash string) (int64, error)
	// UserByName returns the user and its password hash; ErrUserNotFound.
	UserByName(ctx context.Context, username string) (User, string, error)
	// Users lists every user ordered by username.
	Users(ctx context.Context) ([]User, error)
	// SetUserPassword replaces the hash; ErrUserNotFound.
	SetUserPassword(ctx context.Context, userID int64, passwordHash string) error
	// SetUserActive sets is_active; ErrUserNotFound.
	SetUserActive(ctx context.Context, userID int64, active bool) error

	// CreateToken inserts t (ID, Username and LastUsed are ignored) with
	// its digest and returns the new ID; ErrDuplicateToken when the digest
	// or a v2 key exists, ErrUserNotFound when t.UserID does not.
	CreateToken(ctx context.Context, t Token, digest string) (int64, error)
	// TokenByDigest finds a version 1 token by digest; ErrTokenNotFound.
	TokenByDigest(ctx context.Context, digest string) (StoredToken, error)
	// TokenByKey finds a version 2 token by key; ErrTokenNotFound.
	TokenByKey(ctx context.Context, key string) (StoredToken, error)
	// Tokens lists the tokens of userID (all tokens when 0) ordered by ID.
	Tokens(ctx context.Context, userID int64) ([]Token, error)
	// SetTokenEnabled sets enabled; ErrTokenNotFound.
	SetTokenEnabled(ctx context.Context, id int64, enabled bool) error
	// DeleteToken removes a token; ErrTokenNotFound.
	DeleteToken(ctx context.Context, id int64) error
	// TouchToken sets last_used.
	TouchToken(ctx context.Context, id int64, at time.Time) error
}

// SettingStore keeps server-wide settings (the generated pepper).
type SettingStore interface {
	// EnsureSetting stores value under name unless name already has a
	// value, and returns the stored value (the first writer wins).
	EnsureSetting(ctx context.Context, name, value string) (string, error)
	// SetSetting stores value under name, replacing any value.
	SetSetting(ctx context.Context, name, value string) error
}
