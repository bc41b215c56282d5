package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"unicode/utf8"
)

// PepperSetting names the stored pepper in the settings table.
const PepperSetting = "token_pepper"

// PepperFingerprintSetting names the fingerprint of the pepper last used
// with the database, which tells a changed secret key.
const PepperFingerprintSetting = "token_pepper_fingerprint"

// MinSecretKey is the shortest configured secret key accepted.
const MinSecretKey = 16

// EnsurePepper returns the key for token digests: the configured secret key
// when it is non-empty, else a random 32-byte pepper (64 hex characters)
// generated on first use and stored in the database, so that digests keep
// matching across restarts and processes. The pepper is always the bytes
// of that string: copying the stored value into the configuration keeps
// existing tokens valid. Changing the pepper invalidates every token made
// with the old one: changed reports that the pepper differs from the one
// last used with this database, so that the caller can say so (a missing
// or different secret key otherwise shows only as refused tokens).
func EnsurePepper(ctx context.Context, repo SettingStore, configured string) (pepper []byte, changed bool, err error) {
	if configured != "" {
		if n := utf8.RuneCountInString(configured); n < MinSecretKey {
			return nil, false, fmt.Errorf("secret key: use at least %d characters (got %d)", MinSecretKey, n)
		}
		pepper = []byte(configured)
	} else {
		v, err := repo.EnsureSetting(ctx, PepperSetting, randomHex(32))
		if err != nil {
			return nil, false, fmt.Errorf("token pepper: %w", err)
		}
		if v == "" {
			return nil, false, fmt.Errorf("token pepper: stored value is empty")
		}
		pepper = []byte(v)
	}
	sum := sha256.Sum256(append([]byte("inventory-monitor token pepper\x00"), pepper...))
	fp := hex.EncodeToString(sum[:8])
	stored, err := repo.EnsureSetting(ctx, PepperFingerprintSetting, fp)
	if err != nil {
		return nil, false, fmt.Errorf("token pepper: %w", err)
	}
	if stored != fp {
		if err := repo.SetSetting(ctx, PepperFingerprintSetting, fp); err != nil {
			return nil, false, fmt.Errorf("token pepper: %w", err)
		}
		changed = true
	}
	return pepper, changed, nil
}

// PepperChangedWarning is what to tell an operator when EnsurePepper
// reports a changed pepper.
const PepperChangedWarning = "WARNING: the secret key differs from the one last used with this database " +
	"(--secret-key, INVMON_SECRET_KEY or secret_key in the config file, or none: the stored one); " +
	"tokens created with the other key are refused. Use the same key for serve and the token commands."
