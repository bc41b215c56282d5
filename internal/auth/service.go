package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
)

// Token format constants (NetBox's).
const (
	TokenPrefix       = "nbt_" // v2 tokens start with it
	V1Length          = 40     // v1: 40 lowercase hex characters
	V2KeyLength       = 12     // v2: nbt_<12 alnum key>.<40 alnum secret>
	V2SecretLength    = 40
	v1DisplayLength   = 8
	MaxUsernameLength = 150 // Django's
	MinPasswordLength = 8
	MaxPasswordLength = 4096
	MaxDescription    = 200
	// LastUsedInterval is how stale last_used may get before a successful
	// authentication writes it again (NetBox: once a minute at most).
	LastUsedInterval = time.Minute
)

// Service manages users and tokens and authenticates requests. It is safe
// for concurrent use.
type Service struct {
	repo   Repository
	pepper []byte
	// Now returns the current time; tests may replace it before use.
	Now func() time.Time
	// TokenCacheTTL is how long Authenticate reuses a token record it has
	// read (see DefaultTokenCacheTTL); 0, the default, reads it every time.
	// Set before use.
	TokenCacheTTL time.Duration

	touched sync.Map // token ID → time.Time of our last last_used write
	tokens  tokenCache
}

// NewService returns a Service storing in repo and keying token digests
// with pepper (see EnsurePepper). It panics on an empty pepper.
func NewService(repo Repository, pepper []byte) *Service {
	if len(pepper) == 0 {
		panic("auth: empty token pepper")
	}
	return &Service{repo: repo, pepper: append([]byte(nil), pepper...), Now: time.Now}
}

// now is the service clock in UTC, at the microsecond precision both
// databases keep.
func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// digest is the lowercase hex HMAC-SHA256 of msg keyed with the pepper.
func (s *Service) digest(msg string) string {
	m := hmac.New(sha256.New, s.pepper)
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// --- users ---

// ValidateUsername applies Django's rules: 1–150 characters, letters,
// digits and @/./+/-/_ only.
func ValidateUsername(username string) error {
	msg := ""
	switch {
	case username == "":
		msg = "This field may not be blank."
	case utf8.RuneCountInString(username) > MaxUsernameLength:
		msg = fmt.Sprintf("Ensure this field has no more than %d characters.", MaxUsernameLength)
	default:
		for _, r := range username {
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("_@.+-", r)) {
				msg = "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."
				break
			}
		}
	}
	if msg != "" {
		return inventory.FieldError("username", msg)
	}
	return nil
}

// ValidatePassword checks the length rules.
func ValidatePassword(password string) error {
	switch {
	case utf8.RuneCountInString(password) < MinPasswordLength:
		return inventory.FieldError("password", fmt.Sprintf("This password is too short. It must contain at least %d characters.", MinPasswordLength))
	case len(password) > MaxPasswordLength:
		return inventory.FieldError("password", fmt.Sprintf("Ensure this field has no more than %d characters.", MaxPasswordLength))
	}
	return nil
}

// CreateUser adds an active user. Invalid input is an
// *inventory.ValidationError; a taken name wraps ErrUserExists.
func (s *Service) CreateUser(ctx context.Context, username, password string, superuser bool) (User, error) {
	if err := ValidateUsername(username); err != nil {
		return User{}, err
	}
	if err := ValidatePassword(password); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return User{}, err
	}
	u := User{Username: username, IsSuperuser: superuser, IsActive: true, Created: s.now()}
	u.ID, err = s.repo.CreateUser(ctx, u, hash)
	if err != nil {
		if errors.Is(err, ErrUserExists) {
			return User{}, fmt.Errorf("user %q: %w", username, ErrUserExists)
		}
		return User{}, err
	}
	return u, nil
}

// User returns the named user (ErrUserNotFound, wrapped, when unknown).
func (s *Service) User(ctx context.Context, username string) (User, error) {
	u, _, err := s.repo.UserByName(ctx, username)
	if errors.Is(err, ErrUserNotFound) {
		return User{}, fmt.Errorf("user %q: %w", username, ErrUserNotFound)
	}
	return u, err
}

