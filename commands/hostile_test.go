package commands

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"newsdigest/digest"
)

// TestSubscribeRefusesBadCountsAndKeywords: a count that overflows and
// keywords that could never match get a clear reply and change nothing.
func TestSubscribeRefusesBadCountsAndKeywords(t *testing.T) {
	tests := []struct {
		name string
		args map[string]string
		want string // in the reply
	}{
		{"count overflows", map[string]string{"time": "08:00", "timezone": "UTC", "max_stories": "99999999999999999999"},
			"max_stories must be a whole number from 1 to 25"},
		{"count negative", map[string]string{"time": "08:00", "timezone": "UTC", "max_stories": "-3"},
			"max_stories must be a whole number from 1 to 25"},
		{"punctuation keyword", map[string]string{"time": "08:00", "timezone": "UTC", "keywords": "$$$"},
			"has no letters or digits"},
		{"punctuation among keywords", map[string]string{"time": "08:00", "timezone": "UTC", "keywords": "climate, !!!, ai"},
			"has no letters or digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, st := newHandler(t)
			r := run(t, h, digest.CommandRequest{Platform: digest.Telegram, ChatID: "42", Name: "subscribe", IsAdmin: true, Args: tt.args})
			if !r.IsError || !strings.Contains(r.Text, tt.want) {
				t.Errorf("reply %+v, want an error saying %q", r, tt.want)
			}
			if _, err := st.Subscription(context.Background(), digest.Telegram, "42", ""); !errors.Is(err, digest.ErrNotFound) {
				t.Errorf("a subscription was stored (err %v)", err)
			}
		})
	}
}

func TestParseKeywords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		bad  bool
	}{
		{"ai, climate change", []string{"ai", "climate change"}, false},
		{"2025", []string{"2025"}, false},
		{"C++, $$$", nil, true},
		{"$$$", nil, true},
		{"-", nil, true},
		{" , ,", nil, false},
		{"Zürich", []string{"Zürich"}, false},
	}
	for _, tt := range tests {
		got, err := ParseKeywords(tt.in)
		if (err != nil) != tt.bad || strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("ParseKeywords(%q) = %q, %v", tt.in, got, err)
		}
	}
}

// TestSourcesHideCredentials: /sources shows a failing source's name and
// health, never its URL's userinfo or secret query values.
func TestSourcesHideCredentials(t *testing.T) {
	h, st := newHandler(t)
	ctx := context.Background()
	src, err := st.SaveSource(ctx, digest.Source{Name: "Secret feed", URL: "http://feeduser:PASSWORD@host.example/feed.xml?apikey=KEY", Kind: digest.KindFeed})
	if err != nil {
		t.Fatal(err)
	}
	// An error as stored before redaction existed.
	err = st.SaveFetchState(ctx, src.ID, digest.FetchState{LastFetch: now.Add(-time.Minute), Failures: 2,
		LastError: "ingest: parsing feed http://feeduser:PASSWORD@host.example/feed.xml?apikey=KEY: XML syntax error on line 1"})
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, h, digest.CommandRequest{Platform: digest.Telegram, ChatID: "1", ChatType: "private", Name: "sources", IsAdmin: true})
	for _, secret := range []string{"PASSWORD", "KEY:", "apikey=KEY"} {
		if strings.Contains(r.Text, secret) {
			t.Errorf("/sources shows %q: %s", secret, r.Text)
		}
	}
	if !strings.Contains(r.Text, "Secret feed") || !strings.Contains(r.Text, "failing (2 in a row") {
		t.Errorf("/sources lost the name or health: %s", r.Text)
	}
}
