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
while articles come in), so the result does not depend on the file's order.`,
		run: func(ctx context.Context, env Env, args []string) error {
			fs := newFlags(env, "stories")
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
			docs, err := story.ReadJSONL(r)
			if err != nil {
				return err
			}
			return story.WriteAssignments(env.Stdout, story.Group(docs, story.Options{}))
		},
	})
}
