package capped

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"newsdigest/digest"
)

func TestReadAll(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		length  int64 // stated; -1 unknown
		body    string
		want    string
		tooBig  bool
		wantErr bool
	}{
		{"within", 200, 5, "hello", "hello", false, false},
		{"exactly the limit, length unknown", 200, -1, "0123456789", "0123456789", false, false},
		{"stated too large", 200, 11, "01234567890", "", true, true},
		{"understated", 200, 3, "0123456789abcdef", "", true, true},
		{"not found", 404, -1, "gone", "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: tt.status, Status: http.StatusText(tt.status), ContentLength: tt.length,
				Body: io.NopCloser(strings.NewReader(tt.body))}
			got, err := ReadAll(resp, 10)
			if (err != nil) != tt.wantErr || errors.Is(err, digest.ErrTooLarge) != tt.tooBig || string(got) != tt.want {
				t.Errorf("ReadAll = %q, %v", got, err)
			}
		})
	}
}
