package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"syscall"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"newsdigest/adapters/internal/capped"
	"newsdigest/digest"
)

// api is the narrow part of the Bot API the adapter uses. The library
// implements it; every error it returns is classified (see classify) and
// free of the token.
type api interface {
	// call invokes a method with raw parameters, for what the library's
	// configs lack (Bot API 5.5 has no secret_token, link_preview_options
	// or message_thread_id).
	call(ctx context.Context, method string, p tgbotapi.Params) (json.RawMessage, error)
	// request invokes one of the library's typed configs.
	request(ctx context.Context, c tgbotapi.Chattable) (json.RawMessage, error)
	// upload runs a method with a file as multipart/form-data.
	upload(ctx context.Context, method string, p tgbotapi.Params, field, name string, data []byte) (json.RawMessage, error)
	// download reads a file of the Bot API's file storage (getFile's
	// file_path), at most max bytes: more gives digest.ErrTooLarge.
	download(ctx context.Context, path string, max int64) ([]byte, error)
}

// libAPI is api over go-telegram-bot-api. The library takes no context,
// so each call runs on a shallow copy of the BotAPI whose client binds the
// call's context to the request.
type libAPI struct {
	bot    *tgbotapi.BotAPI
	client *http.Client
	token  string
	base   string // the API URL, for file downloads
}

func newLibAPI(token, apiURL string, client *http.Client) *libAPI {
	// Not tgbotapi.NewBotAPIWithClient: it calls getMe at once, without a
	// context; Start does that itself.
	bot := &tgbotapi.BotAPI{Token: token, Client: client, Buffer: 100}
	bot.SetAPIEndpoint(strings.TrimRight(apiURL, "/") + "/bot%s/%s")
	return &libAPI{bot: bot, client: client, token: token, base: strings.TrimRight(apiURL, "/")}
}

// ctxDoer sends a request under a context and remembers the HTTP status,
// which the library ignores.
type ctxDoer struct {
	ctx    context.Context
	c      *http.Client
	status int
}

func (d *ctxDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.c.Do(req.WithContext(d.ctx))
	if resp != nil {
		d.status = resp.StatusCode
	}
	return resp, err
}

func (l *libAPI) bound(ctx context.Context) (*tgbotapi.BotAPI, *ctxDoer) {
	d := &ctxDoer{ctx: ctx, c: l.client}
	b := *l.bot
	b.Client = d
	return &b, d
}

func (l *libAPI) call(ctx context.Context, method string, p tgbotapi.Params) (json.RawMessage, error) {
	b, d := l.bound(ctx)
	resp, err := b.MakeRequest(method, p)
	return l.result(ctx, method, resp, d.status, err)
}

func (l *libAPI) upload(ctx context.Context, method string, p tgbotapi.Params, field, name string, data []byte) (json.RawMessage, error) {
	b, d := l.bound(ctx)
	resp, err := b.UploadFiles(method, p, []tgbotapi.RequestFile{{Name: field, Data: tgbotapi.FileBytes{Name: name, Bytes: data}}})
	return l.result(ctx, method, resp, d.status, err)
}

func (l *libAPI) download(ctx context.Context, path string, max int64) ([]byte, error) {
	u := l.base + "/file/bot" + l.token + "/" + strings.TrimPrefix(path, "/")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("download %q: %w", path, scrub(err, l.token))
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download %q: %w", path, classify(ctx, scrub(err, l.token), 0))
	}
	defer resp.Body.Close()
	data, err := capped.ReadAll(resp, max)
	if err != nil {
		return nil, fmt.Errorf("download %q: %w", path, classify(ctx, scrub(err, l.token), 0))
	}
	return data, nil
}

func (l *libAPI) request(ctx context.Context, c tgbotapi.Chattable) (json.RawMessage, error) {
	b, d := l.bound(ctx)
	resp, err := b.Request(c)
	return l.result(ctx, methodOf(c), resp, d.status, err)
}

func methodOf(c tgbotapi.Chattable) string {
	switch c.(type) {
	case tgbotapi.SetMyCommandsConfig:
		return "setMyCommands"
	case tgbotapi.GetChatMemberConfig:
		return "getChatMember"
	case tgbotapi.DeleteWebhookConfig:
		return "deleteWebhook"
	}
	return fmt.Sprintf("%T", c)
}

func (l *libAPI) result(ctx context.Context, method string, resp *tgbotapi.APIResponse, status int, err error) (json.RawMessage, error) {
	if err != nil {
		return nil, fmt.Errorf("%s: %w", method, classify(ctx, scrub(err, l.token), status))
	}
	return resp.Result, nil
}

