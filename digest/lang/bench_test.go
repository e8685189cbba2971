package lang

import (
	"strings"
	"testing"
)

// BenchmarkDetect is the detector's cost on an article-sized German text.
func BenchmarkDetect(b *testing.B) {
	text := strings.Repeat("Die Bundesregierung hat am Mittwoch beschlossen, die Wahlen im Herbst abzuhalten, wie ein Sprecher in Berlin sagte. ", 40)
	for b.Loop() {
		Detect(text)
	}
}

// BenchmarkStemText is the cost of an article's stems field.
func BenchmarkStemText(b *testing.B) {
	text := strings.Repeat("Die Bundesregierung hat am Mittwoch beschlossen, die Wahlen im Herbst abzuhalten, wie ein Sprecher in Berlin sagte. ", 40)
	for b.Loop() {
		StemText("de", text)
	}
}
