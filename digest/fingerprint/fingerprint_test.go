package fingerprint

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  ,.; ", nil},
		{"Hello, World!", []string{"hello", "world"}},
		{"São Paulo's 2024 budget—approved", []string{"são", "paulo", "s", "2024", "budget", "approved"}},
		{"snake_case x", []string{"snake_case", "x"}},
		{"東京 オリンピック", []string{"東京", "オリンピック"}},
	}
	for _, tt := range tests {
		if got := Words(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Words(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestContentHash(t *testing.T) {
	a := ContentHash("The council approved the budget.\n\nIt passed 7-2.")
	if len(a) != 32 {
		t.Fatalf("ContentHash length = %d, want 32 hex digits (128 bits)", len(a))
	}
	if b := ContentHash("the council  approved the BUDGET it passed 7 2"); b != a {
		t.Errorf("spacing, case and punctuation changed the hash: %s vs %s", a, b)
	}
	if c := ContentHash("The council rejected the budget. It passed 7-2."); c == a {
		t.Error("a different word gave the same hash")
	}
	if ContentHash(" \n ") != "" {
		t.Error("empty text should hash to the empty string")
	}
}

func TestSimHash(t *testing.T) {
	if SimHash("") != 0 || SimHash("!!") != 0 {
		t.Error("empty text should give 0")
	}
	if SimHash("two words") == 0 {
		t.Error("a short text should still hash")
	}
	base := strings.Repeat("The minister said the new rail line would open next spring after delays. ", 1) +
		"Engineers found cracks in two bridges last year, and repairs took eight months. " +
		"Passengers groups welcomed the news but asked for more trains at peak hours. " +
		"The line links the port with the airport and three suburbs in the north."
	if SimHash(base) != SimHash(strings.ToUpper(base)) {
		t.Error("case changed the SimHash")
	}
	edited := strings.Replace(base, "eight months", "nine months", 1)
	if d := Distance(SimHash(base), SimHash(edited)); d > 16 {
		t.Errorf("one changed word moved the SimHash by %d bits", d)
	}
	other := "Stocks fell sharply on Monday as investors weighed new tariffs and weak factory data from Asia, " +
		"while oil prices rose for a third day and the dollar slipped against the yen."
	if d := Distance(SimHash(base), SimHash(other)); d <= NearDuplicate {
		t.Errorf("unrelated texts are %d bits apart", d)
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b uint64
		want int
	}{
		{0, 0, 0}, {0, ^uint64(0), 64}, {0b1011, 0b0001, 2}, {1 << 63, 1, 2},
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%x, %x) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func FuzzFingerprint(f *testing.F) {
	for _, s := range []string{"", "a", "a b c d", "Über  straße\u00a0ß", "\xff\xfe bad utf8", "x_y-z.w"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if utf8.ValidString(s) && Normalize(n) != n {
			t.Errorf("Normalize is not idempotent on %q", s)
		}
		if SimHash(n) != SimHash(s) && utf8.ValidString(s) {
			t.Errorf("SimHash differs between %q and its normal form", s)
		}
		if h := ContentHash(s); h != "" && len(h) != 32 {
			t.Errorf("ContentHash(%q) = %q", s, h)
		}
	})
}
