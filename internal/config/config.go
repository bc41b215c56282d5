// Package config reads the optional YAML configuration file of
// inventory-monitor and exposes the plugin settings with the same defaults
// and accessor rules as the upstream NetBox plugin's
// PLUGINS_CONFIG["inventory_monitor"] (settings.py / helpers.py).
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// DefaultProbeRecentDays is the upstream default of probe_recent_days.
const DefaultProbeRecentDays = 7

// DefaultCurrency is the upstream default of default_currency (a setting
// upstream never reads).
const DefaultCurrency = "EUR"

// DefaultTooltipTemplate is the upstream default of
// external_inventory_tooltip_template.
const DefaultTooltipTemplate = "<span class='badge text-bg-{color}'>{code}</span> {label}"

// defaultWarningDays is upstream DEFAULT_WARNING_DAYS.
var defaultWarningDays = map[string]int{"service": 60, "warranty": 60, "invoicing": 30}

// StatusStyle is one entry of external_inventory_status_config. An empty
// Label or Color means "not set" and falls back like upstream does.
type StatusStyle struct{ Label, Color string }

// Currency is one usable entry of the currencies setting. Symbol is "" when
// the entry has no (or an empty) third element.
type Currency struct{ Code, Name, Symbol string }

// Settings are the plugin settings (PLUGINS_CONFIG["inventory_monitor"]).
type Settings struct {
	ProbeRecentDays int
	// Currencies holds only the well-formed entries (like
	// get_currency_choices): malformed entries are dropped at parse time.
	Currencies      []Currency
	DefaultCurrency string
	// EnableNetboxAttachments is accepted for compatibility with the
	// upstream declared setting enable_netbox_attachments (default false).
	EnableNetboxAttachments bool
	// ExternalInventoryStatus maps status code → style; empty = not configured.
	ExternalInventoryStatus          map[string]StatusStyle
	ExternalInventoryTooltipTemplate string

	// warningDaysDisabled: warning_days was present but not a mapping
	// (e.g. null) → every attribute is off.
	warningDaysDisabled bool
	// warningDays: the keys present in the warning_days mapping; a nil
	// value disables that attribute. Missing keys fall back to defaults.
	warningDays map[string]*int
}

// DefaultSettings returns the settings used when the file or a key is absent.
func DefaultSettings() Settings {
	return Settings{
		ProbeRecentDays: DefaultProbeRecentDays,
		Currencies: []Currency{
			{"CZK", "Czech Koruna", "Kč"},
			{"EUR", "Euro", "€"},
			{"USD", "US Dollar", "$"},
			{"GBP", "British Pound", "£"},
			{"JPY", "Japanese Yen", "¥"},
		},
		DefaultCurrency:                  DefaultCurrency,
		ExternalInventoryStatus:          map[string]StatusStyle{},
		ExternalInventoryTooltipTemplate: DefaultTooltipTemplate,
	}
}

// WarningDays implements upstream get_warning_days(attribute): the orange
// threshold in days for the date status of attr ("service", "warranty",
// "invoicing"), or nil when the indicator is disabled. The returned pointer
// is a fresh copy.
func (s Settings) WarningDays(attr string) *int {
	if s.warningDaysDisabled {
		return nil
	}
	if v, ok := s.warningDays[attr]; ok {
		return cloneInt(v)
	}
	if d, ok := defaultWarningDays[attr]; ok {
		return &d
	}
	return nil
}

// SetWarningDays sets the warning_days state programmatically. disabled=true
// behaves like `warning_days: null` (m is ignored). Otherwise m is the
// warning_days mapping: a key with a nil value disables that attribute, a
// missing key uses its default; a nil or empty m behaves like an absent key.
func (s *Settings) SetWarningDays(m map[string]*int, disabled bool) {
	s.warningDaysDisabled = disabled
	s.warningDays = nil
	if disabled || len(m) == 0 {
		return
	}
	s.warningDays = make(map[string]*int, len(m))
	for k, v := range m {
		s.warningDays[k] = cloneInt(v)
	}
}

