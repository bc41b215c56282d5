package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// topology is the NetBox the demo inventory lives in: sites, locations,
// racks, devices and modules, by their NetBox ids (which need not exist
// anywhere: the inventory keeps plain ids).
type topology struct {
	sites     []site
	locations []location
	devices   []device
	// devicesByVendor lists device indexes per vendor.
	devicesByVendor [][]int
}

type site struct {
	id        int64
	code      string // "PRG1"
	name      string
	locations []int
	devices   []int
}

type location struct {
	id    int64
	site  int
	name  string
	racks []int64
	stock bool
}

type device struct {
	id       int64
	site     int
	location int
	rack     int64
	name     string
	vendor   int
}

// modulesPerDevice numbers NetBox modules: module id m sits in device
// (m-1)/modulesPerDevice.
const modulesPerDevice = 8

func newTopology(r *rand.Rand, assets int) topology {
	var t topology
	nSites := min(max(assets/2500, 4), 40)
	rackID := int64(0)
	for i := range nSites {
		c := siteCities[i%len(siteCities)]
		s := site{id: int64(i + 1), code: fmt.Sprintf("%s%d", c.code, 1+i/len(siteCities)), name: fmt.Sprintf("%s DC%d", c.name, 1+i/len(siteCities))}
		for j, ln := range locationNames {
			l := location{id: int64(len(t.locations) + 1), site: i, name: ln, stock: j == len(locationNames)-1}
			nRacks := 8
			if l.stock {
				nRacks = 2
			}
			for range nRacks {
				rackID++
				l.racks = append(l.racks, rackID)
			}
			s.locations = append(s.locations, len(t.locations))
			t.locations = append(t.locations, l)
		}
		t.sites = append(t.sites, s)
	}
	nDevices := max(assets/20, 8)
	t.devicesByVendor = make([][]int, len(vendors))
	counters := map[string]int{}
	vw := vendorWeights()
	for i := range nDevices {
		si := r.IntN(nSites)
		s := &t.sites[si]
		li := s.locations[r.IntN(len(s.locations)-1)] // never the stock room
		l := &t.locations[li]
		role := deviceRoles[r.IntN(len(deviceRoles))]
		key := s.code + role
		counters[key]++
		d := device{
			id:       int64(i + 1),
			site:     si,
			location: li,
			rack:     l.racks[r.IntN(len(l.racks))],
			name:     fmt.Sprintf("%s-%s%02d", strings.ToLower(s.code), role, counters[key]),
			vendor:   weighted(r, vw),
		}
		s.devices = append(s.devices, i)
		t.devicesByVendor[d.vendor] = append(t.devicesByVendor[d.vendor], i)
		t.devices = append(t.devices, d)
	}
	return t
}

func vendorWeights() []int {
	w := make([]int, len(vendors))
	for i, v := range vendors {
		w[i] = v.weight
	}
	return w
}

// deviceFor picks a device of the vendor (any device when it has none).
func (t *topology) deviceFor(r *rand.Rand, vendor int) int {
	if ds := t.devicesByVendor[vendor]; len(ds) > 0 {
		return ds[r.IntN(len(ds))]
	}
	return r.IntN(len(t.devices))
}

// stockLocation returns the stock room of a site.
func (t *topology) stockLocation(si int) *location {
	s := t.sites[si]
	return &t.locations[s.locations[len(s.locations)-1]]
}
