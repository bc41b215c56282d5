package auth

import (
	"context"
	"crypto/hmac"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"
	"unicode/utf8"
)

// Error is an authentication or permission failure. Message is NetBox's
// text; the API answers 403 {"detail": Message}.
type Error struct {
	Message string
}

func (e *Error) Error() string { return e.Message }

// Fixed failures. Compare with errors.Is.
var (
	// ErrNotProvided: no Authorization header, or a keyword other than
	// Token/Bearer (NetBox then treats the request as anonymous).
	ErrNotProvided = &Error{Message: "Authentication credentials were not provided."}
	// ErrPermissionDenied: e.g. a write with a read-only token.
	ErrPermissionDenied = &Error{Message: "You do not have permission to perform this action."}

	errInvalidV1    = &Error{Message: "Invalid v1 token"}
	errInvalidV2    = &Error{Message: "Invalid v2 token"}
	errBadForm      = &Error{Message: `Invalid authorization header: Must be in the form "Bearer <key>.<token>" or "Token <token>"`}
	errBadChars     = &Error{Message: "Invalid authorization header: Token contains invalid characters"}
	errV2NoKey      = &Error{Message: "Invalid authorization header: Could not parse key from v2 token. Did you mean to use 'Token' instead of 'Bearer'?"}
	errNoClientIP   = &Error{Message: "Client IP address could not be determined for validation. Check that the HTTP server is correctly configured to pass the required header(s)."}
	errDisabled     = &Error{Message: "Token disabled"}
	errExpired      = &Error{Message: "Token expired"}
	errInactive     = &Error{Message: "User inactive"}
	errNotPermitted = "Source IP %s is not permitted to authenticate using this token."
)

// Identity is an authenticated request's user and token.
type Identity struct {
	User  User
	Token Token
	// WriteEnabled is false for read-only tokens: only GET, HEAD and
	// OPTIONS are then allowed (see Allows).
	WriteEnabled bool
}

// Allows reports whether the identity's token permits an HTTP method
// (NetBox's TokenPermissions: safe methods always, others only with a
// write-enabled token). A refusal answers 403 with ErrPermissionDenied.
func (id *Identity) Allows(method string) bool {
	return SafeMethod(method) || id.WriteEnabled
}

