package commands

import (
	"context"
	"strings"
	"testing"

	"newsdigest/digest"
)

func TestSubscribePicturesAndThreads(t *testing.T) {
	h, st := newHandler(t)
	ctx := context.Background()
	base := map[string]string{"time": "08:00", "timezone": "Europe/Berlin"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	for _, bad := range []map[string]string{with("images", "nope"), with("thread", "2")} {
		if r := run(t, h, digest.CommandRequest{Name: "subscribe", Args: bad, IsAdmin: true}); !r.IsError {
			t.Errorf("/subscribe %v accepted: %+v", bad, r)
		}
	}
	r := run(t, h, digest.CommandRequest{Name: "subscribe", Platform: digest.Telegram, ChatID: "-100", Args: with("thread", "true"), IsAdmin: true})
	if !r.IsError || !strings.Contains(r.Text, "forum topic") {
		t.Errorf("thread:true on Telegram = %+v, want a pointer to topics", r)
	}
	if _, err := st.Subscription(ctx, digest.Telegram, "-100", ""); err == nil {
		t.Error("a refused /subscribe stored a subscription")
	}

	r = run(t, h, digest.CommandRequest{Name: "subscribe", Args: with("images", "false", "thread", "true"), IsAdmin: true})
	if r.IsError || !strings.Contains(r.Text, "in a thread") || !strings.Contains(r.Text, "no pictures") {
		t.Fatalf("/subscribe images:false thread:true = %+v", r)
	}
	sub, err := st.Subscription(ctx, digest.Discord, "100", "")
	if err != nil || !sub.NoImages || sub.PostMode != digest.PostThread {
		t.Fatalf("stored %+v, %v: want no images, thread mode", sub, err)
	}
	// Re-subscribing without the options keeps them.
	run(t, h, digest.CommandRequest{Name: "subscribe", Args: with(), IsAdmin: true})
	if sub, _ = st.Subscription(ctx, digest.Discord, "100", ""); !sub.NoImages || sub.PostMode != digest.PostThread {
		t.Errorf("after a plain /subscribe: %+v", sub)
	}
	r = run(t, h, digest.CommandRequest{Name: "subscribe", ChatID: "600", Forum: true, Args: with(), IsAdmin: true})
	if sub, _ = st.Subscription(ctx, digest.Discord, "600", ""); sub.PostMode != digest.PostForum || !strings.Contains(r.Text, "forum") {
		t.Errorf("forum subscription: %+v, %q", sub, r.Text)
	}
}

func TestRepliesDropPicturesWhenTheChannelTurnedThemOff(t *testing.T) {
	h, st := newHandler(t)
	ctx := context.Background()
	hits, err := st.Search(ctx, "earthquake", 5)
	if err != nil || len(hits) == 0 {
		t.Fatalf("search: %v %v", hits, err)
	}
	// Give the stored article a picture through a new one of the same kind.
	_, err = st.AddArticle(ctx, digest.StoredArticle{URL: "https://herald.example/quake2", ContentHash: "q2", Headline: "Aftershock hits Zürich",
		Body: "An aftershock hit the Zürich region.", Summary: []string{"An aftershock hit the Zürich region."}, FirstSeen: now,
		Image: "https://herald.example/quake.jpg"})
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, h, digest.CommandRequest{Name: "article", Args: map[string]string{"keyword": "aftershock"}})
	if len(r.Cards) != 1 || r.Cards[0].Image != "https://herald.example/quake.jpg" {
		t.Fatalf("/article cards %+v, want the stored picture", r.Cards)
	}
	run(t, h, digest.CommandRequest{Name: "subscribe", Args: map[string]string{"time": "08:00", "timezone": "UTC", "images": "false"}, IsAdmin: true})
	r = run(t, h, digest.CommandRequest{Name: "article", Args: map[string]string{"keyword": "aftershock"}})
	if len(r.Cards) != 1 || r.Cards[0].Image != "" {
		t.Errorf("images off: cards %+v", r.Cards)
	}
}
