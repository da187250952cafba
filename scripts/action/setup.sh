#!/usr/bin/env bash
# Step 1 of the GitHub Action (action.yml): makes a steward binary available and exports
# STEWARD_BIN through $GITHUB_ENV.
#   INPUT_STEWARD_PATH     a binary already on the runner (used as is)
#   INPUT_STEWARD_VERSION  a release to download (the tarball scripts/release makes), checked
#                          against its .sha256; STEWARD_RELEASE_URL overrides where releases are
#   neither                install what the README's setup installs and build from the action's source
set -euo pipefail
action_dir="$(cd "$(dirname "$0")/../.." && pwd)"
: "${GITHUB_ENV:?GITHUB_ENV is not set: this script runs inside a GitHub Actions job}"
if [ -n "${INPUT_STEWARD_PATH:-}" ]; then
  [ -x "$INPUT_STEWARD_PATH" ] || { echo "::error title=steward::steward-path $INPUT_STEWARD_PATH is not an executable file"; exit 2; }
  binary="$INPUT_STEWARD_PATH"
elif [ -n "${INPUT_STEWARD_VERSION:-}" ]; then
  version="${INPUT_STEWARD_VERSION#v}"
  name="steward-$version-linux-$(uname -m)"
  base="${STEWARD_RELEASE_URL:-https://github.com/${GITHUB_ACTION_REPOSITORY:-steward-sql/steward}/releases/download/v$version}"
  dir="${RUNNER_TEMP:-/tmp}/steward-$version"
  mkdir -p "$dir"
  if ! curl -fsSL -o "$dir/$name.tar.gz" "$base/$name.tar.gz" || ! curl -fsSL -o "$dir/$name.tar.gz.sha256" "$base/$name.tar.gz.sha256"; then
    echo "::error title=steward::cannot download $base/$name.tar.gz (is steward-version right?)"
    exit 2
  fi
  (cd "$dir" && sha256sum --check --status "$name.tar.gz.sha256") || { echo "::error title=steward::$name.tar.gz does not match its SHA-256 sum"; exit 2; }
  tar -C "$dir" -xzf "$dir/$name.tar.gz" steward
  binary="$dir/steward"
else
  "$action_dir/scripts/setup"
  (cd "$action_dir" && swift build -c release --static-swift-stdlib --product steward >&2)
  binary="$action_dir/.build/release/steward"
fi
"$binary" --version
echo "STEWARD_BIN=$binary" >> "$GITHUB_ENV"
