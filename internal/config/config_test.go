package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func intp(n int) *int       { return &n }
func strp(s string) *string { return &s }

// view is an exported snapshot of Settings so that go-cmp diffs show each
// field, including the warning-days accessor results.
type view struct {
	ProbeRecentDays                  int
	Currencies                       []Currency
	DefaultCurrency                  string
	EnableNetboxAttachments          bool
	ExternalInventoryStatus          map[string]StatusStyle
	ExternalInventoryTooltipTemplate string
	Service, Warranty, Invoicing     *int
}

func viewOf(s Settings) view {
	return view{
		ProbeRecentDays:                  s.ProbeRecentDays,
		Currencies:                       s.Currencies,
		DefaultCurrency:                  s.DefaultCurrency,
		EnableNetboxAttachments:          s.EnableNetboxAttachments,
		ExternalInventoryStatus:          s.ExternalInventoryStatus,
		ExternalInventoryTooltipTemplate: s.ExternalInventoryTooltipTemplate,
		Service:                          s.WarningDays("service"),
		Warranty:                         s.WarningDays("warranty"),
		Invoicing:                        s.WarningDays("invoicing"),
	}
}

var defaultView = view{
	ProbeRecentDays: 7,
	Currencies: []Currency{
		{"CZK", "Czech Koruna", "Kč"},
		{"EUR", "Euro", "€"},
		{"USD", "US Dollar", "$"},
		{"GBP", "British Pound", "£"},
		{"JPY", "Japanese Yen", "¥"},
	},
	DefaultCurrency:                  "EUR",
	ExternalInventoryStatus:          map[string]StatusStyle{},
	ExternalInventoryTooltipTemplate: "<span class='badge text-bg-{color}'>{code}</span> {label}",
	Service:                          intp(60),
	Warranty:                         intp(60),
	Invoicing:                        intp(30),
}

func TestDefaultSettingsMatchUpstreamDefaults(t *testing.T) {
	if diff := cmp.Diff(defaultView, viewOf(DefaultSettings())); diff != "" {
		t.Errorf("DefaultSettings() mismatch (-want +got):\n%s", diff)
	}
	if DefaultSettings().ExternalInventoryStatusConfigured() {
		t.Error("default external inventory status config reports configured")
	}
}