func cloneInt(p *int) *int {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// Equal reports whether s and o behave identically. It lets go-cmp compare
// Settings (which has unexported fields) without extra options.
func (s Settings) Equal(o Settings) bool {
	if s.ProbeRecentDays != o.ProbeRecentDays ||
		s.DefaultCurrency != o.DefaultCurrency ||
		s.EnableNetboxAttachments != o.EnableNetboxAttachments ||
		s.ExternalInventoryTooltipTemplate != o.ExternalInventoryTooltipTemplate ||
		!slices.Equal(s.Currencies, o.Currencies) ||
		!maps.Equal(s.ExternalInventoryStatus, o.ExternalInventoryStatus) ||
		s.warningDaysDisabled != o.warningDaysDisabled {
		return false
	}
	if s.warningDaysDisabled {
		return true
	}
	return maps.EqualFunc(s.warningDays, o.warningDays, func(a, b *int) bool {
		if a == nil || b == nil {
			return a == b
		}
		return *a == *b
	})
}

// ExternalInventoryStatusConfigured mirrors
// get_external_inventory_status_config_safe()[1]: false when the key is
// absent, null or an empty mapping.
func (s Settings) ExternalInventoryStatusConfigured() bool {
	return len(s.ExternalInventoryStatus) > 0
}

// statusKey is Python str(status): nil becomes "None".
func statusKey(code *string) string {
	if code == nil {
		return "None"
	}
	return *code
}

// ExternalInventoryStatusColor implements ExternalInventory.get_status_color:
// "secondary" when not configured or when the code or its colour is missing.
func (s Settings) ExternalInventoryStatusColor(code *string) string {
	if st, ok := s.ExternalInventoryStatus[statusKey(code)]; ok && st.Color != "" {
		return st.Color
	}
	return "secondary"
}

// ExternalInventoryStatusDisplay implements
// ExternalInventory.get_status_display: the configured label, else str(code)
// (so a nil code gives "None").
func (s Settings) ExternalInventoryStatusDisplay(code *string) string {
	key := statusKey(code)
	if st, ok := s.ExternalInventoryStatus[key]; ok && st.Label != "" {
		return st.Label
	}
	return key
}

// TooltipLines renders ExternalInventoryTooltipTemplate once per configured
// code, substituting {code}, {label} (display fallback) and {color} (colour
// fallback); "{{" and "}}" are literal braces as in Python str.format.
// Values are not HTML-escaped: the config file is trusted. Codes are ordered
// integer codes first (numerically), then the rest lexicographically.
// Returns nil when not configured.
func (s Settings) TooltipLines() []string {
	if !s.ExternalInventoryStatusConfigured() {
		return nil
	}
	codes := slices.Collect(maps.Keys(s.ExternalInventoryStatus))
	slices.SortFunc(codes, compareCodes)
	lines := make([]string, 0, len(codes))
	for _, c := range codes {
		lines = append(lines, formatTooltip(s.ExternalInventoryTooltipTemplate, map[string]string{
			"code":  c,
			"label": s.ExternalInventoryStatusDisplay(&c),
			"color": s.ExternalInventoryStatusColor(&c),
		}))
	}
	return lines
}

// CurrencySymbol implements helpers.get_currency_symbol: "" for an empty
// code; the symbol of the first entry with that code, or the code itself
// when the entry has no symbol or no entry matches.
func (s Settings) CurrencySymbol(code string) string {
	if code == "" {
		return ""
	}
	for _, c := range s.Currencies {
		if c.Code == code {
			if c.Symbol != "" {
				return c.Symbol
			}
			return code
		}
	}
	return code
}

func compareCodes(a, b string) int {
	ai, aerr := strconv.ParseInt(a, 10, 64)
	bi, berr := strconv.ParseInt(b, 10, 64)
	switch {
	case aerr == nil && berr == nil:
		if ai != bi {
			if ai < bi {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b) // "1" vs "01"
	case aerr == nil:
		return -1
	case berr == nil:
		return 1
	}
	return strings.Compare(a, b)
}

// formatTooltip substitutes {name} placeholders. The template has been
// validated by checkTemplate when it came from a file; anything unexpected
// is copied verbatim.
func formatTooltip(tmpl string, vals map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(tmpl); {
		switch {
		case strings.HasPrefix(tmpl[i:], "{{"):
			b.WriteByte('{')
			i += 2
		case strings.HasPrefix(tmpl[i:], "}}"):
			b.WriteByte('}')
			i += 2
		case tmpl[i] == '{':
			if end := strings.IndexByte(tmpl[i:], '}'); end > 0 {
				if v, ok := vals[tmpl[i+1:i+end]]; ok {
					b.WriteString(v)
					i += end + 1
					continue
				}
			}
			b.WriteByte(tmpl[i])
			i++
		default:
			b.WriteByte(tmpl[i])
			i++
		}
	}
	return b.String()
}

// checkTemplate reports the first problem of a tooltip template in Python
// str.format terms: only {code}, {label}, {color}, "{{" and "}}" are allowed.
func checkTemplate(tmpl string) error {
	for i := 0; i < len(tmpl); {
		switch {
		case strings.HasPrefix(tmpl[i:], "{{"), strings.HasPrefix(tmpl[i:], "}}"):
			i += 2
		case tmpl[i] == '{':
			end := strings.IndexByte(tmpl[i:], '}')
			if end < 0 {
				return errors.New("unclosed \"{\"")
			}
			switch name := tmpl[i+1 : i+end]; name {
			case "code", "label", "color":
			default:
				return fmt.Errorf("unknown placeholder {%s} (allowed: {code}, {label}, {color}; write {{ and }} for literal braces)", name)
			}
			i += end + 1
		case tmpl[i] == '}':
			return errors.New("single \"}\" (write }} for a literal brace)")
		default:
			i++
		}
	}
	return nil
}

// File is the whole configuration file.
type File struct {
	Listen, Database, BaseURL, SecretKey string // "" when absent or null
	Settings                             Settings
}

// Load reads and parses the configuration file at path. A read error is
// returned unchanged (it names the file; errors.Is(err, fs.ErrNotExist)
// works).
func Load(path string) (File, error) {
	if strings.EqualFold(filepath.Ext(path), ".toml") {
		return File{}, fmt.Errorf("%s: the configuration file is YAML (key: value), not TOML; see the README for an example", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return File{}, err
	}
	return Parse(path, data)
}

// Parse parses configuration data; name (usually the file path) prefixes
// every error message. Empty data (or only comments, or a null document)
// yields all defaults.
func Parse(name string, data []byte) (File, error) {
	f := File{Settings: DefaultSettings()}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		return File{}, syntaxError(name, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return File{}, syntaxError(name, err)
		}
		return File{}, fmt.Errorf("%s: line %d: only one YAML document is allowed", name, extra.Line)
	}
	p := parser{name: name}
	if err := p.file(&f, &doc); err != nil {
		return File{}, err
	}
	return f, nil
}

// yamlParserProblems are the yaml.v3 parser (not scanner) error messages.
// yaml.v3 reports their line 0-based and omits it on the first line.
var yamlParserProblems = []string{
	"did not find expected <document start>",
	"did not find expected <stream-start>",
	"did not find expected key",
	"did not find expected node content",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"did not find expected '-' indicator",
	"found duplicate %TAG directive",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found undefined tag handle",
}

// syntaxError turns a yaml.v3 error into "name: line N: problem", correcting
// yaml.v3's off-by-one line for parser errors.
func syntaxError(name string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if slices.Contains(yamlParserProblems, msg) {
		return fmt.Errorf("%s: line 1: %s", name, msg)
	}
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, problem, ok := strings.Cut(rest, ": "); ok && slices.Contains(yamlParserProblems, problem) {
			if n, err := strconv.Atoi(num); err == nil {
				return fmt.Errorf("%s: line %d: %s", name, n+1, problem)
			}
		}
	}
	return fmt.Errorf("%s: %s", name, msg)
}

type parser struct{ name string }

func (p parser) errorf(path, format string, args ...any) error {
	return fmt.Errorf("%s: %s: %s", p.name, path, fmt.Sprintf(format, args...))
}

func (p parser) unknown(path string) error {
	return fmt.Errorf("%s: unknown key %q", p.name, path)
}

// resolve follows document wrappers and aliases.
func resolve(n *yaml.Node) *yaml.Node {
	for n != nil {
		switch n.Kind {
		case yaml.DocumentNode:
			if len(n.Content) == 0 {
				return nil
			}
			n = n.Content[0]
		case yaml.AliasNode:
			n = n.Alias
		default:
			return n
		}
	}
	return nil
}

func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == 0 || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

// describe renders a node for "got ..." in error messages.
func describe(n *yaml.Node) string {
	switch {
	case isNull(n):
		return "null"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.ShortTag() == "!!str":
		return strconv.Quote(n.Value)
	}
	return n.Value
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// entries walks a mapping node, rejecting non-scalar and duplicate keys.
func (p parser) entries(path string, m *yaml.Node, fn func(key string, val *yaml.Node) error) error {
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := resolve(m.Content[i])
		if k == nil || k.Kind != yaml.ScalarNode {
			where := path
			if where == "" {
				where = "top level"
			}
			return p.errorf(where, "line %d: keys must be scalars, got %s", m.Content[i].Line, describe(k))
		}
		full := join(path, k.Value)
		if seen[k.Value] {
			return fmt.Errorf("%s: duplicate key %q (line %d)", p.name, full, k.Line)
		}
		seen[k.Value] = true
		if err := fn(k.Value, resolve(m.Content[i+1])); err != nil {
			return err
		}
	}
	return nil
}

func (p parser) file(f *File, doc *yaml.Node) error {
	root := resolve(doc)
	if isNull(root) {
		return nil
	}
	if root.Kind != yaml.MappingNode {
		return fmt.Errorf("%s: the top level must be a mapping, got %s", p.name, describe(root))
	}
	return p.entries("", root, func(key string, v *yaml.Node) error {
		switch key {
		case "listen":
			return p.optString(key, v, &f.Listen)
		case "database":
			return p.optString(key, v, &f.Database)
		case "base_url":
			return p.optString(key, v, &f.BaseURL)
		case "secret_key":
			return p.optString(key, v, &f.SecretKey)
		case "inventory_monitor":
			return p.settings(key, v, &f.Settings)
		}
		return p.unknown(key)
	})
}

// optString accepts a string or null (→ "").
func (p parser) optString(path string, v *yaml.Node, dst *string) error {
	if isNull(v) {
		*dst = ""
		return nil
	}
	return p.str(path, v, dst)
}

func (p parser) str(path string, v *yaml.Node, dst *string) error {
	if v == nil || v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" {
		return p.errorf(path, "must be a string, got %s", describe(v))
	}
	*dst = v.Value
	return nil
}

