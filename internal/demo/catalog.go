package demo

import (
	"fmt"
	"math/rand/v2"
)

// The static vocabulary of the demo data: asset types, a parts catalogue
// per vendor, serial-number formats and names. Everything random is drawn
// from a seeded generator, so the catalogue order matters for
// reproducibility: append, do not reorder.

type assetType struct {
	slug, name, description, color string
	category                       string // probe category (ENTITY-MIB class style)
	chassis                        bool   // a whole device rather than a part of one
}

var assetTypes = []assetType{
	{"switch", "Switch", "Ethernet switch chassis", "2196f3", "chassis", true},
	{"router", "Router", "Routing platform chassis", "3f51b5", "chassis", true},
	{"line-card", "Line Card", "Interface module for modular chassis", "9c27b0", "module", false},
	{"supervisor", "Supervisor Engine", "Control-plane / routing engine module", "673ab7", "module", false},
	{"optic-sfp-plus", "Optic SFP+", "10G pluggable transceiver", "009688", "transceiver", false},
	{"optic-sfp28", "Optic SFP28", "25G pluggable transceiver", "4caf50", "transceiver", false},
	{"optic-qsfp28", "Optic QSFP28", "100G pluggable transceiver", "8bc34a", "transceiver", false},
	{"optic-qsfp-dd", "Optic QSFP-DD", "400G pluggable transceiver", "cddc39", "transceiver", false},
	{"dac-cable", "DAC Cable", "Direct-attach copper cable", "795548", "transceiver", false},
	{"psu", "PSU", "Power supply unit", "f44336", "powerSupply", false},
	{"fan-tray", "Fan Tray", "Fan module", "ff9800", "fan", false},
	{"server", "Server", "Rack server", "607d8b", "chassis", true},
	{"firewall", "Firewall", "Security appliance", "e91e63", "chassis", true},
	{"access-point", "Wireless Access Point", "", "00bcd4", "chassis", true},
	{"console-server", "Console Server", "Out-of-band console server", "9e9e9e", "chassis", true},
}

// typeIndex returns the index of an asset type slug in assetTypes.
func typeIndex(slug string) int {
	for i, t := range assetTypes {
		if t.slug == slug {
			return i
		}
	}
	panic("demo: unknown asset type " + slug)
}

type part struct {
	vendor   int // index into vendors
	typ      int // index into assetTypes
	number   string
	model    string  // human model name
	priceEUR float64 // list price, EUR
}

type vendor struct {
	name      string
	weight    int                       // relative share of the assets
	serial    func(r *rand.Rand) string // realistic serial format
	rmaPrefix string
	// port names a transceiver slot on this vendor's devices.
	port func(r *rand.Rand) string
	care string // vendor support programme (service_category_vendor)
}

const (
	alnum   = "ABCDEFGHIJKLMNPQRSTUVWXYZ0123456789" // no O: vendors avoid O/0 confusion
	letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	digits  = "0123456789"
)

func pick(r *rand.Rand, chars string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[r.IntN(len(chars))]
	}
	return string(b)
}

// yearWeek is the YYWW manufacturing date many vendors embed in serials.
func yearWeek(r *rand.Rand) string { return fmt.Sprintf("%02d%02d", 17+r.IntN(9), 1+r.IntN(52)) }

