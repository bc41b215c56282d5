package storetest

import (
	"encoding/json"
	"time"

	"github.com/inventory-monitor/inventory-monitor/internal/schema"
	"github.com/inventory-monitor/inventory-monitor/internal/store"
)

// fixture is a small data set touching every entity, field and relation,
// with NULLs, blanks, duplicates and non-ASCII text, for the filter tests.
type fixture struct {
	alpha, beta        schema.Tag
	server, switchType *schema.Record
	acme, globex       *schema.Record
	top, sub, lone     *schema.Record
	inv1, inv2         *schema.Record
	a1, a2, a3, a4     *schema.Record
	svc1, svc2         *schema.Record
	rma1, rma2         *schema.Record
	x1, x2             *schema.Record
	p1, p2, p3         *schema.Record
	byEntity           map[string][]*schema.Record
	knownValues        map[string]string // "entity.filter" → a value that matches something
}

func (e *env) seed() *fixture {
	e.t.Helper()
	f := &fixture{byEntity: map[string][]*schema.Record{}}
	add := func(entity string, recs ...*schema.Record) {
		f.byEntity[entity] = append(f.byEntity[entity], recs...)
	}
	f.alpha, f.beta = e.tag("Alpha"), e.tag("Beta")
	tags := []int64{f.alpha.ID, f.beta.ID}

	f.server = e.create(schema.AssetTypeName, store.Patch{"name": "Server Ž", "slug": "server", "description": "Rack servers", "color": "ff0000", "tags": tags})
	f.switchType = e.create(schema.AssetTypeName, store.Patch{"name": "Switch", "slug": "switch"})
	add(schema.AssetTypeName, f.server, f.switchType)

	f.acme = e.create(schema.ContractorName, store.Patch{"name": "ACME Žluťoučký", "company": "ACME s.r.o.", "address": "Praha 1", "tenant": int64(5),
		"description": "main supplier", "comments": "long-standing", "tags": []int64{f.alpha.ID}})
	f.globex = e.create(schema.ContractorName, store.Patch{"name": "Globex"})
	add(schema.ContractorName, f.acme, f.globex)

	f.top = e.create(schema.ContractName, store.Patch{"name": "Top Contract", "name_internal": "TC-1", "contractor": f.acme.ID, "type": "supply",
		"price": dec("100"), "currency": "EUR", "signed": e.day(-100), "accepted": e.day(-90), "invoicing_start": e.day(-30), "invoicing_end": e.day(30),
		"description": "Rámcová smlouva", "tags": []int64{f.alpha.ID}})
	f.sub = e.create(schema.ContractName, store.Patch{"name": "Sub Contract", "name_internal": "SC-1", "contractor": f.globex.ID, "type": "service", "parent": f.top.ID})
	f.lone = e.create(schema.ContractName, store.Patch{"name": "Lone", "name_internal": "L", "type": "order"})
	add(schema.ContractName, f.top, f.sub, f.lone)

	f.inv1 = e.create(schema.InvoiceName, store.Patch{"name": "INV-2026-1", "name_internal": "I-1", "project": "Projekt Ř", "contract": f.top.ID,
		"price": dec("50.25"), "currency": "CZK", "invoicing_start": e.day(-10), "invoicing_end": e.day(20), "description": "první", "tags": tags})
	f.inv2 = e.create(schema.InvoiceName, store.Patch{"name": "INV-2", "name_internal": "I-2", "contract": f.sub.ID})
	add(schema.InvoiceName, f.inv1, f.inv2)

	f.a1 = e.create(schema.AssetName, store.Patch{"partnumber": "PN-100", "serial": "SN-AAA", "description": "Žluťoučký kůň", "assignment_status": "deployed",
		"lifecycle_status": "in_use", "assigned_object_type": "dcim.device", "assigned_object_id": int64(10), "type": f.server.ID, "order_contract": f.lone.ID,
		"project": "Apollo", "vendor": "Dell", "quantity": int64(2), "price": dec("1234.5"), "currency": "EUR", "warranty_start": e.day(-100), "warranty_end": e.day(30),
		"comments": "rack 4", "tags": tags})
	f.a2 = e.create(schema.AssetName, store.Patch{"serial": "SN-BBB", "vendor": "HP", "description": "", "tags": []int64{f.beta.ID}})
	f.a3 = e.create(schema.AssetName, store.Patch{"serial": "sn-aaa", "partnumber": "PN-200", "project": "Ápollo", "type": f.switchType.ID,
		"assigned_object_type": "dcim.site", "assigned_object_id": int64(1), "warranty_end": e.day(-1), "assignment_status": "loaned"})
	f.a4 = e.create(schema.AssetName, store.Patch{"serial": "SN-AAA", "partnumber": "", "lifecycle_status": "retired", "quantity": int64(0)})
	add(schema.AssetName, f.a1, f.a2, f.a3, f.a4)

	f.svc1 = e.create(schema.AssetServiceName, store.Patch{"asset": f.a1.ID, "contract": f.sub.ID, "service_start": e.day(-10), "service_end": e.day(300),
		"service_price": dec("99.99"), "service_currency": "EUR", "service_category": "Support Ž", "service_category_vendor": "Dell ProSupport",
		"description": "NBD", "tags": []int64{f.alpha.ID}})
	f.svc2 = e.create(schema.AssetServiceName, store.Patch{"asset": f.a2.ID, "contract": f.top.ID, "service_end": e.day(-5)})
	add(schema.AssetServiceName, f.svc1, f.svc2)

	f.rma1 = e.create(schema.RMAName, store.Patch{"rma_number": "RMA-1", "asset": f.a1.ID, "replacement_serial": "SN-REPL", "status": "pending",
		"date_issued": e.day(-3), "date_replaced": e.day(-1), "issue_description": "Fan Ž broken", "vendor_response": "ok", "tags": []int64{f.alpha.ID}})
	f.rma2 = e.create(schema.RMAName, store.Patch{"asset": f.a2.ID, "original_serial": "OLD-B", "issue_description": "PSU"})
	add(schema.RMAName, f.rma1, f.rma2)

	f.x1 = e.create(schema.ExternalInventoryName, store.Patch{"external_id": "EXT-1", "inventory_number": "INV-A", "name": "Server item Ž", "serial_number": "SN-AAA",
		"person_id": "P1", "person_name": "Jan Novák", "location_code": "L1", "location": "Brno", "department_code": "D1", "project_code": "PR1",
		"user_name": "jnovak", "user_note": "note Ž", "split_asset": "no", "status": "A", "assets": []int64{f.a1.ID}, "description": "d", "tags": tags})
	f.x2 = e.create(schema.ExternalInventoryName, store.Patch{"inventory_number": "INV-B", "name": "Spare"})
	add(schema.ExternalInventoryName, f.x1, f.x2)

	f.p1 = e.create(schema.ProbeName, store.Patch{"time": e.now.Add(-time.Hour), "creation_time": e.now.Add(-48 * time.Hour), "device_descriptor": "sw1.praha",
		"site_descriptor": "Praha", "location_descriptor": "R1", "part": "PN-100", "name": "chassis", "serial": "SN-AAA", "device": int64(10), "site": int64(1),
		"location": int64(2), "description": "Žlutý", "category": "hw", "discovered_data": json.RawMessage(`{"slot":1}`), "tags": []int64{f.beta.ID}})
	f.p2 = e.create(schema.ProbeName, store.Patch{"time": e.now.AddDate(0, 0, -30), "name": "chassis", "serial": "SN-AAA", "device": int64(10)})
	f.p3 = e.create(schema.ProbeName, store.Patch{"time": e.now.Add(-49 * time.Hour), "name": "psu", "serial": "SN-REPL", "device": int64(11)})
	add(schema.ProbeName, f.p1, f.p2, f.p3)

	itoa := func(id int64) string { return formatInt(id) }
	f.knownValues = map[string]string{
		"asset.external_inventory_number": "INV-A",
		"asset.external_inventory_items":  itoa(f.x1.ID),
		"asset.order_contract":            itoa(f.lone.ID),
		"assetservice.asset":              itoa(f.a1.ID),
		"assetservice.contract":           itoa(f.sub.ID),
		"contract.contractor":             "ACME Žluťoučký",
		"contract.parent":                 "Top Contract",
		"invoice.contract":                "Top Contract",
		"externalinventory.assets":        itoa(f.a1.ID),
		"externalinventory.asset_id":      itoa(f.a1.ID),
		"probe.site":                      "1",
		"probe.location":                  "2",
		"rma.serial":                      "repl",
		"probe.tag":                       "beta",
		"probe.tag_id":                    itoa(f.beta.ID),
		"*.tag":                           "alpha",
		"*.tag_id":                        itoa(f.alpha.ID),
	}
	return f
}
