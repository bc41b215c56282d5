#!/usr/bin/python3
"""Drive an inventory-monitor server with pynetbox, as a user script would.

Environment: NETBOX_URL (server root, e.g. http://127.0.0.1:8000),
NETBOX_TOKEN (API token), NETBOX_USERNAME (the token's user, optional).

    client_test.py              full scenario; needs a write token
    client_test.py --seed       create a few objects for --read-only
    client_test.py --read-only  reads work, every write is refused with 403

Written for pynetbox 7.0.0 (Debian's python3-pynetbox). Every step prints
its name; a failed step prints the assertion (or the failing HTTP request
and response) and the script exits 1 after running the remaining steps.
"""

import collections
import datetime
import os
import sys
import traceback
import uuid

import pynetbox
import requests

URL = None
TOKEN = None
USERNAME = None

failures = []
recent = collections.deque(maxlen=6)  # the last HTTP exchanges, shown when a step fails


def remember(resp, *args, **kwargs):
    """requests response hook: keep a short record of every exchange."""
    req = resp.request
    body = req.body
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if body and len(body) > 300:
        body = body[:300] + "...(%d bytes)" % len(body)
    text = resp.text if resp.status_code >= 300 else ""
    recent.append("%s %s -> %d %s%s%s" % (
        req.method, req.url, resp.status_code, resp.reason,
        "\n        body: %s" % body if body else "",
        "\n        response: %s" % text[:500] if text else ""))


def client(token=None, **kwargs):
    """A pynetbox API object that records its requests in `recent`."""
    nb = pynetbox.api(URL, token=token, **kwargs)
    nb.http_session.hooks["response"].append(remember)
    return nb


def log(msg):
    print(msg, flush=True)


def describe_request_error(e):
    """The failing request and response of a pynetbox.RequestError."""
    req = e.req.request
    body = req.body
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if body and len(body) > 2000:
        body = body[:2000] + "...(%d bytes)" % len(body)
    text = e.req.text
    if len(text) > 4000:
        text = text[:4000] + "...(%d bytes)" % len(text)
    return "    request:  %s %s\n    body:     %s\n    response: %s %s\n    %s" % (
        req.method, req.url, body, e.req.status_code, e.req.reason, text)


def step(name):
    """Run the decorated function now as a named step, recording failures."""
    def run(fn):
        log("== " + name)
        recent.clear()
        try:
            fn()
        except Exception as e:  # noqa: BLE001 — report every kind of failure
            failures.append(name)
            log("FAIL: %s: %s: %s" % (name, type(e).__name__, e))
            if isinstance(e, pynetbox.RequestError):
                log(describe_request_error(e))
            traceback.print_exc(file=sys.stdout)
            if recent:
                log("  last requests:\n    " + "\n    ".join(recent))
        else:
            log("   ok")
        return fn
    return run


def fatal_step(name, fn):
    """Run a step the rest depends on; stop at once if it fails."""
    step(name)(fn)
    if name in failures:
        finish()


def finish():
    if failures:
        log("\n%d step(s) FAILED:\n  %s" % (len(failures), "\n  ".join(failures)))
        sys.exit(1)
    log("\nall steps passed")
    sys.exit(0)


def expect_request_error(status, fn, *args, **kwargs):
    """Call fn; it must raise pynetbox.RequestError with this HTTP status."""
    try:
        res = fn(*args, **kwargs)
        if isinstance(res, pynetbox.core.response.RecordSet):  # requests run on iteration
            list(res)
    except pynetbox.RequestError as e:
        assert e.req.status_code == status, "expected HTTP %d, got %d: %s" % (
            status, e.req.status_code, e.error)
        return e
    raise AssertionError("expected pynetbox.RequestError %d, got none (result %r)" % (status, res))


def ids(records):
    return [r.id for r in records]


def parse_time(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))


# --------------------------------------------------------------------------
# full scenario (write token)
# --------------------------------------------------------------------------

