package cli

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version is set at build time with -ldflags "-X newsdigest/cli.Version=v1.2.3".
var Version = "dev"

func init() {
	register("version", command{
		summary: "Print the bot's version",
		usage:   "bot version",
		run: func(ctx context.Context, env Env, args []string) error {
			fs := newFlags(env, "version")
			if _, err := parseFlags(fs, args); err != nil {
				return err
			}
			rev := ""
			if bi, ok := debug.ReadBuildInfo(); ok {
				for _, s := range bi.Settings {
					if s.Key == "vcs.revision" && len(s.Value) >= 12 {
						rev = " (" + s.Value[:12] + ")"
					}
				}
			}
			fmt.Fprintf(env.Stdout, "newsdigest %s%s %s %s/%s\n", Version, rev, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	})
}
