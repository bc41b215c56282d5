package inventory

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestChoiceSetsMatchUpstreamValuesAndDefaults(t *testing.T) {
	tests := []struct {
		set      ChoiceSet
		key, def string
		values   []string
	}{
		{AssignmentStatus, "inventory_monitor.asset.assignment_status", "stocked", []string{"reserved", "deployed", "loaned", "stocked"}},
		{LifecycleStatus, "inventory_monitor.asset.lifecycle_status", "new", []string{"new", "in_stock", "in_use", "in_maintenance", "retired", "disposed"}},
		{ContractType, "inventory_monitor.Contract.type", "", []string{"supply", "order", "service", "other"}},
		{RMAStatus, "inventory_monitor.RMA.status", "investigating", []string{"pending", "shipped", "received", "investigating", "approved", "rejected", "completed"}},
		{WarrantyStatusBands, "", "", []string{"expired", "expiring", "valid", "none"}},
		{ServiceStatusBands, "", "", []string{"expired", "expiring", "valid", "none"}},
	}
	for _, tt := range tests {
		if tt.set.Key != tt.key || tt.set.Default != tt.def {
			t.Errorf("set %q: key/default = %q/%q, want %q/%q", tt.key, tt.set.Key, tt.set.Default, tt.key, tt.def)
		}
		if diff := cmp.Diff(tt.values, tt.set.Values()); diff != "" {
			t.Errorf("set %q values (-want +got):\n%s", tt.key, diff)
		}
		if tt.def != "" && !tt.set.Has(tt.def) {
			t.Errorf("set %q: default %q is not a member", tt.key, tt.def)
		}
	}
}

func TestChoiceSetLabelAndColorFallBackForUnknownValues(t *testing.T) {
	tests := []struct {
		set               ChoiceSet
		value, label, col string
	}{
		{RMAStatus, "shipped", "Shipped to Vendor", "blue"},
		{RMAStatus, "pending", "Pending", "yellow"},
		{LifecycleStatus, "in_maintenance", "In Maintenance", "orange"},
		{ContractType, "supply", "Supply Contract", "green"},
		{AssignmentStatus, "reserved", "Reserved", "cyan"},
		{AssignmentStatus, "bogus", "bogus", "gray"},
		{ContractType, "", "", "gray"},
		{WarrantyStatusBands, "expiring", "Expiring soon", "gray"},
		{WarrantyStatusBands, "none", "Not set", "gray"},
		{ServiceStatusBands, "none", "No service records", "gray"},
	}
	for _, tt := range tests {
		if got := tt.set.Label(tt.value); got != tt.label {
			t.Errorf("Label(%q) = %q, want %q", tt.value, got, tt.label)
		}
		if got := tt.set.Color(tt.value); got != tt.col {
			t.Errorf("Color(%q) = %q, want %q", tt.value, got, tt.col)
		}
	}
	if AssignmentStatus.Has("bogus") {
		t.Error(`Has("bogus") = true`)
	}
}
