package commands

import (
	"context"
	"strings"
	"testing"
	"time"

	"newsdigest/digest"
	"newsdigest/schedule"
	"newsdigest/store/sqlite"
)

var now = time.Date(2025, 2, 19, 12, 0, 0, 0, time.UTC)

// newHandler returns a handler over a fresh in-memory store holding two
// stories: one told by two sources, one by one.
func newHandler(t *testing.T) (*Handler, digest.Store) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	src := map[string]int64{}
	for _, n := range []string{"Wire", "Daily", "Herald"} {
		s, err := st.SaveSource(ctx, digest.Source{Name: n, URL: "https://" + strings.ToLower(n) + ".example/feed", Kind: digest.KindFeed, Interval: 15 * time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		src[n] = s.ID
	}
	add := func(source, url, headline, body string, story int64, seen time.Time) digest.StoredArticle {
		a, err := st.AddArticle(ctx, digest.StoredArticle{
			SourceID: src[source], URL: url, ItemKey: url, ContentHash: url, Headline: headline, Body: body,
			Summary: []string{body}, FirstSeen: seen, StoryID: story,
		})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	talks := add("Wire", "https://wire.example/talks", "US and Russia hold talks in Riyadh",
		"US and Russian officials held talks in Riyadh on embassy staffing and Ukraine.", 0, now.Add(-3*time.Hour))
	add("Daily", "https://daily.example/riyadh", "Rubio and Lavrov meet in Saudi Arabia",
		"Marco Rubio and Sergey Lavrov met in Riyadh to restore embassy staffing.", talks.StoryID, now.Add(-2*time.Hour))
	add("Herald", "https://herald.example/quake", "Earthquake shakes Zürich region",
		"A magnitude 4.1 earthquake shook the Zürich region overnight.", 0, now.Add(-time.Hour))
	// The trending rule under test is the handler's use of it: the most
	// sources first.
	trending := func(stories []digest.Story, now time.Time, window time.Duration, n int) []digest.Story {
		out := append([]digest.Story(nil), stories...)
		for i := range out {
			for j := i + 1; j < len(out); j++ {
				if len(out[j].Sources()) > len(out[i].Sources()) {
					out[i], out[j] = out[j], out[i]
				}
			}
		}
		if len(out) > n {
			out = out[:n]
		}
		return out
	}
	h := &Handler{Store: st, Trending: trending, NextRun: schedule.Next, MaxStories: 10, Clock: func() time.Time { return now },
		Preview: func(ctx context.Context, sub digest.Subscription, at time.Time) (digest.DigestView, error) {
			stories, err := st.Stories(ctx, sub.Cutoff, at, false)
			if err != nil {
				return digest.DigestView{}, err
			}
			v := digest.DigestView{Sub: sub, Scheduled: at}
			for _, s := range stories {
				v.Cards = append(v.Cards, s.Card())
			}
			return v, nil
		}}
	return h, st
}

func run(t *testing.T, h *Handler, req digest.CommandRequest) digest.CommandReply {
	t.Helper()
	if req.Platform == "" {
		req.Platform = digest.Discord
	}
	if req.ChatID == "" {
		req.ChatID = "100"
	}
	r, err := h.Handle(context.Background(), req)
	if err != nil {
		t.Fatalf("/%s: %v", req.Name, err)
	}
	return r
}

func TestTrending(t *testing.T) {
	h, _ := newHandler(t)
	r := run(t, h, digest.CommandRequest{Name: "trending"})
	if r.IsError || len(r.Cards) != 2 {
		t.Fatalf("/trending = %+v, want 2 cards", r)
	}
	if c := r.Cards[0]; !strings.Contains(c.Headline, "Riyadh") || len(c.Sources) != 1 || c.Sources[0] != "Daily" {
		t.Errorf("first card = %+v, want the two-source story led by Wire with Daily as other source", c)
	}
	for _, bad := range []string{"0", "-3", "abc", "1000"} {
		r := run(t, h, digest.CommandRequest{Name: "trending", Args: map[string]string{"hours": bad}})
		if !r.IsError || !strings.Contains(r.Text, "Usage: /trending") {
			t.Errorf("/trending %s = %+v, want a usage error", bad, r)
		}
	}
	r = run(t, h, digest.CommandRequest{Name: "trending", Args: map[string]string{"hours": "1"}, Now: now.Add(48 * time.Hour)})
	if len(r.Cards) != 0 || !strings.Contains(r.Text, "No stories in the last hour yet") {
		t.Errorf("/trending 1 two days later = %+v", r)
	}
}

func TestArticle(t *testing.T) {
	h, _ := newHandler(t)
	tests := []struct {
		keyword   string
		wantCards int
		wantText  string
		isError   bool
	}{
		{"Zurich", 1, "matching", false},           // diacritics folded
		{"embassy staffing", 1, "matching", false}, // two articles of one story: one card
		{`"Sergey Lavrov"`, 1, "matching", false},
		{"volcano", 0, "Try fewer or broader words", false},
		{"", 0, "Give a keyword", true},
		{`"" * -`, 0, "Give a keyword", true},
		{strings.Repeat("long ", 60), 0, "too long", true},
		{`foo" OR headline:*`, 0, "", false}, // hostile syntax is escaped, not an error
	}
	for _, tt := range tests {
		r := run(t, h, digest.CommandRequest{Name: "article", Args: map[string]string{"keyword": tt.keyword}})
		if len(r.Cards) != tt.wantCards || r.IsError != tt.isError || !strings.Contains(r.Text, tt.wantText) {
			t.Errorf("/article %q = %d cards, error %v, %q", tt.keyword, len(r.Cards), r.IsError, r.Text)
		}
	}
}

func TestSubscribeValidatesAndNeedsAdmin(t *testing.T) {
	h, st := newHandler(t)
	ctx := context.Background()
	args := map[string]string{"time": "08:00", "timezone": "Europe/Berlin"}
	r := run(t, h, digest.CommandRequest{Name: "subscribe", Args: args, IsAdmin: false})
	if !r.IsError || !strings.Contains(r.Text, "Manage Channels") {
		t.Errorf("non-admin /subscribe = %+v", r)
	}
	if _, err := st.Subscription(ctx, digest.Discord, "100", ""); err == nil {
		t.Fatal("a non-admin created a subscription")
	}
	for _, bad := range []map[string]string{
		{"time": "25:00", "timezone": "Europe/Berlin"},
		{"time": "8am", "timezone": "Europe/Berlin"},
		{"time": "08:00", "timezone": "Mars/Base"},
		{"time": "08:00", "timezone": ""},
		{"time": "08:00", "timezone": "Europe/Berlin", "max_stories": "99"},
	} {
		r := run(t, h, digest.CommandRequest{Name: "subscribe", Args: bad, IsAdmin: true})
		if !r.IsError || !r.Ephemeral {
			t.Errorf("/subscribe %v = %+v, want an ephemeral error", bad, r)
		}
	}
	args["keywords"] = "Ukraine, embassy staffing"
	args["max_stories"] = "5"
	args["empty_note"] = "maybe"
	if r := run(t, h, digest.CommandRequest{Name: "subscribe", Args: args, IsAdmin: true}); !r.IsError || !strings.Contains(r.Text, "empty_note") {
		t.Errorf("empty_note=maybe accepted: %+v", r)
	}
	args["empty_note"] = "true"
	r = run(t, h, digest.CommandRequest{Name: "subscribe", Args: args, IsAdmin: true, GuildID: "7"})
	if r.IsError || !strings.Contains(r.Text, "08:00 Europe/Berlin") || !strings.Contains(r.Text, "Thu 20 Feb 08:00 CET") {
		t.Fatalf("/subscribe = %+v", r)
	}
	sub, err := st.Subscription(ctx, digest.Discord, "100", "")
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2025, 2, 20, 7, 0, 0, 0, time.UTC)
	if !sub.Active || sub.MaxStories != 5 || len(sub.Keywords) != 2 || !sub.NextRun.Equal(want) || sub.GuildID != "7" || !sub.SendEmpty {
		t.Errorf("stored %+v, want active, 5 stories, 2 keywords, next run %v", sub, want)
	}
	r = run(t, h, digest.CommandRequest{Name: "unsubscribe", IsAdmin: true})
	if r.IsError || !strings.Contains(r.Text, "Unsubscribed") {
		t.Errorf("/unsubscribe = %+v", r)
	}
	r = run(t, h, digest.CommandRequest{Name: "unsubscribe", IsAdmin: true})
	if !strings.Contains(r.Text, "no daily digest") {
		t.Errorf("second /unsubscribe = %+v", r)
	}
}

func TestFailingSubscriptionIsToldToAdmins(t *testing.T) {
	h, st := newHandler(t)
	ctx := context.Background()
	_, err := st.SaveSubscription(ctx, digest.Subscription{Platform: digest.Discord, ChatID: "100", Time: "08:00", TimeZone: "UTC",
		MaxStories: 10, Active: false, Failure: "missing access to the channel (403)"})
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, h, digest.CommandRequest{Name: "sources", IsAdmin: true})
	if !strings.Contains(r.Text, "stopped: missing access") || !strings.Contains(r.Text, "3 sources") {
		t.Errorf("admin /sources = %q, want the failure note and the sources", r.Text)
	}
	r = run(t, h, digest.CommandRequest{Name: "trending", IsAdmin: false})
	if strings.Contains(r.Text, "missing access") {
		t.Errorf("a non-admin was shown the failure: %q", r.Text)
	}
}

