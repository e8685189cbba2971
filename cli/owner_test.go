package cli

import (
	"context"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"newsdigest/store/sqlite"
)

// TestSecondProcessSameInstanceDoesNotPoll: two processes started with the
// same NEWSDIGEST_INSTANCE share a store; only the first takes the
// Telegram poller's lease, the second waits.
func TestSecondProcessSameInstanceDoesNotPoll(t *testing.T) {
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "news.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	saved := owner
	defer func() { owner = saved; nonceOnce, nonce = sync.Once{}, "" }()
	owner = "same-host"
	log := slog.New(slog.DiscardHandler)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := waitForLease(ctx, st, "telegram-poller", log, func() { t.Error("the first process waited") }); err != nil {
		t.Fatal(err)
	}

	// The second process: the same instance name, its own nonce.
	nonceOnce, nonce = sync.Once{}, ""
	waited := false
	ctx2, cancel2 := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel2()
	err = waitForLease(ctx2, st, "telegram-poller", log, func() { waited = true })
	if err == nil || !waited {
		t.Errorf("the second process with the same instance name took the lease (err %v, waited %v)", err, waited)
	}
}
