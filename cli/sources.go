package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"newsdigest/commands"
	"newsdigest/control"
	"newsdigest/digest/story"
	"newsdigest/redact"
)

func init() {
	register("sources", command{
		summary: "List the sources and their fetch health; --fetch fetches them now",
		usage: `bot sources --config FILE [--fetch] [--json]

Lists every source of the config (and any added later) with its fetch
health from the store. --fetch first fetches each source once, now, the way
the running bot does (a new source's first fetch records its back catalogue
without delivering it).`,
		run: runSources,
	})
}

func runSources(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "sources")
	path := configFlag(env, fs)
	doFetch := fs.Bool("fetch", false, "fetch every source once now")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *path == "" {
		// Without a config the store would be a new newsdigest.db in the
		// current folder, made just to list nothing.
		return fmt.Errorf("%w: no config: name the bot's config with --config FILE or NEWSDIGEST_CONFIG (its store holds the sources)", errUsage)
	}
	c, err := loadConfig(env, *path)
	if err != nil {
		return err
	}
	log := newLogger(c.Log, env.Stderr)
	st, err := openStore(ctx, c, log)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := syncSources(ctx, st, c); err != nil {
		return err
	}
	srcs, err := st.Sources(ctx)
	if err != nil {
		return err
	}
	if *doFetch {
		g := story.NewGrouper(story.Options{})
		warmed := time.Now()
		if err := warmGrouper(ctx, st, g, warmed); err != nil {
			return err
		}
		ing := newIngester(c, st, g, nil, log)
		ing.GroupedSince = warmed
		progress := isTerminal(env.Stderr)
		for i, s := range srcs {
			name := control.Escape(s.Name) // a chat's source may be named by its feed's title
			if progress {
				fmt.Fprintf(env.Stderr, "\r[%d/%d] fetching %s\x1b[K", i+1, len(srcs), name)
			}
			res, err := ing.FetchSource(ctx, s)
			if progress {
				fmt.Fprint(env.Stderr, "\r\x1b[K")
			}
			if err != nil {
				fmt.Fprintf(env.Stderr, "%s: %s\n", name, control.Escape(err.Error()))
				continue
			}
			fmt.Fprintf(env.Stderr, "%s: %d items, %d new, %d known, %d failed\n", name, res.Items, res.New, res.Known, res.Failed)
		}
		if n, err := ing.Regroup(ctx); err != nil {
			fmt.Fprintf(env.Stderr, "regrouping stories: %v\n", err)
		} else if n > 0 {
			fmt.Fprintf(env.Stderr, "stories regrouped: %d articles moved\n", n)
		}
		if srcs, err = st.Sources(ctx); err != nil {
			return err
		}
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		for _, s := range srcs {
			s.URL = redact.URL(s.URL)
			if err := enc.Encode(s); err != nil {
				return err
			}
		}
		return nil
	}
	if len(srcs) == 0 {
		fmt.Fprintln(env.Stdout, "No sources: add some under `sources:` in the config (see config.example.yaml).")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	readers, _ := st.SourceReaders(ctx)
	fmt.Fprintln(tw, "NAME\tKIND\tEVERY\tADDED BY\tURL\tHEALTH")
	for _, s := range srcs {
		by := "config"
		if !s.InCatalogue() {
			by = fmt.Sprintf("%s (%d channels)", s.AddedBy, readers[s.ID])
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", control.Escape(s.Name), s.Kind, commands.Every(s), control.Escape(by),
			control.Escape(redact.URL(s.URL)), control.Escape(commands.Health(s, time.Now())))
	}
	return tw.Flush()
}
