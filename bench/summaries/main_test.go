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
	if err := run(data, out, dump, summary.DefaultOptions(), false, &stdout); err != nil {
		t.Fatal(err)
	}
	table, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"(2 articles)", "| Lead-3 (dataset sentences) |", "| newsdigest summary |"} {
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
	if err := run(filepath.Join(dir, "missing.jsonl"), "", "", summary.DefaultOptions(), false, &stdout); err == nil {
		t.Errorf("run on a missing file gave no error")
	}
}

func TestSetOptions(t *testing.T) {
	o, err := setOptions(summary.DefaultOptions(), "Plateau=5,QuotePenalty=0")
	if err != nil || o.Plateau != 5 || o.QuotePenalty != 0 {
		t.Errorf("setOptions = %+v, %v", o, err)
	}
	for _, bad := range []string{"Nope=1", "Plateau", "Plateau=x"} {
		if _, err := setOptions(summary.DefaultOptions(), bad); err == nil {
			t.Errorf("setOptions(%q) gave no error", bad)
		}
	}
}
