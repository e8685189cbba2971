package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"newsdigest/digest"
)

// seedPath is the page the project started from, one of the bundled
// samples (a copy of ../shared/seeds/000_1a245fab6bbc05c5.txt).
func seedPath(t *testing.T) string {
	t.Helper()
	return filepath.Join("samples", "1-devdiscourse-us-russia-talks.txt")
}

func runCLI(t *testing.T, stdin string, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return env[k] },
	})
	return code, out.String(), errb.String()
}

func TestPreviewBundledSamples(t *testing.T) {
	code, out, errOut := runCLI(t, "", nil, "preview")
	if code != 0 {
		t.Fatalf("bot preview exited %d: %s", code, errOut)
	}
	for _, want := range []string{
		"US-Russia High-Stakes Diplomacy: A Tentative Step Towards Peace",
		"Riyadh, 19 Feb 2025 03:06 IST",
		"  • ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("preview output lacks %q:\n%s", want, out)
		}
	}
	for _, junk := range []string{"AI-generated", "With inputs from agencies", "TRENDING", "Copyright"} {
		if strings.Contains(out, junk) {
			t.Errorf("preview output holds junk %q:\n%s", junk, out)
		}
	}
}

func TestPreviewJSONOfTheSeed(t *testing.T) {
	seed := seedPath(t)
	code, out, errOut := runCLI(t, "", nil, "preview", seed, "--json", "--url", "https://www.devdiscourse.com/article/headlines/3262345-us-russia")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r previewResult
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out)
	}
	c := r.Card
	if c == nil || r.Article == nil {
		t.Fatalf("no card: %+v", r)
	}
	if c.Headline != "US-Russia High-Stakes Diplomacy: A Tentative Step Towards Peace" {
		t.Errorf("headline = %q", c.Headline)
	}
	d := c.Dateline
	if d.Place != "Riyadh" || d.Published.Format("2006-01-02 15:04 -07:00") != "2025-02-19 03:06 +05:30" || !strings.Contains(r.DatelineText, "IST") {
		t.Errorf("dateline = %+v (%q)", d, r.DatelineText)
	}
	if len(c.Summary) != 3 {
		t.Errorf("summary has %d lines, want 3: %q", len(c.Summary), c.Summary)
	}
	for _, l := range c.Summary {
		if utf8.RuneCountInString(l) > digest.MaxLineLength || !strings.Contains(r.Article.Body, strings.TrimSuffix(l, "…")[:20]) {
			t.Errorf("summary line not from the body or too long: %q", l)
		}
	}
	if c.URL == "" || !strings.Contains(r.Article.Body, "Sanction relief is on the table") || strings.Contains(r.Article.Body, "TRENDING") {
		t.Errorf("url %q, body %q", c.URL, r.Article.Body)
	}
}

func TestPreviewReportsNoArticle(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.html")
	bin := filepath.Join(dir, "blob.bin")
	os.WriteFile(empty, nil, 0o644)
	os.WriteFile(bin, []byte{0, 1, 2, 3, 0xff, 0xfe, 0, 0, 7, 8, 9, 0}, 0o644)
	code, out, errOut := runCLI(t, "", nil, "preview", "--json", empty, bin, filepath.Join(dir, "missing.html"))
	if code != 1 || !strings.Contains(errOut, "3 of 3 inputs gave no card") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("want one JSON line per input, got %q", out)
	}
	for _, l := range lines[:2] {
		if !strings.Contains(l, "no article found in") {
			t.Errorf("want a typed no-article error, got %s", l)
		}
	}
}

