package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/inventory"
	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

// --- tags and asset types ---------------------------------------------------

func (g *gen) tags() error {
	start := time.Now()
	existing, err := g.st.Tags(g.ctx)
	if err != nil {
		return fmt.Errorf("demo: list tags: %w", err)
	}
	bySlug := map[string]int64{}
	for _, t := range existing {
		bySlug[t.Slug] = t.ID
	}
	created := 0
	for _, t := range tags {
		id, ok := bySlug[t.slug]
		if !ok {
			nt, err := g.st.CreateTag(g.ctx, schema.Tag{Name: t.name, Slug: t.slug, Color: t.color, Description: t.description})
			if err != nil {
				return fmt.Errorf("demo: create tag %s: %w", t.name, err)
			}
			id = nt.ID
			created++
		}
		g.tagIDs = append(g.tagIDs, id)
	}
	g.record("tag", "tags", created, time.Since(start))
	return nil
}

func (g *gen) assetTypes() error {
	start := time.Now()
	bySlug := map[string]int64{}
	if g.runTag != "" {
		if err := g.eachRecord(schema.AssetTypeName, func(r *schema.Record) { bySlug[r.Str("slug")] = r.ID }); err != nil {
			return fmt.Errorf("demo: list asset types: %w", err)
		}
	}
	var patches []store.Patch
	var missing []int
	for i, t := range assetTypes {
		if _, ok := bySlug[t.slug]; ok {
			continue
		}
		patches = append(patches, store.Patch{"name": t.name, "slug": t.slug, "description": t.description, "color": t.color})
		missing = append(missing, i)
	}
	ids, err := g.create(schema.AssetTypeName, patches, otherBatch, nil)
	if err != nil {
		return err
	}
	for k, i := range missing {
		bySlug[assetTypes[i].slug] = ids[k]
	}
	for _, t := range assetTypes {
		g.typeIDs = append(g.typeIDs, bySlug[t.slug])
	}
	g.record(schema.AssetTypeName, "asset types", len(ids), time.Since(start))
	return nil
}

// --- contractors, contracts, invoices ----------------------------------------

var contractorNotes = []string{"Preferred supplier", "Framework agreement partner", "Vendor direct", "Local integrator", ""}

func (g *gen) contractors() error {
	start := time.Now()
	r := g.rand("contractors")
	var patches []store.Patch
	for i, c := range contractorNames {
		p := store.Patch{"name": c.name}
		if c.company != "" && chance(r, 0.85) {
			p["company"] = c.company
		}
		if chance(r, 0.8) {
			city := cities[r.IntN(len(cities))]
			p["address"] = fmt.Sprintf("%s %d/%d, %s %s", streets[r.IntN(len(streets))], between(r, 100, 2999), between(r, 1, 40), city.zip, city.city)
		}
		// Some contractors are NetBox tenants (one contractor per tenant).
		if chance(r, 0.4) {
			p["tenant"] = g.tenantBase + int64(i+1)
		}
		if chance(r, 0.3) {
			p["description"] = contractorNotes[r.IntN(len(contractorNotes))]
		}
		patches = append(patches, p)
	}
	ids, err := g.create(schema.ContractorName, patches, otherBatch, nil)
	if err != nil {
		return err
	}
	g.contractorIDs = ids
	g.record(schema.ContractorName, "contractors", len(ids), time.Since(start))
	return nil
}

var contractTypes = []string{"supply", "order", "service", "other"}

var supplyThings = []string{"data-centre switches", "backbone routers", "optical transceivers", "campus access switches", "rack servers", "wireless access points", "power supplies and spares", "firewalls"}
var otherThings = []string{"Consulting - network audit", "Training - routing and switching", "Colocation", "Fibre lease", "Installation works", "Cabling"}

// currencies of the demo data, weighted, with their rate to EUR.
var currencies = []struct {
	code   string
	weight int
	rate   float64
}{{"EUR", 45, 1}, {"CZK", 35, 25.1}, {"USD", 20, 1.08}}

