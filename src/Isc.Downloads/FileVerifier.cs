namespace Isc.Downloads;

/// <summary>
/// Checks a finished file against everything known about it: the expected size and SHA-256 (catalog or command line)
/// and the lock file's pin. It never records a pin: a file is pinned (<see cref="HashLock.Pin"/>, `isc pin`) only after
/// every check of its build step has passed, so a file that a later check refuses (an unsafe zip, a checkpoint of
/// another backbone) never becomes the expected file.
/// </summary>
public sealed class FileVerifier(DownloadRequest request, HashLock? hashLock)
{
    readonly string _expectedSha = FileHash.Normalize(request.Sha256, request.DisplayName);

    /// <summary>Throws <see cref="VerificationException"/> naming the file and the mismatch.</summary>
    public void Check(string sha256, long size, string where)
    {
        if (request.Size is { } expectedSize && expectedSize != size)
            throw new VerificationException(
                $"{request.DisplayName}: {where} has {size:N0} bytes but {expectedSize:N0} are expected; the file is incomplete or not the published one");
        if (_expectedSha.Length > 0 && !string.Equals(_expectedSha, sha256, StringComparison.OrdinalIgnoreCase))
            throw new VerificationException(
                $"{request.DisplayName}: {where} hashes to SHA-256 {sha256} but {_expectedSha} is expected; the file is damaged or not the published one");
        if (hashLock is not null && request.LockKey is { } key && hashLock.Get(key) is { } pinned)
            hashLock.Check(key, pinned, sha256, size);
    }

}
