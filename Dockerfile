# The immutalint container image: the static release binary (scripts/build-release.sh) on a base
# that holds only the C library, run in the folder a user mounts at /src.
#
#   docker build -t immutalint .
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/src" immutalint deploy/

# Build stage: Debian 12, the build dependencies only (the test suite is not built here).
FROM debian:12 AS build
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -qq -y --no-install-recommends \
      g++ cmake make pkg-config python3 gzip \
      libyaml-dev libre2-dev libfmt-dev libcxxopts-dev nlohmann-json3-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /immutalint
COPY . .
# The project's address, compiled into SARIF reports; the release workflow passes it.
ARG IMMUTALINT_HOMEPAGE=""
# Files in the image carry this time (a reproducible build); the release workflow passes the
# commit's time.
ARG SOURCE_DATE_EPOCH=0
RUN IMMUTALINT_HOMEPAGE="$IMMUTALINT_HOMEPAGE" SOURCE_DATE_EPOCH="$SOURCE_DATE_EPOCH" \
      scripts/build-release.sh --tree /tmp/tree /tmp/dist \
 && mkdir /out \
 && tar -xzf /tmp/dist/immutalint-*.tar.gz -C /out --strip-components=1

# Runtime stage: distroless, without OpenSSL: glibc and little else, no shell, user nonroot.
FROM gcr.io/distroless/base-nossl-debian12:nonroot
COPY --from=build /out/bin/immutalint /usr/local/bin/immutalint
COPY --from=build /out/share/doc/immutalint/LICENSE /usr/share/doc/immutalint/LICENSE
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/immutalint"]
