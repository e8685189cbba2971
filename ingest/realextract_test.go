//go:build realextract

package ingest

import (
	"newsdigest/digest"
	"newsdigest/digest/extract"
	"newsdigest/digest/summary"
)

// With -tags realextract the end-to-end test and benchmark use the
// project's extractor and summarizer instead of the small test ones.
func init() {
	benchExtract = func(p digest.Page, sel string) (digest.Article, error) {
		return extract.Extract(p, extract.Options{BodySelector: sel})
	}
	benchSummarize = summary.Summarize
}
