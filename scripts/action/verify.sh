#!/usr/bin/env bash
# Step 3 of the GitHub Action (action.yml), with `verify: true`: steward verify --ephemeral.
# PostgreSQL itself applies the migrations on a private server started for the step (initdb and
# pg_ctl from the runner's PostgreSQL; GitHub's Ubuntu images have them) and its catalog is
# compared with Steward's model: a migration PostgreSQL rejects fails the job before it reaches
# a shared database.
#   STEWARD_BIN        from setup.sh
#   INPUT_DIRECTORY    the migrations (default: schema)
#   INPUT_MANIFEST     ownership.yml (default: found upward from the migrations)
# The text result goes to the log, the Markdown one to the job summary. Writes `verify-exit-code`
# to $GITHUB_OUTPUT and exits with steward's exit code.
set -uo pipefail
: "${STEWARD_BIN:?STEWARD_BIN is not set: run setup.sh first}"
: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set: this script runs inside a GitHub Actions job}"
directory="${INPUT_DIRECTORY:-schema}"
arguments=(verify "$directory" --ephemeral)
[ -n "${INPUT_MANIFEST:-}" ] && arguments+=(--manifest "$INPUT_MANIFEST")
output=$(mktemp)
"$STEWARD_BIN" "${arguments[@]}" --format markdown > "$output"
status=$?
if [ "$status" -ne 2 ]; then
  [ -n "${GITHUB_STEP_SUMMARY:-}" ] && cat "$output" >> "$GITHUB_STEP_SUMMARY"
  cat "$output"
  [ "$status" -eq 1 ] && echo "::error title=steward verify::the migrations and Steward's model disagree, or PostgreSQL rejected a migration (see the job summary)"
fi
rm -f "$output"
echo "verify-exit-code=$status" >> "$GITHUB_OUTPUT"
exit "$status"