func TestDigestPreviewWithoutSubscription(t *testing.T) {
	h, _ := newHandler(t)
	r := run(t, h, digest.CommandRequest{Name: "digest"})
	if !r.Ephemeral || len(r.Cards) != 2 || !strings.Contains(r.Text, "no daily digest yet") {
		t.Errorf("/digest = %+v", r)
	}
}

func TestHelpListsPlatformCommands(t *testing.T) {
	h, _ := newHandler(t)
	tg := run(t, h, digest.CommandRequest{Name: "help", Platform: digest.Telegram})
	dc := run(t, h, digest.CommandRequest{Name: "start", Platform: digest.Discord})
	if !strings.Contains(tg.Text, "/subscribe HH:MM Area/City") || !strings.Contains(tg.Text, "/help") {
		t.Errorf("telegram help = %q", tg.Text)
	}
	if strings.Contains(dc.Text, "/start") {
		t.Errorf("discord help lists a telegram-only command: %q", dc.Text)
	}
	if r := run(t, h, digest.CommandRequest{Name: "frobnicate"}); !r.IsError {
		t.Errorf("unknown command = %+v", r)
	}
}

func TestParseHHMM(t *testing.T) {
	for in, want := range map[string]string{"08:00": "08:00", "8:05": "08:05", " 23:59 ": "23:59", "00:00": "00:00"} {
		if got, err := ParseHHMM(in); err != nil || got != want {
			t.Errorf("ParseHHMM(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"24:00", "8", "8:5", "08:60", "ab:cd", "", "-1:00", "08:00:00"} {
		if _, err := ParseHHMM(in); err == nil {
			t.Errorf("ParseHHMM(%q) accepted", in)
		}
	}
}

func TestTrendingCacheStaleWhileRevalidate(t *testing.T) {
	h, st := newHandler(t)
	h.TrendingTTL = time.Minute
	count := func(at time.Duration) int {
		return len(run(t, h, digest.CommandRequest{Name: "trending", Now: now.Add(at)}).Cards)
	}
	if n := count(0); n != 2 {
		t.Fatalf("first /trending: %d cards, want 2", n)
	}
	src, err := st.SourceByName(context.Background(), "Herald")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddArticle(context.Background(), digest.StoredArticle{SourceID: src.ID, URL: "https://herald.example/new",
		ItemKey: "new", ContentHash: "new", Headline: "Floods in Valencia", Body: "Floods.", FirstSeen: now.Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if n := count(30 * time.Second); n != 2 {
		t.Errorf("within the TTL: %d cards, want the cached 2", n)
	}
	// Stale: served at once, refreshed in the background.
	if n := count(2 * time.Minute); n != 2 {
		t.Errorf("stale: %d cards, want the cached 2 served at once", n)
	}
	deadline := time.Now().Add(5 * time.Second)
	for count(2*time.Minute+time.Second) != 3 {
		if time.Now().After(deadline) {
			t.Fatal("the background refresh never landed")
		}
		time.Sleep(5 * time.Millisecond)
	}
	// Much older than the TTL: made while the user waits.
	if _, err := st.AddArticle(context.Background(), digest.StoredArticle{SourceID: src.ID, URL: "https://herald.example/newer",
		ItemKey: "newer", ContentHash: "newer", Headline: "Markets close higher", Body: "Markets.", FirstSeen: now.Add(20 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if n := count(30 * time.Minute); n != 4 {
		t.Errorf("30 minutes on: %d cards, want a fresh 4", n)
	}
}

func TestEvery(t *testing.T) {
	for _, c := range []struct {
		iv   time.Duration
		want string
	}{{0, "adaptive"}, {15 * time.Minute, "every 15m0s"}, {time.Hour, "every 1h0m0s"}} {
		if got := Every(digest.Source{Interval: c.iv}); got != c.want {
			t.Errorf("Every(%v) = %q, want %q", c.iv, got, c.want)
		}
	}
}

// Once a source was added from a chat, channels on the catalogue rank a
// selection of the sources; their rankings are still reused within the
// TTL (one for all of them), not made anew for each /trending.
func TestTrendingCachedWithChatSources(t *testing.T) {
	h, st := newHandler(t)
	ctx := context.Background()
	h.TrendingTTL = time.Minute
	if _, err := st.SaveSource(ctx, digest.Source{Name: "Local", URL: "https://local.example/feed", Kind: digest.KindFeed, Origin: digest.OriginChat}); err != nil {
		t.Fatal(err)
	}
	count := func(chat string, at time.Duration) int {
		return len(run(t, h, digest.CommandRequest{Name: "trending", ChatID: chat, Now: now.Add(at)}).Cards)
	}
	if n := count("100", 0); n != 2 {
		t.Fatalf("first /trending: %d cards, want 2", n)
	}
	src, err := st.SourceByName(ctx, "Herald")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddArticle(ctx, digest.StoredArticle{SourceID: src.ID, URL: "https://herald.example/new",
		ItemKey: "new", ContentHash: "new", Headline: "Floods in Valencia", Body: "Floods.", FirstSeen: now.Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if n := count("200", 30*time.Second); n != 2 {
		t.Errorf("another catalogue chat within the TTL: %d cards, want the cached 2", n)
	}
	if n := count("200", 30*time.Minute); n != 3 {
		t.Errorf("30 minutes on: %d cards, want a fresh 3", n)
	}
}
