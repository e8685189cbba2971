package fetch

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/andybalholm/brotli"
)

// readBody decodes the Content-Encoding and reads at most limit decoded
// bytes; one byte more is ErrTooLarge. Memory stays bounded by the cap
// whatever the server sends (a 50 MiB page, a zip bomb).
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	r, err := decoder(resp.Header.Get("Content-Encoding"), resp.Body)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("more than %d bytes: %w", limit, ErrTooLarge)
	}
	return b, nil
}

func decoder(encoding string, body io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "identity":
		return body, nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(body)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		return zr, nil
	case "br":
		return brotli.NewReader(body), nil
	case "deflate":
		// "deflate" is meant to be zlib-wrapped, but many servers send raw
		// deflate; the zlib header tells them apart.
		br := bufio.NewReader(body)
		hdr, _ := br.Peek(2)
		if len(hdr) == 2 && hdr[0]&0x0f == 8 && (uint16(hdr[0])<<8|uint16(hdr[1]))%31 == 0 {
			zr, err := zlib.NewReader(br)
			if err != nil {
				return nil, fmt.Errorf("deflate: %w", err)
			}
			return zr, nil
		}
		return flate.NewReader(br), nil
	default:
		return nil, fmt.Errorf("unsupported Content-Encoding %q", encoding)
	}
}
