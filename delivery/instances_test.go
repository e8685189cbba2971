package delivery

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"newsdigest/adapters/discord"
	"newsdigest/adapters/discord/fakediscord"
	"newsdigest/adapters/telegram"
	"newsdigest/adapters/telegram/faketelegram"
	"newsdigest/digest"
	"newsdigest/store/postgres"
	"newsdigest/store/postgres/pgtest"
)

// TestThreeInstancesOnePostgres runs three bot instances against one
// PostgreSQL database, the fake Discord and the fake Telegram, kills one in
// the middle of the digests, and checks at the fakes: every Discord channel
// got every part of its digest exactly once, in order; every Telegram chat
// got every part in order, with a second copy only of a part that the
// killed instance had in flight (Telegram has no idempotency key: the
// documented window of at most one duplicate).
func TestThreeInstancesOnePostgres(t *testing.T) {
	dsn := pgtest.Schema(t)
	ctx := context.Background()
	open := func() *postgres.Store {
		st, err := postgres.Open(ctx, dsn, postgres.WithLogger(quiet()))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	seed := open()
	dc := fakediscord.New(t, fakediscord.WithRate(1000), fakediscord.WithChannelRate(0, time.Second))
	tg := faketelegram.New(faketelegram.Options{GlobalPerSecond: 1000, PerChatInterval: -1, GroupPerMinute: -1})
	t.Cleanup(tg.Close)

	var dcChats, tgChats []string
	for i := range 6 {
		dcChats = append(dcChats, fmt.Sprintf("30000000000000%04d", i))
		tgChats = append(tgChats, fmt.Sprintf("100%d", i))
	}
	for _, c := range dcChats {
		subscribeAt(t, seed, digest.Discord, c)
	}
	for _, c := range tgChats {
		subscribeAt(t, seed, digest.Telegram, c)
	}
	for i := 1; i <= 24; i++ { // 24 stories of long lines: several parts per digest
		line := strings.Repeat(fmt.Sprintf("Story %d says more. ", i), 16)[:300]
		if _, err := seed.AddArticle(ctx, digest.StoredArticle{URL: fmt.Sprintf("https://example.com/%d", i), Headline: fmt.Sprintf("S%d", i),
			Summary: []string{line, line, line}, FirstSeen: berlin08.Add(-time.Duration(i) * time.Minute), ContentHash: fmt.Sprint("h", i)}); err != nil {
			t.Fatal(err)
		}
	}

	clock := &fakeClock{t: berlin08.Add(time.Second)}
	type instance struct {
		cancel context.CancelFunc
		done   chan error
	}
	start := func(owner string) instance {
		// Each instance paces itself to 20 messages a second, so the
		// digests take long enough to kill one in the middle.
		d, err := discord.New(discord.Config{Token: fakediscord.Token, APIURL: dc.APIURL(), RequestsPerSecond: 20,
			ChannelMessages: 1000, ChannelWindow: time.Millisecond}, noCommands{}, quiet())
		if err != nil {
			t.Fatal(err)
		}
		tb, err := telegram.New(telegram.Config{Token: tg.Token(), APIURL: tg.URL(), MessagesPerSecond: 20,
			PerChatInterval: time.Millisecond, GroupPerMinute: 100000}, noCommands{}, quiet())
		if err != nil {
			t.Fatal(err)
		}
		o := testOptions(clock)
		o.Owner = owner
		o.Concurrency = 2
		o.Lease = 2 * time.Second // a dead instance's parts are taken over quickly
		o.SendTimeout = time.Second
		e := New(open(), []digest.Messenger{d, tb}, o)
		ictx, cancel := context.WithCancel(ctx)
		in := instance{cancel: cancel, done: make(chan error, 1)}
		go func() { in.done <- e.Run(ictx) }()
		return in
	}
	insts := []instance{start("i1"), start("i2"), start("i3")}

	// Kill the first instance once the digests are under way.
	waitFor(t, "digests under way", func() bool { return dc.MessageCount() >= 8 && tg.Delivered() >= 8 })
	insts[0].cancel()
	if err := <-insts[0].done; err != nil {
		t.Fatal(err)
	}
	inFlight := map[string]int{}
	for _, d := range outbox(t, seed) {
		if d.State == digest.Sending && d.Owner == "i1" {
			inFlight[d.Key]++
		}
	}

	waitFor(t, "every part final", func() bool { return allFinal(outbox(t, seed)) })
	for _, in := range insts[1:] {
		in.cancel()
		if err := <-in.done; err != nil {
			t.Fatal(err)
		}
	}

	final := outbox(t, seed)
	parts := map[string]int{}
	for _, d := range final {
		if d.State != digest.Sent {
			t.Errorf("part %s is %s: %s", d.Key, d.State, d.Error)
		}
		parts[d.ChatID]++
	}
	if parts[dcChats[0]] < 3 {
		t.Fatalf("digests of %d parts: the test needs several", parts[dcChats[0]])
	}
	// What each fake received, mapped back to outbox keys.
	byNonce, byText := map[string]string{}, map[string]string{}
	for _, d := range final {
		if d.Platform == digest.Discord {
			byNonce[discord.Nonce(d.Key)] = d.Key
			continue
		}
		var m struct{ Text string }
		if err := json.Unmarshal(d.Payload, &m); err != nil {
			t.Fatal(err)
		}
		byText[d.ChatID+"\x00"+m.Text] = d.Key
	}
	var dcMsgs, tgMsgs []sent
	for _, c := range dcChats {
		for _, m := range dc.Messages(c) {
			dcMsgs = append(dcMsgs, sent{Chat: c, Key: byNonce[m.Nonce]})
		}
	}
	for _, c := range tgChats {
		for _, m := range tg.Messages(c) {
			tgMsgs = append(tgMsgs, sent{Chat: c, Key: byText[c+"\x00"+m.Text]})
		}
	}
	checkDelivered(t, dcMsgs, dcChats, parts[dcChats[0]], true, nil)
	checkDelivered(t, tgMsgs, tgChats, parts[tgChats[0]], false, inFlight)
	if v := dc.Violations(); len(v) > 0 {
		t.Errorf("fake Discord saw violations: %q", v)
	}
	if v := afterKill(tg.Violations()); len(v) > 0 {
		t.Errorf("fake Telegram saw violations: %q", v)
	}
	owners := map[string]int{}
	for _, d := range final {
		owners[d.Owner]++
	}
	t.Logf("%d Discord and %d Telegram parts; last owners %v; Telegram parts in flight at the kill: %d", len(dcMsgs), len(tgMsgs), owners, len(inFlight))
}

func subscribeAt(t *testing.T, st digest.Store, p digest.Platform, chat string) {
	t.Helper()
	if _, err := st.SaveSubscription(context.Background(), digest.Subscription{Platform: p, ChatID: chat, Time: "08:00",
		TimeZone: "Europe/Berlin", MaxStories: 24, Active: true, NextRun: berlin08, Cutoff: berlin08.Add(-24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
}
