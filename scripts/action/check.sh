#!/usr/bin/env bash
# Step 2 of the GitHub Action (action.yml): steward check on the pull request.
#   STEWARD_BIN        from setup.sh
#   INPUT_DIRECTORY    the migrations (default: schema)
#   INPUT_MANIFEST     ownership.yml (default: found upward from the migrations)
#   INPUT_BASE         the ref findings are reported since (default: the pull request's base
#                      branch, origin/$GITHUB_BASE_REF; none on other events: everything is checked)
#   INPUT_SARIF        where to write SARIF for github/codeql-action/upload-sarif (default: steward.sarif)
#   INPUT_ARGS         more arguments for steward check (split on blanks)
# Annotations go to the log (--format github), the Markdown report to the job summary.
# Writes `sarif` and `exit-code` to $GITHUB_OUTPUT and exits with steward's exit code.
set -uo pipefail
: "${STEWARD_BIN:?STEWARD_BIN is not set: run setup.sh first}"
: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set: this script runs inside a GitHub Actions job}"
directory="${INPUT_DIRECTORY:-schema}"
sarif="${INPUT_SARIF:-steward.sarif}"
base="${INPUT_BASE:-}"
if [ -z "$base" ] && [ -n "${GITHUB_BASE_REF:-}" ]; then base="origin/$GITHUB_BASE_REF"; fi
arguments=(check "$directory" --format github --format sarif --output "$sarif")
[ -n "${INPUT_MANIFEST:-}" ] && arguments+=(--manifest "$INPUT_MANIFEST")
[ -n "$base" ] && arguments+=(--since "$base")
[ -n "${GITHUB_STEP_SUMMARY:-}" ] && arguments+=(--format markdown --output "$GITHUB_STEP_SUMMARY")
# shellcheck disable=SC2206 # INPUT_ARGS is split on blanks on purpose
[ -n "${INPUT_ARGS:-}" ] && arguments+=(${INPUT_ARGS})
"$STEWARD_BIN" "${arguments[@]}"
status=$?
{
  echo "sarif=$sarif"
  echo "exit-code=$status"
} >> "$GITHUB_OUTPUT"
exit "$status"
