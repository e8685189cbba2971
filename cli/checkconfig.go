package cli

import (
	"context"
	"fmt"

	"newsdigest/config"
)

func init() {
	register("check-config", command{
		summary: "Validate the config and print the effective settings, secrets redacted",
		usage:   "bot check-config [--config FILE]\n\nThe file comes from --config or NEWSDIGEST_CONFIG; without either, the defaults.",
		run:     runCheckConfig,
	})
}

// configFlag adds --config to a flag set.
func configFlag(env Env, fs interface {
	StringVar(*string, string, string, string)
}) *string {
	p := new(string)
	fs.StringVar(p, "config", env.Getenv("NEWSDIGEST_CONFIG"), "the YAML config file (default $NEWSDIGEST_CONFIG)")
	return p
}

func loadConfig(env Env, path string) (config.Config, error) {
	return config.Load(path, env.Getenv)
}

func runCheckConfig(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "check-config")
	path := configFlag(env, fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	c, err := loadConfig(env, *path)
	if err != nil {
		return err
	}
	src := *path
	if src == "" {
		src = "(no file: defaults)"
	}
	fmt.Fprintf(env.Stdout, "# %s is valid. Effective configuration:\n%s", src, c.Redacted())
	return nil
}
