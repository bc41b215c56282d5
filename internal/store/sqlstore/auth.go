package sqlstore

// Users, API tokens and server settings: the auth.Repository of a Store.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/auth"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
)

var _ auth.Repository = (*Store)(nil)

const (
	userColumns  = "id, username, is_superuser, is_active, created"
	tokenColumns = "t.id, t.user_id, u.username, t.version, t.token_key, t.write_enabled, t.enabled, " +
		"t.expires, t.description, t.allowed_ips, t.created, t.last_used"
	tokenFrom = " FROM inventory_monitor_token t JOIN inventory_monitor_user u ON u.id = t.user_id"
)

func (s *Store) encodeTime(t time.Time) any { return s.d.encode(schema.DateTime, t) }

func (s *Store) encodeTimePtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return s.encodeTime(*t)
}

func (s *Store) decodeTime(v any) (time.Time, error) {
	if v == nil {
		return time.Time{}, nil
	}
	x, err := s.d.decode(schema.DateTime, v)
	if err != nil {
		return time.Time{}, err
	}
	return x.(time.Time), nil
}

func (s *Store) decodeTimePtr(v any) (*time.Time, error) {
	if v == nil {
		return nil, nil
	}
	t, err := s.decodeTime(v)
	return &t, err
}

// EnsureSetting implements auth.SettingStore.
func (s *Store) EnsureSetting(ctx context.Context, name, value string) (string, error) {
	if _, err := s.db.ExecContext(ctx, s.q(
		"INSERT INTO inventory_monitor_setting (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING"), name, value); err != nil {
		return "", fmt.Errorf("store setting %s: %w", name, err)
	}
	var v string
	if err := s.db.QueryRowContext(ctx, s.q("SELECT value FROM inventory_monitor_setting WHERE name = ?"), name).Scan(&v); err != nil {
		return "", fmt.Errorf("read setting %s: %w", name, err)
	}
	return v, nil
}

// SetSetting implements auth.SettingStore.
func (s *Store) SetSetting(ctx context.Context, name, value string) error {
	if _, err := s.db.ExecContext(ctx, s.q(
		"INSERT INTO inventory_monitor_setting (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value"), name, value); err != nil {
		return fmt.Errorf("store setting %s: %w", name, err)
	}
	return nil
}

// CreateUser implements auth.Repository.
func (s *Store) CreateUser(ctx context.Context, u auth.User, passwordHash string) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, s.q(
		"INSERT INTO inventory_monitor_user (username, password, is_superuser, is_active, created) VALUES (?, ?, ?, ?, ?) RETURNING id"),
		u.Username, passwordHash, u.IsSuperuser, u.IsActive, s.encodeTime(u.Created)).Scan(&id)
	if isUniqueViolation(err) {
		return 0, auth.ErrUserExists
	}
	if err != nil {
		return 0, fmt.Errorf("create user: %w", err)
	}
	return id, nil
}

func (s *Store) scanUser(sc interface{ Scan(...any) error }, extra ...any) (auth.User, error) {
	var u auth.User
	var created any
	dest := append([]any{&u.ID, &u.Username, &u.IsSuperuser, &u.IsActive, &created}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return u, err
	}
	var err error
	u.Created, err = s.decodeTime(created)
	return u, err
}

// UserByName implements auth.Repository.
func (s *Store) UserByName(ctx context.Context, username string) (auth.User, string, error) {
	var hash string
	u, err := s.scanUser(s.db.QueryRowContext(ctx, s.q(
		"SELECT "+userColumns+", password FROM inventory_monitor_user WHERE username = ?"), username), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return auth.User{}, "", auth.ErrUserNotFound
	}
	if err != nil {
		return auth.User{}, "", fmt.Errorf("read user: %w", err)
	}
	return u, hash, nil
}

