// Package pace holds what both chat adapters need to keep within a
// platform's request budget.
package pace
