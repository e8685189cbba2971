package pace

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// The clock reads when the answer's first byte came, not when it is read.
func TestAnswerClock(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	ctx, answered := AnswerClock(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	before := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	after := time.Now()
	time.Sleep(20 * time.Millisecond)
	if at := answered(); at.Before(before) || at.After(after) {
		t.Errorf("answered at %s, want between %s and %s", at, before, after)
	}
}

// Without an answer the clock reads the present moment.
func TestAnswerClockUnanswered(t *testing.T) {
	_, answered := AnswerClock(context.Background())
	before := time.Now()
	if at := answered(); at.Before(before) {
		t.Errorf("unanswered clock read %s, before %s", at, before)
	}
}
