package ingest

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"newsdigest/digest"
)

func TestHTMLText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain  text\n\nsecond", "plain text\n\nsecond"},
		{"<p>One <b>bold</b> line.</p><p>Two.</p>", "One bold line.\n\nTwo."},
		{"<p>A &amp; B &lt;C&gt;</p>", "A & B <C>"},
		{`<figure><img src="x.jpg"><figcaption>Photo: Agency</figcaption></figure><p>Text.</p>`, "Text."},
		{"<script>var x = 1;</script><style>p{}</style><p>Only this.</p>", "Only this."},
		{"line<br>break", "line break"},
		{"<ul><li>a</li><li>b</li></ul>", "a\n\nb"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := htmlText(tt.in); got != tt.want {
			t.Errorf("htmlText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTruncated(t *testing.T) {
	long := strings.Repeat("word ", 300)
	for text, want := range map[string]bool{
		long + "end.":                            false,
		long + "and then…":                       true,
		long + "and then ...":                    true,
		long + "[…]":                             true,
		long + "Continue reading →":              true,
		long + "The post X appeared first on Y.": true,
		"Short.":                                 false,
		"":                                       false,
	} {
		if got := truncated(text); got != want {
			t.Errorf("truncated(…%q) = %v, want %v", text[max(0, len(text)-30):], got, want)
		}
	}
}

func TestIdentityMode(t *testing.T) {
	item := func(guid, link, title string) *gofeed.Item {
		return &gofeed.Item{GUID: guid, Link: link, Title: title, Published: "Mon, 02 Mar 2026 10:00:00 GMT"}
	}
	tests := []struct {
		items []*gofeed.Item
		want  string
	}{
		{[]*gofeed.Item{item("1", "http://x/a", "A"), item("2", "http://x/b", "B")}, "guid"},
		{[]*gofeed.Item{item("1", "http://x/a", "A"), item("1", "http://x/b", "B")}, "link"}, // reused GUID
		{[]*gofeed.Item{item("", "http://x/a", "A"), item("2", "http://x/b", "B")}, "link"},  // missing GUID
		{[]*gofeed.Item{item("", "http://x.com/a?utm_source=1", "A"), item("", "http://www.x.com/a", "B")}, "title"},
		{[]*gofeed.Item{item("", "", "A"), item("", "", "B")}, "title"},
	}
	for i, tt := range tests {
		if got := identityMode(tt.items); got != tt.want {
			t.Errorf("%d: identityMode = %q, want %q", i, got, tt.want)
		}
	}
	if k := itemKey(9, "guid", item(" g-1 ", "", "")); k != "9/guid:g-1" {
		t.Errorf("itemKey = %q", k)
	}
	if k := itemKey(9, "title", item("", "", strings.Repeat("long ", 100))); len(k) > 80 || !strings.HasPrefix(k, "9/title:sha256:") {
		t.Errorf("long key not hashed: %q", k)
	}
}

func FuzzParseFeed(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><item><title>a</title><link>/x</link><guid>1</guid><description>&lt;p&gt;t&lt;/p&gt;</description></item></channel></rss>`))
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id><link href="x"/><content type="html">&lt;b&gt;</content></entry></feed>`))
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","url":"/a","content_text":"x"}]}`))
	f.Add([]byte(`<html><title>Error</title></html>`))
	f.Add([]byte(`<?xml version="1.0" encoding="x-bogus"?><rss/>`))
	src := digest.Source{ID: 1, Name: "fuzz", URL: "http://example.com/feed"}
	f.Fuzz(func(t *testing.T, body []byte) {
		items, err := parseFeed(src, digest.Page{URL: src.URL, Body: body})
		if err != nil {
			return
		}
		for _, c := range items {
			if !strings.HasPrefix(c.Key, "1/") {
				t.Errorf("key %q not namespaced", c.Key)
			}
			if !utf8.ValidString(c.Title) && utf8.Valid(body) {
				t.Errorf("title %q not UTF-8", c.Title)
			}
		}
	})
}

func FuzzHTMLText(f *testing.F) {
	for _, s := range []string{"<p>a</p>", "<figcaption>x", "&amp;&#0;", "<<>>", "<table><tr><td>x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := htmlText(s)
		if strings.Contains(out, "\n\n\n") || strings.HasPrefix(out, " ") {
			t.Errorf("htmlText(%q) = %q: untidy", s, out)
		}
	})
}

// TestHTMLTextTooDeep: feed HTML nested deeper than the parser takes (over
// 512 open elements) gives its text, never its raw markup.
func TestHTMLTextTooDeep(t *testing.T) {
	in := strings.Repeat("<div>", 600) + "<p>The council approved the budget.</p><script>var x = 1;</script><p>Taxes stay &amp; fees rise.</p>" + strings.Repeat("</div>", 600)
	got := htmlText(in)
	if want := "The council approved the budget.\n\nTaxes stay & fees rise."; got != want {
		t.Errorf("htmlText = %q, want %q", got[:min(len(got), 200)], want)
	}
}
