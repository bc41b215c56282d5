package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/auth"
	"github.com/inventory-monitor/inventory-monitor/internal/store/sqlstore"
)

// openAuth opens the store and the auth service keyed with the configured
// secret key (or the pepper generated and stored in the database).
func (g *Globals) openAuth(ctx context.Context) (*auth.Service, *sqlstore.Store, error) {
	st, err := g.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	pepper, warnings, err := auth.EnsurePepper(ctx, st, g.SecretKey)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	for _, w := range warnings {
		fmt.Fprintln(os.Stderr, w)
	}
	return auth.NewService(st, pepper), st, nil
}

// --- users ---

// UserCmd manages users.
type UserCmd struct {
	Create     UserCreateCmd     `cmd:"" help:"Create a user."`
	List       UserListCmd       `cmd:"" help:"List users."`
	Passwd     UserPasswdCmd     `cmd:"" help:"Set a user's password."`
	Deactivate UserDeactivateCmd `cmd:"" help:"Deactivate a user: its logins and tokens are refused."`
	Activate   UserActivateCmd   `cmd:"" help:"Reactivate a user."`
}

// UserCreateCmd creates a user.
type UserCreateCmd struct {
	Name      string `arg:"" help:"Username (letters, digits and @/./+/-/_)."`
	Superuser bool   `help:"Record the user as a superuser (API rights do not depend on it yet: every active user's write token may write everything)."`
	Password  string `help:"Password (visible to other local users; prefer the prompt or stdin). Without it the password is read from the terminal or the first line of stdin; an empty one is generated and printed." placeholder:"P"`
}

