using System.Diagnostics;

namespace Exchange.Pki.Internal;

/// <summary>
/// An exclusive lock on a PKI directory, held while it is read and completed, so a gateway and an
/// <c>exchange pki init</c> started together do not both issue a CA and leave certificates of two.
/// </summary>
internal sealed class DirectoryLock : IDisposable
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);

    private readonly FileStream _stream;

    private DirectoryLock(FileStream stream) => _stream = stream;

    /// <summary>Waits (up to 30 s) for the lock file in <paramref name="directory"/>.</summary>
    /// <exception cref="TimeoutException">Another process held it throughout.</exception>
    public static DirectoryLock Acquire(string directory)
    {
        var path = Path.Combine(directory, ".lock");
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = PemFiles.OwnerOnly;
                }

                return new DirectoryLock(new FileStream(path, options));
            }
            catch (IOException) when (Stopwatch.GetElapsedTime(started) < GiveUpAfter)
            {
                Thread.Sleep(RetryInterval);
            }
            catch (IOException error)
            {
                throw new TimeoutException($"{directory}: another process kept the PKI directory locked for {GiveUpAfter.TotalSeconds:0} s", error);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
