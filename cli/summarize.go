package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"newsdigest/digest/summary"
)

func init() {
	register("summarize", command{
		summary: "Print the three summary lines of plain article text (standard input by default)",
		usage: `bot summarize [FILE]

Reads plain article text (paragraphs separated by blank lines) from FILE or
standard input and prints its summary: at most three sentences of the text,
one per line, each at most 200 characters, in article order.`,
		run: func(ctx context.Context, env Env, args []string) error {
			fs := newFlags(env, "summarize")
			rest, err := parseFlags(fs, args)
			if err != nil {
				return err
			}
			var r io.Reader = env.Stdin
			switch len(rest) {
			case 0:
			case 1:
				if rest[0] != "-" {
					f, err := os.Open(rest[0])
					if err != nil {
						return fmt.Errorf("summarize: %w", err)
					}
					defer f.Close()
					r = f
				}
			default:
				return fmt.Errorf("%w: one FILE at most", errUsage)
			}
			b, err := io.ReadAll(io.LimitReader(r, 16<<20))
			if err != nil {
				return fmt.Errorf("summarize: read input: %w", err)
			}
			if strings.TrimSpace(string(b)) == "" {
				return fmt.Errorf("summarize: the input is empty")
			}
			for _, line := range summary.Summarize(string(b)) {
				fmt.Fprintln(env.Stdout, line)
			}
			return nil
		},
	})
}
