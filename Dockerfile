# syntax=docker/dockerfile:1
# A small scoville image for CI systems without a scoville integration: a static (musl) binary
# on a distroless base that holds only CA certificates and a non-root user. See docs/ci.md.
#   docker build -t scoville .
#   docker run --rm -v "$PWD:/work" -e CHILI_PIPER_API_KEY scoville plan chilipiper

# Alpine's Rust targets musl, whose binaries are static by default.
FROM rust:1.95-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --locked --release --bin scoville \
    && cp target/release/scoville /usr/local/bin/scoville

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /usr/local/bin/scoville /usr/local/bin/scoville
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/scoville"]
CMD ["--help"]
