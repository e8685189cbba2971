package extract

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"newsdigest/digest"
)

func FuzzExtract(f *testing.F) {
	f.Add([]byte(furniturePage), "")
	f.Add([]byte(rulePage), "text/html; charset=windows-1251")
	f.Add([]byte("Left Menu\n\nA headline of four words\n\nDesk | Riyadh | Updated: 19-02-2025 03:06 IST\n\nA paragraph of prose that goes on long enough to count as a sentence of the story.\n"), "")
	f.Add([]byte("<html><meta charset=shift_jis><p>\x83\x65\x83\x58\x83\x67</p>"), "")
	f.Add([]byte("<script type=application/ld+json>{\"@type\":\"NewsArticle\",\"datePublished\":\"2025-99-99\"}</script><h1>x</h1>"), "")
	f.Add([]byte("\xff\xfe\x00<\x00h\x00"), "text/html; charset=utf-16")
	f.Add([]byte("<p>LONDON, Feb 31 (Reuters) - x</p><time datetime=\"2025-02-30T25:61:00+99:00\">"), "")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		a, err := Extract(digest.Page{Body: body, ContentType: contentType, Name: "fuzz"}, Options{})
		if err != nil {
			if !errors.Is(err, digest.ErrNoArticle) && !strings.HasPrefix(err.Error(), "extract: ") {
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		for name, s := range map[string]string{"headline": a.Headline, "body": a.Body, "site": a.Site, "place": a.Dateline.Place, "desk": a.Dateline.Desk, "author": a.Dateline.Author, "zone": a.Dateline.Zone} {
			if !utf8.ValidString(s) {
				t.Errorf("%s is not valid UTF-8: %q", name, s)
			}
		}
		if len([]rune(a.Body)) < minBodyRunes {
			t.Errorf("article with a body of %d runes", len([]rune(a.Body)))
		}
	})
}