func TestSummarizeStdin(t *testing.T) {
	text := "The city council voted on Tuesday to close the old bridge. Engineers found cracks in two of its piers last month.\n\n" +
		"Traffic will move to the new crossing from Monday. The mayor said repairs would take a year. Shops near the bridge fear losing customers."
	code, out, errOut := runCLI(t, text, nil, "summarize")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 lines, got %q", out)
	}
	for _, l := range lines {
		if !strings.Contains(text, strings.TrimSuffix(l, "…")) {
			t.Errorf("line %q is not from the text", l)
		}
	}
	if code, _, errOut := runCLI(t, "  \n", nil, "summarize"); code != 1 || !strings.Contains(errOut, "empty") {
		t.Errorf("empty input: exit %d, %q", code, errOut)
	}
}

func TestStoriesOutputsOneObject(t *testing.T) {
	in := `{"id":"a","text":"A magnitude 6.1 earthquake struck Napa, California on Sunday, injuring dozens."}
{"id":"b","text":"A strong earthquake of magnitude 6.1 hit Napa in California early Sunday; dozens were hurt."}
{"id":"c","text":"Lindsay Lohan checked into rehab in Malibu on Thursday, her lawyer said."}
`
	code, out, errOut := runCLI(t, in, nil, "stories")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var m map[string]int64
	if err := json.Unmarshal([]byte(out), &m); err != nil || len(m) != 3 {
		t.Fatalf("output %q: %v", out, err)
	}
	if m["a"] == m["c"] {
		t.Errorf("an earthquake and a rehab stay share a story: %v", m)
	}
	if code, _, _ := runCLI(t, "{not json\n", nil, "stories"); code == 0 {
		t.Error("bad JSON lines accepted")
	}
}

func TestCheckConfig(t *testing.T) {
	env := map[string]string{"DISCORD_TOKEN": "very-secret-discord-token"}
	code, out, errOut := runCLI(t, "", env, "check-config", "--config", "../config.example.yaml")
	if code != 0 || !strings.Contains(out, "is valid") || strings.Contains(out, "very-secret") || !strings.Contains(out, "[redacted]") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("digest:\n  max_storys: 5\n"), 0o644)
	code, _, errOut = runCLI(t, "", nil, "check-config", "--config", bad)
	if code != 1 || !strings.Contains(errOut, "digest.max_storys") {
		t.Errorf("exit %d, %q: want the unknown key named", code, errOut)
	}
	code, _, errOut = runCLI(t, "", map[string]string{"NEWSDIGEST_CONFIG": bad}, "check-config")
	if code != 1 || !strings.Contains(errOut, "max_storys") {
		t.Errorf("NEWSDIGEST_CONFIG not read: exit %d, %q", code, errOut)
	}
	// The PostgreSQL password, from the file or the environment, is never printed.
	pg := filepath.Join(t.TempDir(), "pg.yaml")
	os.WriteFile(pg, []byte("store:\n  url: postgres://bot:file-pw-123@db.example:5432/news\n"), 0o644)
	for _, env := range []map[string]string{nil, {"NEWSDIGEST_STORE_URL": "postgres://bot:env-pw-456@db.example/news"}} {
		code, out, errOut = runCLI(t, "", env, "check-config", "--config", pg)
		if code != 0 || strings.Contains(out, "-pw-") || !strings.Contains(out, "postgres://bot:REDACTED@db.example") {
			t.Errorf("check-config with a store password: exit %d\n%s\n%s", code, out, errOut)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	if code, _, errOut := runCLI(t, "", nil, "frobnicate"); code != 2 || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %d %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, "", nil, "preview", "--url", "not a url", "x.html"); code != 2 || !strings.Contains(errOut, "--url") {
		t.Errorf("bad --url: %d %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, "", nil, "preview", "--nope"); code != 2 || !strings.Contains(errOut, "nope") {
		t.Errorf("unknown flag: %d %q", code, errOut)
	}
	for _, name := range []string{"run", "preview", "summarize", "stories", "sources", "check-config", "version", "healthcheck"} {
		code, _, errOut := runCLI(t, "", nil, name, "--help")
		if code != 0 || !strings.Contains(errOut, "bot "+name) {
			t.Errorf("%s --help: exit %d, %q", name, code, errOut)
		}
	}
}
