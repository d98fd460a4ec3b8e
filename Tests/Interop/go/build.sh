#!/usr/bin/env bash
# Builds the Go apps in the seed's shape (producer, consumer) offline, in GOPATH mode, against
# Debian's sarama (golang-github-shopify-sarama-dev) in /usr/share/gocode.
# Binaries go to .build/interop-go/ (or the directory given as $1); Go's caches stay under .build.
set -euo pipefail
cd "$(dirname "$0")/../../.."
out="${1:-.build/interop-go}"
mkdir -p "$out"
export GOPATH=/usr/share/gocode GO111MODULE=off
export GOCACHE="$PWD/.build/interop-go-cache"
# sarama's zstd binding calls a function libzstd marks deprecated; the warning is not ours.
export CGO_CFLAGS="-O2 -g -Wno-deprecated-declarations"
for app in producer consumer; do
  go build -o "$out/$app" "./Tests/Interop/go/$app"
done