var vendors = []vendor{
	{name: "Cisco", weight: 34, rmaPrefix: "8",
		// e.g. FOC2215X1AB: plant code, year, week, 4 characters.
		serial: func(r *rand.Rand) string {
			plants := []string{"FOC", "FDO", "JAE", "SAL", "FCH", "FLM", "AVC", "FNS"}
			return plants[r.IntN(len(plants))] + yearWeek(r) + pick(r, alnum, 4)
		},
		port: func(r *rand.Rand) string { return fmt.Sprintf("Ethernet1/%d", 1+r.IntN(54)) },
		care: "Cisco Smart Net Total Care 8x5xNBD"},
	{name: "Juniper", weight: 20, rmaPrefix: "R",
		// e.g. WS3718AF0123
		serial: func(r *rand.Rand) string {
			return pick(r, letters, 2) + yearWeek(r) + pick(r, letters, 2) + pick(r, digits, 4)
		},
		port: func(r *rand.Rand) string { return fmt.Sprintf("et-0/0/%d", r.IntN(48)) },
		care: "Juniper Care Core Support"},
	{name: "Arista", weight: 16, rmaPrefix: "AR",
		// e.g. JPE19180123
		serial: func(r *rand.Rand) string {
			pre := []string{"JPE", "SSJ", "JAS", "HBG"}
			return pre[r.IntN(len(pre))] + pick(r, digits, 8)
		},
		port: func(r *rand.Rand) string { return fmt.Sprintf("Ethernet%d/1", 1+r.IntN(48)) },
		care: "Arista A-Care Software & Hardware NBD"},
	{name: "Dell", weight: 12, rmaPrefix: "DL",
		// service tag, e.g. 4XR7KQ2
		serial: func(r *rand.Rand) string { return pick(r, "BCDFGHJKLMNPQRSTVWXYZ0123456789", 7) },
		port:   func(r *rand.Rand) string { return fmt.Sprintf("ethernet1/1/%d", 1+r.IntN(48)) },
		care:   "Dell ProSupport Plus 4h"},
	{name: "HPE", weight: 10, rmaPrefix: "H",
		// e.g. CN12KD30XY, SG9AKN1234
		serial: func(r *rand.Rand) string {
			pre := []string{"CN", "SG", "CZ", "TW"}
			return pre[r.IntN(len(pre))] + pick(r, digits, 2) + pick(r, alnum, 6)
		},
		port: func(r *rand.Rand) string { return fmt.Sprintf("1/1/%d", 1+r.IntN(48)) },
		care: "HPE Foundation Care NBD"},
	{name: "Nokia", weight: 8, rmaPrefix: "NK",
		// e.g. NS1635F0123
		serial: func(r *rand.Rand) string { return "NS" + yearWeek(r) + pick(r, letters, 1) + pick(r, digits, 4) },
		port:   func(r *rand.Rand) string { return fmt.Sprintf("1/1/c%d/1", 1+r.IntN(36)) },
		care:   "Nokia Care Advanced"},
}

func vendorIndex(name string) int {
	for i, v := range vendors {
		if v.name == name {
			return i
		}
	}
	panic("demo: unknown vendor " + name)
}

