package commands

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"newsdigest/digest"
	"newsdigest/redact"
)

// MaxOPML is the largest OPML file /source import reads.
const MaxOPML = 1 << 20

// maxImport caps the feeds one import may bring.
const maxImport = 200

type opmlDoc struct {
	XMLName xml.Name      `xml:"opml"`
	Version string        `xml:"version,attr"`
	Title   string        `xml:"head>title"`
	Body    []opmlOutline `xml:"body>outline"`
}

type opmlOutline struct {
	Type     string        `xml:"type,attr,omitempty"`
	Text     string        `xml:"text,attr"`
	Title    string        `xml:"title,attr,omitempty"`
	XMLURL   string        `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string        `xml:"htmlUrl,attr,omitempty"`
	URL      string        `xml:"url,attr,omitempty"`
	Outlines []opmlOutline `xml:"outline"`
}

// parseOPML reads the feeds of an OPML file (nested outlines too): their
// names and addresses, in order, without duplicates. A file that is not
// well-formed OPML, or defines entities, is an error.
func parseOPML(b []byte) ([]digest.Source, error) {
	if bytes.Contains(b, []byte("<!ENTITY")) || bytes.Contains(b, []byte("<!DOCTYPE")) {
		return nil, errors.New("it declares a DOCTYPE or entities, which OPML has no use for")
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	var doc opmlDoc
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("it is not OPML: %w", err)
	}
	var out []digest.Source
	seen := map[string]bool{}
	var walk func(os []opmlOutline, depth int)
	walk = func(os []opmlOutline, depth int) {
		for _, o := range os {
			if depth > 8 {
				return
			}
			addr := o.XMLURL
			kind := digest.KindFeed
			if addr == "" && strings.EqualFold(o.Type, "link") {
				addr, kind = o.URL, digest.KindHTML
			}
			if addr = strings.TrimSpace(addr); addr != "" && !seen[addr] {
				seen[addr] = true
				name := o.Title
				if name == "" {
					name = o.Text
				}
				// A nameless outline keeps "": the feed's own title names it.
				out = append(out, digest.Source{Name: strings.TrimSpace(name), URL: addr, Kind: kind})
			}
			walk(o.Outlines, depth+1)
		}
	}
	walk(doc.Body, 0)
	return out, nil
}

func (h *Handler) sourceExport(ctx context.Context, req digest.CommandRequest, sub digest.Subscription) (digest.CommandReply, error) {
	list, err := h.channelList(ctx, sub)
	if err != nil {
		return digest.CommandReply{}, err
	}
	doc := opmlDoc{Version: "2.0", Title: "newsdigest: this channel's sources"}
	sort.Slice(list, func(i, j int) bool { return strings.ToLower(list[i].Name) < strings.ToLower(list[j].Name) })
	for _, s := range list {
		o := opmlOutline{Text: s.Name, Title: s.Name}
		if s.Kind == digest.KindHTML {
			o.Type, o.URL = "link", s.URL
		} else {
			o.Type, o.XMLURL = "rss", s.URL
		}
		doc.Body = append(doc.Body, o)
	}
	b, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return digest.CommandReply{}, fmt.Errorf("encode OPML: %w", err)
	}
	data := append([]byte(xml.Header), b...)
	data = append(data, '\n')
	return digest.CommandReply{Text: fmt.Sprintf("This channel's %d sources, as OPML:", len(list)), Ephemeral: true,
		File: &digest.File{Name: "newsdigest-sources.opml", Data: data}}, nil
}

type importResult struct {
	src    digest.Source
	reason string // why it failed, "" when found
}

func (h *Handler) sourceImport(ctx context.Context, req digest.CommandRequest, sub digest.Subscription) (digest.CommandReply, error) {
	if h.ChatSources.Off || h.ChatSources.Discover == nil {
		return digest.CommandReply{Text: "Adding sources from the chat is turned off on this bot.", Ephemeral: true, IsError: true}, nil
	}
	if req.Attachment == nil || req.Attachment.Open == nil {
		return sourceUsage("Attach an OPML file to /source import (on Telegram, send the file with /source import as its caption)."), nil
	}
	if req.Attachment.Size > MaxOPML {
		return sourceUsage(fmt.Sprintf("That file is %d KiB; an OPML file may be at most %d KiB. Nothing was changed.", req.Attachment.Size>>10, MaxOPML>>10)), nil
	}
	data, err := req.Attachment.Open(ctx, MaxOPML)
	if errors.Is(err, digest.ErrTooLarge) {
		return sourceUsage(fmt.Sprintf("That file is larger than %d KiB, the most an OPML file may be. Nothing was changed.", MaxOPML>>10)), nil
	}
	if err != nil {
		return digest.CommandReply{Text: "I could not read the file: " + redact.Text(err.Error()) + ". Nothing was changed.", Ephemeral: true, IsError: true}, nil
	}
	found, err := parseOPML(data)
	if err != nil {
		return sourceUsage("That file cannot be imported: " + err.Error() + ". Nothing was changed."), nil
	}
	if len(found) == 0 {
		return sourceUsage("That OPML file lists no feeds. Nothing was changed."), nil
	}
	total := len(found)
	if len(found) > maxImport {
		found = found[:maxImport]
	}
	list, err := h.channelList(ctx, sub)
	if err != nil {
		return digest.CommandReply{}, err
	}
	results := make([]importResult, len(found))
	ictx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, s := range found {
		addr, err := checkAddress(s.URL)
		if err != nil {
			results[i] = importResult{src: s, reason: err.Error()}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			p, err := h.ChatSources.Discover(ictx, addr)
			if err != nil {
				results[i] = importResult{src: s, reason: redact.Text(err.Error())}
				return
			}
			if s.Name != "" {
				p.Source.Name = s.Name // the name the reader gave it
			}
			p.Source.Name = cutName(p.Source.Name)
			p.Source.Origin, p.Source.AddedBy = digest.OriginChat, byWhom(req)
			results[i] = importResult{src: p.Source}
		}()
	}
	wg.Wait()
	var fresh []digest.Source
	var failed []importResult
	already := 0
	seen := map[string]bool{}
	for _, r := range results {
		switch {
		case r.reason != "":
			failed = append(failed, r)
		case seen[r.src.URL]:
		case inList(list, r.src.URL):
			already++
		default:
			seen[r.src.URL] = true
			fresh = append(fresh, r.src)
		}
	}
	room := h.maxPerChannel() - len(list)
	var b strings.Builder
	fmt.Fprintf(&b, "%d feeds found in %s", total, req.Attachment.Name)
	if total > maxImport {
		fmt.Fprintf(&b, " (the first %d read)", maxImport)
	}
	fmt.Fprintf(&b, ": %d new, %d already read here, %d failed.", len(fresh), already, len(failed))
	for i, f := range failed {
		if i == 5 {
			fmt.Fprintf(&b, "\n… and %d more.", len(failed)-5)
			break
		}
		fmt.Fprintf(&b, "\n• %s: %s", redact.URL(f.src.URL), f.reason)
	}
	if len(fresh) == 0 {
		b.WriteString("\nNothing to add.")
		return digest.CommandReply{Text: b.String(), Ephemeral: true}, nil
	}
	if len(fresh) > room {
		fmt.Fprintf(&b, "\nThis channel has room for %d more sources (of %d); the first %d would be added.", max(room, 0), h.maxPerChannel(), max(room, 0))
	}
	token, err := h.savePending(ctx, req, pendingAdd{SubID: sub.ID, By: byWhom(req), Sources: fresh})
	if err != nil {
		return digest.CommandReply{}, err
	}
	b.WriteString("\nAdd them? Confirm within 10 minutes.")
	return digest.CommandReply{Text: b.String(), Ephemeral: true,
		Buttons: []digest.Button{{ID: "src:ok:" + token, Label: fmt.Sprintf("Add %d sources", min(len(fresh), max(room, 0)))}, {ID: "src:no:" + token, Label: "Cancel", Danger: true}}}, nil
}

func inList(list []digest.Source, u string) bool {
	for _, s := range list {
		if s.URL == u {
			return true
		}
	}
	return false
}
