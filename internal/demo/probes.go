package demo

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

// Probes come from "subjects": one physical item (a serial) seen by the
// discovery scripts several times between its first and last sighting.
// About 70 % of the probes are of asset or RMA serials, the rest of items
// nobody recorded as an asset. Some subjects were seen in the last days
// (recent), others only weeks or months ago (stale).

// knownShare is the share of probes whose serial belongs to an asset or RMA.
const knownShare = 0.7

// Recency of a subject's last sighting, in seconds before now.
const (
	day         = int64(24 * 60 * 60)
	recentUntil = 6 * day // comfortably inside the default probe_recent_days = 7
	staleFrom   = 9 * day
)

type subject struct {
	serial   string
	part     int // index into parts, -1 unknown
	device   int // index into topo.devices, -1: not in NetBox
	name     string
	category string
	firstAgo int64 // seconds before now of the first and last probe
	lastAgo  int64
	count    int
	known    bool
	data     json.RawMessage
	// descriptors for devices NetBox does not know
	deviceDescriptor, siteDescriptor string
}

type probeEntry struct {
	ago  int64
	subj int32
}

// probePlan is the probe stream of one Generate run (also reused by the
// bulk-insert benchmark to produce more probes of the same kind).
type probePlan struct {
	g        *gen
	subjects []subject
	entries  []probeEntry
}

func (g *gen) probes() error {
	start := time.Now()
	plan := g.planProbes("probes", g.opts.Probes)
	prog := g.progress("probes", len(plan.entries))
	done := 0
	for first := 0; first < len(plan.entries); first += probeBatch {
		last := min(first+probeBatch, len(plan.entries))
		patches := plan.patches(plan.entries[first:last])
		if _, err := g.st.Create(g.ctx, g.entity(schema.ProbeName), patches, g.meta); err != nil {
			return fmt.Errorf("demo: create probes: %w", err)
		}
		done = last
		prog.update(done)
	}
	for _, e := range plan.entries {
		if plan.subjects[e.subj].known {
			g.sum.ProbesMatched++
		} else {
			g.sum.ProbesUnknown++
		}
	}
	g.record(schema.ProbeName, "probes", done, time.Since(start))
	return nil
}

// planProbes draws the subjects and the time-ordered probe stream of
// total probes from the random stream named phase.
func (g *gen) planProbes(phase string, total int) *probePlan {
	r := g.rand(phase)
	pl := &probePlan{g: g}
	if total == 0 {
		return pl
	}
	window := int64(probeWindow / time.Second)
	lastSeen := func(recentShare float64) int64 {
		if chance(r, recentShare) {
			return r.Int64N(recentUntil)
		}
		return staleFrom + r.Int64N(window-staleFrom-day)
	}
	firstSeen := func(last int64) int64 { return last + r.Int64N(window-last) }

	// Known subjects: the serials of probed assets and their RMA serials.
	var known []subject
	seen := map[string]bool{}
	add := func(list *[]subject, s subject) {
		if seen[s.serial] {
			return
		}
		seen[s.serial] = true
		*list = append(*list, s)
	}
	for _, a := range g.assetList {
		if !a.probed {
			continue
		}
		base := g.subjectFor(r, a.part, a.device, a.site)
		base.known = true
		if rma := a.rma; rma != nil && rma.replacement != "" && rma.replacedAgo >= 0 {
			replaced := int64(rma.replacedAgo)*day - r.Int64N(day/2)
			if replaced < window-day {
				old := base
				old.serial = rma.original
				old.lastAgo = max(replaced, 0) + r.Int64N(day)
				old.firstAgo = firstSeen(old.lastAgo)
				add(&known, old)
			}
			repl := base
			repl.serial = rma.replacement
			repl.lastAgo = lastSeen(0.8)
			repl.firstAgo = max(repl.lastAgo, min(max(replaced, 0), window-1))
			add(&known, repl)
			continue
		}
		base.serial = a.serial
		base.lastAgo = lastSeen(0.65)
		base.firstAgo = firstSeen(base.lastAgo)
		add(&known, base)
	}
	knownTarget := int(float64(total) * knownShare)
	if len(known) == 0 {
		knownTarget = 0
	}
	unknownTarget := total - knownTarget
	// At least ~3 probes per known serial: with few probes, fewer serials.
	if nKnown := max(1, knownTarget/3); knownTarget > 0 && nKnown < len(known) {
		r.Shuffle(len(known), func(i, j int) { known[i], known[j] = known[j], known[i] })
		known = known[:nKnown]
	}
	var unknown []subject
	if unknownTarget > 0 {
		nUnknown := max(1, unknownTarget/8)
		vw := vendorWeights()
		for range nUnknown {
			v := weighted(r, vw)
			pi := -1
			if chance(r, 0.85) {
				ps := partsByVendor[v]
				pi = ps[r.IntN(len(ps))]
			}
			dev := -1
			if chance(r, 0.85) {
				dev = g.topo.deviceFor(r, v)
			}
			s := g.subjectFor(r, pi, dev, -1)
			s.serial = g.newSerial(r, v) // never an asset or RMA serial
			if dev < 0 {
				s.device = -1 // a device NetBox does not know
				si := r.IntN(len(g.topo.sites))
				s.deviceDescriptor = fmt.Sprintf("unmanaged-%s-%03d", strings.ToLower(g.topo.sites[si].code), r.IntN(200))
				s.siteDescriptor = g.topo.sites[si].code
			}
			s.lastAgo = lastSeen(0.5)
			s.firstAgo = firstSeen(s.lastAgo)
			unknown = append(unknown, s)
		}
	}
	distribute(r, known, knownTarget)
	distribute(r, unknown, unknownTarget)
	pl.subjects = append(known, unknown...)

	// The stream: each subject's first and last sighting plus sightings in
	// between, ordered by time like a scanner would write them.
	pl.entries = make([]probeEntry, 0, total)
	for i := range pl.subjects {
		s := &pl.subjects[i]
		for k := range s.count {
			ago := s.lastAgo
			switch {
			case k == 0 && s.count > 1:
				ago = s.firstAgo
			case k > 1:
				ago = s.lastAgo + r.Int64N(s.firstAgo-s.lastAgo+1)
			}
			pl.entries = append(pl.entries, probeEntry{ago: ago, subj: int32(i)})
		}
	}
	slices.SortFunc(pl.entries, func(a, b probeEntry) int {
		if a.ago != b.ago {
			if a.ago > b.ago {
				return -1
			}
			return 1
		}
		return int(a.subj) - int(b.subj)
	})
	return pl
}

