using Exchange.Cli.Tests.Infrastructure;

namespace Exchange.Cli.Tests.Commands;

public sealed class PkiInitCommandTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task PkiInit_EmptyDirectory_CreatesTheSandboxCertificates()
    {
        var result = await ExchangeCommand.RunAsync("pki", "init", "--dir", _directory.Path);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith($"development PKI in {_directory.Path}", result.Output, StringComparison.Ordinal);
        Assert.Contains("created  ca ", result.Output, StringComparison.Ordinal);
        Assert.Contains("19 certificate(s) written", result.Output, StringComparison.Ordinal);
        foreach (var file in new[] { "ca.crt", "ca.key", "gateway.crt", "gateway.key", "gateway-client.crt", "gateway-client.key" })
        {
            Assert.True(File.Exists(Path.Combine(_directory.Path, file)), file);
        }

        Assert.All(SandboxDefaults.RegionCodes, code => Assert.True(File.Exists(Path.Combine(_directory.Path, "regions", code + ".crt"))));
        Assert.All(SandboxDefaults.Participants, id => Assert.True(File.Exists(Path.Combine(_directory.Path, "participants", id + ".key"))));
    }

    [Fact]
    public async Task PkiInit_SecondRun_FindsEverything()
    {
        await ExchangeCommand.RunAsync("pki", "init", "--dir", _directory.Path);

        var result = await ExchangeCommand.RunAsync("pki", "init", "--dir", _directory.Path);

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("created", result.Output, StringComparison.Ordinal);
        Assert.Contains("loaded   participants/auditor", result.Output, StringComparison.Ordinal);
        Assert.EndsWith("nothing to do: every certificate was present and valid" + Environment.NewLine, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PkiInit_ExtraParticipants_AddsOnlyThem()
    {
        await ExchangeCommand.RunAsync("pki", "init", "--dir", _directory.Path);

        var result = await ExchangeCommand.RunAsync("pki", "init", "--dir", _directory.Path, "--participant", "huangshan-clinic", "--participant", "tunxi-library");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("created  participants/huangshan-clinic", result.Output, StringComparison.Ordinal);
        Assert.Contains("created  participants/tunxi-library", result.Output, StringComparison.Ordinal);
        Assert.Contains("2 certificate(s) written", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PkiInit_InvalidParticipant_ExitsWithUsageError()
    {
        var result = await ExchangeCommand.RunAsync("pki", "init", "--dir", _directory.Path, "--participant", "Bad Name");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("participant 'Bad Name'", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory.Path, "ca.crt")));
    }
}
