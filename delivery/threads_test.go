package delivery

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdigest/adapters/discord/fakediscord"
	"newsdigest/adapters/telegram"
	"newsdigest/adapters/telegram/faketelegram"
	"newsdigest/digest"
	"newsdigest/store/sqlite"
)

// killAfterFirstPart lets the platform take the first part of a digest
// (the header that opens the thread, or the forum post) and then "dies":
// kill cancels the engine and the answer is lost, as with a kill -9
// between creating the thread and posting the cards.
type killAfterFirstPart struct {
	digest.Messenger
	mu     sync.Mutex
	killed bool
	kill   func()
}

func (m *killAfterFirstPart) Send(ctx context.Context, d digest.Delivery) (string, error) {
	m.mu.Lock()
	die := !m.killed && d.Part == 0
	m.killed = m.killed || die
	m.mu.Unlock()
	if !die {
		return m.Messenger.Send(ctx, d)
	}
	if _, err := m.Messenger.Send(context.WithoutCancel(ctx), d); err != nil {
		return "", err
	}
	m.kill()
	return "", ctx.Err()
}

// seedThreaded stores one subscription and n stories from sources named
// "Reuters" and "AP" alternately, due at berlin08.
func seedThreaded(t *testing.T, path string, sub digest.Subscription, n int) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path, sqlite.WithLogger(quiet()))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sub.Time, sub.TimeZone, sub.MaxStories, sub.Active = "08:00", "Europe/Berlin", n, true
	sub.NextRun, sub.Cutoff = berlin08, berlin08.Add(-24*time.Hour)
	if _, err := st.SaveSubscription(ctx, sub); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= n; i++ {
		src := []string{"Reuters", "AP"}[i%2]
		line := strings.Repeat(fmt.Sprintf("Story %d says more. ", i), 12)[:220]
		if _, err := st.AddArticle(ctx, digest.StoredArticle{URL: fmt.Sprintf("https://example.com/%d", i), Headline: fmt.Sprintf("S%d", i),
			Source: src, Summary: []string{line, line, line}, FirstSeen: berlin08.Add(-time.Duration(i) * time.Minute), ContentHash: fmt.Sprint("h", i),
			Image: "https://example.com/img/" + fmt.Sprint(i) + ".jpg"}); err != nil {
			t.Fatal(err)
		}
	}
}

// runKilledThenRestarted runs the engine until the kill after the first
// part, then a fresh engine (a restarted process) until every part is
// final, and returns the final outbox.
func runKilledThenRestarted(t *testing.T, path string, messenger func() digest.Messenger) []digest.Delivery {
	t.Helper()
	clock := &fakeClock{t: berlin08.Add(time.Second)}
	open := func() *sqlite.Store {
		st, err := sqlite.Open(context.Background(), path, sqlite.WithLogger(quiet()))
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	options := func() Options {
		o := testOptions(clock)
		o.Owner, o.Lease, o.SendTimeout = "instance-a", time.Minute, 20*time.Second
		return o
	}
	st := open()
	ctx, cancel := context.WithCancel(context.Background())
	killer := &killAfterFirstPart{Messenger: messenger(), kill: cancel}
	done := make(chan error, 1)
	go func() { done <- New(st, []digest.Messenger{killer}, options()).Run(ctx) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the engine never sent the first part")
	}
	st.Close()
	if !killer.killed {
		t.Fatal("the kill did not happen")
	}

	st = open()
	defer st.Close()
	ctx, cancel = context.WithCancel(context.Background())
	go func() { done <- New(st, []digest.Messenger{messenger()}, options()).Run(ctx) }()
	waitFor(t, "every part final after the restart", func() bool { return allFinal(outbox(t, st)) })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	final := outbox(t, st)
	for _, d := range final {
		if d.State != digest.Sent {
			t.Errorf("part %s is %s: %s", d.Key, d.State, d.Error)
		}
	}
	if len(final) < 2 {
		t.Fatalf("a digest of %d parts: the test needs several", len(final))
	}
	return final
}

// embedTitles counts the card titles in messages.
func embedTitles(msgs []fakediscord.Message) map[string]int {
	out := map[string]int{}
	for _, m := range msgs {
		for _, e := range m.Embeds {
			out[e.Title]++
		}
	}
	return out
}

func checkCardsOnce(t *testing.T, titles map[string]int, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		if c := titles[fmt.Sprintf("S%d", i)]; c != 1 {
			t.Errorf("card S%d posted %d times, want once", i, c)
		}
	}
}

