package cli

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"newsdigest/config"
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
	log := slog.New(slog.DiscardHandler)
	first, second := NewApp(config.Defaults(), log, "same-host"), NewApp(config.Defaults(), log, "same-host")
	first.store, second.store = st, st

	ctx, cancel := context.WithCancel(context.Background())
	defer func() { cancel(); first.leases.Wait() }()
	if err := first.waitForLease(ctx, "telegram-poller", func() { t.Error("the first process waited") }); err != nil {
		t.Fatal(err)
	}
	waited := false
	ctx2, cancel2 := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel2()
	err = second.waitForLease(ctx2, "telegram-poller", func() { waited = true })
	if err == nil || !waited {
		t.Errorf("the second process with the same instance name took the lease (err %v, waited %v)", err, waited)
	}
}