// Users lists all users ordered by username.
func (s *Service) Users(ctx context.Context) ([]User, error) { return s.repo.Users(ctx) }

// SetPassword replaces a user's password.
func (s *Service) SetPassword(ctx context.Context, username, password string) error {
	if err := ValidatePassword(password); err != nil {
		return err
	}
	u, err := s.User(ctx, username)
	if err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.repo.SetUserPassword(ctx, u.ID, hash)
}

// SetUserActive activates or deactivates a user; an inactive user cannot
// log in and its tokens are refused ("User inactive").
func (s *Service) SetUserActive(ctx context.Context, username string, active bool) error {
	u, err := s.User(ctx, username)
	if err != nil {
		return err
	}
	defer s.tokens.clear()
	return s.repo.SetUserActive(ctx, u.ID, active)
}

// CheckPassword verifies a login. It returns ErrInvalidCredentials for an
// unknown user or a wrong password (taking the same time for both) and
// ErrUserInactive for a correct password of an inactive user.
func (s *Service) CheckPassword(ctx context.Context, username, password string) (*User, error) {
	u, hash, err := s.repo.UserByName(ctx, username)
	if errors.Is(err, ErrUserNotFound) {
		VerifyPassword(dummyHash(), password)
		return nil, ErrInvalidCredentials
	}
	if err != nil {
		return nil, err
	}
	if hash == "" { // no usable password
		VerifyPassword(dummyHash(), password)
		return nil, ErrInvalidCredentials
	}
	ok, err := VerifyPassword(hash, password)
	if err != nil {
		return nil, fmt.Errorf("user %q: %w", username, err)
	}
	if !ok {
		return nil, ErrInvalidCredentials
	}
	if !u.IsActive {
		return nil, ErrUserInactive
	}
	return &u, nil
}

// --- tokens ---

// TokenOptions describe a new token.
type TokenOptions struct {
	Version      int // 1 or 2; 0 means 2
	WriteEnabled bool
	Expires      *time.Time
	Description  string
	// AllowedIPs are CIDR prefixes or bare addresses (stored as /32, /128).
	AllowedIPs []string
}

// CreateToken issues a token for username. The plaintext is returned this
// once and never stored. Invalid options are an *inventory.ValidationError
// keyed by NetBox's field names (expires, allowed_ips, description).
func (s *Service) CreateToken(ctx context.Context, username string, opts TokenOptions) (string, Token, error) {
	u, err := s.User(ctx, username)
	if err != nil {
		return "", Token{}, err
	}
	now := s.now()
	verr := &inventory.ValidationError{}
	version := opts.Version
	if version == 0 {
		version = 2
	}
	if version != 1 && version != 2 {
		verr.Add("version", fmt.Sprintf("\"%d\" is not a valid choice.", opts.Version))
	}
	var expires *time.Time
	if opts.Expires != nil {
		e := opts.Expires.UTC().Truncate(time.Microsecond)
		switch {
		case !e.After(now):
			verr.Add("expires", "Expiration time must be in the future.")
		case e.Year() > 9999:
			// Neither database reads a year with five digits back.
			verr.Add("expires", "Expiration time must be before the year 10000.")
		}
		expires = &e
	}
	if utf8.RuneCountInString(opts.Description) > MaxDescription {
		verr.Add("description", fmt.Sprintf("Ensure this field has no more than %d characters.", MaxDescription))
	}
	allowed, err := NormalizeAllowedIPs(opts.AllowedIPs)
	if err != nil {
		verr.Merge(err.(*inventory.ValidationError))
	}
	if err := verr.Err(); err != nil {
		return "", Token{}, err
	}
	t := Token{
		UserID: u.ID, Username: u.Username, Version: version, WriteEnabled: opts.WriteEnabled, Enabled: true,
		Expires: expires, Description: opts.Description, Created: now, AllowedIPs: allowed,
	}
	for attempt := 0; ; attempt++ {
		var plaintext, digest string
		if version == 1 {
			plaintext = randomHex(V1Length / 2)
			t.Key = plaintext[:v1DisplayLength]
			digest = s.digest(plaintext)
		} else {
			key, secret := randomAlnum(V2KeyLength), randomAlnum(V2SecretLength)
			plaintext = TokenPrefix + key + "." + secret
			t.Key = key
			digest = s.digest(secret)
		}
		t.ID, err = s.repo.CreateToken(ctx, t, digest)
		if errors.Is(err, ErrDuplicateToken) && attempt < 4 {
			continue // a v2 key collision (1 in 62^12): draw again
		}
		if errors.Is(err, ErrUserNotFound) {
			return "", Token{}, fmt.Errorf("user %q: %w", username, ErrUserNotFound)
		}
		if err != nil {
			return "", Token{}, err
		}
		if err := recordPepper(ctx, s.repo, s.pepper); err != nil {
			return "", Token{}, fmt.Errorf("token created, its key not recorded: %w", err)
		}
		return plaintext, t, nil
	}
}

