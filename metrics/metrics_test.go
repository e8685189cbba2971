package metrics

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"newsdigest/digest"
)

// scripted is a messenger that answers with the given errors in turn.
type scripted struct {
	errs []error
	idem bool
}

func (s *scripted) Platform() digest.Platform                        { return digest.Discord }
func (s *scripted) RenderDigest(digest.DigestView) ([][]byte, error) { return nil, nil }
func (s *scripted) Idempotent() bool                                 { return s.idem }
func (s *scripted) Send(ctx context.Context, d digest.Delivery) (string, error) {
	err := s.errs[0]
	s.errs = s.errs[1:]
	if err != nil {
		return "", err
	}
	return "m1", nil
}

func TestMessengerCountsOutcomes(t *testing.T) {
	m := New()
	inner := &scripted{idem: true, errs: []error{
		&digest.RateLimitedError{Platform: digest.Discord, RetryAfter: time.Second},
		&digest.TemporaryError{Platform: digest.Discord, Err: errors.New("502")},
		nil,
		digest.ErrChatGone,
	}}
	w := m.Messenger(inner)
	if i, ok := w.(interface{ Idempotent() bool }); !ok || !i.Idempotent() {
		t.Fatal("the wrapper hides the Idempotent capability")
	}
	for range 4 {
		w.Send(context.Background(), digest.Delivery{})
	}
	if got := testutil.ToFloat64(m.RateLimited.WithLabelValues("discord")); got != 1 {
		t.Errorf("429s = %v, want 1", got)
	}
	if got := testutil.ToFloat64(m.DigestsDelivered.WithLabelValues("discord")); got != 1 {
		t.Errorf("delivered = %v, want 1", got)
	}
	for outcome, want := range map[string]float64{"ok": 1, "rate_limited": 1, "temporary": 1, "gone": 1, "failed": 0} {
		if got := testutil.ToFloat64(m.Sends.WithLabelValues("discord", outcome)); got != want {
			t.Errorf("sends{%s} = %v, want %v", outcome, got, want)
		}
	}
}

func TestHandlerServesPrometheusText(t *testing.T) {
	m := New()
	m.ObserveCommand(digest.Telegram, "trending", 3*time.Millisecond, nil)
	m.ExtractFailed(&digest.NoArticleError{Input: "x"})
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		`newsdigest_command_seconds_count{command="trending",outcome="ok",platform="telegram"} 1`,
		`newsdigest_extraction_failures_total{kind="no_article"} 1`,
		"go_goroutines",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// windowStore answers the two reads of /trending and nothing else.
type windowStore struct{ digest.Store }

func (windowStore) WindowArticles(_ context.Context, from, to time.Time, backlog bool) ([]digest.ArticleRef, error) {
	return []digest.ArticleRef{{ID: 7, StoryID: 3, Source: "Wire", FirstSeen: from}}, nil
}

func (windowStore) StoriesByID(_ context.Context, ids []int64, backlog bool) ([]digest.Story, error) {
	return []digest.Story{{ID: ids[0]}}, nil
}

func TestStorePassesTrendingReadsThrough(t *testing.T) {
	st := New().Store(windowStore{})
	ctx := context.Background()
	now := time.Now()
	if refs, err := st.WindowArticles(ctx, now, now.Add(time.Hour), true); err != nil || len(refs) != 1 || refs[0].ID != 7 {
		t.Errorf("WindowArticles through the wrapper = %+v, %v", refs, err)
	}
	if stories, err := st.StoriesByID(ctx, []int64{3}, true); err != nil || len(stories) != 1 || stories[0].ID != 3 {
		t.Errorf("StoriesByID through the wrapper = %+v, %v", stories, err)
	}
}

// mover moves every other article it is asked to, or fails.
type mover struct {
	digest.Store
	err error
}

func (m mover) MoveArticles(_ context.Context, moves []digest.StoryMove) (int, error) {
	if m.err != nil {
		return 0, m.err
	}
	return (len(moves) + 1) / 2, nil
}

func TestStoreCountsStoryMoves(t *testing.T) {
	m := New()
	ctx := context.Background()
	moves := make([]digest.StoryMove, 5)
	if n, err := m.Store(mover{}).MoveArticles(ctx, moves); err != nil || n != 3 {
		t.Fatalf("MoveArticles through the wrapper = %d, %v", n, err)
	}
	if _, err := m.Store(mover{err: errors.New("locked")}).MoveArticles(ctx, moves); err == nil {
		t.Fatal("the store's error was lost")
	}
	if got := testutil.ToFloat64(m.StoryMoves); got != 3 {
		t.Errorf("newsdigest_story_moves_total = %v, want the 3 articles the store moved", got)
	}
}
