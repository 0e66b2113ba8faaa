#!/usr/bin/env pwsh
# Runs the harness's build program (Cake engine): ./build.ps1 --target=All33 --profile=demo, ./build.ps1 --help.
# Rebuilds the build program and the isc worker first when their sources changed; passes every argument through.
# Before any work the build checks the system packages the target needs (fonts, emoji, OpenCV data, PyTorch, Slurm):
# on Debian/Ubuntu it installs the missing ones (root or password-less sudo; --no-install: say so and exit 2); on
# Windows and other systems it names each package and what it provides, and exits 2 with nothing built.
$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'; $env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'
if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    Write-Error "build.ps1: the .NET 10 SDK is needed and 'dotnet' is not on PATH (install it from https://dot.net)."
    exit 2
}
$stamp = Join-Path $root 'build/bin/.bootstrap-stamp'
$dll = Join-Path $root 'build/bin/Release/net10.0/Build.dll'
$flavour = 'TorchDevice=' + $(if ($env:TorchDevice) { $env:TorchDevice } else { 'cpu' })
$stale = -not (Test-Path $stamp) -or ((Get-Content -Raw $stamp) -ne $flavour) -or -not (Test-Path $dll)
if (-not $stale) {
    $since = (Get-Item -Force $stamp).LastWriteTimeUtc   # -Force: the stamp is a dot-file, hidden to Get-Item on Linux
    $stale = [bool](Get-ChildItem -Recurse -File (Join-Path $root 'build'), (Join-Path $root 'src') |
        Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' -and $_.LastWriteTimeUtc -gt $since } | Select-Object -First 1)
}
if ($stale) {
    Write-Host 'build.ps1: building the build program and the isc worker (Release) ...'
    dotnet build (Join-Path $root 'build/Build.csproj') -c Release --nologo -v quiet -tl:off '-clp:ErrorsOnly;NoSummary'
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    # The worker was built too (a project reference): mark tools/isc.ps1's stamp current as well.
    foreach ($s in @($stamp, (Join-Path $root 'src/Isc.Cli/bin/.bootstrap-stamp'))) {
        New-Item -ItemType File -Force $s | Out-Null
        Set-Content -NoNewline -Path $s -Value $flavour
    }
}
$env:ISC_REPO_ROOT = $root
$env:ISC_WORKER = Join-Path $root ('src/Isc.Cli/bin/Release/net10.0/' + $(if ($IsWindows) { 'isc.exe' } else { 'isc' }))
dotnet $dll @args
exit $LASTEXITCODE
