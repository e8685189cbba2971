package commands

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"newsdigest/digest"
)

// discoverer stands in for ingest.Discover (tested against a fake site
// in package ingest): it knows a few addresses.
func discoverer(known map[string]SourcePreview) func(context.Context, string) (SourcePreview, error) {
	return func(_ context.Context, u string) (SourcePreview, error) {
		if p, ok := known[u]; ok {
			return p, nil
		}
		return SourcePreview{}, fmt.Errorf("ingest: discover %s: neither a feed nor a page that lists articles", u)
	}
}

func localFeed(u, name string) SourcePreview {
	return SourcePreview{Source: digest.Source{Name: name, URL: u, Kind: digest.KindFeed}, Via: "feed linked from the page", Items: 20, PerWeek: 14, NewestURL: u + "a/1"}
}

func buttonOf(t *testing.T, r digest.CommandReply, prefix string) string {
	t.Helper()
	for _, b := range r.Buttons {
		if strings.HasPrefix(b.ID, prefix) {
			return b.ID
		}
	}
	t.Fatalf("reply %+v has no %s button", r, prefix)
	return ""
}

func TestSourceAddConfirmRemove(t *testing.T) {
	h, st := newHandler(t)
	ctx := context.Background()
	h.ChatSources.Discover = discoverer(map[string]SourcePreview{
		"https://local.example/": localFeed("https://local.example/feed.xml", "Local News"),
		"https://other.example/": localFeed("https://other.example/rss", "Local News"),
	})
	h.ChatSources.Card = func(_ context.Context, u string) (digest.Card, error) {
		return digest.Card{Headline: "Council approves the new bridge", URL: u, Summary: []string{"The council voted 7 to 2."}}, nil
	}
	add := func(chat, u string, admin bool) digest.CommandReply {
		return run(t, h, digest.CommandRequest{Name: "source", ChatID: chat, IsAdmin: admin, UserID: "7", Args: map[string]string{"subcommand": "add", "url": u}})
	}
	press := func(chat, id string, admin bool) digest.CommandReply {
		return run(t, h, digest.CommandRequest{Name: digest.Pressed, ChatID: chat, IsAdmin: admin, UserID: "7", Args: map[string]string{"button": id}})
	}
	sources := func() int {
		all, err := st.Sources(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return len(all)
	}
	if r := add("100", "https://local.example/", true); !r.IsError || !strings.Contains(r.Text, "/subscribe") {
		t.Errorf("add without a digest = %+v", r)
	}
	run(t, h, digest.CommandRequest{Name: "subscribe", ChatID: "100", IsAdmin: true, Args: map[string]string{"time": "08:00", "timezone": "UTC"}})
	run(t, h, digest.CommandRequest{Name: "subscribe", ChatID: "200", IsAdmin: true, Args: map[string]string{"time": "09:00", "timezone": "UTC"}})
	if r := add("100", "https://local.example/", false); !r.IsError || !strings.Contains(r.Text, "Manage Channels") {
		t.Errorf("a non-admin's add = %+v", r)
	}
	for _, bad := range []string{"", "ftp://x.example/f", "https://user:pw@x.example/", "https://nothing.example/"} {
		if r := add("100", bad, true); !r.IsError || !strings.Contains(r.Text, "Nothing was changed") && !strings.Contains(r.Text, "Bad address") {
			t.Errorf("add %q = %+v", bad, r)
		}
	}
	before := sources()
	r := add("100", "https://local.example/", true)
	if r.IsError || !strings.Contains(r.Text, "Local News") || !strings.Contains(r.Text, "about 14 articles a week") || len(r.Cards) != 1 || len(r.Buttons) != 2 {
		t.Fatalf("preview = %+v", r)
	}
	if sources() != before {
		t.Fatal("a source was stored before the confirmation")
	}
	ok := buttonOf(t, r, "src:ok:")
	if r := press("100", ok, false); !r.IsError {
		t.Errorf("a non-admin's confirmation = %+v", r)
	}
	if r := press("300", ok, true); !r.IsError || !strings.Contains(r.Text, "another chat") {
		t.Errorf("a confirmation from another chat = %+v", r)
	}
	if r := press("100", ok, true); r.IsError || !strings.Contains(r.Text, "Added Local News") {
		t.Fatalf("confirmation = %+v", r)
	}
	if r := press("100", ok, true); !strings.Contains(r.Text, "already answered") {
		t.Errorf("a second confirmation = %+v", r)
	}
	sub, _ := st.Subscription(ctx, digest.Discord, "100", "")
	list, _ := st.SubscriptionSources(ctx, sub.ID)
	if !sub.OwnSources || len(list) != 4 {
		t.Fatalf("channel 100 reads own=%v %d sources, want its own list: the 3 catalogue sources and Local News", sub.OwnSources, len(list))
	}
	if r := add("100", "https://local.example/", true); !strings.Contains(r.Text, "already reads") {
		t.Errorf("adding it again = %+v", r)
	}
	// Another channel adding the same address gets the same source.
	r = add("200", "https://local.example/", true)
	press("200", buttonOf(t, r, "src:ok:"), true)
	sub2, _ := st.Subscription(ctx, digest.Discord, "200", "")
	list2, _ := st.SubscriptionSources(ctx, sub2.ID)
	n := 0
	for _, s := range list2 {
		if s.URL == "https://local.example/feed.xml" {
			n++
			if s.Origin != digest.OriginChat || s.AddedBy != "discord:7" {
				t.Errorf("chat source %+v", s)
			}
		}
	}
	if n != 1 || sources() != before+1 {
		t.Errorf("the same address added by two channels: %d on the list, %d sources (want one more than %d)", n, sources(), before)
	}
	// Same name, another address: stored under a distinct name.
	r = add("100", "https://other.example/", true)
	press("100", buttonOf(t, r, "src:ok:"), true)
	if _, err := st.SourceByName(ctx, "Local News (other.example)"); err != nil {
		t.Errorf("the second Local News: %v", err)
	}
	// Cancel stores nothing.
	h.ChatSources.Discover = discoverer(map[string]SourcePreview{"https://third.example/": localFeed("https://third.example/feed", "Third")})
	r = add("100", "https://third.example/", true)
	if r := press("100", buttonOf(t, r, "src:no:"), true); !strings.Contains(r.Text, "Cancelled") {
		t.Errorf("cancel = %+v", r)
	}
	if _, err := st.SourceByURL(ctx, "https://third.example/feed"); !errors.Is(err, digest.ErrNotFound) {
		t.Errorf("a cancelled source was stored: %v", err)
	}
	// A confirmation older than 10 minutes is refused.
	r = add("100", "https://third.example/", true)
	h.Clock = func() time.Time { return now.Add(11 * time.Minute) }
	if r := run(t, h, digest.CommandRequest{Name: digest.Pressed, ChatID: "100", IsAdmin: true, Args: map[string]string{"button": buttonOf(t, r, "src:ok:")}}); !strings.Contains(r.Text, "more than 10m") {
		t.Errorf("an old confirmation = %+v", r)
	}
	h.Clock = func() time.Time { return now }

	// The channel's /article covers what it reads: remove Herald, and its
	// earthquake story is no longer found here, while channel 300 (no
	// digest) still finds it.
	if r := run(t, h, digest.CommandRequest{Name: "source", ChatID: "100", IsAdmin: true, Args: map[string]string{"subcommand": "remove", "source": "herald"}}); r.IsError {
		t.Fatalf("remove = %+v", r)
	}
	if r := run(t, h, digest.CommandRequest{Name: "article", ChatID: "100", Args: map[string]string{"keyword": "earthquake"}}); len(r.Cards) != 0 {
		t.Errorf("/article in a channel without Herald found %+v", r.Cards)
	}
	if r := run(t, h, digest.CommandRequest{Name: "article", ChatID: "300", Args: map[string]string{"keyword": "earthquake"}}); len(r.Cards) != 1 {
		t.Errorf("/article elsewhere found %d cards", len(r.Cards))
	}
	lr := run(t, h, digest.CommandRequest{Name: "source", ChatID: "100", IsAdmin: true, Args: map[string]string{"subcommand": "list"}})
	if !strings.Contains(lr.Text, "own list of 4 sources") || strings.Contains(lr.Text, "Herald") || !strings.Contains(lr.Text, "added from a chat") {
		t.Errorf("/source list = %q", lr.Text)
	}
	cr := run(t, h, digest.CommandRequest{Name: "source", ChatID: "100", IsAdmin: true, Args: map[string]string{"subcommand": "catalogue"}})
	if !strings.Contains(cr.Text, "Herald") || strings.Contains(cr.Text, "Local News") {
		t.Errorf("/source catalogue = %q", cr.Text)
	}
	if r := run(t, h, digest.CommandRequest{Name: "source", ChatID: "100", IsAdmin: true, Args: map[string]string{"subcommand": "pick", "source": "Herald"}}); r.IsError || !strings.Contains(r.Text, "Picked Herald") {
		t.Errorf("/source pick = %+v", r)
	}
	got, _ := h.Complete(ctx, digest.CommandRequest{Platform: digest.Discord, ChatID: "100", Args: map[string]string{"subcommand": "remove"}}, "source", "loc")
	if len(got) != 2 {
		t.Errorf("completions for %q: %v", "loc", got)
	}

	h.ChatSources.Off = true
	if r := add("100", "https://local.example/", true); !r.IsError || !strings.Contains(r.Text, "turned off") {
		t.Errorf("add with sources_from_chat off = %+v", r)
	}
}

func attachment(name string, data []byte) *digest.Attachment {
	return &digest.Attachment{Name: name, Size: int64(len(data)), Open: func(_ context.Context, max int64) ([]byte, error) {
		if int64(len(data)) > max {
			return nil, digest.ErrTooLarge
		}
		return data, nil
	}}
}

func TestSourceImportExportOPML(t *testing.T) {
	h, st := newHandler(t)
	ctx := context.Background()
	known := map[string]SourcePreview{}
	var opml bytes.Buffer
	opml.WriteString(`<?xml version="1.0" encoding="UTF-8"?><opml version="2.0"><head><title>My feeds</title></head><body><outline text="News">`)
	for i := range 50 {
		u := fmt.Sprintf("https://site%d.example/feed.xml", i)
		known[u] = localFeed(u, fmt.Sprintf("Site %d", i))
		fmt.Fprintf(&opml, `<outline type="rss" text="Site %d" xmlUrl="%s"/>`, i, u)
	}
	// A nameless outline takes the feed's own title.
	known["https://nameless.example/rss"] = localFeed("https://nameless.example/rss", "Nameless Gazette")
	opml.WriteString(`<outline type="rss" xmlUrl="https://nameless.example/rss"/>`)
	opml.WriteString(`<outline type="rss" text="Broken" xmlUrl="https://broken.example/feed"/><outline type="rss" text="Private" xmlUrl="ftp://x/y"/></outline></body></opml>`)
	h.ChatSources.Discover = discoverer(known)
	h.ChatSources.MaxPerChannel = 60
	run(t, h, digest.CommandRequest{Name: "subscribe", ChatID: "100", IsAdmin: true, Args: map[string]string{"time": "08:00", "timezone": "UTC"}})
	imp := func(a *digest.Attachment) digest.CommandReply {
		return run(t, h, digest.CommandRequest{Name: "source", ChatID: "100", IsAdmin: true, UserID: "7", Attachment: a, Args: map[string]string{"subcommand": "import"}})
	}
	for name, a := range map[string]*digest.Attachment{
		"no file":   nil,
		"not OPML":  attachment("x.opml", []byte("<html><body>hi</body></html>")),
		"entities":  attachment("x.opml", []byte(`<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><opml version="2.0"><body><outline text="&b;" xmlUrl="https://site1.example/feed.xml"/></body></opml>`)),
		"too large": attachment("big.opml", bytes.Repeat([]byte("x"), MaxOPML+1)),
		"no feeds":  attachment("x.opml", []byte(`<opml version="2.0"><body><outline text="folder"/></body></opml>`)),
	} {
		if r := imp(a); !r.IsError || len(r.Buttons) != 0 {
			t.Errorf("%s: %+v", name, r)
		}
	}
	sub, _ := st.Subscription(ctx, digest.Discord, "100", "")
	if sub.OwnSources {
		t.Fatal("a refused import changed the channel")
	}
	r := imp(attachment("feeds.opml", opml.Bytes()))
	if !strings.Contains(r.Text, "53 feeds found in feeds.opml: 51 new, 0 already read here, 2 failed") || len(r.Buttons) != 2 {
		t.Fatalf("import summary = %+v", r)
	}
	if r := run(t, h, digest.CommandRequest{Name: digest.Pressed, ChatID: "100", IsAdmin: true, Args: map[string]string{"button": buttonOf(t, r, "src:ok:")}}); !strings.Contains(r.Text, "Added 51 sources") {
		t.Fatalf("confirm import = %+v", r)
	}
	ex := run(t, h, digest.CommandRequest{Name: "source", ChatID: "100", IsAdmin: true, Args: map[string]string{"subcommand": "export"}})
	if ex.File == nil {
		t.Fatalf("export = %+v", ex)
	}
	back, err := parseOPML(ex.File.Data)
	if err != nil || len(back) != 54 {
		t.Fatalf("export read back: %d sources, %v (want the 3 catalogue sources and the 51 imported)", len(back), err)
	}
	if _, err := st.SourceByName(ctx, "Nameless Gazette"); err != nil {
		t.Errorf("the nameless outline's source: %v, want it named by its feed", err)
	}
	// Importing the export changes nothing.
	if r := imp(attachment("again.opml", ex.File.Data)); len(r.Buttons) != 0 || !strings.Contains(r.Text, "Nothing to add") {
		t.Errorf("round trip = %+v", r)
	}
}

// A feed's title with escape sequences names the source without them.
func TestSourceNameWithoutControlCharacters(t *testing.T) {
	for in, want := range map[string]string{
		"Local\x1b]0;pwned\x07 News\x1b[2J": "Local News",
		"  Two\n lines\t ":                  "Two lines",
		"":                                  "Unnamed source",
	} {
		if got := cutName(in); got != want {
			t.Errorf("cutName(%q) = %q, want %q", in, got, want)
		}
	}
}