func (p parser) nonNegInt(path string, v *yaml.Node) (int, error) {
	if v != nil && v.Kind == yaml.ScalarNode && v.ShortTag() == "!!int" {
		var n int
		if err := v.Decode(&n); err == nil && n >= 0 {
			return n, nil
		}
	}
	return 0, p.errorf(path, "must be a non-negative integer, got %s", describe(v))
}

func (p parser) settings(path string, m *yaml.Node, s *Settings) error {
	if isNull(m) {
		return nil
	}
	if m.Kind != yaml.MappingNode {
		return p.errorf(path, "must be a mapping, got %s", describe(m))
	}
	return p.entries(path, m, func(key string, v *yaml.Node) error {
		kp := join(path, key)
		switch key {
		case "probe_recent_days":
			n, err := p.nonNegInt(kp, v)
			s.ProbeRecentDays = n
			return err
		case "currencies":
			return p.currencies(kp, v, s)
		case "default_currency":
			return p.str(kp, v, &s.DefaultCurrency)
		case "enable_netbox_attachments":
			if v == nil || v.Kind != yaml.ScalarNode || v.ShortTag() != "!!bool" {
				return p.errorf(kp, "must be true or false, got %s", describe(v))
			}
			return v.Decode(&s.EnableNetboxAttachments)
		case "external_inventory_status_config":
			return p.statusConfig(kp, v, s)
		case "external_inventory_tooltip_template":
			if err := p.str(kp, v, &s.ExternalInventoryTooltipTemplate); err != nil {
				return err
			}
			if err := checkTemplate(s.ExternalInventoryTooltipTemplate); err != nil {
				return p.errorf(kp, "invalid template: %v", err)
			}
			return nil
		case "warning_days":
			return p.warningDays(kp, v, s)
		}
		return p.unknown(kp)
	})
}

