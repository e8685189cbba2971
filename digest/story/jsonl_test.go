package story

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestReadJSONL(t *testing.T) {
	in := `{"id": "1_10ecb", "cluster": "1_ecb", "topic": 1, "title": "", "text": "Tara Reid checked in.", "source": null, "url": null, "published": null}

{"id": 42, "title": "T", "text": "x", "source": "bbc", "url": "https://bbc.co.uk/a", "published": "2024-03-01T10:00:00Z"}
{"id": "d", "published": "2024-03-02"}
`
	docs, err := ReadJSONL(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Doc{
		{ID: "1_10ecb", Text: "Tara Reid checked in."},
		{ID: "42", Title: "T", Text: "x", Source: "bbc", URL: "https://bbc.co.uk/a", Published: time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)},
		{ID: "d", Published: time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)},
	}
	if len(docs) != len(want) {
		t.Fatalf("got %d docs, want %d: %+v", len(docs), len(want), docs)
	}
	for i := range want {
		if docs[i] != want[i] {
			t.Errorf("doc %d = %+v, want %+v", i, docs[i], want[i])
		}
	}
}

func TestReadJSONLErrors(t *testing.T) {
	tests := map[string]string{
		"not json":     "{\"id\": \"a\"}\nnot json\n",
		"no id":        `{"text": "x"}`,
		"empty id":     `{"id": ""}`,
		"object id":    `{"id": {"a": 1}}`,
		"bad date":     `{"id": "a", "published": "yesterday"}`,
		"wrong type":   `{"id": "a", "text": 5}`,
		"array line":   `[1, 2]`,
		"unterminated": `{"id": "a"`,
	}
	for name, in := range tests {
		if _, err := ReadJSONL(strings.NewReader(in)); err == nil || !strings.HasPrefix(err.Error(), "story: line") {
			t.Errorf("%s: err = %v, want a \"story: line N\" error", name, err)
		}
	}
}

func TestWriteAssignments(t *testing.T) {
	var b bytes.Buffer
	m := map[string]int64{"b": 2, "a": 1, `q"uote`: 3}
	if err := WriteAssignments(&b, m); err != nil {
		t.Fatal(err)
	}
	const want = `{"a":1,"b":2,"q\"uote":3}` + "\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	var back map[string]int64
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || len(back) != 3 || back[`q"uote`] != 3 {
		t.Errorf("output does not decode back: %v %v", back, err)
	}
}

func FuzzReadJSONL(f *testing.F) {
	f.Add(`{"id": "1_10ecb", "cluster": "1_ecb", "topic": 1, "title": "", "text": "Tara Reid checked in.", "source": null, "url": null, "published": null}`)
	f.Add(`{"id": 7, "published": "2024-03-02"}` + "\n\n" + `{"id": "x", "text": "Zürich\nGenève"}`)
	f.Add(`{"id": "a", "text": "\u0000"}`)
	f.Add("[]\n{}")
	f.Fuzz(func(t *testing.T, in string) {
		docs, err := ReadJSONL(strings.NewReader(in))
		if err != nil {
			return
		}
		m := Group(docs, Options{})
		for _, d := range docs {
			if d.ID == "" {
				t.Fatalf("doc without id accepted from %q", in)
			}
			if m[d.ID] <= 0 {
				t.Fatalf("doc %q got story %d", d.ID, m[d.ID])
			}
		}
		var b bytes.Buffer
		if err := WriteAssignments(&b, m); err != nil {
			t.Fatal(err)
		}
		var back map[string]int64
		if err := json.Unmarshal(b.Bytes(), &back); err != nil {
			t.Fatalf("WriteAssignments wrote invalid JSON %q: %v", b.String(), err)
		}
		if len(back) != len(m) {
			t.Fatalf("round trip kept %d of %d ids", len(back), len(m))
		}
	})
}
