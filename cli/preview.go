package cli

import (
	"bytes"
	"compress/gzip"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"strings"

	"newsdigest/control"
	"newsdigest/digest"
	"newsdigest/digest/extract"
	"newsdigest/digest/lang"
	"newsdigest/digest/summary"
)

// The bundled sample pages: `bot preview` with no arguments shows their
// cards, so a new user sees what the bot makes at once. See samples/README.md.
//
//go:embed samples
var samples embed.FS

func init() {
	register("preview", command{
		summary: "Print the card of each page (files or URLs); no arguments: the bundled samples",
		usage: `bot preview [--json] [--url PAGE_URL] [PATH|URL ...]

Each input is an HTML page or a plain-text dump of one (.gz files are read
as gzip), or an http(s) URL to fetch. --url gives the address a saved file
came from, for site rules and the card's link. With no input, the bundled
sample pages are shown. --json prints one JSON object per line with every
field of the card and the extracted body.`,
		run: runPreview,
	})
}

// previewInput is one page to preview.
type previewInput struct {
	name string // what the user typed, or the sample's name
	open func(ctx context.Context) (digest.Page, error)
}

// previewResult is one line of --json output.
type previewResult struct {
	Input        string          `json:"input"`
	Card         *digest.Card    `json:"card,omitempty"`
	DatelineText string          `json:"dateline_text,omitempty"`
	Article      *digest.Article `json:"article,omitempty"`
	Error        string          `json:"error,omitempty"`
}

func runPreview(ctx context.Context, env Env, args []string) error {
	fl := newFlags(env, "preview")
	asJSON := fl.Bool("json", false, "print JSON, one object per line")
	pageURL := fl.String("url", "", "the address the (single) saved file came from")
	configPath := configFlag(env, fl)
	inputs, err := parseFlags(fl, args)
	if err != nil {
		return err
	}
	if *pageURL != "" {
		u, err := url.Parse(*pageURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("%w: --url %q is not an http(s) URL", errUsage, *pageURL)
		}
		if len(inputs) != 1 {
			return fmt.Errorf("%w: --url goes with exactly one file", errUsage)
		}
	}
	var list []previewInput
	if len(inputs) == 0 {
		list, err = sampleInputs()
		if err != nil {
			return err
		}
	}
	var fetcher pageFetcher
	for _, in := range inputs {
		if strings.HasPrefix(in, "http://") || strings.HasPrefix(in, "https://") {
			if fetcher == nil {
				c, err := loadConfig(env, *configPath)
				if err != nil {
					return err
				}
				if fetcher, err = newPageFetcher(c); err != nil {
					return err
				}
			}
			list = append(list, previewInput{name: in, open: func(ctx context.Context) (digest.Page, error) {
				return fetcher(ctx, in)
			}})
			continue
		}
		list = append(list, previewInput{name: in, open: func(context.Context) (digest.Page, error) {
			return readPageFile(in, *pageURL)
		}})
	}

	progress := len(list) > 3 && isTerminal(env.Stderr) && !isTerminal(env.Stdout)
	color := isTerminal(env.Stdout) && env.Getenv("NO_COLOR") == ""
	enc := json.NewEncoder(env.Stdout)
	enc.SetEscapeHTML(false)
	failed := 0
	for i, in := range list {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if progress {
			fmt.Fprintf(env.Stderr, "\r[%d/%d] %s\x1b[K", i+1, len(list), control.Escape(in.name))
		}
		card, art, err := previewOne(ctx, in)
		if err != nil {
			failed++
		}
		if *asJSON {
			r := previewResult{Input: in.name}
			if err != nil {
				r.Error = err.Error()
			} else {
				r.Card, r.Article, r.DatelineText = &card, &art, card.Dateline.String()
			}
			if err := enc.Encode(r); err != nil {
				return err
			}
			continue
		}
		if i > 0 {
			fmt.Fprintln(env.Stdout)
		}
		if err != nil {
			fmt.Fprintf(env.Stdout, "✗ %s\n  %s\n", control.Escape(in.name), control.Escape(err.Error()))
			continue
		}
		writeCard(env.Stdout, card, color)
	}
	if progress {
		fmt.Fprint(env.Stderr, "\r\x1b[K")
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d inputs gave no card", failed, len(list))
	}
	return nil
}

func previewOne(ctx context.Context, in previewInput) (digest.Card, digest.Article, error) {
	p, err := in.open(ctx)
	if err != nil {
		return digest.Card{}, digest.Article{}, err
	}
	return BuildCard(p, extract.Options{})
}

// BuildCard extracts the article of a page and summarizes it into a card.
func BuildCard(p digest.Page, opt extract.Options) (digest.Card, digest.Article, error) {
	art, err := extract.Extract(p, opt)
	if err != nil {
		return digest.Card{}, digest.Article{}, err
	}
	// The page's language, else the one its text is in, as the bot does.
	art.Language = lang.Resolve(art.Language, "", art.Headline+"\n"+art.Body)
	card := digest.Card{
		Headline: art.Headline,
		Dateline: art.Dateline,
		Summary:  summary.SummarizeIn(art.Body, art.Language),
		Language: art.Language,
		Source:   art.Site,
		URL:      art.URL,
		Time:     art.Dateline.Published,
		Image:    art.Image,
	}
	return card, art, nil
}

// readPageFile reads a saved page, gunzipping .gz files.
// Only the first extract.MaxPageBytes are read (and, gzipped, only as
// much is unzipped): extraction looks no further, so a huge file costs no
// more memory than that.
func readPageFile(name, pageURL string) (digest.Page, error) {
	f, err := os.Open(name)
	if err != nil {
		return digest.Page{}, fmt.Errorf("preview: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, extract.MaxPageBytes))
	if err != nil {
		return digest.Page{}, fmt.Errorf("preview: %w", err)
	}
	return pageFromBytes(name, pageURL, b)
}

func pageFromBytes(name, pageURL string, b []byte) (digest.Page, error) {
	if strings.HasSuffix(name, ".gz") || bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return digest.Page{}, fmt.Errorf("preview: %s is not gzip: %w", name, err)
		}
		b, err = io.ReadAll(io.LimitReader(zr, extract.MaxPageBytes))
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			return digest.Page{}, fmt.Errorf("preview: unzip %s: %w", name, err)
		}
	}
	return digest.Page{URL: pageURL, Body: b, Name: name}, nil
}

// sampleInputs lists the bundled pages; samples/urls.txt maps a file to
// the address it came from.
func sampleInputs() ([]previewInput, error) {
	urls := map[string]string{}
	if b, err := samples.ReadFile("samples/urls.txt"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if f, u, ok := strings.Cut(strings.TrimSpace(line), " "); ok && !strings.HasPrefix(f, "#") {
				urls[f] = strings.TrimSpace(u)
			}
		}
	}
	entries, err := fs.ReadDir(samples, "samples")
	if err != nil {
		return nil, err
	}
	var list []previewInput
	for _, e := range entries {
		n := e.Name()
		if n == "urls.txt" || n == "README.md" {
			continue
		}
		list = append(list, previewInput{name: "sample:" + n, open: func(context.Context) (digest.Page, error) {
			b, err := samples.ReadFile(path.Join("samples", n))
			if err != nil {
				return digest.Page{}, err
			}
			return pageFromBytes("sample:"+n, urls[n], b)
		}})
	}
	if len(list) == 0 {
		return nil, errors.New("preview: no bundled sample pages")
	}
	return list, nil
}
