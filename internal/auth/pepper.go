package auth

import (
	"context"
	"fmt"
)

// PepperSetting names the stored pepper in the settings table.
const PepperSetting = "token_pepper"

// EnsurePepper returns the key for token digests: the configured secret key
// when it is non-empty, else a random 32-byte pepper (64 hex characters)
// generated on first use and stored in the database, so that digests keep
// matching across restarts and processes. The pepper is always the bytes
// of that string: copying the stored value into the configuration keeps
// existing tokens valid. Changing the pepper invalidates every token.
func EnsurePepper(ctx context.Context, repo SettingStore, configured string) ([]byte, error) {
	if configured != "" {
		return []byte(configured), nil
	}
	v, err := repo.EnsureSetting(ctx, PepperSetting, randomHex(32))
	if err != nil {
		return nil, fmt.Errorf("token pepper: %w", err)
	}
	if v == "" {
		return nil, fmt.Errorf("token pepper: stored value is empty")
	}
	return []byte(v), nil
}