func currencyWeights() []int {
	w := make([]int, len(currencies))
	for i, c := range currencies {
		w[i] = c.weight
	}
	return w
}

// money converts a EUR amount to a random currency: decimal and code.
func money(r *rand.Rand, eur float64) (inventory.Decimal, string) {
	c := currencies[weighted(r, currencyWeights())]
	return priceIn(eur, c.rate), c.code
}

func priceIn(eur, rate float64) inventory.Decimal {
	return inventory.Decimal(int64(eur * rate * 100))
}

func rateOf(code string) float64 {
	for _, c := range currencies {
		if c.code == code {
			return c.rate
		}
	}
	return 1
}

func (g *gen) contracts() error {
	start := time.Now()
	r := g.rand("contracts")
	const topLevel = 60
	type plan struct {
		info  contractInfo
		patch store.Patch
	}
	var tops []plan
	counters := map[string]int{}
	for i := range topLevel {
		typ := contractTypes[weighted(r, []int{25, 35, 30, 10})]
		if i < len(contractTypes) {
			typ = contractTypes[i] // every type occurs
		}
		signed := g.day(-between(r, 20, 1800))
		year := signed.Year()
		counters[typ]++
		var name, internal string
		switch typ {
		case "supply":
			name = fmt.Sprintf("Supply of %s %d", supplyThings[r.IntN(len(supplyThings))], year)
			internal = fmt.Sprintf("VZ-%d-%03d", year, counters[typ])
		case "order":
			name = fmt.Sprintf("Order %d/%04d", year, between(r, 1, 2500))
			internal = fmt.Sprintf("OBJ-%d-%04d", year, counters[typ])
		case "service":
			name = fmt.Sprintf("%s support %d", vendors[weighted(r, vendorWeights())].name, year)
			internal = fmt.Sprintf("SLA-%d-%03d", year, counters[typ])
		default:
			name = fmt.Sprintf("%s %d", otherThings[r.IntN(len(otherThings))], year)
			internal = fmt.Sprintf("DOH-%d-%03d", year, counters[typ])
		}
		p := store.Patch{"name": name, "name_internal": internal, "type": typ}
		info := contractInfo{typ: typ, year: year}
		if chance(r, 0.92) {
			p["contractor"] = g.contractorIDs[r.IntN(len(g.contractorIDs))]
		}
		g.contractDates(r, p, &info, signed)
		if chance(r, 0.85) {
			price, cur := money(r, float64(between(r, 5, 2000))*1000)
			p["price"], p["currency"] = price, cur
			info.currency = cur
		}
		if chance(r, 0.15) {
			p["description"] = "Public tender " + internal
		}
		tops = append(tops, plan{info, p})
	}
	patches := make([]store.Patch, len(tops))
	for i := range tops {
		patches[i] = tops[i].patch
	}
	ids, err := g.create(schema.ContractName, patches, otherBatch, nil)
	if err != nil {
		return err
	}
	var subs []plan
	for i := range tops {
		tops[i].info.id = ids[i]
		g.contractList = append(g.contractList, tops[i].info)
		if !chance(r, 0.35) {
			continue
		}
		parent := tops[i]
		for k := range between(r, 1, 3) {
			typ := parent.info.typ
			if chance(r, 0.2) {
				typ = contractTypes[r.IntN(len(contractTypes))]
			}
			p := store.Patch{
				"name":          fmt.Sprintf("%s - lot %d", parent.patch["name"], k+1),
				"name_internal": fmt.Sprintf("%s/%d", parent.patch["name_internal"], k+1),
				"type":          typ,
				"parent":        parent.info.id,
			}
			if c, ok := parent.patch["contractor"]; ok && chance(r, 0.8) {
				p["contractor"] = c
			} else {
				p["contractor"] = g.contractorIDs[r.IntN(len(g.contractorIDs))]
			}
			info := contractInfo{typ: typ, year: parent.info.year}
			signed := g.day(-between(r, 10, 1500))
			g.contractDates(r, p, &info, signed)
			if parent.info.currency != "" && chance(r, 0.8) {
				p["price"], p["currency"] = priceIn(float64(between(r, 1, 500))*1000, rateOf(parent.info.currency)), parent.info.currency
				info.currency = parent.info.currency
			}
			subs = append(subs, plan{info, p})
		}
	}
	patches = patches[:0]
	for i := range subs {
		patches = append(patches, subs[i].patch)
	}
	subIDs, err := g.create(schema.ContractName, patches, otherBatch, nil)
	if err != nil {
		return err
	}
	for i := range subs {
		subs[i].info.id = subIDs[i]
		g.contractList = append(g.contractList, subs[i].info)
	}
	g.record(schema.ContractName, "contracts", len(ids)+len(subIDs), time.Since(start))
	return nil
}

