package main

import (
	"bytes"
	"errors"
	"net/url"
	"strings"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"
	htmldate "github.com/markusmobius/go-htmldate"
	trafilatura "github.com/markusmobius/go-trafilatura"

	"newsdigest/digest"
	"newsdigest/digest/extract"
)

func ours(p page) (string, error) { return oursWith(p, nil) }

// oursNoRules runs the general extractor alone, without the site rules.
func oursNoRules(p page) (string, error) { return oursWith(p, extract.Rules{}) }

func oursWith(p page, rules extract.Rules) (string, error) {
	a, err := extract.Extract(digest.Page{URL: p.URL, Body: p.HTML, Name: p.ID}, extract.Options{Rules: rules})
	if errors.Is(err, digest.ErrNoArticle) {
		return "", nil
	}
	return a.Body, err
}

func trafilaturaRun(html []byte, pageURL string) (*trafilatura.ExtractResult, error) {
	u, _ := url.Parse(pageURL)
	return trafilatura.Extract(bytes.NewReader(html), trafilatura.Options{EnableFallback: true, OriginalURL: u, ExcludeComments: true})
}

func trafilaturaBody(p page) (string, error) {
	r, err := trafilaturaRun(p.HTML, p.URL)
	if err != nil || r == nil {
		return "", err
	}
	return r.ContentText, nil
}

func readabilityBody(p page) (string, error) {
	u, _ := url.Parse(p.URL)
	parser := readability.NewParser()
	a, err := parser.Parse(bytes.NewReader(p.HTML), u)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := a.RenderText(&b); err != nil {
		return "", err
	}
	return b.String(), nil
}

func htmldateDate(html []byte, pageURL string) (time.Time, error) {
	r, err := htmldate.FromReader(bytes.NewReader(html), htmldate.Options{URL: pageURL, UseOriginalDate: true})
	if err != nil {
		return time.Time{}, err
	}
	return r.DateTime, nil
}
