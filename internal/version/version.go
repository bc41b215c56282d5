// Package version holds the service's version and the upstream versions
// it is compatible with.
package version

// Version of inventory-monitor; reported as plugins.inventory_monitor.
var Version = "0.1.0"

// Compatibility the API advertises to NetBox clients.
const (
	NetBoxVersion = "4.6.8"
	APIVersion    = "4.6"
	PluginVersion = "14.0.0" // upstream plugin behaviour we follow
)
