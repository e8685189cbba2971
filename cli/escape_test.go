package cli

import (
	"strings"
	"testing"
)

// TestPreviewEscapesControlCharacters: a page whose headline and text hold
// real escape sequences (set the window title, clear the screen, blink,
// reset the terminal) and backspaces is printed with them made visible,
// never written raw to the operator's terminal.
func TestPreviewEscapesControlCharacters(t *testing.T) {
	for _, args := range [][]string{{"preview", "testdata/escapes.html"}, {"preview", "--json", "testdata/escapes.html"}} {
		code, out, errOut := runCLI(t, "", nil, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		if i := strings.IndexAny(out+errOut, "\x1b\x07\x08\u009b"); i >= 0 {
			t.Errorf("%v writes a raw control character: %q", args, (out + errOut)[max(0, i-20):min(len(out+errOut), i+20)])
		}
		if !strings.Contains(out, "Bridge") || !strings.Contains(out, "[2J") {
			t.Errorf("%v: the card or its escaped sequence is missing:\n%s", args, out)
		}
	}
}