// parts is the catalogue: vendor, asset type slug, part number, model, list price (EUR).
var parts = func() []part {
	rows := []struct {
		vendor, typ, number, model string
		price                      float64
	}{
		{"Cisco", "switch", "N9K-C93180YC-FX", "Nexus 93180YC-FX", 14500},
		{"Cisco", "switch", "N9K-C9336C-FX2", "Nexus 9336C-FX2", 21000},
		{"Cisco", "switch", "C9300-48P-E", "Catalyst 9300 48-port PoE+", 6800},
		{"Cisco", "switch", "C9500-32C", "Catalyst 9500 32x100G", 29000},
		{"Cisco", "router", "ASR1001-HX", "ASR 1001-HX", 24000},
		{"Cisco", "router", "NCS-55A1-24H", "NCS 55A1 24x100G", 38000},
		{"Cisco", "router", "ASR-9901", "ASR 9901", 45000},
		{"Cisco", "line-card", "A9K-8X100GE-L-SE", "ASR 9000 8x100GE line card", 52000},
		{"Cisco", "line-card", "N9K-X9736C-FX", "Nexus 9500 36x100G line card", 31000},
		{"Cisco", "supervisor", "A9K-RSP880-SE", "ASR 9000 RSP880", 27000},
		{"Cisco", "supervisor", "N9K-SUP-A+", "Nexus 9500 Supervisor A+", 9800},
		{"Cisco", "optic-sfp-plus", "SFP-10G-SR", "10GBASE-SR SFP+", 390},
		{"Cisco", "optic-sfp-plus", "SFP-10G-LR", "10GBASE-LR SFP+", 890},
		{"Cisco", "optic-sfp28", "SFP-25G-SR-S", "25GBASE-SR SFP28", 520},
		{"Cisco", "optic-qsfp28", "QSFP-100G-SR4-S", "100GBASE-SR4 QSFP28", 1150},
		{"Cisco", "optic-qsfp28", "QSFP-100G-LR4-S", "100GBASE-LR4 QSFP28", 3900},
		{"Cisco", "optic-qsfp-dd", "QDD-400G-FR4-S", "400G QSFP-DD FR4", 7200},
		{"Cisco", "dac-cable", "SFP-H10GB-CU3M", "10GBASE-CU SFP+ 3 m", 95},
		{"Cisco", "psu", "NXA-PAC-650W-PE", "Nexus 650W AC PSU port-side exhaust", 640},
		{"Cisco", "psu", "PWR-C1-715WAC-P", "Catalyst 715W AC PSU", 790},
		{"Cisco", "fan-tray", "NXA-FAN-30CFM-F", "Nexus fan module port-side intake", 210},
		{"Cisco", "firewall", "FPR2130-NGFW-K9", "Firepower 2130 NGFW", 19000},
		{"Cisco", "access-point", "C9130AXI-E", "Catalyst 9130AX access point", 1250},
		{"Cisco", "server", "UCSC-C220-M6S", "UCS C220 M6", 9500},
		{"Juniper", "switch", "QFX5120-48Y-AFI", "QFX5120-48Y", 16500},
		{"Juniper", "switch", "EX4650-48Y-AFI", "EX4650-48Y", 13200},
		{"Juniper", "switch", "EX4400-48P", "EX4400 48-port PoE", 7400},
		{"Juniper", "router", "MX204", "MX204 universal routing platform", 36000},
		{"Juniper", "router", "MX10003", "MX10003", 98000},
		{"Juniper", "router", "ACX7100-48L", "ACX7100-48L", 41000},
		{"Juniper", "line-card", "MPC7E-MRATE", "MX MPC7E multi-rate", 61000},
		{"Juniper", "line-card", "MIC-MRATE", "MX multi-rate MIC", 22000},
		{"Juniper", "supervisor", "RE-S-X6-64G", "MX routing engine X6 64G", 18500},
		{"Juniper", "optic-sfp-plus", "QFX-SFP-10GE-SR", "10GBASE-SR SFP+", 350},
		{"Juniper", "optic-sfp28", "JNP-SFP-25G-SR", "25GBASE-SR SFP28", 480},
		{"Juniper", "optic-qsfp28", "QSFP-100GBASE-LR4", "100GBASE-LR4 QSFP28", 3600},
		{"Juniper", "optic-qsfp28", "JNP-QSFP-100G-CWDM", "100G CWDM4 QSFP28", 1900},
		{"Juniper", "optic-qsfp-dd", "QDD-400G-FR4", "400G QSFP-DD FR4", 6900},
		{"Juniper", "dac-cable", "QFX-SFP-DAC-3M", "10G DAC 3 m", 90},
		{"Juniper", "psu", "JPSU-650W-AC-AFO", "650W AC PSU airflow out", 590},
		{"Juniper", "psu", "JPSU-1600W-AC", "1600W AC PSU", 1400},
		{"Juniper", "fan-tray", "QFX5110-FANAFO", "QFX fan module airflow out", 240},
		{"Juniper", "firewall", "SRX1500-SYS-JB-AC", "SRX1500 services gateway", 17500},
		{"Juniper", "access-point", "AP45-WW", "Mist AP45", 1400},
		{"Arista", "switch", "DCS-7050SX3-48YC8", "7050SX3-48YC8", 15800},
		{"Arista", "switch", "DCS-7280CR3-32P4", "7280CR3-32P4", 42000},
		{"Arista", "switch", "DCS-7020TR-48", "7020TR-48", 5400},
		{"Arista", "router", "DCS-7280CR3K-32D4", "7280CR3K-32D4", 61000},
		{"Arista", "line-card", "7800R3-36P-LC", "7800R3 36x100G line card", 48000},
		{"Arista", "supervisor", "DCS-7800-SUP1A", "7800 supervisor", 16000},
		{"Arista", "optic-sfp-plus", "SFP-10G-SR", "10GBASE-SR SFP+", 330},
		{"Arista", "optic-sfp28", "SFP-25G-SR", "25GBASE-SR SFP28", 450},
		{"Arista", "optic-qsfp28", "QSFP-100G-SR4", "100GBASE-SR4 QSFP28", 990},
		{"Arista", "optic-qsfp-dd", "QDD-400G-DR4", "400GBASE-DR4 QSFP-DD", 6400},
		{"Arista", "dac-cable", "CAB-S-S-25G-3M", "25G DAC 3 m", 120},
		{"Arista", "psu", "PWR-500AC-F", "500W AC PSU front-to-rear", 560},
		{"Arista", "psu", "PWR-1900AC", "1900W AC PSU", 1350},
		{"Arista", "fan-tray", "FAN-7000-F", "7000 fan front-to-rear", 190},
		{"Arista", "access-point", "C-230", "C-230 access point", 990},
		{"Dell", "switch", "S5248F-ON", "PowerSwitch S5248F-ON", 11800},
		{"Dell", "switch", "S5232F-ON", "PowerSwitch S5232F-ON", 19500},
		{"Dell", "switch", "N3248TE-ON", "PowerSwitch N3248TE-ON", 4900},
		{"Dell", "server", "PowerEdge R650", "PowerEdge R650", 8900},
		{"Dell", "server", "PowerEdge R750", "PowerEdge R750", 11200},
		{"Dell", "server", "PowerEdge R6525", "PowerEdge R6525", 10400},
		{"Dell", "optic-sfp-plus", "407-BBOU", "SFP+ 10GbE SR 850nm", 180},
		{"Dell", "optic-sfp28", "407-BCBE", "SFP28 25GbE SR", 290},
		{"Dell", "dac-cable", "470-AAVH", "10GbE DAC 1 m", 60},
		{"Dell", "psu", "450-AKPR", "800W hot-plug PSU", 420},
		{"Dell", "fan-tray", "384-BBQJ", "Standard fan", 110},
		{"HPE", "switch", "JL635A", "Aruba 8325-48Y8C", 24500},
		{"HPE", "switch", "R8N87A", "Aruba CX 6300M 48G", 7900},
		{"HPE", "switch", "JL659A", "Aruba 6300M 48SR5", 9900},
		{"HPE", "server", "P28948-B21", "ProLiant DL360 Gen10 Plus", 8700},
		{"HPE", "optic-sfp-plus", "J9150D", "Aruba 10G SFP+ SR", 310},
		{"HPE", "optic-sfp28", "JL484A", "Aruba 25G SFP28 SR", 430},
		{"HPE", "optic-qsfp28", "JL309A", "Aruba 100G QSFP28 SR4", 1200},
		{"HPE", "psu", "JL085A", "Aruba X372 54VDC 1050W PSU", 980},
		{"HPE", "psu", "865414-B21", "800W Flex Slot PSU", 390},
		{"HPE", "fan-tray", "JL630A", "Aruba 8325 fan tray", 260},
		{"HPE", "access-point", "R4H02A", "Aruba AP-535", 1600},
		{"HPE", "console-server", "JL748A", "Aruba console server", 3100},
		{"Nokia", "router", "3HE11240AA", "7750 SR-1", 89000},
		{"Nokia", "router", "3HE13184AA", "7250 IXR-e", 23000},
		{"Nokia", "line-card", "3HE12023AA", "IOM4-e", 42000},
		{"Nokia", "line-card", "3HE10735AA", "MDA-e 6x100G", 36000},
		{"Nokia", "supervisor", "3HE12014AA", "CPM-e", 21000},
		{"Nokia", "optic-sfp-plus", "3HE05894AA", "SFP+ 10GE SR", 410},
		{"Nokia", "optic-qsfp28", "3HE10550AA", "QSFP28 100GBASE-LR4", 4100},
		{"Nokia", "psu", "3HE11270AA", "AC power module", 1150},
		{"Nokia", "fan-tray", "3HE11273AA", "Fan tray", 720},
	}
	out := make([]part, len(rows))
	for i, r := range rows {
		out[i] = part{vendor: vendorIndex(r.vendor), typ: typeIndex(r.typ), number: r.number, model: r.model, priceEUR: r.price}
	}
	return out
}()

