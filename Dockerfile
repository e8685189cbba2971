# syntax=docker/dockerfile:1
# newsdigest: a static binary on a small non-root image.
#   docker build -t newsdigest .
#   docker run -d --name newsdigest -v newsdigest-data:/data \
#     -e DISCORD_TOKEN -e TELEGRAM_TOKEN newsdigest
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X newsdigest/cli.Version=${VERSION}" -o /out/bot ./cmd/bot \
 && mkdir -p /out/data

# distroless/static: CA certificates and nothing else; the binary carries
# its own time zone data. UID 65532 is the image's "nonroot" user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/bot /usr/local/bin/bot
COPY --from=build --chown=65532:65532 /out/data /data
COPY deploy/config.yaml /config/config.yaml
USER 65532:65532
WORKDIR /data
ENV NEWSDIGEST_CONFIG=/config/config.yaml
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["/usr/local/bin/bot", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/bot"]
CMD ["run"]