// SafeMethod reports GET, HEAD and OPTIONS.
func SafeMethod(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

// Authenticate checks an Authorization header value exactly as NetBox's
// TokenAuthentication does. remoteIP is the client address (see ClientIP);
// it matters only for tokens with allowed IPs. With TokenCacheTTL set, the
// token's record may come from the cache; every check still runs.
//
// Failures are *Error (ErrNotProvided for a missing header or an unknown
// keyword); any other error is a storage failure (answer 500).
func (s *Service) Authenticate(ctx context.Context, authorization string, remoteIP net.IP) (*Identity, error) {
	parts := strings.FieldsFunc(authorization, isASCIISpace)
	if len(parts) == 0 {
		return nil, ErrNotProvided
	}
	if kw := strings.ToLower(parts[0]); kw != "token" && kw != "bearer" {
		return nil, ErrNotProvided
	}
	if len(parts) != 2 {
		return nil, errBadForm
	}
	value := parts[1]
	if !utf8.ValidString(value) {
		return nil, errBadChars
	}

	var st StoredToken
	var err error
	if rest, ok := strings.CutPrefix(value, TokenPrefix); ok {
		key, secret, ok := strings.Cut(rest, ".")
		if !ok {
			return nil, errV2NoKey
		}
		// The digest is computed even for an unknown key so that timing
		// does not tell keys apart.
		digest := s.digest(secret)
		st, err = s.tokens.lookup(ctx, "v2:"+key, s.TokenCacheTTL, s.Now(), func(ctx context.Context) (StoredToken, error) {
			return s.repo.TokenByKey(ctx, key)
		})
		if errors.Is(err, ErrTokenNotFound) {
			return nil, errInvalidV2
		}
		if err != nil {
			return nil, err
		}
		if st.Token.Version != 2 || !hmac.Equal([]byte(digest), []byte(st.Digest)) {
			return nil, errInvalidV2
		}
	} else {
		digest := s.digest(value)
		st, err = s.tokens.lookup(ctx, "v1:"+digest, s.TokenCacheTTL, s.Now(), func(ctx context.Context) (StoredToken, error) {
			return s.repo.TokenByDigest(ctx, digest)
		})
		if errors.Is(err, ErrTokenNotFound) {
			return nil, errInvalidV1
		}
		if err != nil {
			return nil, err
		}
		if st.Token.Version != 1 || !hmac.Equal([]byte(digest), []byte(st.Digest)) {
			return nil, errInvalidV1
		}
	}
	t := st.Token

	if len(t.AllowedIPs) > 0 {
		ip, ok := netip.AddrFromSlice(remoteIP)
		if !ok {
			return nil, errNoClientIP
		}
		ip = ip.Unmap()
		if !ipAllowed(ip, t.AllowedIPs) {
			return nil, &Error{Message: fmt.Sprintf(errNotPermitted, ip)}
		}
	}
	if !t.Enabled {
		return nil, errDisabled
	}
	now := s.now()
	if t.Expired(now) {
		return nil, errExpired
	}
	s.touch(ctx, &t, now)
	if !st.User.IsActive {
		return nil, errInactive
	}
	return &Identity{User: st.User, Token: t, WriteEnabled: t.WriteEnabled}, nil
}

// touch records last_used, at most once per LastUsedInterval per token:
// neither when the stored value is recent nor when this process wrote it
// recently (concurrent requests). A failed write does not fail the
// request, as NetBox skips it in maintenance mode.
func (s *Service) touch(ctx context.Context, t *Token, now time.Time) {
	if t.LastUsed != nil && now.Sub(*t.LastUsed) <= LastUsedInterval {
		return
	}
	if prev, ok := s.touched.Load(t.ID); ok && now.Sub(prev.(time.Time)) <= LastUsedInterval {
		return
	}
	s.touched.Store(t.ID, now)
	if err := s.repo.TouchToken(ctx, t.ID, now); err == nil {
		t.LastUsed = &now
	}
}

func ipAllowed(ip netip.Addr, allowed []string) bool {
	for _, c := range allowed {
		p, err := netip.ParsePrefix(c)
		if err != nil {
			a, aerr := netip.ParseAddr(c)
			if aerr != nil {
				continue
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), max(p.Bits()-96, 0))
		}
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// isASCIISpace matches Python's bytes.split() separators.
func isASCIISpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f':
		return true
	}
	return false
}

// ClientIP returns the request's client address as NetBox's get_client_ip
// does: X-Real-IP, then the first X-Forwarded-For entry, then the peer
// address. The headers are consulted only when trustProxy is set (behind a
// reverse proxy that sets them); otherwise a client could choose its own
// address. It returns nil when no address can be parsed.
func ClientIP(r *http.Request, trustProxy bool) net.IP {
	if trustProxy {
		if v := r.Header.Get("X-Real-IP"); v != "" {
			if ip := parseHostIP(v); ip != nil {
				return ip
			}
		}
		if v := r.Header.Get("X-Forwarded-For"); v != "" {
			first, _, _ := strings.Cut(v, ",")
			if ip := parseHostIP(first); ip != nil {
				return ip
			}
		}
	}
	return parseHostIP(r.RemoteAddr)
}

// parseHostIP parses "ip", "ip:port", "[v6]:port" or "[v6]".
func parseHostIP(s string) net.IP {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil {
		return net.IP(a.Unmap().AsSlice())
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return net.IP(ap.Addr().Unmap().AsSlice())
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		if a, err := netip.ParseAddr(s[1 : len(s)-1]); err == nil {
			return net.IP(a.Unmap().AsSlice())
		}
	}
	return nil
}