// partsByVendor indexes parts; chassisParts lists the parts that are devices.
var partsByVendor = func() [][]int {
	out := make([][]int, len(vendors))
	for i, p := range parts {
		out[p.vendor] = append(out[p.vendor], i)
	}
	return out
}()

// typeWeight is how common each asset type is among tracked assets: many
// optics and PSUs per chassis.
var typeWeight = map[string]int{
	"switch": 14, "router": 5, "line-card": 6, "supervisor": 3, "optic-sfp-plus": 18, "optic-sfp28": 10,
	"optic-qsfp28": 12, "optic-qsfp-dd": 3, "dac-cable": 4, "psu": 12, "fan-tray": 6, "server": 8,
	"firewall": 2, "access-point": 5, "console-server": 1,
}

var tags = []struct{ name, slug, color, description string }{
	{"Critical", "critical", "f44336", "Outage of this item affects production services"},
	{"Spare", "spare", "9e9e9e", "Cold spare"},
	{"Lab", "lab", "9c27b0", "Used in the test lab"},
	{"Backbone", "backbone", "2196f3", "Part of the national backbone"},
	{"Data Centre", "data-centre", "4caf50", ""},
	{"EoL Announced", "eol-announced", "ff9800", "Vendor has announced end of life"},
	{"Audit 2025", "audit-2025", "795548", "Checked in the 2025 physical inventory"},
	{"Loaner", "loaner", "00bcd4", "Lent to a partner organisation"},
}

