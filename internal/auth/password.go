package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters of new hashes (OWASP's recommendation: 19 MiB, two
// passes, one lane). Stored hashes carry their own parameters, so these can
// be raised without invalidating existing passwords.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// Bounds accepted when verifying, so that a tampered hash cannot make a
// login allocate gigabytes.
const (
	maxArgonMemory = 1024 * 1024 // KiB (1 GiB)
	maxArgonTime   = 64
)

var b64 = base64.RawStdEncoding

// HashPassword returns the argon2id hash of password as a PHC string:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> (unpadded standard base64).
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the PHC-encoded argon2id
// hash. The comparison is constant-time; an error means the hash itself is
// malformed.
func VerifyPassword(encoded, password string) (bool, error) {
	h, err := parsePHC(encoded)
	if err != nil {
		return false, err
	}
	key := argon2.IDKey([]byte(password), h.salt, h.time, h.memory, h.threads, uint32(len(h.key)))
	return subtle.ConstantTimeCompare(key, h.key) == 1, nil
}

type phcHash struct {
	memory, time uint32
	threads      uint8
	salt, key    []byte
}

var errBadHash = errors.New("auth: malformed argon2id password hash")

func parsePHC(s string) (phcHash, error) {
	var h phcHash
	parts := strings.Split(s, "$")
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, key
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return h, errBadHash
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return h, fmt.Errorf("%w: unsupported version %q", errBadHash, parts[2])
	}
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return h, errBadHash
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return h, errBadHash
		}
		switch k {
		case "m":
			h.memory = uint32(n)
		case "t":
			h.time = uint32(n)
		case "p":
			if n > 255 {
				return h, errBadHash
			}
			h.threads = uint8(n)
		default:
			return h, errBadHash
		}
	}
	if h.memory < 8 || h.memory > maxArgonMemory || h.time < 1 || h.time > maxArgonTime || h.threads < 1 {
		return h, fmt.Errorf("%w: parameters out of range", errBadHash)
	}
	var err error
	if h.salt, err = b64.DecodeString(parts[4]); err != nil || len(h.salt) < 8 {
		return h, errBadHash
	}
	if h.key, err = b64.DecodeString(parts[5]); err != nil || len(h.key) < 16 || len(h.key) > 128 {
		return h, errBadHash
	}
	return h, nil
}

// dummyHash is verified against when a user does not exist, so that a
// failed login takes as long whether or not the username is known.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("inventory-monitor dummy password")
	if err != nil {
		panic(err)
	}
	return h
})
