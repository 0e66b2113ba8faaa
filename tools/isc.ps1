#!/usr/bin/env pwsh
# The isc worker: each heavy step of the build (generate, train, trim, download ...), runnable by hand.
# Builds the worker on first use and whenever its sources changed. `tools/isc.ps1 --help` lists the commands.
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
$exe = Join-Path $root ('src/Isc.Cli/bin/Release/net10.0/' + $(if ($IsWindows) { 'isc.exe' } else { 'isc' }))
$stamp = Join-Path $root 'src/Isc.Cli/bin/.bootstrap-stamp'
$flavour = 'TorchDevice=' + $(if ($env:TorchDevice) { $env:TorchDevice } else { 'cpu' })
$stale = -not (Test-Path $stamp) -or ((Get-Content -Raw $stamp) -ne $flavour) -or -not (Test-Path $exe)
if (-not $stale) {
    $since = (Get-Item -Force $stamp).LastWriteTimeUtc   # -Force: the stamp is a dot-file, hidden to Get-Item on Linux
    $stale = [bool](Get-ChildItem -Recurse -File (Join-Path $root 'src') |
        Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' -and $_.LastWriteTimeUtc -gt $since } | Select-Object -First 1)
}
if ($stale) {
    Write-Host 'tools/isc: building the worker (Release) ...'
    dotnet build (Join-Path $root 'src/Isc.Cli/Isc.Cli.csproj') -c Release --nologo -v quiet -tl:off '-clp:ErrorsOnly;NoSummary'
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    New-Item -ItemType File -Force $stamp | Out-Null
    Set-Content -NoNewline -Path $stamp -Value $flavour
}
& $exe @args
exit $LASTEXITCODE
