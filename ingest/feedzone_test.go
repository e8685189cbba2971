package ingest

import (
	"testing"
	"time"

	"newsdigest/digest"
)

// A feed item published late in the evening west of Greenwich is on the
// next day in UTC; the card must keep the publisher's day.
func TestFeedTimeKeepsItsOffset(t *testing.T) {
	feed := `<?xml version="1.0"?><rss version="2.0"><channel><title>Metro</title><link>https://metro.example/</link>
<item><title>Late council vote</title><link>https://metro.example/a/1</link><pubDate>Sun, 12 Jan 2020 23:30:00 -0500</pubDate></item>
<item><title>Atom-style date</title><link>https://metro.example/a/2</link><pubDate>2020-01-12T23:45:00+05:30</pubDate></item>
<item><title>Named zone</title><link>https://metro.example/a/3</link><pubDate>Sun, 12 Jan 2020 10:00:00 GMT</pubDate></item>
</channel></rss>`
	items, err := parseFeed(digest.Source{ID: 1}, digest.Page{URL: "https://metro.example/feed", Body: []byte(feed)})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"Late council vote": "2020-01-12 23:30 -0500",
		"Atom-style date":   "2020-01-12 23:45 +0530",
		"Named zone":        "2020-01-12 10:00 +0000",
	}
	for _, it := range items {
		if got := it.Published.Format("2006-01-02 15:04 -0700"); got != want[it.Title] {
			t.Errorf("%s: %s, want %s", it.Title, got, want[it.Title])
		}
	}
	if got := inFeedZone("garbage", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)); !got.Equal(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("unparsable raw date: %v", got)
	}
}