// contractDates sets signed/accepted/invoicing dates (mostly).
func (g *gen) contractDates(r *rand.Rand, p store.Patch, info *contractInfo, signed time.Time) {
	if chance(r, 0.1) {
		return
	}
	p["signed"] = signed
	if chance(r, 0.8) {
		accepted := signed.AddDate(0, 0, between(r, 0, 21))
		if accepted.After(g.today) {
			accepted = g.today
		}
		p["accepted"] = accepted
	}
	if chance(r, 0.85) {
		info.start = signed.AddDate(0, 0, between(r, 0, 60))
		info.end = info.start.AddDate(between(r, 1, 5), 0, -1)
		p["invoicing_start"], p["invoicing_end"] = info.start, info.end
	}
}

func (g *gen) invoices() error {
	start := time.Now()
	r := g.rand("invoices")
	var patches []store.Patch
	seq := 0
	for _, c := range g.contractList {
		n := between(r, 1, 3)
		for k := range n {
			seq++
			year := c.year + k
			p := store.Patch{
				"name":          fmt.Sprintf("FV%d%06d", year, between(r, 1, 999)*1000+seq%1000),
				"name_internal": fmt.Sprintf("INT-%d-%05d", year, seq),
				"contract":      c.id,
			}
			if chance(r, 0.4) {
				p["project"] = projects[r.IntN(len(projects))]
			}
			if chance(r, 0.85) {
				cur := c.currency
				if cur == "" {
					cur = currencies[weighted(r, currencyWeights())].code
				}
				p["price"], p["currency"] = priceIn(float64(between(r, 200, 400000)), rateOf(cur)), cur
			}
			if !c.start.IsZero() && chance(r, 0.9) {
				// One quarter of the contract's invoicing period each.
				s := c.start.AddDate(0, 3*k, 0)
				e := s.AddDate(0, 3, -1)
				if e.After(c.end) {
					e = c.end
				}
				if !s.After(e) {
					p["invoicing_start"], p["invoicing_end"] = s, e
				}
			}
			patches = append(patches, p)
		}
	}
	ids, err := g.create(schema.InvoiceName, patches, otherBatch, nil)
	if err != nil {
		return err
	}
	g.record(schema.InvoiceName, "invoices", len(ids), time.Since(start))
	return nil
}

// --- assets -------------------------------------------------------------------

