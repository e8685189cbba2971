package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"newsdigest/digest"
)

func TestClassify(t *testing.T) {
	var syntax *json.SyntaxError
	badJSON := json.Unmarshal([]byte("<html>"), &struct{}{})
	if !errors.As(badJSON, &syntax) {
		t.Fatal("want a JSON syntax error")
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name   string
		ctx    context.Context
		err    error
		status int
		want   string
	}{
		{"429 without retry_after waits a second", context.Background(), &tgbotapi.Error{Code: 429, Message: "Too Many Requests"}, 429, "ratelimited 1s"},
		{"429", context.Background(), &tgbotapi.Error{Code: 429, ResponseParameters: tgbotapi.ResponseParameters{RetryAfter: 35}}, 429, "ratelimited 35s"},
		{"migrated", context.Background(), &tgbotapi.Error{Code: 400, Message: "Bad Request: group chat was upgraded to a supergroup chat", ResponseParameters: tgbotapi.ResponseParameters{MigrateToChatID: -100123}}, 400, "migrated -100123"},
		{"blocked", context.Background(), &tgbotapi.Error{Code: 403, Message: "Forbidden: bot was blocked by the user"}, 403, "gone"},
		{"deactivated", context.Background(), &tgbotapi.Error{Code: 400, Message: "Bad Request: group chat was deactivated"}, 400, "gone"},
		{"bad html", context.Background(), &tgbotapi.Error{Code: 400, Message: "Bad Request: can't parse entities"}, 400, "api 400"},
		{"unauthorized", context.Background(), &tgbotapi.Error{Code: 401, Message: "Unauthorized"}, 401, "api 401"},
		{"502", context.Background(), &tgbotapi.Error{Code: 502, Message: "Bad Gateway"}, 502, "temporary"},
		// The library's UploadFiles (sendDocument) drops the error code: the
		// HTTP status stands in for it.
		{"upload 500, no code", context.Background(), &tgbotapi.Error{Message: "Internal Server Error"}, 500, "temporary"},
		{"upload 429, no code", context.Background(), &tgbotapi.Error{Message: "Too Many Requests", ResponseParameters: tgbotapi.ResponseParameters{RetryAfter: 3}}, 429, "ratelimited 3s"},
		{"upload 403, no code", context.Background(), &tgbotapi.Error{Message: "Forbidden: bot was blocked by the user"}, 403, "gone"},
		{"proxy HTML page on 503", context.Background(), badJSON, 503, "temporary"},
		{"garbage on 200", context.Background(), badJSON, 200, "other"},
		{"network", context.Background(), &url.Error{Op: "Post", URL: "http://x", Err: errors.New("connection refused")}, 0, "temporary"},
		{"cancelled", cancelled, errors.New("context canceled"), 0, "temporary"},
		// A socket that could not be made or was lost is transient, however
		// it comes: bare, wrapped, or scrubbed of the token.
		{"no descriptor left", context.Background(), fmt.Errorf("dial: %w", os.NewSyscallError("socket", syscall.EMFILE)), 0, "temporary"},
		{"reset while reading", context.Background(), fmt.Errorf("read: %w", syscall.ECONNRESET), 200, "temporary"},
		{"response cut short", context.Background(), io.ErrUnexpectedEOF, 200, "temporary"},
		{"scrubbed EMFILE", context.Background(), scrub(fmt.Errorf("post /bot1:tok/sendMessage: %w", syscall.EMFILE), "1:tok"), 0, "temporary"},
	}
	for _, tt := range tests {
		err := classify(tt.ctx, tt.err, tt.status)
		var rl *digest.RateLimitedError
		var me *digest.MigratedError
		var te *digest.TemporaryError
		var ae *APIError
		got := "other"
		switch {
		case errors.As(err, &rl):
			got = fmt.Sprintf("ratelimited %s", rl.RetryAfter)
		case errors.As(err, &me):
			got = "migrated " + me.NewChatID
		case errors.Is(err, digest.ErrChatGone):
			got = "gone"
		case errors.As(err, &te):
			got = "temporary"
		case errors.As(err, &ae):
			got = fmt.Sprintf("api %d", ae.Code)
		}
		if got != tt.want {
			t.Errorf("%s: classified as %q (%v), want %q", tt.name, got, err, tt.want)
		}
	}
}

func TestScrub(t *testing.T) {
	const token = "42:secret"
	ue := &url.Error{Op: "Post", URL: "https://api.telegram.org/bot42:secret/sendMessage", Err: context.DeadlineExceeded}
	direct := scrub(ue, token)
	if strings.Contains(direct.Error(), token) || !strings.Contains(direct.Error(), "/bot<token>/sendMessage") {
		t.Fatalf("scrub(url.Error) = %q", direct)
	}
	if !errors.Is(direct, context.DeadlineExceeded) {
		t.Fatalf("scrubbed url.Error lost its cause")
	}
	wrapped := scrub(fmt.Errorf("call: %w", ue), token)
	if strings.Contains(wrapped.Error(), token) {
		t.Fatalf("scrub(wrapped) = %q", wrapped)
	}
	if !errors.Is(wrapped, context.DeadlineExceeded) || !isTimeout(wrapped) {
		t.Fatalf("scrubbed wrapped error lost the timeout: %v", wrapped)
	}
	if plain := errors.New("no secret here"); scrub(plain, token) != plain {
		t.Fatal("an error without the token was changed")
	}
}
