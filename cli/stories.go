package cli

import (
	"context"
	"fmt"
	"io"
	"os"

	"newsdigest/digest/story"
)

func init() {
	register("stories", command{
		summary: "Group articles (JSON lines) into stories, as the bot does live",
		usage: `bot stories FILE.jsonl

Reads one article per line as JSON ({"id", "title", "text", "source", "url",
"published"}; all but id and text may be empty) and prints one JSON object
mapping each id to a story id, grouped exactly as the running bot groups
the articles of one ingest round: each matched to the stories so far as it
comes, then the window regrouped at once (the bot does that every minute
while articles come in), so the result does not depend on the file's order.
The file is read as a stream: memory is bounded by the grouper's window
(--window docs, 5000 as in the bot), not by the file's length.`,
		run: func(ctx context.Context, env Env, args []string) error {
			fs := newFlags(env, "stories")
			window := fs.Int("window", 5000, "the most recent docs the grouper keeps and regroups (the bot's default)")
			rest, err := parseFlags(fs, args)
			if err != nil {
				return err
			}
			var r io.Reader = env.Stdin
			switch {
			case len(rest) == 1 && rest[0] != "-":
				f, err := os.Open(rest[0])
				if err != nil {
					return fmt.Errorf("stories: %w", err)
				}
				defer f.Close()
				r = f
			case len(rest) > 1:
				return fmt.Errorf("%w: one FILE at most", errUsage)
			}
			if *window < 1 {
				return fmt.Errorf("%w: --window must be at least 1", errUsage)
			}
			groups, err := story.GroupStream(story.ScanJSONL(r), story.Options{MaxDocs: *window})
			if err != nil {
				return err
			}
			return story.WriteAssignments(env.Stdout, groups)
		},
	})
}
