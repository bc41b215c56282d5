package auth

import (
	"context"
	"fmt"
	"unicode/utf8"
)

// PepperSetting names the stored pepper in the settings table.
const PepperSetting = "token_pepper"

// PepperCheckSetting names the argon2id hash of the pepper the newest
// token was created with: it tells a changed secret key, and a slow hash
// keeps a readable database from testing guesses of the key.
const PepperCheckSetting = "token_pepper_check"

// MinSecretKey is the shortest configured secret key not warned about.
const MinSecretKey = 16

// EnsurePepper returns the key for token digests: the configured secret key
// when it is non-empty, else a random 32-byte pepper (64 hex characters)
// generated on first use and stored in the database, so that digests keep
// matching across restarts and processes. The pepper is always the bytes
// of that string: copying the stored value into the configuration keeps
// existing tokens valid. Changing the pepper invalidates every token made
// with the old one, which otherwise shows only as refused tokens: the
// warnings say so (and name a short configured key). Nothing is written
// but the generated pepper.
func EnsurePepper(ctx context.Context, repo SettingStore, configured string) (pepper []byte, warnings []string, err error) {
	if configured != "" {
		if n := utf8.RuneCountInString(configured); n < MinSecretKey {
			warnings = append(warnings, fmt.Sprintf("WARNING: the secret key has %d characters; use at least %d "+
				"(changing it invalidates the existing tokens).", n, MinSecretKey))
		}
		pepper = []byte(configured)
	} else {
		v, err := repo.EnsureSetting(ctx, PepperSetting, randomHex(32))
		if err != nil {
			return nil, nil, fmt.Errorf("token pepper: %w", err)
		}
		if v == "" {
			return nil, nil, fmt.Errorf("token pepper: stored value is empty")
		}
		pepper = []byte(v)
	}
	check, err := repo.EnsureSetting(ctx, PepperCheckSetting, "")
	if err != nil {
		return nil, nil, fmt.Errorf("token pepper: %w", err)
	}
	if check != "" {
		if ok, err := VerifyPassword(check, string(pepper)); err == nil && !ok {
			warnings = append(warnings, PepperChangedWarning)
		}
	}
	return pepper, warnings, nil
}

// recordPepper notes the pepper a token was just created with (see
// PepperCheckSetting).
func recordPepper(ctx context.Context, repo SettingStore, pepper []byte) error {
	h, err := HashPassword(string(pepper))
	if err != nil {
		return err
	}
	return repo.SetSetting(ctx, PepperCheckSetting, h)
}

// PepperChangedWarning says that the secret key in use is not the one the
// newest token was created with.
const PepperChangedWarning = "WARNING: the secret key differs from the one the newest token was created with " +
	"(--secret-key, INVMON_SECRET_KEY or secret_key in the config file, or none: the stored one); " +
	"tokens created with the other key are refused. Use the same key for serve and the token commands."
