// Package capped reads a downloaded file up to a size limit, for both
// chat adapters' attachments.
package capped

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"newsdigest/digest"
)

// ReadAll reads the body of a download answered 200 OK, at most max
// bytes: a file that states a larger size is refused before any of it is
// read, and one that states less than it brings is cut off at max+1 bytes
// and refused; both errors match digest.ErrTooLarge. Another status is an
// error naming it. The caller closes the body.
func ReadAll(resp *http.Response, max int64) ([]byte, error) {
	if resp.StatusCode != http.StatusOK {
		return nil, errors.New(resp.Status)
	}
	if resp.ContentLength > max {
		return nil, fmt.Errorf("%d bytes, limit %d: %w", resp.ContentLength, max, digest.ErrTooLarge)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("over %d bytes: %w", max, digest.ErrTooLarge)
	}
	return data, nil
}