// period draws a date period in one of the date-status bands, relative to
// today. bands weights: none, open-ended, future, expired, expiring, valid.
func (g *gen) period(r *rand.Rand, weights []int) (start, end *time.Time) {
	years := []int{1, 2, 3, 5}[r.IntN(4)]
	ptr := func(t time.Time) *time.Time { return &t }
	switch weighted(r, weights) {
	case 0: // not set
		return nil, nil
	case 1: // open-ended: started, no end
		return ptr(g.day(-between(r, 30, 1500))), nil
	case 2: // future: starts later
		s := g.day(between(r, 5, 120))
		return ptr(s), ptr(s.AddDate(years, 0, -1))
	case 3: // expired (today included: "Expired today")
		e := g.day(-between(r, 0, 1500))
		if chance(r, 0.1) {
			return nil, ptr(e)
		}
		return ptr(e.AddDate(-years, 0, 1)), ptr(e)
	case 4: // expiring within the default 60 warning days
		e := g.day(between(r, 1, 45))
		return ptr(e.AddDate(-years, 0, 1)), ptr(e)
	default: // valid beyond the warning threshold
		e := g.day(between(r, 61, 1800))
		if chance(r, 0.1) {
			return nil, ptr(e)
		}
		s := e.AddDate(-years, 0, 1)
		if s.After(g.today) {
			s = g.day(-between(r, 0, 30))
		}
		return ptr(s), ptr(e)
	}
}

var (
	warrantyBands = []int{12, 5, 5, 30, 10, 38}
	serviceBands  = []int{4, 5, 5, 25, 11, 50}
)

// newSerial returns a serial of the vendor's format that no asset, RMA or
// earlier unknown probe uses.
func (g *gen) newSerial(r *rand.Rand, v int) string {
	for {
		s := vendors[v].serial(r)
		if !g.serials[s] {
			g.serials[s] = true
			return s
		}
	}
}

func (g *gen) assets() error {
	start := time.Now()
	r := g.rand("assets")
	n := g.opts.Assets
	g.topo = newTopology(g.rand("topology"), n)
	g.serials = make(map[string]bool, n+n/10)
	g.assetList = make([]assetInfo, 0, n)

	var orderContracts []int64
	for _, c := range g.contractList {
		if c.typ == "order" || c.typ == "supply" {
			orderContracts = append(orderContracts, c.id)
		}
	}
	vw := vendorWeights()
	partW := make([][]int, len(vendors))
	for v, ps := range partsByVendor {
		for _, pi := range ps {
			partW[v] = append(partW[v], typeWeight[assetTypes[parts[pi].typ].slug])
		}
	}
	// A few assets share a serial with an earlier one (data-entry
	// mistakes, re-used labels): has_duplicates must find them.
	dupAt := map[int]bool{}
	if n >= 20 {
		nDup := max(2, n*3/1000)
		for _, i := range r.Perm(n - 1)[:nDup] {
			dupAt[i+1] = true
		}
	}

	prog := g.progress("assets", n)
	for first := 0; first < n; first += assetBatch {
		last := min(first+assetBatch, n)
		patches := make([]store.Patch, 0, last-first)
		for i := first; i < last; i++ {
			var a assetInfo
			var serial string
			if dupAt[i] {
				src := g.assetList[r.IntN(i)]
				a.part, serial = src.part, src.serial
				g.sum.DuplicateSerials++
			} else {
				v := weighted(r, vw)
				a.part = partsByVendor[v][weighted(r, partW[v])]
				serial = g.newSerial(r, v)
			}
			a.serial = serial
			patches = append(patches, g.asset(r, &a, orderContracts))
			g.assetList = append(g.assetList, a)
		}
		recs, err := g.st.Create(g.ctx, g.entity(schema.AssetName), patches, g.meta)
		if err != nil {
			return fmt.Errorf("demo: create assets: %w", err)
		}
		for k, rec := range recs {
			g.assetList[first+k].id = rec.ID
		}
		prog.update(last)
	}
	g.record(schema.AssetName, "assets", n, time.Since(start))
	return nil
}

var assignmentStatuses = []string{"deployed", "stocked", "reserved", "loaned"}

