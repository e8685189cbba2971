package extract

import "testing"

func TestStripSiteSuffix(t *testing.T) {
	tests := []struct{ title, site, host, want string }{
		{"US-Russia High-Stakes Diplomacy: A Tentative Step Towards Peace | Devdiscourse", "Devdiscourse", "", "US-Russia High-Stakes Diplomacy: A Tentative Step Towards Peace"},
		{"Delhi air pollution gets worse - BBC News", "BBC News", "www.bbc.com", "Delhi air pollution gets worse"},
		{"Delhi air pollution gets worse – The Guardian", "", "www.theguardian.com", "Delhi air pollution gets worse"},
		{"Reuters: Oil prices rise on supply fears", "Reuters", "", "Oil prices rise on supply fears"},
		{"Oil prices rise on supply fears | World | Example Times", "Example Times", "", "Oil prices rise on supply fears | World"},
		{"Markets rally after rate cut as investors cheer - Business Daily", "", "", "Markets rally after rate cut as investors cheer"},
		{"US-Russia talks", "Devdiscourse", "", "US-Russia talks"},
		{"Paris", "Le Monde", "", "Paris"},
		{"Bielersee-Winterhechte | petri-heil.ch", "", "petri-heil.ch", "Bielersee-Winterhechte"},
	}
	for _, tt := range tests {
		if got := StripSiteSuffix(tt.title, tt.site, tt.host); got != tt.want {
			t.Errorf("StripSiteSuffix(%q, %q, %q) = %q, want %q", tt.title, tt.site, tt.host, got, tt.want)
		}
	}
}

func TestHeadlinePrefersPrintedHeading(t *testing.T) {
	m := &meta{
		Props: map[string]string{"og:title": "Corona-Pandemie - Ärzte warnen vor zweiter Welle", "og:site_name": "Beispiel"},
		Title: "Corona-Pandemie - Ärzte warnen vor zweiter Welle | Beispiel",
		H1:    []string{"Beispiel", "Ärzte warnen vor zweiter Welle"},
	}
	if got := headline(m); got != "Ärzte warnen vor zweiter Welle" {
		t.Errorf("headline = %q", got)
	}
	m = &meta{Title: "Council approves the new budget - Site Name", Props: map[string]string{}}
	if got := headline(m); got != "Council approves the new budget" {
		t.Errorf("headline = %q", got)
	}
}

func TestHeadlineSkipsGenericTitles(t *testing.T) {
	m := &meta{Props: map[string]string{"og:title": "Home"}, Title: "NEWS WEB EASY|Schools reopen after the storm", H1: nil}
	m.Props["og:site_name"] = "NEWS WEB EASY"
	if got := headline(m); got != "Schools reopen after the storm" {
		t.Errorf("headline = %q", got)
	}
}
