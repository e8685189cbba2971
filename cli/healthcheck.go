package cli

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"
)

func init() {
	register("healthcheck", command{
		summary: "Exit 0 when the running bot answers /healthz (for Docker's HEALTHCHECK)",
		usage:   "bot healthcheck [--config FILE]\n\nAsks http://<http.listen>/healthz of the bot started with the same config.",
		run: func(ctx context.Context, env Env, args []string) error {
			fs := newFlags(env, "healthcheck")
			path := configFlag(env, fs)
			if _, err := parseFlags(fs, args); err != nil {
				return err
			}
			c, err := loadConfig(env, *path)
			if err != nil {
				return err
			}
			if c.HTTP.Listen == "" {
				return fmt.Errorf("http.listen is off in the config: nothing to check")
			}
			ctx, cancel := context.WithTimeout(ctx, 4*time.Second)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, "GET", "http://"+dialAddr(c.HTTP.Listen)+"/healthz", nil)
			if err != nil {
				return err
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return fmt.Errorf("healthcheck: %w", err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("healthcheck: /healthz answered %s", resp.Status)
			}
			fmt.Fprintln(env.Stdout, "ok")
			return nil
		},
	})
}

// dialAddr is where to reach a listener bound to addr from this machine:
// a listener on every interface (":8080", "0.0.0.0:8080", "[::]:8080") is
// asked on loopback.
func dialAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