var contractorNames = []struct{ name, company string }{
	{"ALEF NULA", "ALEF NULA, a.s."},
	{"Arrow ECS", "Arrow ECS, s.r.o."},
	{"Dimension Data", "NTT Czech Republic s.r.o."},
	{"AutoCont", "AutoCont a.s."},
	{"Axians", "Axians Czech Republic s.r.o."},
	{"Soitron", "Soitron, s.r.o."},
	{"Ingram Micro", "Ingram Micro s.r.o."},
	{"TD SYNNEX", "TD SYNNEX Czech s.r.o."},
	{"ANECT", "ANECT a.s."},
	{"Comguard", "Comguard a.s."},
	{"DataSys", "DataSys s.r.o."},
	{"Kyndryl", "Kyndryl Česká republika, spol. s r.o."},
	{"Computacenter", "Computacenter AG & Co. oHG"},
	{"Bechtle", "Bechtle direct s.r.o."},
	{"Cisco Systems", "Cisco Systems (Czech Republic) s.r.o."},
	{"Juniper Networks", "Juniper Networks Czech Republic s.r.o."},
	{"Arista Networks", "Arista Networks Ireland Ltd."},
	{"Dell Technologies", "Dell Computer, spol. s r.o."},
	{"Hewlett Packard Enterprise", "Hewlett-Packard s.r.o."},
	{"Nokia", "Nokia Solutions and Networks Czech Republic s.r.o."},
	{"KVADOS", "KVADOS, a.s."},
	{"Konica Minolta IT Solutions", "Konica Minolta IT Solutions Czech a.s."},
	{"Insight", "Insight Technology Solutions s.r.o."},
	{"SHI International", "SHI International Corp."},
	{"Flexera Networks", ""},
}

var streets = []string{"Jankovcova", "Na Pankráci", "Vyskočilova", "Technická", "Purkyňova", "Holandská", "Pernerova", "Sokolovská", "Zelený pruh", "Olbrachtova"}
var cities = []struct{ zip, city string }{
	{"170 00", "Praha 7"}, {"140 00", "Praha 4"}, {"612 00", "Brno"}, {"708 00", "Ostrava"}, {"301 00", "Plzeň"},
	{"160 00", "Praha 6"}, {"186 00", "Praha 8"}, {"779 00", "Olomouc"}, {"60200", "Brno"}, {"D-80807", "München"},
}

var projects = []string{"BACKBONE-2024", "DC-REFRESH", "EDU-ACCESS", "LAB", "CDN", "5G-PILOT", "EOSC-CZ", "PERUN", "OPTICAL-CORE", "CAMPUS-WIFI"}

var serviceCategories = []string{"Hardware support", "Software subscription", "Maintenance", "NBD replacement", "24x7x4 on-site", "Extended warranty", "Installation"}

var rmaIssues = []string{
	"Port flapping with CRC errors on several interfaces",
	"PSU failed, no output, amber LED",
	"Fan failure alarm after power cycle",
	"Optic RX power below threshold, link down",
	"Line card stuck in boot loop",
	"Dead on arrival: does not power on",
	"Memory parity errors reported by the supervisor",
	"Transceiver not recognised (unsupported EEPROM)",
	"Chassis overheating alarm with normal ambient temperature",
	"Intermittent packet loss traced to the ASIC",
}

var rmaResponses = []string{"", "Replacement approved, advance replacement shipped.", "Failure confirmed by TAC.", "No fault found; unit returned.", "Awaiting diagnostics logs.", "Credit issued."}

var firstNames = []string{"Jan", "Petr", "Jana", "Lucie", "Tomáš", "Martin", "Eva", "Pavel", "Veronika", "Jiří", "Kateřina", "Ondřej", "Markéta", "David", "Hana"}
var lastNames = []string{"Novák", "Svoboda", "Dvořák", "Černý", "Procházka", "Kučera", "Veselý", "Horák", "Němec", "Marek", "Pokorný", "Král", "Růžička", "Beneš", "Fiala"}

var assetDescriptions = []string{
	"Spare kept in the stock room",
	"Bought in the data-centre refresh",
	"Returned from RMA",
	"Moved from the old site",
	"Reserved for the next upgrade window",
	"Loaned to a partner institution",
	"Awaiting disposal",
}

// site codes of the demo NetBox: city code + number.
var siteCities = []struct{ code, name string }{
	{"PRG", "Praha"}, {"BRN", "Brno"}, {"OVA", "Ostrava"}, {"PLZ", "Plzeň"}, {"CBU", "České Budějovice"},
	{"LIB", "Liberec"}, {"HKR", "Hradec Králové"}, {"OLO", "Olomouc"}, {"ZLN", "Zlín"}, {"PCE", "Pardubice"},
	{"VIE", "Vienna"}, {"BTS", "Bratislava"}, {"FRA", "Frankfurt"}, {"AMS", "Amsterdam"},
}

var deviceRoles = []string{"core", "border", "spine", "leaf", "tor", "agg", "pe", "oob", "fw", "srv"}

var locationNames = []string{"Hall A", "Hall B", "Meet-me room", "Stock room"}
