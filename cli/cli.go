// Package cli is the bot's command line: one small file per subcommand.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"

	"golang.org/x/term"
)

// Env is what a subcommand may touch of the outside world.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
}

// isTerminal reports whether w is a terminal (for colour and progress).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

type command struct {
	summary string
	usage   string
	run     func(ctx context.Context, env Env, args []string) error
}

var subcommands = map[string]command{}

func register(name string, c command) { subcommands[name] = c }

// errUsage marks an error caused by bad arguments (exit code 2).
var errUsage = errors.New("usage")

// Main runs one subcommand and returns the process exit code.
func Main(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			if c, ok := subcommands[args[1]]; ok {
				fmt.Fprintf(env.Stdout, "%s\n\n%s\n", c.summary, c.usage)
				return 0
			}
		}
		printHelp(env.Stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := subcommands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "bot: unknown command %q\n\n", args[0])
		printHelp(env.Stderr)
		return 2
	}
	err := c.run(ctx, env, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(env.Stderr, "bot %s: %v\n", args[0], err)
		return 2
	default:
		fmt.Fprintf(env.Stderr, "bot %s: %v\n", args[0], err)
		return 1
	}
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "newsdigest: news cards and daily digests for Discord and Telegram.")
	fmt.Fprintln(w, "\nUsage: bot <command> [flags] [arguments]\n\nCommands:")
	names := make([]string, 0, len(subcommands))
	for n := range subcommands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-13s %s\n", n, subcommands[n].summary)
	}
	fmt.Fprintln(w, "\nRun `bot <command> --help` for a command's flags.")
}

// newFlags makes a flag set that prints the command's usage on --help.
func newFlags(env Env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		c := subcommands[name]
		fmt.Fprintf(env.Stderr, "%s\n\n%s\n\nFlags:\n", c.summary, c.usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses flags anywhere among the arguments (Go's flag package
// stops at the first non-flag), so `bot preview page.html --json` works.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return rest, nil
		}
		if args[0] == "--" {
			return append(rest, args[1:]...), nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}