// currencies reads get_currency_choices' list of [code, name, symbol]
// lists. Upstream skips malformed entries silently, which here would
// quietly drop a currency: an entry that is not a list stops start-up; one
// without a code or a name is skipped as upstream (a placeholder line).
func (p parser) currencies(path string, v *yaml.Node, s *Settings) error {
	if v == nil || v.Kind != yaml.SequenceNode {
		return p.errorf(path, "must be a list of [code, name, symbol] lists, got %s", describe(v))
	}
	out := []Currency{}
	for i, e := range v.Content {
		e = resolve(e)
		if e == nil || e.Kind != yaml.SequenceNode {
			return p.errorf(fmt.Sprintf("%s[%d]", path, i), "must be a [code, name, symbol] list such as [EUR, Euro, €], got %s", describe(e))
		}
		var parts [3]string
		for j := 0; j < len(e.Content) && j < 3; j++ {
			el := resolve(e.Content[j])
			if isNull(el) {
				continue
			}
			if err := p.str(fmt.Sprintf("%s[%d][%d]", path, i, j), el, &parts[j]); err != nil {
				return err
			}
		}
		if len(e.Content) < 2 || parts[0] == "" || parts[1] == "" {
			continue
		}
		out = append(out, Currency{Code: parts[0], Name: parts[1], Symbol: parts[2]})
	}
	s.Currencies = out
	return nil
}

