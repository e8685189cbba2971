package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsdigest/digest/summary"
)

func TestRunWritesTable(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "cnndm.jsonl")
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, a := range []article{
		{ID: "a", Article: "The council approved the new school budget on Monday after a long debate. " +
			"Teachers had asked for higher pay for years and welcomed the decision. " +
			"The mayor said the money would come from a new tax on hotel rooms. Opponents said tourists would stay away.",
			Lines:     []string{"The council approved the new school budget on Monday after a long debate.", "Teachers had asked for higher pay.", "The mayor said so."},
			Reference: "Council approves school budget . Teachers welcome pay rise ."},
		{ID: "b", Article: "Heavy rain flooded hundreds of homes in the old town centre on Sunday night. " +
			"Rescue teams worked through the night to reach families trapped on upper floors.",
			Lines:     []string{"Heavy rain flooded hundreds of homes.", "Rescue teams worked through the night."},
			Reference: "Floods hit hundreds of homes . Rescuers reach trapped families ."},
	} {
		if err := enc.Encode(a); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(data, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "summaries.md")
	dump := filepath.Join(dir, "dump.jsonl")
	var stdout bytes.Buffer
	if err := run(data, "", out, dump, summary.DefaultOptions(), false, &stdout); err != nil {
		t.Fatal(err)
	}
	table, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"(2 articles: 1 held out, 1 for tuning)", "| Lead-3@200 |", "| held-out (1) |", "| newsdigest summary |"} {
		if !strings.Contains(string(table), want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	if stdout.String() != string(table) {
		t.Errorf("printed table differs from the written one")
	}
	d, err := os.ReadFile(dump)
	if err != nil || strings.Count(string(d), "\n") != 2 {
		t.Errorf("dump: %v, %d lines", err, strings.Count(string(d), "\n"))
	}
	if err := run(filepath.Join(dir, "missing.jsonl"), "", "", "", summary.DefaultOptions(), false, &stdout); err == nil {
		t.Errorf("run on a missing file gave no error")
	}
}

func TestSetOptions(t *testing.T) {
	o, err := setOptions(summary.DefaultOptions(), "Window=6,Redundancy=0.7")
	if err != nil || o.Window != 6 || o.Redundancy != 0.7 {
		t.Errorf("setOptions = %+v, %v", o, err)
	}
	for _, bad := range []string{"Nope=1", "Window", "Window=x"} {
		if _, err := setOptions(summary.DefaultOptions(), bad); err == nil {
			t.Errorf("setOptions(%q) gave no error", bad)
		}
	}
}

func TestHeldOutIsAFixedHashSplit(t *testing.T) {
	// FNV-1a 32 of "a" is 0xe40c292c (even), of "b" 0xe70c2de5 (odd).
	if heldOut("a") || !heldOut("b") {
		t.Errorf("heldOut(a), heldOut(b) = %v, %v; want false, true", heldOut("a"), heldOut("b"))
	}
}

func TestCutAt200(t *testing.T) {
	long := strings.Repeat("word ", 50) // 250 runes
	got := cutAt200(long, 200)
	if n := len([]rune(got)); n > 200 || !strings.HasSuffix(got, "word…") {
		t.Errorf("cutAt200 = %q (%d runes)", got, n)
	}
	if got := cutAt200("  short  line ", 200); got != "short line" {
		t.Errorf("cutAt200(short) = %q", got)
	}
}

func TestVerbatimCheck(t *testing.T) {
	page := benchPage{Set: "t", Name: "p", HTML: true, Body: []byte(`<html><head><title>T</title></head><body>
<p>The <a class="auto-tag">Doobie Brothers</a> will unite with former frontman Michael McDonald
for a 2020 North American tour.<span aria-hidden="true">Hidden words</span></p>
<script>var x = "The will unite";</script></body></html>`)}
	texts := visibleTexts(page)
	for _, tt := range []struct {
		line string
		want bool
	}{
		{"The Doobie Brothers will unite with former frontman Michael McDonald for a 2020 North American tour.", true},
		{"The Doobie Brothers will unite with former frontman…", true},
		{"“The Doobie Brothers will unite…”", false}, // an opening quote the page lacks
		{"The will unite with former frontman Michael McDonald for a 2020 North American tour.", false},
		{"tour.Hidden words", false},
	} {
		got := false
		for _, s := range texts {
			got = got || strings.Contains(s, probe(tt.line))
		}
		if got != tt.want {
			t.Errorf("line %q found = %v, want %v", tt.line, got, tt.want)
		}
	}
	if got := probe("He said: “We will go on…”"); got != "Hesaid:“Wewillgoon" {
		t.Errorf("probe = %q", got)
	}
}

func TestRepeatPairs(t *testing.T) {
	lines := []string{
		"Officials from both countries held talks in Geneva on Monday, the first meeting in years.",
		"The meeting took place in Geneva on Monday.",
		"Analysts warned that the deal could still collapse over sanctions.",
	}
	if got := repeatPairs(lines); got != 1 {
		t.Errorf("repeatPairs = %d, want 1 (the second line)", got)
	}
	if got := repeatPairs(lines[2:]); got != 0 {
		t.Errorf("repeatPairs of one line = %d", got)
	}
}

// TestEveryBenchLineVerbatim keeps the page check at 100%: every summary
// line of every bench page occurs in its page. It needs the evaluation
// data in ../../shared (bench/ and seeds/) and takes about half a minute.
func TestEveryBenchLineVerbatim(t *testing.T) {
	if testing.Short() {
		t.Skip("bench-scale check; skipped with -short")
	}
	shared := filepath.Join("..", "..", "..", "shared")
	if _, err := os.Stat(filepath.Join(shared, "bench", "extraction")); err != nil {
		t.Skipf("needs the evaluation data in %s (bench/ and seeds/): %v", shared, err)
	}
	pages, err := loadPages(filepath.Join(shared, "bench"), filepath.Join(shared, "seeds"))
	if err != nil {
		t.Fatal(err)
	}
	r := checkVerbatim(pages)
	if r.Lines < 2000 {
		t.Errorf("only %d lines checked on %d pages", r.Lines, r.Pages)
	}
	for _, m := range r.Missing {
		t.Errorf("not verbatim: %s", m)
	}
}

// TestVerbatimCheckInTheLanguage: the check summarizes a page in its
// language, as the bot does: a Japanese page gives its three sentences
// (English rules keep none of its unspaced sentences).
func TestVerbatimCheckInTheLanguage(t *testing.T) {
	page := benchPage{Set: "t", Name: "ja", HTML: true, Body: []byte(`<html lang="ja"><head><title>東京で火災</title></head><body><article>
<h1>東京で大規模な火災</h1>
<p>東京都で5日、大規模な火災が発生し、消防車30台が出動した。</p>
<p>警視庁によると、けが人はいないという。</p>
<p>火災の原因は現在調査中で、近隣の住民は一時避難した。</p>
<p>消防によると、火は約3時間後に消し止められ、倉庫2棟が全焼した。</p>
<p>現場は住宅や商店が立ち並ぶ地域で、一時は周辺の道路が通行止めとなり、多くの人が集まって消火活動を見守った。</p>
<p>近くに住む男性は「窓の外が真っ赤になり、煙の臭いで目が覚めた。こんなに大きな火事は初めて見た」と話していた。</p>
<p>区は避難した住民のために近くの小学校の体育館を開放し、毛布や飲み物を配った。</p>
</article></body></html>`)}
	r := checkVerbatim([]benchPage{page})
	if r.Cards != 1 || r.Lines != 3 || len(r.Missing) != 0 || r.InLD != 0 {
		t.Errorf("checkVerbatim = %+v, want one card of 3 lines, all in the visible text", r)
	}
}
