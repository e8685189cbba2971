#!/bin/sh
# The tests, as the README gives them: `go test ./...` built as the Docker
# image is (pure Go, CGO_ENABLED=0, so the static-binary test reuses the
# tests' build cache), then one line naming what was skipped and what
# enables it (internal/testenv logs each skip). Arguments go to go test.
log=$(mktemp "${TMPDIR:-/tmp}/newsdigest-skips.XXXXXX") || exit 1
trap 'rm -f "$log"' EXIT
NEWSDIGEST_SKIP_LOG=$log CGO_ENABLED=0 go test "$@" ./...
rc=$?
if [ -s "$log" ]; then
  cut -f1 "$log" | sort | uniq -c | awk '
    { n = $1; $1 = ""; sub(/^ /, ""); total += n; parts = parts (parts ? "; " : "") n " for want of " $0 }
    END { printf "SKIPPED: %d tests: %s\n", total, parts }'
else
  echo "Nothing skipped."
fi
exit $rc
