package cli

import (
	"testing"
	"time"

	"newsdigest/config"
)

// TestHostGapZeroMeansNone: `fetch.host_gap: 0s` is documented as allowed
// and means no gap, not the fetcher's default of one second.
func TestHostGapZeroMeansNone(t *testing.T) {
	for _, tc := range []struct {
		yaml string
		want time.Duration
	}{
		{"fetch:\n  host_gap: 0s\n", 0},
		{"fetch:\n  host_gap: 2s\n", 2 * time.Second},
		{"", time.Second}, // the default
	} {
		c, err := config.Parse([]byte(tc.yaml), "test.yaml", func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		if got := newFetcher(c, nil).Options().HostGap; got != tc.want {
			t.Errorf("%q: host gap = %s, want %s", tc.yaml, got, tc.want)
		}
	}
}
