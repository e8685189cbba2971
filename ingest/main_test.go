package ingest

import (
	"testing"

	"newsdigest/internal/testenv"
)

// TestMain reports the tests that skipped for want of PostgreSQL or ../shared.
func TestMain(m *testing.M) { testenv.Main(m) }
