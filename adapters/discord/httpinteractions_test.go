package discord

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"newsdigest/adapters/discord/fakediscord"
	"newsdigest/digest"
	"newsdigest/store/sqlite"
)

func httpBot(t *testing.T, h digest.CommandHandler, edit func(*Config)) (*fakediscord.Server, *httptest.Server, ed25519.PrivateKey) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	srv := fakediscord.New(t)
	b := newBot(t, srv, h, func(c *Config) {
		c.PublicKey = hex.EncodeToString(pub)
		if edit != nil {
			edit(c)
		}
	})
	t.Cleanup(func() { _ = b.Close() })
	hs := httptest.NewServer(b.InteractionsHandler())
	t.Cleanup(hs.Close)
	return srv, hs, priv
}

func do(t *testing.T, req *http.Request) (int, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func TestHTTPInteractionsSignature(t *testing.T) {
	t.Parallel()
	_, hs, priv := httpBot(t, &recorder{}, nil)
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	ping := []byte(`{"type":1,"id":"1","application_id":"2","token":"t","version":1}`)
	now := time.Now()
	tests := []struct {
		name       string
		req        *http.Request
		wantStatus int
	}{
		{"valid ping", fakediscord.SignedInteractionRequest(hs.URL, priv, ping, now), 200},
		{"wrong key", fakediscord.SignedInteractionRequest(hs.URL, other, ping, now), 401},
		{"stale timestamp", fakediscord.SignedInteractionRequest(hs.URL, priv, ping, now.Add(-6*time.Minute)), 401},
		{"future timestamp", fakediscord.SignedInteractionRequest(hs.URL, priv, ping, now.Add(6*time.Minute)), 401},
	}
	missing, _ := http.NewRequest(http.MethodPost, hs.URL, nil)
	tests = append(tests, struct {
		name       string
		req        *http.Request
		wantStatus int
	}{"missing signature", missing, 401})
	tampered := fakediscord.SignedInteractionRequest(hs.URL, priv, ping, now)
	tampered.Body = io.NopCloser(jsonReader(`{"type":1,"id":"1","application_id":"2","token":"x","version":1}`))
	tampered.ContentLength = -1
	tests = append(tests, struct {
		name       string
		req        *http.Request
		wantStatus int
	}{"tampered body", tampered, 401})
	for _, tt := range tests {
		status, body := do(t, tt.req)
		if status != tt.wantStatus {
			t.Errorf("%s: status %d, want %d (%s)", tt.name, status, tt.wantStatus, body)
		}
		if tt.wantStatus == 200 && string(body) != `{"type":1}` {
			t.Errorf("%s: body %s, want PONG", tt.name, body)
		}
	}
}

func TestHTTPInteractionCommand(t *testing.T) {
	t.Parallel()
	rec := &recorder{reply: func(req digest.CommandRequest) (digest.CommandReply, error) {
		return digest.CommandReply{Text: "Found 2", Cards: cards(2, nil)}, nil
	}}
	srv, hs, priv := httpBot(t, rec, nil)
	in := srv.PrepareInteraction(fakediscord.CommandInteraction{Name: "article", Options: map[string]any{"keyword": "riyadh"}, GuildID: "1", ChannelID: "2", UserID: "3"})
	status, body := do(t, fakediscord.SignedInteractionRequest(hs.URL, priv, in.Body, time.Now()))
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	if problems := srv.Acknowledge(in.ID, body); len(problems) > 0 {
		t.Errorf("response fails the schema or limits: %v", problems)
	}
	var resp struct {
		Type int `json:"type"`
		Data struct {
			Content string            `json:"content"`
			Embeds  []json.RawMessage `json:"embeds"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Type != 4 || resp.Data.Content != "Found 2" || len(resp.Data.Embeds) != 2 {
		t.Errorf("response %s", body)
	}
	if reqs := rec.requests(); len(reqs) != 1 || reqs[0].Args["keyword"] != "riyadh" {
		t.Errorf("handler requests %+v", reqs)
	}
	noViolations(t, srv)
}

func TestHTTPInteractionDeferred(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	rec := &recorder{reply: func(req digest.CommandRequest) (digest.CommandReply, error) {
		<-release
		return digest.CommandReply{Cards: cards(1, nil)}, nil
	}}
	srv, hs, priv := httpBot(t, rec, func(c *Config) { c.DeferAfter = 20 * time.Millisecond })
	in := srv.PrepareInteraction(fakediscord.CommandInteraction{Name: "trending", GuildID: "1", ChannelID: "2", UserID: "3"})
	status, body := do(t, fakediscord.SignedInteractionRequest(hs.URL, priv, in.Body, time.Now()))
	if status != 200 || string(body) != `{"type":5}` {
		t.Fatalf("status %d body %s, want a deferred public answer", status, body)
	}
	srv.Acknowledge(in.ID, body)
	close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := srv.WaitInteraction(ctx, in.ID, func(i fakediscord.Interaction) bool { return len(i.Edits) > 0 })
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Edits[0].Embeds) != 1 {
		t.Errorf("edit %+v", got.Edits[0])
	}
	noViolations(t, srv)
}

func jsonReader(s string) io.Reader { return strings.NewReader(s) }

// TestHTTPInteractionReplayRunsOnce: the same signed request sent twice
// within its timestamp window, to one process or to two sharing a store,
// runs the command once; the replay gets 409.
func TestHTTPInteractionReplayRunsOnce(t *testing.T) {
	t.Parallel()
	firstSeen := sharedStore(t)
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	shared := func(c *Config) { c.PublicKey, c.FirstSeen = hex.EncodeToString(pub), firstSeen }
	rec := &recorder{reply: func(req digest.CommandRequest) (digest.CommandReply, error) {
		return digest.CommandReply{Text: "Subscribed"}, nil
	}}
	srv, one, _ := httpBot(t, rec, shared)
	_, two, _ := httpBot(t, rec, shared) // a second process on the same token and store
	in := srv.PrepareInteraction(fakediscord.CommandInteraction{Name: "article", Options: map[string]any{"keyword": "riyadh"}, GuildID: "1", ChannelID: "2", UserID: "3"})
	now := time.Now()
	if status, body := do(t, fakediscord.SignedInteractionRequest(one.URL, priv, in.Body, now)); status != 200 {
		t.Fatalf("first: status %d: %s", status, body)
	}
	for _, hs := range []*httptest.Server{one, two} {
		if status, body := do(t, fakediscord.SignedInteractionRequest(hs.URL, priv, in.Body, now)); status != http.StatusConflict {
			t.Errorf("replay: status %d, want 409: %s", status, body)
		}
	}
	if n := len(rec.requests()); n != 1 {
		t.Errorf("the command ran %d times, want once", n)
	}
}

// TestGatewayInteractionRunsOnce: an interaction that two processes on one
// token both receive over the gateway runs once.
func TestGatewayInteractionRunsOnce(t *testing.T) {
	t.Parallel()
	firstSeen := sharedStore(t)
	rec := &recorder{reply: func(req digest.CommandRequest) (digest.CommandReply, error) {
		return digest.CommandReply{Text: "Found 0"}, nil
	}}
	srv := fakediscord.New(t)
	shared := func(c *Config) { c.FirstSeen = firstSeen }
	one, two := startBot(t, srv, rec, shared), startBot(t, srv, rec, shared)
	t.Cleanup(func() { one.Close(); two.Close() })
	in := srv.PrepareInteraction(fakediscord.CommandInteraction{Name: "article", Options: map[string]any{"keyword": "riyadh"}, GuildID: "1", ChannelID: "2", UserID: "3"})
	overGateway(t, in, one, two)
	if n := len(rec.requests()); n != 1 {
		t.Errorf("the command ran %d times, want once", n)
	}
}

// TestPressReplayRunsOnce: a button press sent twice (a replayed signed
// request) is handled once, and a gateway press seen by two processes too.
func TestPressReplayRunsOnce(t *testing.T) {
	t.Parallel()
	firstSeen := sharedStore(t)
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	shared := func(c *Config) { c.PublicKey, c.FirstSeen = hex.EncodeToString(pub), firstSeen }
	rec := &recorder{reply: func(req digest.CommandRequest) (digest.CommandReply, error) {
		return digest.CommandReply{Text: "Added."}, nil
	}}
	srv, one, _ := httpBot(t, rec, shared)
	in := srv.PreparePress(fakediscord.ButtonPress{CustomID: "src:ok:1", GuildID: "1", ChannelID: "2", UserID: "3", Permissions: fakediscord.PermManageChannels})
	now := time.Now()
	if status, body := do(t, fakediscord.SignedInteractionRequest(one.URL, priv, in.Body, now)); status != 200 {
		t.Fatalf("first: status %d: %s", status, body)
	}
	if status, body := do(t, fakediscord.SignedInteractionRequest(one.URL, priv, in.Body, now)); status != http.StatusConflict {
		t.Errorf("replay: status %d, want 409: %s", status, body)
	}
	gw := startBot(t, srv, rec, func(c *Config) { c.FirstSeen = firstSeen })
	overGateway(t, in, gw)
	if n := len(rec.requests()); n != 1 {
		t.Errorf("the press ran %d times, want once", n)
	}
}

// sharedStore is the update log of a store that several processes of a
// test share (a SQLite file).
func sharedStore(t *testing.T) digest.FirstSeen {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "news.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st.FirstSeen
}

// overGateway delivers an interaction to each bot as its gateway would,
// and waits until they all handled it.
func overGateway(t *testing.T, in fakediscord.Interaction, bots ...*Bot) {
	t.Helper()
	var i discordgo.Interaction
	if err := json.Unmarshal(in.Body, &i); err != nil {
		t.Fatal(err)
	}
	for _, b := range bots {
		b.onGatewayInteraction(&i)
	}
	for _, b := range bots {
		b.wg.Wait()
	}
}
