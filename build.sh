#!/usr/bin/env bash
# Runs the harness's build program (Cake engine): ./build.sh --target=All33 --profile=demo, ./build.sh --help.
# Rebuilds the build program and the isc worker first when their sources changed; passes every argument through.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if ! command -v dotnet >/dev/null 2>&1; then
  echo "build.sh: the .NET 10 SDK is needed and 'dotnet' is not on PATH (install it from https://dot.net)." >&2
  exit 2
fi
stamp="$root/build/bin/.bootstrap-stamp"
# Building the build program builds the worker too (a project reference): its stamp, tools/isc's, is then current as well.
worker_stamp="$root/src/Isc.Cli/bin/.bootstrap-stamp"
# The stamp holds the TorchDevice the programs were built with (cpu, cuda or system; MSBuild reads it from the environment).
flavour="TorchDevice=${TorchDevice:-cpu}"
stale() {
  [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$flavour" ] || [ ! -f "$root/build/bin/Release/net10.0/Build.dll" ] ||
    [ -n "$(find "$root/build" "$root/src" "$root/Directory.Build.props" "$root/Directory.Packages.props" \
      -newer "$stamp" -type f -not -path '*/bin/*' -not -path '*/obj/*' -print -quit)" ]
}
if stale; then
  echo "build.sh: building the build program and the isc worker (Release) ..." >&2
  out=$(mktemp)
  if ! dotnet build "$root/build/Build.csproj" -c Release --nologo -v quiet -tl:off -clp:"ErrorsOnly;NoSummary" >"$out" 2>&1; then
    cat "$out" >&2; rm -f "$out"; exit 1
  fi
  rm -f "$out"
  mkdir -p "$root/build/bin" "$root/src/Isc.Cli/bin" && printf '%s' "$flavour" > "$stamp" && printf '%s' "$flavour" > "$worker_stamp"
fi
export ISC_REPO_ROOT="$root"
export ISC_WORKER="$root/src/Isc.Cli/bin/Release/net10.0/isc"
exec dotnet "$root/build/bin/Release/net10.0/Build.dll" "$@"