// distribute gives every subject one probe and spreads the rest at random.
func distribute(r *rand.Rand, subjects []subject, total int) {
	if len(subjects) == 0 {
		return
	}
	for i := range subjects {
		subjects[i].count = 0
	}
	for i := range min(total, len(subjects)) {
		subjects[i].count = 1
	}
	for range total - min(total, len(subjects)) {
		subjects[r.IntN(len(subjects))].count++
	}
}

type discovered struct {
	Source       string `json:"source"`
	Class        string `json:"entPhysicalClass"`
	Model        string `json:"entPhysicalModelName,omitempty"`
	Manufacturer string `json:"entPhysicalMfgName,omitempty"`
	Description  string `json:"entPhysicalDescr,omitempty"`
	HardwareRev  string `json:"entPhysicalHardwareRev,omitempty"`
	FirmwareRev  string `json:"entPhysicalFirmwareRev,omitempty"`
	Index        int    `json:"entPhysicalIndex"`
}

// subjectFor draws what discovery reports about an item: where it sits,
// its slot name, category and raw data. device < 0 picks a device at the
// asset's site (or anywhere).
func (g *gen) subjectFor(r *rand.Rand, pi, dev, site int) subject {
	s := subject{part: pi, device: dev}
	if dev < 0 && pi >= 0 {
		if site >= 0 && len(g.topo.sites[site].devices) > 0 {
			ds := g.topo.sites[site].devices
			s.device = ds[r.IntN(len(ds))]
		} else {
			s.device = g.topo.deviceFor(r, parts[pi].vendor)
		}
	}
	d := discovered{Source: "snmp", Class: "other", Index: between(r, 1, 5000)}
	s.category, s.name = "other", fmt.Sprintf("Module %d", between(r, 1, 16))
	if pi >= 0 {
		pt := parts[pi]
		at := assetTypes[pt.typ]
		v := vendors[pt.vendor]
		s.category = at.category
		switch {
		case at.chassis:
			s.name = "Chassis"
		case at.slug == "line-card":
			s.name = fmt.Sprintf("Slot %d", between(r, 1, 8))
		case at.slug == "supervisor":
			s.name = fmt.Sprintf("Supervisor %d", between(r, 1, 2))
		case at.category == "transceiver":
			s.name = v.port(r)
		case at.slug == "psu":
			s.name = fmt.Sprintf("Power Supply %d", between(r, 1, 2))
		case at.slug == "fan-tray":
			s.name = fmt.Sprintf("Fan Tray %d", between(r, 1, 6))
		}
		d.Class, d.Model, d.Manufacturer, d.Description = at.category, pt.number, v.name, pt.model
		d.HardwareRev = fmt.Sprintf("V%02d", between(r, 1, 6))
		if at.chassis || at.category == "module" {
			d.FirmwareRev = fmt.Sprintf("%d.%d.%d", between(r, 7, 24), between(r, 1, 12), between(r, 1, 9))
		}
	} else if chance(r, 0.5) {
		d.Source = "lldp"
	}
	s.data, _ = json.Marshal(d)
	return s
}

// patches turns stream entries into probe patches.
func (pl *probePlan) patches(entries []probeEntry) []store.Patch {
	g := pl.g
	out := make([]store.Patch, len(entries))
	for i, e := range entries {
		s := &pl.subjects[e.subj]
		p := store.Patch{
			"time":            g.now.Add(-time.Duration(e.ago) * time.Second),
			"creation_time":   g.now.Add(-time.Duration(s.firstAgo) * time.Second),
			"name":            s.name,
			"serial":          s.serial,
			"category":        s.category,
			"discovered_data": s.data,
		}
		if s.part >= 0 {
			p["part"] = parts[s.part].number
		}
		if s.device >= 0 {
			d := g.topo.devices[s.device]
			site := g.topo.sites[d.site]
			p["device"], p["site"], p["location"] = d.id, site.id, g.topo.locations[d.location].id
			p["device_descriptor"] = d.name
			p["site_descriptor"] = site.code
			p["location_descriptor"] = site.code + " " + g.topo.locations[d.location].name
		} else {
			p["device_descriptor"], p["site_descriptor"] = s.deviceDescriptor, s.siteDescriptor
		}
		out[i] = p
	}
	return out
}
