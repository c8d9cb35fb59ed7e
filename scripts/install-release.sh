#!/usr/bin/env bash
# Installs a released scoville binary: downloads the release archive for this machine (or reuses
# a cached copy), checks it against the release's SHA-256 checksum file, unpacks it, and prints
# the path of the binary on standard output. Used by the composite action (action.yml) and
# usable on any CI system with bash, curl, tar and sha256sum (or shasum).
#
# Everything comes in through the environment, never as script text:
#   SCOVILLE_VERSION       release to install, e.g. 0.2.0 (required; a leading v is accepted)
#   SCOVILLE_TARGET        target triple of the archive; default: detected from RUNNER_OS and
#                          RUNNER_ARCH (GitHub Actions) or from uname
#   SCOVILLE_RELEASES_URL  base URL of the releases; default: the GitHub releases of
#                          scoville-dev/scoville. The archive is read from
#                          $SCOVILLE_RELEASES_URL/v$VERSION/scoville-$TARGET.$EXT and its checksum
#                          from the same URL with .sha256 appended (file:// URLs work too)
#   SCOVILLE_DOWNLOAD_DIR  where the archive is kept between runs (the directory a CI cache
#                          saves); default: a temporary directory
#   SCOVILLE_INSTALL_DIR   where the binary is unpacked; default: a temporary directory
#
# The checksum file is always downloaded fresh, also when the archive comes from a cache, so a
# cached archive is never trusted on its own. Exit status: 0 installed, 1 refused or failed
# (with a message on standard error saying what to do next).
set -euo pipefail

fail() {
  echo "scoville install: $*" >&2
  exit 1
}

# The archive target for a runner or machine: the five targets every release builds.
detect_target() {
  local os arch
  os="${RUNNER_OS:-$(uname -s)}"
  arch="${RUNNER_ARCH:-$(uname -m)}"
  case "$os" in
    Linux | linux) os=linux ;;
    macOS | Darwin) os=macos ;;
    Windows | MINGW* | MSYS* | CYGWIN*) os=windows ;;
    *) fail "no release archive for the operating system '$os': build from source (cargo install --locked)" ;;
  esac
  case "$arch" in
    X64 | x86_64 | amd64) arch=x86_64 ;;
    ARM64 | aarch64 | arm64) arch=aarch64 ;;
    *) fail "no release archive for the architecture '$arch': build from source (cargo install --locked)" ;;
  esac
  case "$os-$arch" in
    linux-x86_64) echo x86_64-unknown-linux-musl ;;
    linux-aarch64) echo aarch64-unknown-linux-musl ;;
    macos-x86_64) echo x86_64-apple-darwin ;;
    macos-aarch64) echo aarch64-apple-darwin ;;
    windows-x86_64) echo x86_64-pc-windows-msvc ;;
    *) fail "no release archive for $os on $arch: build from source (cargo install --locked)" ;;
  esac
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  else
    fail "neither sha256sum nor shasum is installed: install coreutils"
  fi
}

# Fetches a URL to a file; a missing file is an error, not an empty download.
fetch() {
  curl --proto '=https,file' --tlsv1.2 --fail --silent --show-error --location \
    --retry 3 --output "$2" "$1"
}

version="${SCOVILLE_VERSION:-}"
version="${version#v}"
[[ -n "$version" ]] || fail "SCOVILLE_VERSION is not set: set it to a released version, e.g. 0.2.0"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] ||
  fail "SCOVILLE_VERSION '$version' is not a release version like 0.2.0"

target="${SCOVILLE_TARGET:-}"
[[ -n "$target" ]] || target="$(detect_target)"
[[ "$target" =~ ^[0-9A-Za-z_.-]+$ ]] || fail "SCOVILLE_TARGET '$target' is not a target triple"
case "$target" in
  *-windows-*) ext=zip exe=scoville.exe ;;
  *) ext=tar.xz exe=scoville ;;
esac

releases="${SCOVILLE_RELEASES_URL:-https://github.com/scoville-dev/scoville/releases/download}"
archive="scoville-$target.$ext"
url="${releases%/}/v$version/$archive"
download_dir="${SCOVILLE_DOWNLOAD_DIR:-$(mktemp -d)}"
install_dir="${SCOVILLE_INSTALL_DIR:-$(mktemp -d)}"
mkdir -p "$download_dir" "$install_dir"

checksum_file="$(mktemp)"
trap 'rm -f "$checksum_file" "$download_dir/$archive.part"' EXIT
fetch "$url.sha256" "$checksum_file" ||
  fail "could not download the checksum $url.sha256: check that release v$version exists and has an archive for $target"
# The checksum file holds "<hex digest>  <file name>" (or "<hex> *<name>"); only the digest counts.
expected="$(tr -d '\r' <"$checksum_file" | awk 'NR == 1 { print tolower($1) }')"
[[ "$expected" =~ ^[0-9a-f]{64}$ ]] ||
  fail "the checksum file $url.sha256 holds no SHA-256 digest: the release is damaged, report it"

if [[ -f "$download_dir/$archive" ]]; then
  actual="$(sha256_of "$download_dir/$archive")"
  if [[ "$actual" != "$expected" ]]; then
    echo "scoville install: the cached $archive does not match the release checksum; downloading it again" >&2
    rm -f "$download_dir/$archive"
  fi
fi
if [[ ! -f "$download_dir/$archive" ]]; then
  fetch "$url" "$download_dir/$archive.part" ||
    fail "could not download $url: check the version and your network"
  actual="$(sha256_of "$download_dir/$archive.part")"
  if [[ "$actual" != "$expected" ]]; then
    fail "$archive does not match its checksum (expected $expected, got $actual): refusing to install it; retry, and report it if it persists"
  fi
  mv "$download_dir/$archive.part" "$download_dir/$archive"
fi

unpack_dir="$install_dir/scoville-$version-$target"
rm -rf "$unpack_dir"
mkdir -p "$unpack_dir"
case "$ext" in
  tar.xz) tar -xJf "$download_dir/$archive" -C "$unpack_dir" ;;
  zip)
    if command -v unzip >/dev/null 2>&1; then
      unzip -q "$download_dir/$archive" -d "$unpack_dir"
    elif command -v 7z >/dev/null 2>&1; then
      7z x -y "-o$unpack_dir" "$download_dir/$archive" >/dev/null
    else
      fail "neither unzip nor 7z is installed: install one to unpack $archive"
    fi
    ;;
esac

# Archives hold the binary at the top or in one folder named after the archive.
binary=""
for candidate in "$unpack_dir/$exe" "$unpack_dir/scoville-$target/$exe"; do
  if [[ -f "$candidate" ]]; then
    binary="$candidate"
    break
  fi
done
[[ -n "$binary" ]] || fail "$archive holds no $exe: the release is damaged, report it"
chmod +x "$binary"
echo "$binary"