// Users implements auth.Repository.
func (s *Store) Users(ctx context.Context) ([]auth.User, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+userColumns+" FROM inventory_monitor_user ORDER BY username")
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	out := []auth.User{}
	for rows.Next() {
		u, err := s.scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// execOne runs an UPDATE or DELETE and returns notFound when no row matched.
func (s *Store) execOne(ctx context.Context, notFound error, query string, args ...any) error {
	res, err := s.db.ExecContext(ctx, s.q(query), args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound
	}
	return nil
}

// SetUserPassword implements auth.Repository.
func (s *Store) SetUserPassword(ctx context.Context, userID int64, passwordHash string) error {
	return s.execOne(ctx, auth.ErrUserNotFound, "UPDATE inventory_monitor_user SET password = ? WHERE id = ?", passwordHash, userID)
}

// SetUserActive implements auth.Repository.
func (s *Store) SetUserActive(ctx context.Context, userID int64, active bool) error {
	return s.execOne(ctx, auth.ErrUserNotFound, "UPDATE inventory_monitor_user SET is_active = ? WHERE id = ?", active, userID)
}

// CreateToken implements auth.Repository.
func (s *Store) CreateToken(ctx context.Context, t auth.Token, digest string) (int64, error) {
	ips := t.AllowedIPs
	if ips == nil {
		ips = []string{}
	}
	ipsJSON, err := json.Marshal(ips)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.db.QueryRowContext(ctx, s.q(
		"INSERT INTO inventory_monitor_token (user_id, version, token_key, digest, write_enabled, enabled, expires, description, allowed_ips, created)"+
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"),
		t.UserID, t.Version, t.Key, digest, t.WriteEnabled, t.Enabled, s.encodeTimePtr(t.Expires), t.Description,
		string(ipsJSON), s.encodeTime(t.Created)).Scan(&id)
	switch {
	case isUniqueViolation(err):
		return 0, auth.ErrDuplicateToken
	case isForeignKeyViolation(err):
		return 0, auth.ErrUserNotFound
	case err != nil:
		return 0, fmt.Errorf("create token: %w", err)
	}
	return id, nil
}

func (s *Store) scanToken(sc interface{ Scan(...any) error }, extra ...any) (auth.Token, error) {
	var t auth.Token
	var expires, created, lastUsed any
	var ips []byte
	dest := append([]any{&t.ID, &t.UserID, &t.Username, &t.Version, &t.Key, &t.WriteEnabled, &t.Enabled,
		&expires, &t.Description, &ips, &created, &lastUsed}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return t, err
	}
	var err error
	if t.Expires, err = s.decodeTimePtr(expires); err != nil {
		return t, err
	}
	if t.Created, err = s.decodeTime(created); err != nil {
		return t, err
	}
	if t.LastUsed, err = s.decodeTimePtr(lastUsed); err != nil {
		return t, err
	}
	if err := json.Unmarshal(ips, &t.AllowedIPs); err != nil {
		return t, fmt.Errorf("token %d allowed_ips: %w", t.ID, err)
	}
	if len(t.AllowedIPs) == 0 {
		t.AllowedIPs = nil
	}
	return t, nil
}

// storedToken reads one token with its digest and owner.
func (s *Store) storedToken(ctx context.Context, where string, args ...any) (auth.StoredToken, error) {
	var st auth.StoredToken
	var userCreated any
	row := s.queryRow(ctx, s.db, s.q("SELECT "+tokenColumns+", t.digest, u.is_superuser, u.is_active, u.created"+
		tokenFrom+" WHERE "+where), args...)
	t, err := s.scanToken(row, &st.Digest, &st.User.IsSuperuser, &st.User.IsActive, &userCreated)
	if errors.Is(err, sql.ErrNoRows) {
		return st, auth.ErrTokenNotFound
	}
	if err != nil {
		return st, fmt.Errorf("read token: %w", err)
	}
	st.Token = t
	st.User.ID, st.User.Username = t.UserID, t.Username
	if st.User.Created, err = s.decodeTime(userCreated); err != nil {
		return st, err
	}
	return st, nil
}

// TokenByDigest implements auth.Repository (version 1 tokens only).
func (s *Store) TokenByDigest(ctx context.Context, digest string) (auth.StoredToken, error) {
	return s.storedToken(ctx, "t.digest = ? AND t.version = 1", digest)
}

// TokenByKey implements auth.Repository (version 2 tokens only).
func (s *Store) TokenByKey(ctx context.Context, key string) (auth.StoredToken, error) {
	return s.storedToken(ctx, "t.token_key = ? AND t.version = 2", key)
}

// Tokens implements auth.Repository.
func (s *Store) Tokens(ctx context.Context, userID int64) ([]auth.Token, error) {
	query, args := "SELECT "+tokenColumns+tokenFrom, []any{}
	if userID != 0 {
		query += " WHERE t.user_id = ?"
		args = append(args, userID)
	}
	rows, err := s.db.QueryContext(ctx, s.q(query+" ORDER BY t.id"), args...)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	out := []auth.Token{}
	for rows.Next() {
		t, err := s.scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// SetTokenEnabled implements auth.Repository.
func (s *Store) SetTokenEnabled(ctx context.Context, id int64, enabled bool) error {
	return s.execOne(ctx, auth.ErrTokenNotFound, "UPDATE inventory_monitor_token SET enabled = ? WHERE id = ?", enabled, id)
}

// DeleteToken implements auth.Repository.
func (s *Store) DeleteToken(ctx context.Context, id int64) error {
	return s.execOne(ctx, auth.ErrTokenNotFound, "DELETE FROM inventory_monitor_token WHERE id = ?", id)
}

// TouchToken implements auth.Repository; it never moves last_used back.
func (s *Store) TouchToken(ctx context.Context, id int64, at time.Time) error {
	v := s.encodeTime(at)
	_, err := s.db.ExecContext(ctx, s.q(
		"UPDATE inventory_monitor_token SET last_used = ? WHERE id = ? AND (last_used IS NULL OR last_used < ?)"), v, id, v)
	return err
}