// asset draws one asset's fields (its part and serial are already chosen).
func (g *gen) asset(r *rand.Rand, a *assetInfo, orderContracts []int64) store.Patch {
	pt := parts[a.part]
	at := assetTypes[pt.typ]
	v := vendors[pt.vendor]
	status := assignmentStatuses[weighted(r, []int{55, 25, 10, 10})]
	var lifecycle string
	switch status {
	case "deployed":
		lifecycle = []string{"in_use", "in_maintenance", "new"}[weighted(r, []int{85, 10, 5})]
	case "stocked":
		lifecycle = []string{"in_stock", "new", "retired", "disposed"}[weighted(r, []int{60, 25, 10, 5})]
	case "reserved":
		lifecycle = []string{"new", "in_stock"}[r.IntN(2)]
	default:
		lifecycle = []string{"in_use", "in_maintenance"}[weighted(r, []int{80, 20})]
	}
	p := store.Patch{
		"serial":            a.serial,
		"partnumber":        pt.number,
		"assignment_status": status,
		"lifecycle_status":  lifecycle,
		"type":              g.typeIDs[pt.typ],
		"quantity":          int64(1),
	}
	if chance(r, 0.97) {
		p["vendor"] = v.name
	}
	if (at.category == "transceiver") && chance(r, 0.1) {
		p["quantity"] = int64(between(r, 2, 4))
	}
	a.device, a.site = -1, -1
	assign := func(typ string, id int64) {
		p["assigned_object_type"], p["assigned_object_id"] = typ, id
	}
	switch status {
	case "deployed":
		a.deployed = true
		d := g.topo.deviceFor(r, pt.vendor)
		a.device, a.site = d, g.topo.devices[d].site
		if (at.slug == "line-card" || at.slug == "supervisor") && chance(r, 0.6) {
			assign("dcim.module", int64(d*modulesPerDevice+1+r.IntN(modulesPerDevice)))
		} else {
			assign("dcim.device", g.topo.devices[d].id)
		}
	case "stocked":
		if chance(r, 0.4) {
			a.site = r.IntN(len(g.topo.sites))
			if chance(r, 0.7) {
				assign("dcim.location", g.topo.stockLocation(a.site).id)
			} else {
				assign("dcim.site", g.topo.sites[a.site].id)
			}
		}
	case "reserved":
		if chance(r, 0.7) {
			a.site = r.IntN(len(g.topo.sites))
			s := g.topo.sites[a.site]
			l := g.topo.locations[s.locations[r.IntN(len(s.locations))]]
			assign("dcim.rack", l.racks[r.IntN(len(l.racks))])
		}
	default: // loaned
		if chance(r, 0.2) {
			a.site = r.IntN(len(g.topo.sites))
			assign("dcim.site", g.topo.sites[a.site].id)
		}
	}
	switch {
	case a.deployed && lifecycle != "new":
		a.probed = chance(r, 0.92)
	case a.deployed:
		a.probed = chance(r, 0.5)
	case status == "loaned":
		a.probed = chance(r, 0.4)
	case status == "reserved":
		a.probed = chance(r, 0.1)
	default:
		a.probed = chance(r, 0.03)
	}
	if s, e := g.period(r, warrantyBands); s != nil || e != nil {
		if s != nil {
			p["warranty_start"] = *s
		}
		if e != nil {
			p["warranty_end"] = *e
		}
	}
	if chance(r, 0.45) {
		price, cur := money(r, pt.priceEUR*(0.6+0.5*r.Float64()))
		p["price"], p["currency"] = price, cur
	}
	if len(orderContracts) > 0 && chance(r, 0.35) {
		p["order_contract"] = orderContracts[r.IntN(len(orderContracts))]
	}
	if chance(r, 0.55) {
		p["project"] = projects[r.IntN(len(projects))]
	}
	if chance(r, 0.22) {
		p["description"] = assetDescriptions[r.IntN(len(assetDescriptions))]
	}
	if chance(r, 0.03) {
		p["comments"] = fmt.Sprintf("Checked during the physical inventory on %s.", g.day(-between(r, 1, 400)).Format(time.DateOnly))
	}
	if len(g.tagIDs) > 0 && chance(r, 0.18) {
		t1 := g.tagIDs[r.IntN(len(g.tagIDs))]
		ids := []int64{t1}
		if t2 := g.tagIDs[r.IntN(len(g.tagIDs))]; t2 != t1 && chance(r, 0.3) {
			ids = append(ids, t2)
		}
		p["tags"] = ids
	}
	return p
}