func (c *UserCreateCmd) Run(g *Globals, ctx context.Context) error {
	svc, st, err := g.openAuth(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := auth.ValidateUsername(c.Name); err != nil {
		return err
	}
	if _, err := svc.User(ctx, c.Name); err == nil {
		return fmt.Errorf("user %q: %w", c.Name, auth.ErrUserExists)
	}
	pw, generated, err := readPassword(ctx, c.Password)
	if err != nil {
		return err
	}
	u, err := svc.CreateUser(ctx, c.Name, pw, c.Superuser)
	if err != nil {
		return err
	}
	kind := "user"
	if u.IsSuperuser {
		kind = "superuser"
	}
	fmt.Fprintf(os.Stderr, "Created %s %s (id %d).\n", kind, u.Username, u.ID)
	if generated {
		fmt.Fprintln(os.Stderr, "Generated password (shown only this once):")
		fmt.Println(pw)
	}
	return nil
}

// UserListCmd lists users.
type UserListCmd struct{}

func (c *UserListCmd) Run(g *Globals, ctx context.Context) error {
	svc, st, err := g.openAuth(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	users, err := svc.Users(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tUSERNAME\tSUPERUSER\tACTIVE\tCREATED")
	for _, u := range users {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", u.ID, u.Username, yesNo(u.IsSuperuser), yesNo(u.IsActive), u.Created.Format(time.RFC3339))
	}
	return w.Flush()
}

// UserPasswdCmd sets a password.
type UserPasswdCmd struct {
	Name     string `arg:"" help:"Username."`
	Password string `help:"New password (see user create)." placeholder:"P"`
}

func (c *UserPasswdCmd) Run(g *Globals, ctx context.Context) error {
	svc, st, err := g.openAuth(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := svc.User(ctx, c.Name); err != nil {
		return err
	}
	pw, generated, err := readPassword(ctx, c.Password)
	if err != nil {
		return err
	}
	if err := svc.SetPassword(ctx, c.Name, pw); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "Password of %s changed.\n", c.Name)
	if generated {
		fmt.Fprintln(os.Stderr, "Generated password (shown only this once):")
		fmt.Println(pw)
	}
	return nil
}

// UserDeactivateCmd deactivates a user.
type UserDeactivateCmd struct {
	Name string `arg:"" help:"Username."`
}

func (c *UserDeactivateCmd) Run(g *Globals, ctx context.Context) error {
	return setUserActive(ctx, g, c.Name, false)
}

// UserActivateCmd reactivates a user.
type UserActivateCmd struct {
	Name string `arg:"" help:"Username."`
}

func (c *UserActivateCmd) Run(g *Globals, ctx context.Context) error {
	return setUserActive(ctx, g, c.Name, true)
}

func setUserActive(ctx context.Context, g *Globals, name string, active bool) error {
	svc, st, err := g.openAuth(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := svc.SetUserActive(ctx, name, active); err != nil {
		return err
	}
	state := "deactivated." + cacheLag
	if active {
		state = "activated."
	}
	fmt.Fprintf(os.Stderr, "User %s %s\n", name, state)
	return nil
}

// cacheLag tells that running servers refuse a token a little later (serve's
// --token-cache).
const cacheLag = " Running servers notice within their --token-cache time (1s unless set)."

// --- tokens ---

// TokenCmd manages API tokens.
type TokenCmd struct {
	Create  TokenCreateCmd  `cmd:"" help:"Create an API token and print it (once)."`
	List    TokenListCmd    `cmd:"" help:"List API tokens (never their secrets)."`
	Revoke  TokenRevokeCmd  `cmd:"" help:"Delete an API token."`
	Disable TokenDisableCmd `cmd:"" help:"Disable an API token (keeps it for re-enabling)."`
	Enable  TokenEnableCmd  `cmd:"" help:"Re-enable a disabled API token."`
}

// TokenCreateCmd creates a token.
type TokenCreateCmd struct {
	User        string   `required:"" help:"Owner of the token." placeholder:"NAME"`
	Write       bool     `help:"Allow writes (POST, PUT, PATCH, DELETE); without it the token is read-only."`
	V1          bool     `name:"v1" help:"Issue a legacy v1 token (40 hex characters, 'Token <token>') instead of v2 ('Bearer nbt_<key>.<secret>')."`
	Expires     string   `help:"Expiry: a date (2027-01-01, midnight UTC), an RFC 3339 time, or a duration from now (30d, 12h)." placeholder:"WHEN"`
	Description string   `help:"What the token is for."`
	AllowedIP   []string `name:"allowed-ip" sep:"none" help:"Source network allowed to use the token (CIDR or address; repeatable). Default: any." placeholder:"CIDR"`
}

func (c *TokenCreateCmd) Run(g *Globals, ctx context.Context) error {
	svc, st, err := g.openAuth(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	opts := auth.TokenOptions{Version: 2, WriteEnabled: c.Write, Description: c.Description, AllowedIPs: c.AllowedIP}
	if c.V1 {
		opts.Version = 1
	}
	if c.Expires != "" {
		exp, err := parseExpiry(c.Expires, time.Now())
		if err != nil {
			return err
		}
		opts.Expires = &exp
	}
	plaintext, t, err := svc.CreateToken(ctx, c.User, opts)
	if err != nil {
		return err
	}
	mode := "read-only"
	if t.WriteEnabled {
		mode = "write-enabled"
	}
	expiry := "never expires"
	if t.Expires != nil {
		expiry = "expires " + t.Expires.Format(time.RFC3339)
	}
	keyword := "Bearer"
	if t.Version == 1 {
		keyword = "Token"
	}
	fmt.Fprintf(os.Stderr, "Created v%d token %d (%s) for %s: %s, %s.\n", t.Version, t.ID, t.Display(), t.Username, mode, expiry)
	if len(t.AllowedIPs) > 0 {
		fmt.Fprintf(os.Stderr, "Allowed source networks: %s\n", strings.Join(t.AllowedIPs, ", "))
	}
	fmt.Fprintf(os.Stderr, "WARNING: this is the only time the token is shown; it is stored only as a digest and cannot be recovered.\n")
	fmt.Fprintf(os.Stderr, "Send it as the header  Authorization: %s <token>\n", keyword)
	fmt.Println(plaintext)
	return nil
}

// parseExpiry reads a date, an RFC 3339 time or a duration from now.
func parseExpiry(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if n, ok := strings.CutSuffix(s, "d"); ok {
		if days, err := strconv.Atoi(n); err == nil && days > 0 && days <= 3_000_000 { // AddDate beyond overflows
			return now.AddDate(0, 0, days), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(d), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("invalid --expires %q: use a date (2027-01-01), an RFC 3339 time (2027-01-01T12:00:00Z) or a positive duration (30d, 12h)", s)
}

// TokenListCmd lists tokens.
type TokenListCmd struct {
	User string `help:"Only the tokens of this user." placeholder:"NAME"`
}

func (c *TokenListCmd) Run(g *Globals, ctx context.Context) error {
	svc, st, err := g.openAuth(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	tokens, err := svc.Tokens(ctx, c.User)
	if err != nil {
		return err
	}
	now := time.Now()
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tUSER\tVERSION\tKEY\tWRITE\tSTATUS\tEXPIRES\tLAST USED\tALLOWED IPS\tDESCRIPTION")
	for _, t := range tokens {
		status := "active"
		switch {
		case !t.Enabled:
			status = "disabled"
		case t.Expired(now):
			status = "expired"
		}
		ips := strings.Join(t.AllowedIPs, ",")
		if ips == "" {
			ips = "any"
		}
		fmt.Fprintf(w, "%d\t%s\tv%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Username, t.Version, t.Display(),
			yesNo(t.WriteEnabled), status, timeOr(t.Expires, "never"), timeOr(t.LastUsed, "never"), ips, t.Description)
	}
	return w.Flush()
}

// TokenRevokeCmd deletes a token.
type TokenRevokeCmd struct {
	ID int64 `arg:"" help:"Token ID (see token list)."`
}

func (c *TokenRevokeCmd) Run(g *Globals, ctx context.Context) error {
	svc, st, err := g.openAuth(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := svc.RevokeToken(ctx, c.ID); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "Token %d revoked.%s\n", c.ID, cacheLag)
	return nil
}

// TokenDisableCmd disables a token.
type TokenDisableCmd struct {
	ID int64 `arg:"" help:"Token ID (see token list)."`
}

func (c *TokenDisableCmd) Run(g *Globals, ctx context.Context) error {
	return setTokenEnabled(ctx, g, c.ID, false)
}

// TokenEnableCmd re-enables a token.
type TokenEnableCmd struct {
	ID int64 `arg:"" help:"Token ID (see token list)."`
}

func (c *TokenEnableCmd) Run(g *Globals, ctx context.Context) error {
	return setTokenEnabled(ctx, g, c.ID, true)
}

func setTokenEnabled(ctx context.Context, g *Globals, id int64, enabled bool) error {
	svc, st, err := g.openAuth(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := svc.SetTokenEnabled(ctx, id, enabled); err != nil {
		return err
	}
	state := "disabled." + cacheLag
	if enabled {
		state = "enabled."
	}
	fmt.Fprintf(os.Stderr, "Token %d %s\n", id, state)
	return nil
}

// --- helpers ---

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func timeOr(t *time.Time, none string) string {
	if t == nil {
		return none
	}
	return t.Local().Format(time.RFC3339)
}

// readPassword returns flagValue when set; otherwise it prompts on a
// terminal (twice, without echo) or reads the first line of stdin. An empty
// answer means "generate one" (generated is then true).
func readPassword(ctx context.Context, flagValue string) (pw string, generated bool, err error) {
	if flagValue != "" {
		return flagValue, false, nil
	}
	if isTerminal(os.Stdin) {
		pw, err = promptPassword(ctx, "Password (empty to generate one): ")
		if err != nil {
			return "", false, err
		}
		if pw != "" {
			again, err := promptPassword(ctx, "Password (again): ")
			if err != nil {
				return "", false, err
			}
			if again != pw {
				return "", false, errors.New("the passwords do not match")
			}
		}
	} else {
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", false, fmt.Errorf("read password from stdin: %w", err)
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	if pw == "" {
		return auth.GeneratePassword(), true, nil
	}
	return pw, false, nil
}

// isTerminal reports whether f is a terminal (a character device that
// stty accepts: /dev/null is a character device too).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	cmd := exec.Command("stty", "-g")
	cmd.Stdin = f
	return cmd.Run() == nil
}

// promptPassword reads a line from the terminal with echo switched off
// (stty); Ctrl-C cancels.
func promptPassword(ctx context.Context, prompt string) (string, error) {
	fmt.Fprint(os.Stderr, prompt)
	stty := func(arg string) error {
		cmd := exec.Command("stty", arg)
		cmd.Stdin = os.Stdin
		return cmd.Run()
	}
	if err := stty("-echo"); err == nil {
		defer func() {
			stty("echo")
			fmt.Fprintln(os.Stderr)
		}()
	}
	type result struct {
		line string
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		ch <- result{strings.TrimRight(line, "\r\n"), err}
	}()
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case r := <-ch:
		if r.err != nil && r.err != io.EOF {
			return "", r.err
		}
		return r.line, nil
	}
}
