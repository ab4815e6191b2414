# Sourced by the scripts: sets TARGET_DIR to where cargo puts what it builds, as cargo itself
# says ($CARGO_TARGET_DIR, a `build.target-dir` in a config file, or ./target), so that a
# script runs what it built wherever the build went.
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
if [[ -z "$TARGET_DIR" || ! -d "$TARGET_DIR" ]]; then
  echo "cargo metadata gave no target directory (got '$TARGET_DIR')" >&2
  exit 2
fi