// --- services, RMAs, external inventory -------------------------------------

func (g *gen) services() error {
	start := time.Now()
	r := g.rand("services")
	var serviceContracts []int64
	for _, c := range g.contractList {
		if c.typ == "service" {
			serviceContracts = append(serviceContracts, c.id)
		}
	}
	var patches []store.Patch
	for _, a := range g.assetList {
		if len(serviceContracts) == 0 || !chance(r, 0.38) {
			continue
		}
		pt := parts[a.part]
		n := 1
		if chance(r, 0.3) {
			n = 2
		}
		var prevEnd *time.Time
		for k := range n {
			p := store.Patch{"asset": a.id, "contract": serviceContracts[r.IntN(len(serviceContracts))]}
			var s, e *time.Time
			if n == 2 && k == 0 {
				// An older, expired contract followed by its renewal.
				st := g.day(-between(r, 800, 1500))
				en := st.AddDate(between(r, 1, 2), 0, -1)
				s, e = &st, &en
			} else if prevEnd != nil {
				st := prevEnd.AddDate(0, 0, 1)
				en := st.AddDate([]int{1, 3, 5}[r.IntN(3)], 0, -1)
				s, e = &st, &en
			} else {
				s, e = g.period(r, serviceBands)
			}
			prevEnd = e
			if s != nil {
				p["service_start"] = *s
			}
			if e != nil {
				p["service_end"] = *e
			}
			if chance(r, 0.6) {
				price, cur := money(r, pt.priceEUR*(0.05+0.15*r.Float64()))
				p["service_price"], p["service_currency"] = price, cur
			}
			p["service_category"] = serviceCategories[r.IntN(len(serviceCategories))]
			if chance(r, 0.8) {
				p["service_category_vendor"] = vendors[pt.vendor].care
			}
			if chance(r, 0.1) {
				p["description"] = "Renewed with the framework agreement"
			}
			patches = append(patches, p)
		}
	}
	ids, err := g.create(schema.AssetServiceName, patches, otherBatch, nil)
	if err != nil {
		return err
	}
	g.record(schema.AssetServiceName, "asset services", len(ids), time.Since(start))
	return nil
}

var rmaStatuses = []string{"pending", "shipped", "received", "investigating", "approved", "rejected", "completed"}

func (g *gen) rmas() error {
	start := time.Now()
	r := g.rand("rmas")
	n := (len(g.assetList) + 25) / 50 // ~2 %
	var patches []store.Patch
	for _, i := range r.Perm(len(g.assetList)) {
		if len(patches) == n {
			break
		}
		a := &g.assetList[i]
		if !a.deployed && !chance(r, 0.3) {
			continue
		}
		k := len(patches)
		pt := parts[a.part]
		v := vendors[pt.vendor]
		status := rmaStatuses[weighted(r, []int{8, 10, 8, 12, 12, 7, 43})]
		issuedAgo := between(r, 3, 700)
		p := store.Patch{
			"asset":             a.id,
			"status":            status,
			"date_issued":       g.day(-issuedAgo),
			"issue_description": rmaIssues[r.IntN(len(rmaIssues))],
			"vendor_response":   rmaResponses[r.IntN(len(rmaResponses))],
		}
		if chance(r, 0.9) {
			// Unique by construction: disjoint ranges per RMA.
			p["rma_number"] = fmt.Sprintf("%s%s%08d", v.rmaPrefix, g.runTag, 41000000+k*37+r.IntN(37))
		}
		info := &rmaInfo{original: a.serial, replacedAgo: -1}
		if chance(r, 0.7) {
			p["original_serial"] = a.serial // else the store fills it in
		}
		switch status {
		case "completed":
			info.replacedAgo = max(0, issuedAgo-between(r, 3, 30))
			p["date_replaced"] = g.day(-info.replacedAgo)
			if chance(r, 0.9) {
				// The store swaps the asset's serial to the replacement.
				info.replacement = g.newSerial(r, pt.vendor)
				p["replacement_serial"] = info.replacement
				a.serial = info.replacement
			}
		case "approved":
			if chance(r, 0.5) {
				// Advance replacement already installed, RMA not closed yet.
				info.replacedAgo = max(0, issuedAgo-between(r, 2, 10))
				info.replacement = g.newSerial(r, pt.vendor)
				p["replacement_serial"] = info.replacement
				p["date_replaced"] = g.day(-info.replacedAgo)
			}
		}
		if chance(r, 0.1) {
			p["description"] = "Advance replacement"
		}
		a.rma = info
		patches = append(patches, p)
	}
	ids, err := g.create(schema.RMAName, patches, otherBatch, nil)
	if err != nil {
		return err
	}
	g.record(schema.RMAName, "RMAs", len(ids), time.Since(start))
	return nil
}

