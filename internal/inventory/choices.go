package inventory

// Choice is one selectable value of a ChoiceSet.
type Choice struct{ Value, Label, Color string }

// ChoiceSet mirrors a NetBox ChoiceSet (upstream spec §2). Key is the
// FIELD_CHOICES key operators use to replace or extend the set.
type ChoiceSet struct {
	Key     string
	Choices []Choice
	Default string
}

func (s ChoiceSet) find(v string) (Choice, bool) {
	for _, c := range s.Choices {
		if c.Value == v {
			return c, true
		}
	}
	return Choice{}, false
}

// Has reports whether v is a value of the set.
func (s ChoiceSet) Has(v string) bool { _, ok := s.find(v); return ok }

// Label returns the label of v, or v itself when unknown.
func (s ChoiceSet) Label(v string) string {
	if c, ok := s.find(v); ok {
		return c.Label
	}
	return v
}

// Color returns the badge colour of v, or "gray" when v is unknown or has none.
func (s ChoiceSet) Color(v string) string {
	if c, ok := s.find(v); ok && c.Color != "" {
		return c.Color
	}
	return "gray"
}

// Values returns the values in declaration order.
func (s ChoiceSet) Values() []string {
	vs := make([]string, len(s.Choices))
	for i, c := range s.Choices {
		vs[i] = c.Value
	}
	return vs
}

// ObjectChangeAction is the action of a change-log entry (NetBox's
// ObjectChangeActionChoices).
var ObjectChangeAction = ChoiceSet{
	Key: "core.objectchange.action",
	Choices: []Choice{
		{"create", "Created", "green"},
		{"update", "Updated", "blue"},
		{"delete", "Deleted", "red"},
	},
}

var AssignmentStatus = ChoiceSet{
	Key: "inventory_monitor.asset.assignment_status",
	Choices: []Choice{
		{"reserved", "Reserved", "cyan"},
		{"deployed", "Deployed", "green"},
		{"loaned", "Loaned", "blue"},
		{"stocked", "Stocked", "gray"},
	},
	Default: "stocked",
}

var LifecycleStatus = ChoiceSet{
	Key: "inventory_monitor.asset.lifecycle_status",
	Choices: []Choice{
		{"new", "New", "green"},
		{"in_stock", "In Stock", "blue"},
		{"in_use", "In Use", "cyan"},
		{"in_maintenance", "In Maintenance", "orange"},
		{"retired", "Retired", "red"},
		{"disposed", "Disposed", "gray"},
	},
	Default: "new",
}

// ContractType has no default: an omitted type is stored as "".
var ContractType = ChoiceSet{
	Key: "inventory_monitor.Contract.type",
	Choices: []Choice{
		{"supply", "Supply Contract", "green"},
		{"order", "Order", "red"},
		{"service", "Service Contract", "orange"},
		{"other", "Other", "blue"},
	},
}

var RMAStatus = ChoiceSet{
	Key: "inventory_monitor.RMA.status",
	Choices: []Choice{
		{"pending", "Pending", "yellow"},
		{"shipped", "Shipped to Vendor", "blue"},
		{"received", "Received by Vendor", "blue"},
		{"investigating", "Under Investigation", "blue"},
		{"approved", "Approved", "green"},
		{"rejected", "Rejected", "red"},
		{"completed", "Completed", "green"},
	},
	Default: "investigating",
}

// Date-status filter bands (upstream date_status.py). They are filter
// choices only, not replaceable via FIELD_CHOICES, so they carry no key.
var (
	WarrantyStatusBands = ChoiceSet{Choices: []Choice{
		{"expired", "Expired", ""},
		{"expiring", "Expiring soon", ""},
		{"valid", "Valid", ""},
		{"none", "Not set", ""},
	}}
	ServiceStatusBands = ChoiceSet{Choices: []Choice{
		{"expired", "Expired", ""},
		{"expiring", "Expiring soon", ""},
		{"valid", "Valid", ""},
		{"none", "No service records", ""},
	}}
)