func TestParseEmptyInputsGiveDefaults(t *testing.T) {
	for _, tc := range []struct{ name, data string }{
		{"empty file", ""},
		{"only comments", "# nothing here\n"},
		{"null document", "~\n"},
		{"empty inventory_monitor", "inventory_monitor:\n"},
		{"empty inventory_monitor mapping", "inventory_monitor: {}\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse("config.yaml", []byte(tc.data))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(File{Settings: DefaultSettings()}, f); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseFullExample(t *testing.T) {
	data := `
listen: 127.0.0.1:8080
database: inventory-monitor.db
base_url: https://inv.example.com
secret_key: "s3cret"
inventory_monitor:
  probe_recent_days: 14
  currencies: [["CZK","Czech Koruna","Kč"], ["EUR","Euro","€"]]
  default_currency: CZK
  enable_netbox_attachments: true
  external_inventory_status_config: {"1": {label: "Active", color: "green"}}
  external_inventory_tooltip_template: "{code}: {label} ({color})"
  warning_days: {service: 90, warranty: 45, invoicing: 10}
`
	f, err := Parse("config.yaml", []byte(data))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	wantTop := File{Listen: "127.0.0.1:8080", Database: "inventory-monitor.db", BaseURL: "https://inv.example.com", SecretKey: "s3cret"}
	gotTop := f
	gotTop.Settings = Settings{}
	if diff := cmp.Diff(wantTop, gotTop); diff != "" {
		t.Errorf("server options mismatch (-want +got):\n%s", diff)
	}
	want := view{
		ProbeRecentDays:                  14,
		Currencies:                       []Currency{{"CZK", "Czech Koruna", "Kč"}, {"EUR", "Euro", "€"}},
		DefaultCurrency:                  "CZK",
		EnableNetboxAttachments:          true,
		ExternalInventoryStatus:          map[string]StatusStyle{"1": {Label: "Active", Color: "green"}},
		ExternalInventoryTooltipTemplate: "{code}: {label} ({color})",
		Service:                          intp(90),
		Warranty:                         intp(45),
		Invoicing:                        intp(10),
	}
	if diff := cmp.Diff(want, viewOf(f.Settings)); diff != "" {
		t.Errorf("settings mismatch (-want +got):\n%s", diff)
	}
}

// TestParseEachKeyOverridesOnlyItself sets one key at a time and checks that
// every other setting keeps its default.
func TestParseEachKeyOverridesOnlyItself(t *testing.T) {
	for _, tc := range []struct {
		name string
		yaml string
		edit func(*view)
	}{
		{"probe_recent_days", "probe_recent_days: 3", func(v *view) { v.ProbeRecentDays = 3 }},
		{"probe_recent_days zero", "probe_recent_days: 0", func(v *view) { v.ProbeRecentDays = 0 }},
		{"currencies", `currencies: [["USD", "US Dollar"]]`, func(v *view) { v.Currencies = []Currency{{"USD", "US Dollar", ""}} }},
		{"currencies empty list", `currencies: []`, func(v *view) { v.Currencies = []Currency{} }},
		{"currencies skips entries without a code or a name like get_currency_choices",
			`currencies: [["EUR"], ["", "Nothing"], ["X", ""], [null, "N"], ["CHF", "Swiss Franc", null, 9], ["PLN", "Zloty", "zł"]]`,
			func(v *view) { v.Currencies = []Currency{{"CHF", "Swiss Franc", ""}, {"PLN", "Zloty", "zł"}} }},
		{"default_currency", "default_currency: USD", func(v *view) { v.DefaultCurrency = "USD" }},
		{"enable_netbox_attachments", "enable_netbox_attachments: true", func(v *view) { v.EnableNetboxAttachments = true }},
		{"external_inventory_status_config", "external_inventory_status_config:\n    1: {label: Active, color: green}\n    \"2\": {label: Retired}",
			func(v *view) {
				v.ExternalInventoryStatus = map[string]StatusStyle{"1": {"Active", "green"}, "2": {Label: "Retired"}}
			}},
		{"external_inventory_status_config null is not configured", "external_inventory_status_config: null", func(v *view) {}},
		{"external_inventory_status_config empty is not configured", "external_inventory_status_config: {}", func(v *view) {}},
		{"external_inventory_tooltip_template", `external_inventory_tooltip_template: "{{{code}}} {label}"`,
			func(v *view) { v.ExternalInventoryTooltipTemplate = "{{{code}}} {label}" }},
		{"warning_days missing key uses defaults", "probe_recent_days: 7", func(v *view) {}},
		{"warning_days null disables every indicator", "warning_days: null",
			func(v *view) { v.Service, v.Warranty, v.Invoicing = nil, nil, nil }},
		{"warning_days key null disables only that attribute", "warning_days: {service: null}",
			func(v *view) { v.Service = nil }},
		{"warning_days empty mapping uses defaults", "warning_days: {}", func(v *view) {}},
		{"warning_days partial mapping keeps other defaults", "warning_days: {invoicing: 0}",
			func(v *view) { v.Invoicing = intp(0) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse("config.yaml", []byte("inventory_monitor:\n  "+tc.yaml+"\n"))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			want := defaultView
			want.Currencies = append([]Currency(nil), defaultView.Currencies...)
			tc.edit(&want)
			if diff := cmp.Diff(want, viewOf(f.Settings)); diff != "" {
				t.Errorf("settings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseServerOptionsNullMeansAbsent(t *testing.T) {
	f, err := Parse("config.yaml", []byte("listen:\ndatabase: ~\nbase_url: null\nsecret_key:\n"))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if diff := cmp.Diff(File{Settings: DefaultSettings()}, f); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestParseFollowsAliases(t *testing.T) {
	data := "x_days: &d 5\ninventory_monitor:\n  probe_recent_days: *d\n"
	_, err := Parse("config.yaml", []byte(data))
	if err == nil || !strings.Contains(err.Error(), `unknown key "x_days"`) {
		t.Fatalf("Parse: want unknown key error for x_days, got %v", err)
	}
	data = "inventory_monitor:\n  probe_recent_days: &d 5\n  warning_days: {service: *d}\n"
	f, err := Parse("config.yaml", []byte(data))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if diff := cmp.Diff(intp(5), f.Settings.WarningDays("service")); diff != "" {
		t.Errorf("WarningDays(service) mismatch (-want +got):\n%s", diff)
	}
}

func TestWarningDays(t *testing.T) {
	disabled := DefaultSettings()
	disabled.SetWarningDays(map[string]*int{"service": intp(5)}, true)
	partial := DefaultSettings()
	partial.SetWarningDays(map[string]*int{"service": nil, "invoicing": intp(7), "custom": intp(3)}, false)
	reset := partial
	reset.SetWarningDays(nil, false)

	for _, tc := range []struct {
		name string
		s    Settings
		attr string
		want *int
	}{
		{"missing key gives service default", DefaultSettings(), "service", intp(60)},
		{"missing key gives warranty default", DefaultSettings(), "warranty", intp(60)},
		{"missing key gives invoicing default", DefaultSettings(), "invoicing", intp(30)},
		{"unknown attribute gives nil", DefaultSettings(), "lifecycle", nil},
		{"disabled gives nil even for a set key", disabled, "service", nil},
		{"disabled gives nil for defaults", disabled, "warranty", nil},
		{"explicit nil disables attribute", partial, "service", nil},
		{"missing key in mapping gives default", partial, "warranty", intp(60)},
		{"set key is returned", partial, "invoicing", intp(7)},
		{"unknown attribute set programmatically is returned verbatim", partial, "custom", intp(3)},
		{"nil mapping resets to defaults", reset, "service", intp(60)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.s.WarningDays(tc.attr)); diff != "" {
				t.Errorf("WarningDays(%q) mismatch (-want +got):\n%s", tc.attr, diff)
			}
		})
	}
}

func TestWarningDaysReturnsCopy(t *testing.T) {
	s := DefaultSettings()
	m := map[string]*int{"service": intp(5)}
	s.SetWarningDays(m, false)
	*m["service"] = 99
	*s.WarningDays("service") = 42
	if got := *s.WarningDays("service"); got != 5 {
		t.Errorf("WarningDays(service) = %d after mutating caller pointers, want 5", got)
	}
}

func TestSettingsEqualComparesBehaviour(t *testing.T) {
	a, b := DefaultSettings(), DefaultSettings()
	a.SetWarningDays(map[string]*int{"service": intp(5)}, true)
	b.SetWarningDays(nil, true)
	if !a.Equal(b) {
		t.Error("two disabled warning-days states compare unequal")
	}
	b.SetWarningDays(map[string]*int{"service": intp(5)}, false)
	if a.Equal(b) {
		t.Error("disabled and set warning-days states compare equal")
	}
	a.SetWarningDays(map[string]*int{"service": intp(5)}, false)
	if !a.Equal(b) {
		t.Error("equal warning-days mappings compare unequal")
	}
}

func configured() Settings {
	s := DefaultSettings()
	s.ExternalInventoryStatus = map[string]StatusStyle{
		"1":    {Label: "Active", Color: "green"},
		"2":    {Label: "Retired"},
		"3":    {Color: "red"},
		"10":   {Label: "Ten", Color: "blue"},
		"None": {Label: "No status", Color: "dark"},
	}
	return s
}

func TestExternalInventoryStatusColor(t *testing.T) {
	notConfigured := DefaultSettings()
	for _, tc := range []struct {
		name string
		s    Settings
		code *string
		want string
	}{
		{"configured code gives its colour", configured(), strp("1"), "green"},
		{"configured code without colour gives secondary", configured(), strp("2"), "secondary"},
		{"unknown code gives secondary", configured(), strp("7"), "secondary"},
		{"nil code looks up \"None\" like str(None)", configured(), nil, "dark"},
		{"not configured gives secondary", notConfigured, strp("1"), "secondary"},
		{"not configured nil code gives secondary", notConfigured, nil, "secondary"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.s.ExternalInventoryStatusColor(tc.code); got != tc.want {
				t.Errorf("ExternalInventoryStatusColor = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestExternalInventoryStatusDisplay(t *testing.T) {
	notConfigured := DefaultSettings()
	for _, tc := range []struct {
		name string
		s    Settings
		code *string
		want string
	}{
		{"configured code gives its label", configured(), strp("1"), "Active"},
		{"configured code without label gives the code", configured(), strp("3"), "3"},
		{"unknown code gives the code", configured(), strp("7"), "7"},
		{"nil code with a \"None\" entry gives its label", configured(), nil, "No status"},
		{"not configured gives str(code)", notConfigured, strp("1"), "1"},
		{"not configured empty code gives empty string", notConfigured, strp(""), ""},
		{"not configured nil code gives None", notConfigured, nil, "None"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.s.ExternalInventoryStatusDisplay(tc.code); got != tc.want {
				t.Errorf("ExternalInventoryStatusDisplay = %q, want %q", got, tc.want)
			}
		})
	}
	s := configured()
	s.ExternalInventoryStatus = map[string]StatusStyle{"1": {"Active", "green"}}
	if got := s.ExternalInventoryStatusDisplay(nil); got != "None" {
		t.Errorf("configured, nil code without a \"None\" entry = %q, want \"None\"", got)
	}
}

func TestTooltipLines(t *testing.T) {
	if got := DefaultSettings().TooltipLines(); got != nil {
		t.Errorf("TooltipLines() when not configured = %q, want nil", got)
	}
	want := []string{
		"<span class='badge text-bg-green'>1</span> Active",
		"<span class='badge text-bg-secondary'>2</span> Retired",
		"<span class='badge text-bg-red'>3</span> 3",
		"<span class='badge text-bg-blue'>10</span> Ten",
		"<span class='badge text-bg-dark'>None</span> No status",
	}
	if diff := cmp.Diff(want, configured().TooltipLines()); diff != "" {
		t.Errorf("TooltipLines() with default template mismatch (-want +got):\n%s", diff)
	}

	s := DefaultSettings()
	s.ExternalInventoryStatus = map[string]StatusStyle{"b": {"Bee", "info"}, "a": {"Ay", "warning"}}
	s.ExternalInventoryTooltipTemplate = "{{{code}}} {label}/{color} {code}"
	want = []string{"{a} Ay/warning a", "{b} Bee/info b"}
	if diff := cmp.Diff(want, s.TooltipLines()); diff != "" {
		t.Errorf("TooltipLines() with custom template mismatch (-want +got):\n%s", diff)
	}
}

func TestCurrencySymbol(t *testing.T) {
	s := DefaultSettings()
	s.Currencies = append(s.Currencies, Currency{"CHF", "Swiss Franc", ""})
	for _, tc := range []struct{ code, want string }{
		{"EUR", "€"},
		{"CHF", "CHF"},
		{"XYZ", "XYZ"},
		{"", ""},
	} {
		if got := s.CurrencySymbol(tc.code); got != tc.want {
			t.Errorf("CurrencySymbol(%q) = %q, want %q", tc.code, got, tc.want)
		}
	}
}

func TestParseErrorsNameFileKeyAndProblem(t *testing.T) {
	for _, tc := range []struct {
		name, data, want string
	}{
		{"unknown top-level key", "listn: x\n", `config.yaml: unknown key "listn"`},
		{"unknown plugin key", "inventory_monitor:\n  probe_recnt_days: 7\n", `config.yaml: unknown key "inventory_monitor.probe_recnt_days"`},
		{"duplicate key", "listen: a\nlisten: b\n", `config.yaml: duplicate key "listen" (line 2)`},
		{"top level not a mapping", "- a\n", `config.yaml: the top level must be a mapping, got a list`},
		{"listen not a string", "listen: [a]\n", `config.yaml: listen: must be a string, got a list`},
		{"database not a string", "database: 5\n", `config.yaml: database: must be a string, got 5`},
		{"base_url not a string", "base_url: {a: b}\n", `config.yaml: base_url: must be a string, got a mapping`},
		{"secret_key not a string", "secret_key: 12345\n", `config.yaml: secret_key: must be a string, got 12345`},
		{"inventory_monitor not a mapping", "inventory_monitor: yes\n", `config.yaml: inventory_monitor: must be a mapping, got "yes"`},
		{"probe_recent_days a word", "inventory_monitor:\n  probe_recent_days: seven\n",
			`config.yaml: inventory_monitor.probe_recent_days: must be a non-negative integer, got "seven"`},
		{"probe_recent_days negative", "inventory_monitor:\n  probe_recent_days: -1\n",
			`config.yaml: inventory_monitor.probe_recent_days: must be a non-negative integer, got -1`},
		{"probe_recent_days float", "inventory_monitor:\n  probe_recent_days: 7.5\n",
			`config.yaml: inventory_monitor.probe_recent_days: must be a non-negative integer, got 7.5`},
		{"probe_recent_days null", "inventory_monitor:\n  probe_recent_days:\n",
			`config.yaml: inventory_monitor.probe_recent_days: must be a non-negative integer, got null`},
		{"currencies not a list", "inventory_monitor:\n  currencies: EUR\n",
			`config.yaml: inventory_monitor.currencies: must be a list of [code, name, symbol] lists, got "EUR"`},
		{"currencies null", "inventory_monitor:\n  currencies:\n",
			`config.yaml: inventory_monitor.currencies: must be a list of [code, name, symbol] lists, got null`},
		{"currency entry not a list (upstream skips it: a currency would vanish)", "inventory_monitor:\n  currencies: [[EUR, Euro, €], GBP]\n",
			`config.yaml: inventory_monitor.currencies[1]: must be a [code, name, symbol] list such as [EUR, Euro, €], got "GBP"`},
		{"warning_days a number (upstream: every indicator off)", "inventory_monitor:\n  warning_days: 60\n",
			`config.yaml: inventory_monitor.warning_days: must be a mapping such as {service: 60, warranty: 60, invoicing: 30}, or null to turn every indicator off, got 60`},
		{"currency element not a string", "inventory_monitor:\n  currencies: [[EUR, Euro, €], [USD, [x]]]\n",
			`config.yaml: inventory_monitor.currencies[1][1]: must be a string, got a list`},
		{"default_currency not a string", "inventory_monitor:\n  default_currency: 1\n",
			`config.yaml: inventory_monitor.default_currency: must be a string, got 1`},
		{"enable_netbox_attachments not a bool", "inventory_monitor:\n  enable_netbox_attachments: sure\n",
			`config.yaml: inventory_monitor.enable_netbox_attachments: must be true or false, got "sure"`},
		{"status config not a mapping", "inventory_monitor:\n  external_inventory_status_config: [1]\n",
			`config.yaml: inventory_monitor.external_inventory_status_config: must be a mapping of status code to {label, color}, got a list`},
		{"status entry not a mapping", "inventory_monitor:\n  external_inventory_status_config: {\"1\": green}\n",
			`config.yaml: inventory_monitor.external_inventory_status_config.1: must be a mapping with label and color, got "green"`},
		{"status label not a string", "inventory_monitor:\n  external_inventory_status_config: {\"1\": {label: [a]}}\n",
			`config.yaml: inventory_monitor.external_inventory_status_config.1.label: must be a string, got a list`},
		{"status color not a string", "inventory_monitor:\n  external_inventory_status_config: {\"1\": {color: 3}}\n",
			`config.yaml: inventory_monitor.external_inventory_status_config.1.color: must be a string, got 3`},
		{"status entry unknown key", "inventory_monitor:\n  external_inventory_status_config: {\"1\": {colour: red}}\n",
			`config.yaml: unknown key "inventory_monitor.external_inventory_status_config.1.colour"`},
		{"tooltip template not a string", "inventory_monitor:\n  external_inventory_tooltip_template: [a]\n",
			`config.yaml: inventory_monitor.external_inventory_tooltip_template: must be a string, got a list`},
		{"tooltip template unknown placeholder", "inventory_monitor:\n  external_inventory_tooltip_template: \"{name}\"\n",
			`config.yaml: inventory_monitor.external_inventory_tooltip_template: invalid template: unknown placeholder {name} (allowed: {code}, {label}, {color}; write {{ and }} for literal braces)`},
		{"tooltip template unclosed brace", "inventory_monitor:\n  external_inventory_tooltip_template: \"{code\"\n",
			`config.yaml: inventory_monitor.external_inventory_tooltip_template: invalid template: unclosed "{"`},
		{"warning_days negative", "inventory_monitor:\n  warning_days: {warranty: -5}\n",
			`config.yaml: inventory_monitor.warning_days.warranty: must be a non-negative integer, got -5`},
		{"warning_days a word", "inventory_monitor:\n  warning_days: {service: soon}\n",
			`config.yaml: inventory_monitor.warning_days.service: must be a non-negative integer, got "soon"`},
		{"warning_days unknown attribute", "inventory_monitor:\n  warning_days: {servce: 10}\n",
			`config.yaml: unknown key "inventory_monitor.warning_days.servce"`},
		{"invalid YAML syntax", "listen: a\ndatabase: [b\n", `config.yaml: line 2: did not find expected ',' or ']'`},
		{"invalid YAML indentation", "inventory_monitor:\n  probe_recent_days: 1\n warning_days: {}\n", `config.yaml: line 3: did not find expected key`},
		{"invalid YAML mapping value", "listen: a\ndatabase: b: c\n", `config.yaml: line 2: mapping values are not allowed in this context`},
		{"two documents", "listen: a\n---\nlisten: b\n", `config.yaml: line 2: only one YAML document is allowed`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("config.yaml", []byte(tc.data))
			if err == nil {
				t.Fatalf("Parse succeeded, want error %q", tc.want)
			}
			if diff := cmp.Diff(tc.want, err.Error()); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadReadsFileAndNamesItInErrors(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(good, []byte("listen: :9000\ninventory_monitor:\n  probe_recent_days: 2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Load(good)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if f.Listen != ":9000" || f.Settings.ProbeRecentDays != 2 {
		t.Errorf("Load = listen %q, probe_recent_days %d; want \":9000\", 2", f.Listen, f.Settings.ProbeRecentDays)
	}

	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("nope: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Load(bad)
	if want := bad + `: unknown key "nope"`; err == nil || err.Error() != want {
		t.Errorf("Load(bad) error = %v, want %q", err, want)
	}

	missing := filepath.Join(dir, "missing.yaml")
	_, err = Load(missing)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("Load(missing) error = %v, want fs.ErrNotExist naming the file", err)
	}
}