def full():
    nb = client(TOKEN)
    inv = nb.plugins.inventory_monitor
    # keeps names unique if run twice on one server; digits only, so no run
    # id can contain a substring the case-insensitive filters look for ("abc")
    run = "%08d" % (uuid.uuid4().int % 10**8)
    S = {}  # objects shared by the steps

    @step("nb.version is the API-Version header (GET /api/ without a token)")
    def _():
        v = nb.version
        assert v == "4.6", "nb.version = %r, want '4.6'" % v

    @step("nb.status() has netbox-version and plugins.inventory_monitor")
    def _():
        st = nb.status()
        assert isinstance(st, dict), st
        assert st.get("netbox-version"), "no netbox-version in %r" % st
        assert str(st["netbox-version"]).startswith("4."), st["netbox-version"]
        assert "inventory_monitor" in st.get("plugins", {}), "plugins = %r" % st.get("plugins")
        assert st["plugins"]["inventory_monitor"], st["plugins"]

    @step("nb.plugins.installed_plugins() lists inventory_monitor")
    def _():
        plugins = list(nb.plugins.installed_plugins())
        assert [p["package"] for p in plugins] == ["inventory_monitor"], plugins
        assert plugins[0]["version"], plugins

    def setup():
        S["assets_before"] = inv.assets.count()
        S["type"] = inv.asset_types.create(name="Server " + run, slug="server-" + run)
        assert S["type"].id and S["type"].slug == "server-" + run, dict(S["type"])
        S["type2"] = inv.asset_types.create({"name": "Switch " + run, "slug": "switch-" + run})
        S["contractor"] = inv.contractors.create(name="ACME " + run, company="ACME Corp")
        S["contract"] = inv.contracts.create(
            name="Supply " + run, name_internal="SUP-" + run,
            contractor=S["contractor"].id, type="supply")
        c = S["contract"]
        assert c.type == "supply", "contract type %r" % c.type
        assert c.contractor.id == S["contractor"].id, dict(c)
        assert c.contract_type == "contract", c.contract_type
    fatal_step("create asset type, contractor, contract", setup)

    def create_assets():
        single = inv.assets.create({
            "serial": "UNIQUE-" + run, "partnumber": "PN-1", "vendor": "Cisco",
            "type": S["type"].id, "order_contract": S["contract"].id,
            "price": 1234.5, "currency": "EUR",
            "assigned_object_type": "dcim.device", "assigned_object_id": 12,
            "lifecycle_status": "in_use", "description": "first asset",
        })
        assert isinstance(single, pynetbox.core.response.Record), type(single)
        assert single.serial == "UNIQUE-" + run
        assert single.type.id == S["type"].id, dict(single)
        assert single.order_contract.id == S["contract"].id, dict(single)
        assert float(single.price) == 1234.5 and single.currency == "EUR", (single.price, single.currency)
        assert single.assigned_object_type == "dcim.device", single.assigned_object_type
        assert single.assigned_object_id == 12, single.assigned_object_id
        assert single.assigned_object is not None and single.assigned_object.id == 12, single.assigned_object
        assert single.assignment_status == "stocked", single.assignment_status  # default
        assert single.lifecycle_status == "in_use", single.lifecycle_status
        assert single.url.endswith("/api/plugins/inventory-monitor/assets/%d/" % single.id), single.url
        batch = []
        for i in range(64):
            a = {
                "serial": "PNB-%s-%02d" % (run, i),
                "partnumber": "PN-%d" % (i % 4),
                "vendor": "Cisco" if i % 3 == 0 else "Juniper",
                "type": S["type"].id if i % 2 == 0 else S["type2"].id,
                "lifecycle_status": "in_use" if i % 4 == 0 else "in_stock",
                "description": "batch asset %d" % i,
                "quantity": 1 + i % 5,
            }
            if i < 8:
                a["serial"] = "xAbCx-%s-%d" % (run, i)  # for serial__ic=abc
            if i in (10, 11):
                a["serial"] = "DUP-" + run
            if i % 10 == 0:
                a["price"] = 10 + i
                a["currency"] = "USD"
                a["order_contract"] = S["contract"].id
            if i % 7 == 0:
                a["assigned_object_type"] = "dcim.device"
                a["assigned_object_id"] = 100 + i
            batch.append(a)
        created = inv.assets.create(batch)
        assert isinstance(created, list) and len(created) == 64, created
        assert [r.serial for r in created] == [a["serial"] for a in batch], "bulk create order/serials differ"
        assert len(set(ids(created))) == 64
        S["single"] = single
        S["batch"] = created
        S["created"] = 65
        S["cisco"] = 1 + sum(1 for a in batch if a["vendor"] == "Cisco")
        S["in_use"] = 1 + sum(1 for a in batch if a["lifecycle_status"] == "in_use")
    fatal_step("assets.create(dict) and assets.create([64 dicts])", create_assets)

    @step("assets.all(): ?limit=0 returns everything")
    def _():
        allr = list(inv.assets.all())
        assert len(allr) == S["assets_before"] + S["created"], "all() gave %d, want %d" % (
            len(allr), S["assets_before"] + S["created"])
        assert len(set(ids(allr))) == len(allr), "duplicate ids in all()"
        rs = inv.assets.all()
        assert len(rs) == S["assets_before"] + S["created"], "len(RecordSet) = %d" % len(rs)

    @step("assets.all(limit=25) and filter(limit=10): follows next over several pages")
    def _():
        paged = list(inv.assets.all(limit=25))
        assert len(paged) == S["assets_before"] + S["created"], "paged all() gave %d" % len(paged)
        assert len(set(ids(paged))) == len(paged), "duplicate ids across pages"
        f = list(inv.assets.filter(vendor="Juniper", limit=10))
        assert len(f) == S["created"] - S["cisco"], "filter(vendor=Juniper, limit=10) gave %d" % len(f)
        assert all(r.vendor == "Juniper" for r in f)
        page = list(inv.assets.all(limit=5, offset=5))
        assert len(page) == 5, "all(limit=5, offset=5) gave %d" % len(page)

    @step("assets.filter(serial=...), q, lifecycle_status, serial__ic, id=[...]")
    def _():
        r = list(inv.assets.filter(serial="UNIQUE-" + run))
        assert ids(r) == [S["single"].id], ids(r)
        r = list(inv.assets.filter(serial="unique-" + run))  # serial is iexact
        assert ids(r) == [S["single"].id], "serial filter should be case-insensitive: %r" % ids(r)
        r = list(inv.assets.filter(q="PNB-" + run))
        assert len(r) == 64 - 8 - 2, "q=PNB-run gave %d" % len(r)
        r = list(inv.assets.filter("first asset"))  # positional arg is q
        assert ids(r) == [S["single"].id], ids(r)
        r = list(inv.assets.filter(lifecycle_status="in_use"))
        assert len(r) == S["in_use"], "lifecycle_status=in_use gave %d, want %d" % (len(r), S["in_use"])
        assert all(x.lifecycle_status == "in_use" for x in r)
        r = list(inv.assets.filter(serial__ic="abc"))
        assert len(r) == 8, "serial__ic=abc gave %d" % len(r)
        want = ids(S["batch"][:3])
        r = list(inv.assets.filter(id=want))  # repeated ?id=
        assert sorted(ids(r)) == sorted(want), ids(r)
        r = list(inv.assets.filter(lifecycle_status=["in_use", "in_stock"], vendor="Cisco"))
        assert len(r) == S["cisco"], len(r)
        r = list(inv.assets.filter(type_id=S["type2"].id))
        assert len(r) == 32, "type_id filter gave %d" % len(r)
        r = list(inv.assets.filter(serial="no-such-serial-" + run))
        assert r == [], r

    @step("assets.count() and count(vendor='Cisco')")
    def _():
        n = inv.assets.count()
        assert n == S["assets_before"] + S["created"], "count() = %d" % n
        n = inv.assets.count(vendor="Cisco")
        assert n == S["cisco"], "count(vendor=Cisco) = %d, want %d" % (n, S["cisco"])
        n = inv.assets.count("PNB-" + run)
        assert n == 54, "count(q) = %d" % n

    @step("assets.get(id), get(serial=unique), get(999999) is None, get(duplicate) raises ValueError")
    def _():
        a = inv.assets.get(S["single"].id)
        assert a is not None and a.id == S["single"].id and a.serial == "UNIQUE-" + run, a
        a = inv.assets.get(serial="UNIQUE-" + run)
        assert a is not None and a.id == S["single"].id, a
        assert inv.assets.get(999999) is None, "get(999999) should be None"
        assert inv.assets.get(serial="nothing-" + run) is None
        try:
            inv.assets.get(serial="DUP-" + run)
        except ValueError as e:
            assert "more than one" in str(e), str(e)
        else:
            raise AssertionError("get(serial=duplicate) did not raise ValueError")

    @step("record: nested type.id, str(record) == display, lazy load from brief")
    def _():
        a = inv.assets.get(S["single"].id)
        assert a.type.id == S["type"].id, a.type
        assert a.type.slug == "server-" + run, dict(a.type)
        assert str(a.type) == "Server " + run, str(a.type)
        assert a.order_contract.id == S["contract"].id
        assert str(a) == a.display, "str(record) %r != display %r" % (str(a), a.display)
        assert a.display == "PN-1 [UNIQUE-%s] (Cisco)" % run, a.display
        d = dict(a)
        assert d["type"]["id"] == S["type"].id and d["id"] == a.id, d
        b = next(inv.assets.filter(serial="UNIQUE-" + run, brief=1))
        assert b.serial == "UNIQUE-" + run
        assert b.vendor == "Cisco", "brief record should load the full object for vendor: %r" % b.vendor
        assert b.has_details is True

    @step("record.save() and record.update()")
    def _():
        a = inv.assets.get(S["batch"][1].id)
        assert a.save() is False, "save() without changes must not send anything"
        a.description = "saved by pynetbox"
        a.lifecycle_status = "in_maintenance"
        assert a.updates() == {"description": "saved by pynetbox", "lifecycle_status": "in_maintenance"}, a.updates()
        assert a.save() is True
        b = inv.assets.get(a.id)
        assert b.description == "saved by pynetbox", b.description
        assert b.lifecycle_status == "in_maintenance", b.lifecycle_status
        assert b.serial == a.serial and b.type.id == S["type2"].id, dict(b)
        assert b.update({"vendor": "Arista", "quantity": 7, "type": S["type"].id}) is True
        c = inv.assets.get(a.id)
        assert (c.vendor, c.quantity, c.type.id) == ("Arista", 7, S["type"].id), dict(c)
        c.type = S["type2"].id  # a nested field set to an id
        c.assignment_status = "deployed"
        c.price = 99.99
        c.currency = "CZK"
        assert c.save() is True
        d = inv.assets.get(a.id)
        assert d.type.id == S["type2"].id and d.assignment_status == "deployed", dict(d)
        assert float(d.price) == 99.99 and d.currency == "CZK", (d.price, d.currency)
        d.price = None
        d.currency = None
        assert d.save() is True
        e = inv.assets.get(a.id)
        assert e.price is None and e.currency is None, (e.price, e.currency)
        S["saved_id"] = a.id

    @step("bulk assets.update([dicts]) and update([Records])")
    def _():
        a, b = S["batch"][2].id, S["batch"][3].id
        res = inv.assets.update([{"id": a, "description": "x"}, {"id": b, "description": "y"}])
        assert isinstance(res, list) and len(res) == 2, res
        got = {r.id: r.description for r in res}
        assert got == {a: "x", b: "y"}, got
        assert inv.assets.get(a).description == "x"
        assert inv.assets.get(b).description == "y"
        recs = [inv.assets.get(S["batch"][4].id), inv.assets.get(S["batch"][5].id)]
        for r in recs:
            r.vendor = "Bulk " + str(r.id)
        res = inv.assets.update(recs)
        assert sorted(ids(res)) == sorted(ids(recs)), res
        for r in recs:
            assert inv.assets.get(r.id).vendor == "Bulk " + str(r.id)
        n = inv.assets.filter(serial__ic="abc").update(project="PRJ-" + run)
        assert n and len(n) == 8, n
        assert inv.assets.count(project="PRJ-" + run) == 8

    @step("choices(): assets, rmas, contracts")
    def _():
        ch = inv.assets.choices()
        for key, want in (
            ("assignment_status", ["reserved", "deployed", "loaned", "stocked"]),
            ("lifecycle_status", ["new", "in_stock", "in_use", "in_maintenance", "retired", "disposed"]),
        ):
            assert key in ch, "asset choices lack %s: %r" % (key, sorted(ch))
            vals = [c["value"] for c in ch[key]]
            assert vals == want, "%s values %r, want %r" % (key, vals, want)
            assert all(c.get("display_name") for c in ch[key]), ch[key]
        labels = {c["value"]: c["display_name"] for c in ch["lifecycle_status"]}
        assert labels["in_stock"] == "In Stock", labels
        rc = inv.rmas.choices()
        vals = [c["value"] for c in rc["status"]]
        assert vals == ["pending", "shipped", "received", "investigating", "approved", "rejected", "completed"], vals
        cc = inv.contracts.choices()
        assert [c["value"] for c in cc["type"]] == ["supply", "order", "service", "other"], cc["type"]

    @step("validation: price without currency → RequestError 400 on currency; bulk failure writes nothing")
    def _():
        e = expect_request_error(400, inv.assets.create, serial="BAD-" + run, price=10)
        assert "currency" in e.error, e.error
        assert "currency" in e.req.json(), e.req.json()
        assert inv.assets.count(serial="BAD-" + run) == 0
        before = inv.assets.count()
        e = expect_request_error(400, inv.assets.create, [
            {"serial": "ATOMIC-1-" + run}, {"serial": "ATOMIC-2-" + run, "price": 5}])
        body = e.req.json()
        assert isinstance(body, list) and len(body) == 2, body
        assert body[0] == {} and "currency" in body[1], body
        assert inv.assets.count() == before, "a failed bulk create wrote rows"
        e = expect_request_error(400, inv.assets.create, serial="BADCHOICE-" + run, lifecycle_status="bogus")
        assert "lifecycle_status" in e.error, e.error
        r = inv.assets.get(S["single"].id)
        r.currency = None
        e = expect_request_error(400, r.save)
        assert "currency" in e.error, e.error

    @step("bulk delete by ids, by Records, by RecordSet; record.delete()")
    def _():
        victims = inv.assets.create([{"serial": "DEL-%s-%d" % (run, i)} for i in range(8)])
        v = ids(victims)
        assert inv.assets.delete(v[0:2]) is True
        assert inv.assets.delete(victims[2:4]) is True
        assert inv.assets.delete(inv.assets.filter(id=v[4:6])) is True
        assert victims[6].delete() is True
        assert inv.assets.get(v[7]).delete() is True
        for i in v:
            assert inv.assets.get(i) is None, "asset %d still exists" % i
        assert inv.assets.count() == S["assets_before"] + S["created"]
        # An asset with an order contract is protected: 409, nothing deleted.
        e = expect_request_error(409, S["single"].delete)
        assert "detail" in e.req.json(), e.error
        assert inv.assets.get(S["single"].id) is not None
        e = expect_request_error(409, inv.assets.delete, [S["batch"][0].id, S["batch"][1].id])
        assert inv.assets.get(S["batch"][1].id) is not None, "a failed bulk delete deleted rows"

    @step("pynetbox idioms: strings for numbers, dict lookups, null via save(), naive datetimes")
    def _():
        a = inv.assets.create(serial="IDIOM-" + run, price="10.50", currency="EUR", quantity="3",
                              type={"slug": "server-" + run}, assigned_object_type="dcim.site",
                              assigned_object_id="5", warranty_end=datetime.date(2030, 1, 31).isoformat())
        assert (float(a.price), a.quantity, a.type.id) == (10.5, 3, S["type"].id), dict(a)
        assert a.assigned_object_id == 5 and a.warranty_end == "2030-01-31", dict(a)
        assert ids(inv.assets.filter(warranty_end__lte=datetime.date(2030, 2, 1), serial="IDIOM-" + run)) == [a.id]
        a.type = None
        a.assigned_object_type = None
        a.assigned_object_id = None
        assert a.save() is True
        b = inv.assets.get(a.id)
        assert b.type is None and b.assigned_object is None and b.assigned_object_type is None, dict(b)
        assert [x.serial for x in inv.assets.filter(has_duplicates=True)] == ["DUP-" + run] * 2
        parent = inv.contracts.create(name="Parent " + run, name_internal="P-" + run, type="order")
        sub = inv.contracts.create(name="Sub " + run, name_internal="S-" + run, type="order", parent=parent.id)
        assert sub.parent.id == parent.id and sub.contract_type == "subcontract", dict(sub)
        sub.parent = None
        assert sub.save() is True and inv.contracts.get(sub.id).parent is None
        naive = datetime.datetime.now().replace(microsecond=123456)
        p = inv.probes.create(name="naive", serial="NAIVE-" + run, time=naive.isoformat(),
                              creation_time=(naive - datetime.timedelta(days=1)).isoformat())
        assert p.time.startswith(naive.strftime("%Y-%m-%dT%H:%M:%S.123456")), p.time
        assert p.delete() is True
        assert sub.delete() is True and parent.delete() is True
        assert a.delete() is True

    @step("probes: create 1000 in one call, all() pages past 1000, filter(serial, latest_only=True)")
    def _():
        t0 = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) - datetime.timedelta(hours=1)
        before = inv.probes.count()
        body = [{
            "name": "probe %d" % i, "serial": "PRB-%s-%04d" % (run, i), "part": "PART-%d" % (i % 10),
            "time": t0.isoformat(), "creation_time": (t0 - datetime.timedelta(days=1)).isoformat(),
            "device_descriptor": "dev-%d" % (i % 50), "discovered_data": {"slot": i % 4},
        } for i in range(1000)]
        created = inv.probes.create(body)
        assert isinstance(created, list) and len(created) == 1000, len(created)
        assert created[999].serial == "PRB-%s-0999" % run
        serial = "PRB-%s-0007" % run
        for k in range(1, 6):
            inv.probes.create(name="probe 7 again", serial=serial,
                              time=(t0 + datetime.timedelta(minutes=k)).isoformat(),
                              creation_time=(t0 - datetime.timedelta(days=1)).isoformat())
        allp = list(inv.probes.all())
        assert len(allp) == before + 1005, "probes.all() gave %d, want %d" % (len(allp), before + 1005)
        assert len(set(ids(allp))) == len(allp), "duplicate probe ids across pages"
        # threading=True fetches the pages after the first by offset, in parallel.
        tp = list(client(TOKEN, threading=True).plugins.inventory_monitor.probes.all())
        assert sorted(ids(tp)) == sorted(ids(allp)), "threading all() gave %d probes" % len(tp)
        p2 = list(inv.probes.filter(time__gte=t0 + datetime.timedelta(seconds=30)))  # a datetime object as value
        assert len(p2) == 5, "time__gte=<datetime> gave %d" % len(p2)
        assert inv.probes.count(serial=serial) == 6
        latest = list(inv.probes.filter(serial=serial, latest_only=True))
        assert len(latest) == 1, "latest_only gave %d rows" % len(latest)
        assert parse_time(latest[0].time) == t0 + datetime.timedelta(minutes=5), latest[0].time
        assert latest[0].discovered_data is not None
        p = inv.probes.get(created[0].id)
        assert p.serial == "PRB-%s-0000" % run and p.name == "probe 0", dict(p)
        assert dict(p)["discovered_data"] == {"slot": 0}, dict(p)["discovered_data"]

    @step("RMA: create, status=completed + replacement_serial, save() → asset serial replaced")
    def _():
        asset = inv.assets.get(S["batch"][20].id)
        old = asset.serial
        rma = inv.rmas.create(asset=asset.id, rma_number="RMA-" + run, issue_description="fan failure")
        assert rma.status == "investigating", rma.status
        assert rma.original_serial == old, rma.original_serial
        assert rma.asset.id == asset.id, dict(rma)
        rma.status = "completed"
        rma.replacement_serial = "NEW"
        assert rma.updates() == {"status": "completed", "replacement_serial": "NEW"}, rma.updates()
        assert rma.save() is True
        assert inv.assets.get(asset.id).serial == "NEW", "asset serial not replaced"
        r = inv.rmas.get(rma.id)
        assert (r.status, r.original_serial, r.replacement_serial) == ("completed", old, "NEW"), dict(r)
        assert inv.rmas.count(serial="NEW") >= 1
        assert [x.id for x in inv.rmas.filter(status="completed", rma_number="RMA-" + run)] == [rma.id]

    @step("external inventory with assets=[...] → asset_numbers")
    def _():
        a, b = S["batch"][30].id, S["batch"][31].id
        e1 = inv.external_inventory.create(inventory_number="INV-1-" + run, name="Server HW", assets=[a, b])
        assert sorted(x.id for x in e1.assets) == sorted([a, b]), dict(e1)
        assert inv.assets.get(a).asset_numbers == "INV-1-" + run, inv.assets.get(a).asset_numbers
        e2 = inv.external_inventory.create({"inventory_number": "INV-2-" + run, "name": "Other", "assets": [a]})
        assert inv.assets.get(a).asset_numbers == "INV-1-%s, INV-2-%s" % (run, run), inv.assets.get(a).asset_numbers
        assert inv.assets.get(b).asset_numbers == "INV-1-" + run
        got = ids(inv.assets.filter(external_inventory_items=e2.id))
        assert got == [a], got
        e1.assets = [a]  # save() sends the ids
        assert e1.save() is True
        assert inv.assets.get(b).asset_numbers is None, inv.assets.get(b).asset_numbers
        assert [x.id for x in inv.external_inventory.get(e1.id).assets] == [a]
        assert ids(inv.external_inventory.filter(asset_id=a, limit=1)) == sorted([e1.id, e2.id])

    @step("object changes: filter(changed_object_type='inventory_monitor.asset')")
    def _():
        oc = nb.plugins.inventory_monitor.object_changes
        ch = list(oc.filter(changed_object_type="inventory_monitor.asset"))
        assert ch, "no change-log entries for assets"
        assert all(c.changed_object_type == "inventory_monitor.asset" for c in ch), {c.changed_object_type for c in ch}
        actions = {c.action.value for c in ch}
        assert {"create", "update", "delete"} <= actions, actions
        c = next(oc.filter(changed_object_type="inventory_monitor.asset", changed_object_id=S["saved_id"], action="update"))
        assert c.request_id, dict(c)
        if USERNAME:
            assert c.user_name == USERNAME, c.user_name
        assert c.postchange_data is not None
        assert oc.count(changed_object_type="inventory_monitor.asset") == len(ch)
        one = oc.get(c.id)
        assert one.id == c.id and one.changed_object_id == S["saved_id"], dict(one)

    @step("object changes: NetBox's filters (repeated changed_object_id ORed, user_name)")
    def _():
        oc = nb.plugins.inventory_monitor.object_changes
        t = "inventory_monitor.asset"
        a, b = S["batch"][2].id, S["batch"][3].id
        na = oc.count(changed_object_type=t, changed_object_id=a)
        nb_ = oc.count(changed_object_type=t, changed_object_id=b)
        assert na >= 2 and nb_ >= 2, (na, nb_)
        both = oc.count(changed_object_type=t, changed_object_id=[a, b])
        assert both == na + nb_, "changed_object_id=[a, b] gave %d, want %d + %d" % (both, na, nb_)
        n = oc.count(action=["create", "update"], changed_object_type=t, changed_object_id=a)
        assert n == na, "action=[create, update] gave %d, want %d" % (n, na)
        n = oc.count(user_name="nobody-" + run)
        assert n == 0, "user_name=<unknown user> gave %d entries, want 0" % n

    @step("extras.tags: create, get, filter, count, save, validation")
    def _():
        tags = nb.extras.tags
        name = "prod-" + run
        before = tags.count()
        t = tags.create(name=name, slug=name, color="ff0000")
        assert t.id and t.name == name and t.color == "ff0000", dict(t)
        assert t.tagged_items == 0 and t.description == "", dict(t)
        assert t.url.endswith("/api/extras/tags/%d/" % t.id), t.url
        assert tags.get(t.id).slug == name
        assert tags.get(slug=name).id == t.id
        assert ids(tags.filter(name=name)) == [t.id]
        assert ids(tags.filter(q=name)) == [t.id]
        assert tags.count() == before + 1
        assert t.id in ids(tags.all())
        assert tags.get(999999) is None
        t.description = "production"
        assert t.save()
        assert tags.get(t.id).description == "production"
        e = expect_request_error(400, tags.create, name=name, slug="other-" + run)
        assert "name" in e.req.json(), e.error
        e = expect_request_error(400, tags.create, name="bad-" + run, slug="bad " + run, color="red")
        assert set(e.req.json()) == {"slug", "color"}, e.error
        S["tag"] = t

    @step("extras.tags: tag an asset by name, filter assets by tag, delete the tag untags it")
    def _():
        tags = nb.extras.tags
        t = S["tag"]
        a = inv.assets.create(serial="TAGGED-" + run, tags=[{"name": t.name}])
        assert [x.slug for x in a.tags] == [t.slug], a.tags
        assert a.tags[0].description == "production", "nested tag's full details (GET its url)"
        assert ids(inv.assets.filter(tag=t.slug)) == [a.id]
        assert inv.assets.count(tag=t.slug) == 1
        assert tags.get(t.id).tagged_items == 1
        ch = list(nb.plugins.inventory_monitor.object_changes.filter(changed_object_type="extras.tag", changed_object_id=t.id))
        assert sorted(c.action.value for c in ch) == ["create", "update"], [c.action.value for c in ch]
        assert t.delete()
        assert tags.get(t.id) is None
        assert inv.assets.get(a.id).tags == [], inv.assets.get(a.id).tags
        made = tags.create([{"name": "b1-" + run, "slug": "b1-" + run}, {"name": "b2-" + run, "slug": "b2-" + run}])
        assert [m.color for m in made] == ["9e9e9e", "9e9e9e"], [dict(m) for m in made]
        updated = tags.update([{"id": made[0].id, "color": "00ff00"}])
        assert updated[0].color == "00ff00", dict(updated[0])
        assert tags.delete([m.id for m in made])
        assert tags.count(name=["b1-" + run, "b2-" + run]) == 0
        assert a.delete()

    finish()