var userNotes = []string{"Bought from the EOSC grant", "Shared with the university", "Label damaged", "Moved without a transfer form", "Co-financed by the region"}

func (g *gen) externalInventory() error {
	start := time.Now()
	r := g.rand("external")
	target := len(g.assetList) / 10
	var patches []store.Patch
	perm := r.Perm(len(g.assetList))
	covered := 0
	for covered < target && covered < len(perm) {
		k := len(patches)
		size := 1
		if chance(r, 0.15) {
			size = between(r, 2, 3)
		}
		size = min(size, len(perm)-covered)
		group := perm[covered : covered+size]
		covered += size
		a := g.assetList[group[0]]
		pt := parts[a.part]
		ids := make([]int64, len(group))
		for j, i := range group {
			ids[j] = g.assetList[i].id
		}
		person := firstNames[r.IntN(len(firstNames))] + " " + lastNames[r.IntN(len(lastNames))]
		si := a.site
		if si < 0 {
			si = r.IntN(len(g.topo.sites))
		}
		s := g.topo.sites[si]
		loc := g.topo.locations[s.locations[r.IntN(len(s.locations))]]
		p := store.Patch{
			"inventory_number": fmt.Sprintf("INV-%d-%06d", between(r, 2016, g.today.Year()), k+1),
			"name":             fmt.Sprintf("%s %s %s", assetTypes[pt.typ].name, vendors[pt.vendor].name, pt.model),
			"person_id":        fmt.Sprintf("%05d", between(r, 10000, 99999)),
			"person_name":      person,
			"location_code":    fmt.Sprintf("%s-%c", s.code, 'A'+rune(r.IntN(4))),
			"location":         s.name + ", " + loc.name,
			"department_code":  fmt.Sprintf("7%02d0", between(r, 1, 40)),
			"assets":           ids,
		}
		if chance(r, 0.95) {
			p["external_id"] = fmt.Sprintf("ABRA-%s%08d", g.runTag, 1000000+k*13+r.IntN(13))
		}
		if chance(r, 0.9) {
			p["serial_number"] = a.serial
		}
		if chance(r, 0.6) {
			p["project_code"] = fmt.Sprintf("PRJ-%04d", between(r, 1, 400))
		}
		if chance(r, 0.7) {
			p["user_name"] = person
		}
		if chance(r, 0.1) {
			p["user_note"] = userNotes[r.IntN(len(userNotes))]
		}
		if len(group) > 1 && chance(r, 0.5) {
			p["split_asset"] = fmt.Sprintf("1/%d", len(group))
		}
		if st := []string{"1", "2", "3", ""}[weighted(r, []int{70, 10, 15, 5})]; st != "" {
			p["status"] = st
		}
		patches = append(patches, p)
	}
	ids, err := g.create(schema.ExternalInventoryName, patches, otherBatch, nil)
	if err != nil {
		return err
	}
	g.record(schema.ExternalInventoryName, "external inventory", len(ids), time.Since(start))
	return nil
}
