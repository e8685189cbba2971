package telegram

import (
	"errors"
	"maps"
	"testing"
)

func TestParseCommand(t *testing.T) {
	tests := []struct {
		in   string
		want parsedCommand
		ok   bool
	}{
		{"/trending", parsedCommand{name: "trending"}, true},
		{"/Trending 12", parsedCommand{name: "trending", args: "12"}, true},
		{"/trending@other_bot 3", parsedCommand{name: "trending", bot: "other_bot", args: "3"}, true},
		{"/article  foo   bar ", parsedCommand{name: "article", args: "foo   bar"}, true},
		{"/article\nfoo", parsedCommand{name: "article", args: "foo"}, true},
		{"hello /trending", parsedCommand{}, false},
		{"/", parsedCommand{}, false},
		{"/@bot", parsedCommand{}, false},
	}
	for _, tt := range tests {
		got, ok := parseCommand(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parseCommand(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestMapArgs(t *testing.T) {
	tests := []struct {
		cmd, args string
		want      map[string]string
		usage     bool
	}{
		{"trending", "", map[string]string{}, false},
		{"trending", "12", map[string]string{"hours": "12"}, false},
		{"trending", "0", nil, true},
		{"trending", "169", nil, true},
		{"trending", "twelve", nil, true},
		{"trending", "12 13", nil, true},
		{"article", "", nil, true},
		{"article", `"climate change" talks`, map[string]string{"keyword": `"climate change" talks`}, false},
		{"subscribe", "08:00 Europe/Berlin", map[string]string{"time": "08:00", "timezone": "Europe/Berlin"}, false},
		{"subscribe", "08:00 Europe/Berlin 5", map[string]string{"time": "08:00", "timezone": "Europe/Berlin", "max_stories": "5"}, false},
		{"subscribe", "08:00 Europe/Berlin 5 ai, climate", map[string]string{"time": "08:00", "timezone": "Europe/Berlin", "max_stories": "5", "keywords": "ai, climate"}, false},
		{"subscribe", "08:00 Europe/Berlin ai", map[string]string{"time": "08:00", "timezone": "Europe/Berlin", "keywords": "ai"}, false},
		{"subscribe", "08:00 Europe/Berlin 26", nil, true},
		// Too big for an int: still the count, out of range, not a keyword.
		{"subscribe", "08:00 UTC 99999999999999999999", nil, true},
		{"subscribe", "08:00 UTC -99999999999999999999 ai", nil, true},
		{"trending", "99999999999999999999", nil, true},
		{"subscribe", "08:00", nil, true},
		{"subscribe", "08:00 Europe/Berlin images:false", map[string]string{"time": "08:00", "timezone": "Europe/Berlin", "images": "false"}, false},
		{"subscribe", "images:false 08:00 UTC 3 ai empty_note:true", map[string]string{"time": "08:00", "timezone": "UTC", "max_stories": "3", "keywords": "ai", "images": "false", "empty_note": "true"}, false},
		{"subscribe", "08:00 UTC images:maybe", nil, true},
		{"subscribe", "08:00 UTC keywords:nuclear", map[string]string{"time": "08:00", "timezone": "UTC", "keywords": "nuclear"}, false},
		{"digest", "", map[string]string{}, false},
		{"digest", "now", map[string]string{}, false},
		{"start", "ref-campaign1", map[string]string{}, false},
	}
	for _, tt := range tests {
		spec, ok := commandSpec(tt.cmd)
		if !ok {
			t.Fatalf("no spec for %s", tt.cmd)
		}
		got, err := mapArgs(spec, tt.args)
		if tt.usage {
			if !errors.Is(err, errUsage) {
				t.Errorf("/%s %s: err = %v, want a usage error", tt.cmd, tt.args, err)
			}
			continue
		}
		if err != nil || !maps.Equal(got, tt.want) {
			t.Errorf("/%s %s = %v, %v; want %v", tt.cmd, tt.args, got, err, tt.want)
		}
	}
}

func TestBotCommandsValid(t *testing.T) {
	cmds := BotCommands()
	if len(cmds) == 0 || len(cmds) > 100 {
		t.Fatalf("%d commands", len(cmds))
	}
	for _, c := range cmds {
		if !validCommandName(c.Command) {
			t.Errorf("command name %q is not valid on Telegram", c.Command)
		}
		if n := utf16Len(c.Description); n < 3 || n > 256 {
			t.Errorf("command %s: description of %d characters", c.Command, n)
		}
	}
}

func validCommandName(c string) bool {
	if len(c) < 1 || len(c) > 32 {
		return false
	}
	for _, r := range c {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// FuzzCommand checks that any message text parses without panic, and that
// mapped arguments only use the option names of the command's spec.
func FuzzCommand(f *testing.F) {
	for _, s := range []string{"/trending 12", "/article foo bar", "/subscribe 08:00 Europe/Berlin 5 ai, x", "/x@y", "/\n", "/subscribe\t1 2 3 4 5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		pc, ok := parseCommand(text)
		if !ok {
			return
		}
		spec, ok := commandSpec(pc.name)
		if !ok {
			return
		}
		args, err := mapArgs(spec, pc.args)
		if err != nil {
			return
		}
		for name := range args {
			known := false
			for _, o := range spec.Options {
				known = known || o.Name == name
			}
			if !known {
				t.Fatalf("%q mapped unknown option %q", text, name)
			}
		}
		for _, o := range spec.Options {
			if _, ok := args[o.Name]; o.Required && !ok {
				t.Fatalf("%q lacks required option %q", text, o.Name)
			}
		}
	})
}