# --------------------------------------------------------------------------
# read-only token
# --------------------------------------------------------------------------

def seed():
    nb = client(TOKEN)
    inv = nb.plugins.inventory_monitor

    @step("seed: asset type and two assets")
    def _():
        t = inv.asset_types.create(name="Seed", slug="seed")
        inv.assets.create([{"serial": "RO-1", "type": t.id}, {"serial": "RO-2", "type": t.id}])

    finish()


def read_only():
    nb = client(TOKEN)
    inv = nb.plugins.inventory_monitor

    @step("read-only token: reads work")
    def _():
        assert nb.version == "4.6", nb.version
        assert "inventory_monitor" in nb.status()["plugins"]
        assert inv.assets.count() == 2, inv.assets.count()
        assert sorted(a.serial for a in inv.assets.all()) == ["RO-1", "RO-2"]
        assert inv.assets.get(serial="RO-1").type.slug == "seed"
        assert "lifecycle_status" in inv.assets.choices()

    @step("read-only token: every write raises RequestError 403")
    def _():
        a = inv.assets.get(serial="RO-1")
        e = expect_request_error(403, inv.assets.create, serial="RO-3")
        assert "permission" in e.error, e.error
        expect_request_error(403, inv.assets.create, [{"serial": "RO-3"}, {"serial": "RO-4"}])
        a.description = "changed"
        expect_request_error(403, a.save)
        expect_request_error(403, inv.assets.update, [{"id": a.id, "description": "x"}])
        expect_request_error(403, a.delete)
        expect_request_error(403, inv.assets.delete, [a.id])
        expect_request_error(403, inv.asset_types.create, name="X", slug="x")
        expect_request_error(403, nb.extras.tags.create, name="X", slug="x")
        b = inv.assets.get(a.id)
        assert b is not None and b.description == "", dict(b)
        assert inv.assets.count() == 2

    @step("bad or missing token: 403 (nb.version stays public)")
    def _():
        bad = client("nbt_abcdefghijkl." + "x" * 40)
        assert bad.version == "4.6"
        e = expect_request_error(403, bad.plugins.inventory_monitor.assets.count)
        assert "detail" in e.req.json(), e.error
        anon = client()
        e = expect_request_error(403, anon.plugins.inventory_monitor.assets.all)
        assert "credentials" in e.error, e.error

    finish()


def main():
    global URL, TOKEN, USERNAME
    URL = os.environ.get("NETBOX_URL")
    TOKEN = os.environ.get("NETBOX_TOKEN")
    USERNAME = os.environ.get("NETBOX_USERNAME")
    if not URL or not TOKEN:
        print("set NETBOX_URL and NETBOX_TOKEN", file=sys.stderr)
        sys.exit(2)
    log("pynetbox %s, requests %s, python %s, server %s" % (
        pynetbox.__version__, requests.__version__, sys.version.split()[0], URL))
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "--read-only":
        read_only()
    elif mode == "--seed":
        seed()
    elif mode == "":
        full()
    else:
        print("unknown mode %r" % mode, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
