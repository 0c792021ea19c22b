# syntax=docker/dockerfile:1
# Two stages: a Go toolchain builds one static binary, and a distroless image
# runs it as a non-root user. The image speaks MCP over stdio by default; the
# API keys come from the environment at run time and are never baked in:
#
#   docker build -t partnerstack-mcp --build-arg VERSION=v0.1.0 .
#   docker run -i --rm -e PARTNERSTACK_PUBLIC_KEY -e PARTNERSTACK_SECRET_KEY partnerstack-mcp
#   docker run -i --rm partnerstack-mcp --sandbox          # demo data, no account

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# The release build line (static, trimmed, -tags grpcnotrace, the version
# stamped, the validator patched to start fast): see scripts/build.sh.
RUN scripts/build.sh /out/partnerstack-mcp "${VERSION}"

FROM gcr.io/distroless/static:nonroot
# Lets the MCP registry tie the image to server.json.
LABEL io.modelcontextprotocol.server.name="io.github.partnerstack-mcp/partnerstack-mcp"
COPY --from=build /out/partnerstack-mcp /usr/local/bin/partnerstack-mcp
USER nonroot:nonroot
# Only for --transport http|sse, which must then listen on 0.0.0.0:8080
# (-e PARTNERSTACK_ADDR=0.0.0.0:8080 -p 127.0.0.1:8080:8080).
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/partnerstack-mcp"]
