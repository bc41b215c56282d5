package api

import (
	"errors"
	"net/http"

	"github.com/inventory-monitor/inventory-monitor/internal/auth"
)

// TokenAuth authenticates API requests with NetBox tokens (v1 and v2).
// trustProxy makes X-Real-IP / X-Forwarded-For the client address for a
// token's allowed-IP list; enable it only behind a proxy that sets them.
func TokenAuth(svc *auth.Service, trustProxy bool) Authenticator {
	return tokenAuth{svc: svc, trustProxy: trustProxy}
}

type tokenAuth struct {
	svc        *auth.Service
	trustProxy bool
}

func (a tokenAuth) Authenticate(r *http.Request) (*Principal, error) {
	header := r.Header.Get("Authorization")
	if header == "" {
		return nil, nil
	}
	id, err := a.svc.Authenticate(r.Context(), header, auth.ClientIP(r, a.trustProxy))
	if err != nil {
		var ae *auth.Error
		if errors.As(err, &ae) {
			return nil, &AuthError{Message: ae.Message}
		}
		return nil, err
	}
	return &Principal{UserID: id.User.ID, UserName: id.User.Username, CanWrite: id.WriteEnabled}, nil
}
