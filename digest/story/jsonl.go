package story

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"sort"
	"strconv"
	"time"
)

// jsonDoc is one line of the ECB+ story format. The gold fields `cluster`
// and `topic` are deliberately absent: grouping never reads them.
type jsonDoc struct {
	ID        json.RawMessage `json:"id"`
	Title     *string         `json:"title"`
	Text      *string         `json:"text"`
	Source    *string         `json:"source"`
	URL       *string         `json:"url"`
	Published *string         `json:"published"`
}

// maxLine bounds one JSON line (a long article is well under a megabyte).
const maxLine = 16 << 20

// ReadJSONL reads one doc per line: `id` (string or number), `title`,
// `text`, `source`, `url`, `published` (RFC 3339 or YYYY-MM-DD), any of
// which but `id` may be empty or null. Blank lines are skipped. It holds
// every doc; ScanJSONL reads them one at a time.
func ReadJSONL(r io.Reader) ([]Doc, error) {
	var out []Doc
	for d, err := range ScanJSONL(r) {
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// ScanJSONL yields the docs of r one by one, as ReadJSONL reads them,
// holding one line at a time; it stops after the first error it yields.
func ScanJSONL(r io.Reader) iter.Seq2[Doc, error] {
	return func(yield func(Doc, error) bool) {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 0, 64<<10), maxLine)
		line := 0
		for sc.Scan() {
			line++
			b := bytes.TrimSpace(sc.Bytes())
			if len(b) == 0 {
				continue
			}
			var j jsonDoc
			if err := json.Unmarshal(b, &j); err != nil {
				yield(Doc{}, fmt.Errorf("story: line %d: %w", line, err))
				return
			}
			id, err := docID(j.ID)
			if err != nil {
				yield(Doc{}, fmt.Errorf("story: line %d: %w", line, err))
				return
			}
			d := Doc{ID: id, Title: str(j.Title), Text: str(j.Text), Source: str(j.Source), URL: str(j.URL)}
			if p := str(j.Published); p != "" {
				t, err := parseTime(p)
				if err != nil {
					yield(Doc{}, fmt.Errorf("story: line %d: published %q: %w", line, p, err))
					return
				}
				d.Published = t
			}
			if !yield(d, nil) {
				return
			}
		}
		if err := sc.Err(); err != nil {
			yield(Doc{}, fmt.Errorf("story: reading line %d: %w", line+1, err))
		}
	}
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func docID(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", fmt.Errorf("missing id")
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		if s == "" {
			return "", fmt.Errorf("empty id")
		}
		return s, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		return n.String(), nil
	}
	return "", fmt.Errorf("id %s is neither a string nor a number", truncate(string(raw), 40))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not RFC 3339 nor YYYY-MM-DD")
}

// WriteAssignments writes one JSON object mapping each doc id to its story
// id, keys in sorted order, followed by a newline.
func WriteAssignments(w io.Writer, m map[string]int64) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, err := json.Marshal(k)
		if err != nil {
			return fmt.Errorf("story: encoding id %q: %w", truncate(k, 40), err)
		}
		b.Write(kb)
		b.WriteByte(':')
		b.WriteString(strconv.FormatInt(m[k], 10))
	}
	b.WriteString("}\n")
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("story: writing assignments: %w", err)
	}
	return nil
}
