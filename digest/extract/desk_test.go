package extract

import "testing"

func TestDeskOutlet(t *testing.T) {
	for desk, want := range map[string]string{
		"Devdiscourse News Desk": "Devdiscourse",
		"ET Online Web Desk":     "ET Online",
		"Reuters":                "",
		"":                       "",
		" Desk":                  "",
		"Jane Doe, Metro Desk":   "",
	} {
		if got := deskOutlet(desk); got != want {
			t.Errorf("deskOutlet(%q) = %q, want %q", desk, got, want)
		}
	}
}