// NormalizeAllowedIPs parses CIDR prefixes or bare addresses into masked
// prefixes ("192.0.2.7" → "192.0.2.7/32", "10.1.2.3/8" → "10.0.0.0/8").
// Errors are an *inventory.ValidationError on allowed_ips.
func NormalizeAllowedIPs(in []string) ([]string, error) {
	out := make([]string, 0, len(in))
	verr := &inventory.ValidationError{}
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil || a.Zone() != "" {
				verr.Add("allowed_ips", fmt.Sprintf("Invalid IP network %q: expected an IPv4 or IPv6 address with optional mask.", s))
				continue
			}
			a = a.Unmap()
			p = netip.PrefixFrom(a, a.BitLen())
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), max(p.Bits()-96, 0))
		}
		out = append(out, p.Masked().String())
	}
	if err := verr.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Tokens lists the tokens of username, or every token when username is "".
func (s *Service) Tokens(ctx context.Context, username string) ([]Token, error) {
	if username == "" {
		return s.repo.Tokens(ctx, 0)
	}
	u, err := s.User(ctx, username)
	if err != nil {
		return nil, err
	}
	return s.repo.Tokens(ctx, u.ID)
}

// RevokeToken deletes a token; further use answers "Invalid vN token".
func (s *Service) RevokeToken(ctx context.Context, id int64) error {
	defer s.tokens.clear()
	if err := s.repo.DeleteToken(ctx, id); err != nil {
		if errors.Is(err, ErrTokenNotFound) {
			return fmt.Errorf("token %d: %w", id, ErrTokenNotFound)
		}
		return err
	}
	s.touched.Delete(id)
	return nil
}

// SetTokenEnabled enables or disables a token; a disabled token answers
// "Token disabled".
func (s *Service) SetTokenEnabled(ctx context.Context, id int64, enabled bool) error {
	defer s.tokens.clear()
	if err := s.repo.SetTokenEnabled(ctx, id, enabled); err != nil {
		if errors.Is(err, ErrTokenNotFound) {
			return fmt.Errorf("token %d: %w", id, ErrTokenNotFound)
		}
		return err
	}
	return nil
}

// --- randomness ---

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// randomAlnum returns n characters drawn uniformly from [A-Za-z0-9].
func randomAlnum(n int) string {
	out := make([]byte, 0, n)
	buf := make([]byte, n+n/2)
	for len(out) < n {
		rand.Read(buf) // never fails (crypto/rand panics instead)
		for _, b := range buf {
			if b < 248 { // 248 = 4*62: reject to stay uniform
				out = append(out, alnum[b%62])
				if len(out) == n {
					break
				}
			}
		}
	}
	return string(out)
}

func randomHex(nbytes int) string {
	b := make([]byte, nbytes)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// GeneratePassword returns a random 24-character alphanumeric password.
func GeneratePassword() string { return randomAlnum(24) }