func TestForumPostPerDigestThroughAKill(t *testing.T) {
	srv, messenger := fastDiscord(t)
	forum := "500000000000000001"
	srv.AddForum(forum, "700000000000000001", "Reuters", "Sport")
	path := filepath.Join(t.TempDir(), "bot.db")
	const n = 24
	seedThreaded(t, path, digest.Subscription{Platform: digest.Discord, ChatID: forum, GuildID: "700000000000000001", PostMode: digest.PostForum}, n)
	runKilledThenRestarted(t, path, messenger)

	threads := srv.Threads(forum)
	if len(threads) != 1 {
		t.Fatalf("forum has %d posts, want exactly one: %+v", len(threads), threads)
	}
	post := threads[0]
	if !strings.HasPrefix(post.Name, "Daily digest — ") || !strings.HasSuffix(post.Name, "2025") {
		t.Errorf("post title %q", post.Name)
	}
	if len(post.AppliedTags) != 1 || post.AppliedTags[0] != srv.TagID(forum, "Reuters") {
		t.Errorf("applied tags %v, want just the tag named like a source (%s)", post.AppliedTags, srv.TagID(forum, "Reuters"))
	}
	checkCardsOnce(t, embedTitles(srv.Messages(post.ID)), n)
	if got := srv.Messages(forum); len(got) != 0 {
		t.Errorf("%d messages posted into the forum channel itself", len(got))
	}
	if v := srv.Violations(); len(v) > 0 {
		t.Errorf("violations: %q", v)
	}
}

func TestThreadSubscriptionHeaderAndThreadThroughAKill(t *testing.T) {
	srv, messenger := fastDiscord(t)
	channel := "500000000000000002"
	srv.AddTextChannel(channel, "700000000000000001")
	path := filepath.Join(t.TempDir(), "bot.db")
	const n = 24
	seedThreaded(t, path, digest.Subscription{Platform: digest.Discord, ChatID: channel, GuildID: "700000000000000001", PostMode: digest.PostThread}, n)
	final := runKilledThenRestarted(t, path, messenger)

	inChannel := srv.Messages(channel)
	if len(inChannel) != 1 || !strings.HasPrefix(inChannel[0].Content, "**Daily digest**") || len(inChannel[0].Embeds) != 0 {
		t.Fatalf("the channel got %d messages (%+v), want one header line", len(inChannel), inChannel)
	}
	threads := srv.Threads(channel)
	if len(threads) != 1 || threads[0].ID != inChannel[0].ID {
		t.Fatalf("threads %+v, want one started from the header %s", threads, inChannel[0].ID)
	}
	checkCardsOnce(t, embedTitles(srv.Messages(threads[0].ID)), n)
	if len(final) < 3 {
		t.Errorf("%d parts: want the header and at least two of cards", len(final))
	}
	if v := srv.Violations(); len(v) > 0 {
		t.Errorf("violations: %q", v)
	}
}

func TestTelegramTopicGetsItsDigestsThroughAKill(t *testing.T) {
	srv, messenger := fastTelegram(t)
	chat := "-1001234567890"
	srv.SetForum(chat, 7, 9)
	path := filepath.Join(t.TempDir(), "bot.db")
	const n = 40
	seedThreaded(t, path, digest.Subscription{Platform: digest.Telegram, ChatID: chat, ThreadID: "7"}, n)
	runKilledThenRestarted(t, path, messenger)
	msgs := srv.Messages(chat)
	seen := map[string]int{}
	for _, m := range msgs {
		if m.ThreadID != 7 {
			t.Errorf("a message went to thread %d, not the subscribed topic 7", m.ThreadID)
		}
		for i := 1; i <= n; i++ {
			if strings.Contains(m.Plain, fmt.Sprintf("S%d\n", i)) {
				seen[fmt.Sprintf("S%d", i)]++
			}
		}
	}
	for i := 1; i <= n; i++ {
		// The first part was in flight at the kill: Telegram has no
		// idempotency key, so it may come twice; no other part may.
		if c := seen[fmt.Sprintf("S%d", i)]; c < 1 || c > 2 {
			t.Errorf("card S%d arrived %d times", i, c)
		}
	}
	if v := srv.Violations(); len(v) > 0 {
		t.Errorf("violations: %q", v)
	}
}

func TestClosedTopicPausesTheSubscription(t *testing.T) {
	srv := faketelegram.New(faketelegram.Options{GlobalPerSecond: 1000, PerChatInterval: -1, GroupPerMinute: -1})
	t.Cleanup(srv.Close)
	chat := "-1001234567891"
	srv.SetForum(chat, 7)
	srv.CloseTopic(chat, 7)
	path := filepath.Join(t.TempDir(), "bot.db")
	seedThreaded(t, path, digest.Subscription{Platform: digest.Telegram, ChatID: chat, ThreadID: "7"}, 3)
	bot, err := telegram.New(telegram.Config{Token: srv.Token(), APIURL: srv.URL()}, noCommands{}, quiet())
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(context.Background(), path, sqlite.WithLogger(quiet()))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	start(t, New(st, []digest.Messenger{bot}, testOptions(&fakeClock{t: berlin08.Add(time.Second)})))
	waitFor(t, "the subscription paused with the reason", func() bool {
		sub, err := st.Subscription(context.Background(), digest.Telegram, chat, "7")
		return err == nil && !sub.Active && strings.Contains(sub.Failure, "forum topic")
	})
	if got := srv.Messages(chat); len(got) != 0 {
		t.Errorf("%d messages went somewhere else in the chat", len(got))
	}
}