// statusConfig: null or {} means "not configured" (upstream falsy value).
func (p parser) statusConfig(path string, v *yaml.Node, s *Settings) error {
	cfg := map[string]StatusStyle{}
	s.ExternalInventoryStatus = cfg
	if isNull(v) {
		return nil
	}
	if v.Kind != yaml.MappingNode {
		return p.errorf(path, "must be a mapping of status code to {label, color}, got %s", describe(v))
	}
	return p.entries(path, v, func(code string, sv *yaml.Node) error {
		cp := join(path, code)
		if sv == nil || sv.Kind != yaml.MappingNode {
			return p.errorf(cp, "must be a mapping with label and color, got %s", describe(sv))
		}
		var st StatusStyle
		err := p.entries(cp, sv, func(key string, fv *yaml.Node) error {
			switch key {
			case "label":
				return p.str(join(cp, key), fv, &st.Label)
			case "color":
				return p.str(join(cp, key), fv, &st.Color)
			}
			return p.unknown(join(cp, key))
		})
		cfg[code] = st
		return err
	})
}

// warningDays: null disables every indicator, as upstream
// get_warning_days does for any non-mapping value; another non-mapping
// value (a number, a list) is taken for the typo it is and stops
// start-up. A mapping may only name service, warranty and invoicing; each
// value is a non-negative integer or null (that indicator off).
func (p parser) warningDays(path string, v *yaml.Node, s *Settings) error {
	if isNull(v) {
		s.SetWarningDays(nil, true)
		return nil
	}
	if v.Kind != yaml.MappingNode {
		return p.errorf(path, "must be a mapping such as {service: 60, warranty: 60, invoicing: 30}, or null to turn every indicator off, got %s", describe(v))
	}
	m := map[string]*int{}
	err := p.entries(path, v, func(key string, dv *yaml.Node) error {
		kp := join(path, key)
		if _, ok := defaultWarningDays[key]; !ok {
			return p.unknown(kp)
		}
		if isNull(dv) {
			m[key] = nil
			return nil
		}
		n, err := p.nonNegInt(kp, dv)
		if err != nil {
			return err
		}
		m[key] = &n
		return nil
	})
	if err != nil {
		return err
	}
	s.SetWarningDays(m, false)
	return nil
}