// classify turns a library or transport error into the error kinds of
// digest.Messenger: 429 → *RateLimitedError, 5xx, timeouts and network
// failures → *TemporaryError, 403 and "chat not found" → ErrChatGone,
// migrate_to_chat_id → *MigratedError; the rest stays as it is
// (permanent).
func classify(ctx context.Context, err error, status int) error {
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		if te.Code == 0 && status != 0 {
			// The library's UploadFiles leaves the code out: the HTTP
			// status is the code.
			c := *te
			c.Code = status
			te = &c
		}
		switch {
		case te.Code == http.StatusTooManyRequests:
			ra := max(te.RetryAfter, 1)
			return &digest.RateLimitedError{Platform: digest.Telegram, RetryAfter: secs(ra)}
		case te.MigrateToChatID != 0:
			return &digest.MigratedError{NewChatID: fmt.Sprint(te.MigrateToChatID)}
		case te.Code == http.StatusBadRequest && topicGone(te.Message):
			// The subscription's forum topic was closed or deleted: never
			// post elsewhere; the subscription pauses and its admin is told.
			return fmt.Errorf("%w: the forum topic was closed or deleted (%d %s)", digest.ErrChatGone, te.Code, te.Message)
		case te.Code == http.StatusForbidden,
			te.Code == http.StatusBadRequest && chatGone(te.Message):
			return fmt.Errorf("%w: %d %s", digest.ErrChatGone, te.Code, te.Message)
		case te.Code >= 500:
			return &digest.TemporaryError{Platform: digest.Telegram, Err: fmt.Errorf("%d %s", te.Code, te.Message)}
		}
		return &APIError{Code: te.Code, Message: te.Message}
	}
	if ctx.Err() != nil || isNetwork(err) || socketFailure(err) || status >= 500 {
		return &digest.TemporaryError{Platform: digest.Telegram, Err: err}
	}
	return err
}

// APIError is a Bot API failure that is none of the retryable or
// chat-gone kinds: a bad request (400), a revoked token (401), a wrong
// server URL (404).
type APIError struct {
	Code    int
	Message string
}

func (e *APIError) Error() string { return fmt.Sprintf("%d %s", e.Code, e.Message) }

func chatGone(msg string) bool {
	msg = strings.ToLower(msg)
	for _, s := range []string{"chat not found", "group chat was deactivated", "chat was deleted", "peer_id_invalid"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// topicGone matches Telegram's answers for a message_thread_id whose
// forum topic is closed or was deleted.
func topicGone(msg string) bool {
	msg = strings.ToLower(msg)
	return strings.Contains(msg, "topic_closed") || strings.Contains(msg, "topic_deleted") ||
		strings.Contains(msg, "message thread not found") || strings.Contains(msg, "topic_id_invalid")
}

func isNetwork(err error) bool {
	var ue *url.Error
	var ne interface{ Timeout() bool }
	return errors.As(err, &ue) || errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded)
}

// socketErrnos are the system errors of a connection that could not be
// made or was lost: no descriptor left (EMFILE, ENFILE), no buffer, reset,
// refused, aborted, broken pipe, unreachable. Trying again later may work.
var socketErrnos = []error{syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS, syscall.ECONNRESET,
	syscall.ECONNREFUSED, syscall.ECONNABORTED, syscall.EPIPE, syscall.ETIMEDOUT,
	syscall.EHOSTUNREACH, syscall.ENETUNREACH, syscall.ENETDOWN}

// socketFailure reports whether err is a socket that failed (see
// socketErrnos) or a response cut short (io.ErrUnexpectedEOF, io.EOF
// while decoding it): the transient failures that need not carry a
// url.Error or a Timeout method.
func socketFailure(err error) bool {
	var s interface{ SocketFailure() bool }
	if errors.As(err, &s) && s.SocketFailure() {
		return true
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	for _, e := range socketErrnos {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// scrub removes the bot token from an error: the library puts it in every
// request URL, and *url.Error prints the URL.
func scrub(err error, token string) error {
	if err == nil || token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	var ue *url.Error
	if errors.As(err, &ue) && !strings.Contains(ue.Err.Error(), token) {
		clean := &url.Error{Op: ue.Op, URL: strings.ReplaceAll(ue.URL, token, "<token>"), Err: ue.Err}
		if err == error(ue) {
			return clean
		}
	}
	return &scrubbedError{msg: strings.ReplaceAll(err.Error(), token, "<token>"), timeout: isTimeout(err), ctxErr: ctxCause(err),
		socket: socketFailure(err)}
}

// scrubbedError keeps an error's text (token removed) and the facts
// callers test, but not the original chain, which holds the token.
type scrubbedError struct {
	msg     string
	timeout bool
	ctxErr  error
	socket  bool // socketFailure of the original
}

func (e *scrubbedError) SocketFailure() bool { return e.socket }

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Timeout() bool { return e.timeout }
func (e *scrubbedError) Unwrap() error { return e.ctxErr }

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

func ctxCause(err error) error {
	switch {
	case errors.Is(err, context.Canceled):
		return context.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		return context.DeadlineExceeded
	}
	return nil
}

func secretMatches(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
