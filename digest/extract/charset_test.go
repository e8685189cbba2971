package extract

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"newsdigest/digest"
)

// charsetTexts are real sentences in each script.
var charsetTexts = []struct {
	name, label string
	enc         encoding.Encoding
	headline    string
	sentence    string
}{
	{"windows-1251", "windows-1251", charmap.Windows1251, "Переговоры в Эр-Рияде",
		"Представители США и России провели в Саудовской Аравии первые за почти три года переговоры высокого уровня, обсудив работу посольств и пути к миру."},
	{"iso-8859-1", "iso-8859-1", charmap.ISO8859_1, "Übergangsregierung für Österreich",
		"Die Übergangsregierung in Österreich soll nach Angaben des Bundespräsidenten bis zur Wahl im Herbst im Amt bleiben, erklärte er am Dienstag in Wien."},
	{"shift_jis", "Shift_JIS", japanese.ShiftJIS, "東京で初雪を観測",
		"気象庁によりますと、東京都心では今朝、平年より十日早く初雪を観測しました。交通機関への影響はほとんどなく、各地で冷え込みが続く見込みです。"},
	{"gbk", "GBK", simplifiedchinese.GBK, "北京举行新闻发布会",
		"北京市政府今天举行新闻发布会，介绍了今年城市交通改善的主要措施，并表示将继续扩大公共交通网络，方便市民出行。"},
}

func encode(t *testing.T, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b
}

func TestCharsets(t *testing.T) {
	for _, c := range charsetTexts {
		body := strings.Repeat("<p>"+c.sentence+"</p>\n", 4)
		doc := func(metaTag string) string {
			return "<!DOCTYPE html><html><head>" + metaTag + "<title>" + c.headline + "</title></head><body><h1>" + c.headline + "</h1><article>" + body + "</article></body></html>"
		}
		cases := []struct {
			how         string
			page        string
			contentType string
		}{
			{"meta charset", doc(`<meta charset="` + c.label + `">`), ""},
			{"http-equiv", doc(`<meta http-equiv="Content-Type" content="text/html; charset=` + c.label + `">`), ""},
			{"HTTP header", doc(""), "text/html; charset=" + c.label},
			{"header wins over meta", doc(`<meta charset="utf-8">`), "text/html; charset=" + c.label},
		}
		for _, k := range cases {
			t.Run(c.name+"/"+k.how, func(t *testing.T) {
				raw := encode(t, c.enc, k.page)
				a, err := Extract(digest.Page{Body: raw, ContentType: k.contentType, Name: c.name}, Options{})
				if err != nil {
					t.Fatalf("Extract: %v", err)
				}
				if a.Headline != c.headline {
					t.Errorf("headline = %q, want %q", a.Headline, c.headline)
				}
				if !strings.Contains(a.Body, c.sentence) {
					t.Errorf("body does not hold the sentence; got %q", a.Body)
				}
			})
		}
	}
}

func TestCharsetSniffing(t *testing.T) {
	sentence := "Die Übergangsregierung in Österreich soll nach Angaben des Bundespräsidenten bis zur Wahl im Amt bleiben."
	page := "<html><head><title>Wien</title></head><body><article>" + strings.Repeat("<p>"+sentence+"</p>", 4) + "</article></body></html>"
	t.Run("utf-8 BOM", func(t *testing.T) {
		a, err := Extract(digest.Page{Body: append([]byte("\xef\xbb\xbf"), page...), Name: "bom"}, Options{})
		if err != nil || !strings.Contains(a.Body, sentence) {
			t.Errorf("BOM page: %v %q", err, a.Body)
		}
	})
	t.Run("undeclared latin-1", func(t *testing.T) {
		a, err := Extract(digest.Page{Body: encode(t, charmap.Windows1252, page), Name: "latin1"}, Options{})
		if err != nil || !strings.Contains(a.Body, sentence) {
			t.Errorf("latin-1 page: %v %q", err, a.Body)
		}
	})
	t.Run("undeclared utf-8", func(t *testing.T) {
		a, err := Extract(digest.Page{Body: []byte(page), Name: "utf8"}, Options{})
		if err != nil || !strings.Contains(a.Body, sentence) {
			t.Errorf("utf-8 page: %v %q", err, a.Body)
		}
	})
	t.Run("plain text in windows-1251", func(t *testing.T) {
		ru := charsetTexts[0]
		text := ru.headline + "\n\n" + ru.sentence + "\n\n" + ru.sentence + " Ещё одно предложение.\n"
		a, err := Extract(digest.Page{Body: encode(t, charmap.Windows1251, text), ContentType: "text/plain; charset=windows-1251", Name: "ru.txt"}, Options{})
		if err != nil || a.Headline != ru.headline || !strings.Contains(a.Body, ru.sentence) {
			t.Errorf("plain text: %v %q %q", err, a.Headline, a.Body)
		}
	})
}

// TestUTF16 reads UTF-16 pages (with a byte order mark, or named by the
// HTTP charset) instead of rejecting their NUL bytes as binary data.
func TestUTF16(t *testing.T) {
	c := charsetTexts[0]
	page := "<!DOCTYPE html><html><head><meta charset=\"utf-16\"><title>" + c.headline + "</title></head><body><h1>" + c.headline +
		"</h1><article>" + strings.Repeat("<p>"+c.sentence+"</p>\n", 4) + "</article></body></html>"
	for _, tc := range []struct {
		name, contentType string
		enc               encoding.Encoding
	}{
		{"LE with BOM and charset", "text/html; charset=UTF-16", unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)},
		{"BE with BOM", "text/html", unicode.UTF16(unicode.BigEndian, unicode.UseBOM)},
		{"LE by charset only", "text/html; charset=utf-16le", unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := encode(t, tc.enc, page)
			a, err := Extract(digest.Page{Body: raw, ContentType: tc.contentType, Name: "utf16"}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if a.Headline != c.headline || !strings.Contains(a.Body, c.sentence) || strings.ContainsRune(a.Body, '\uFEFF') {
				t.Errorf("headline %q, body %q", a.Headline, a.Body[:min(len(a.Body), 120)])
			}
		})
	}
	// Binary data stays binary.
	if _, err := Extract(digest.Page{Body: []byte("\xff\xfe\x00\x00\x01\x02\x03\x00\x00\x00\x04\x05\x06\x07\x00\x00"), Name: "bin"}, Options{}); err == nil {
		t.Error("binary data after a UTF-16 BOM was read as an article")
	}
}
