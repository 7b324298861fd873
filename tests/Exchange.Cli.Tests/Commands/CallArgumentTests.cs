using Exchange.Cli.Tests.Infrastructure;

namespace Exchange.Cli.Tests.Commands;

/// <summary>What <c>exchange call</c> refuses before it touches the network: exit code 2 and a message saying why.</summary>
public sealed class CallArgumentTests : IDisposable
{
    private readonly TemporaryDirectory _pki = new();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public async Task Call_UnknownMethod_ExitsWithUsageErrorAndSuggestion()
    {
        var result = await ExchangeCommand.RunAsync("call", "CrossRegionSettlementService/Settel", "--pki", _pki.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: unknown method 'CrossRegionSettlementService/Settel'. Did you mean:", result.Error, StringComparison.Ordinal);
        Assert.Contains("exchange.medical.v1.CrossRegionSettlementService/Settle", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task Call_MalformedJson_ExitsWithUsageErrorNamingTheType()
    {
        var result = await ExchangeCommand.RunAsync("call", "SocialSecurityCardService/VerifyCard", "--json", "{\"issuingRegion\": 3", "--pki", _pki.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: --json is not a valid exchange.socialsecurity.v1.VerifyCardRequest: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_UnknownJsonField_ExitsWithUsageErrorNamingTheField()
    {
        var result = await ExchangeCommand.RunAsync("call", "SocialSecurityCardService/VerifyCard", "--json", "{\"cardNo\": \"A12345678\"}", "--pki", _pki.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: --json is not a valid exchange.socialsecurity.v1.VerifyCardRequest: Unknown field: cardNo" + Environment.NewLine, result.Error);
    }

    [Fact]
    public async Task Call_ClientStreamingWithObject_AsksForAnArray()
    {
        var result = await ExchangeCommand.RunAsync("call", "SocialSecurityCardService/CompareResidents", "--json", "{}", "--pki", _pki.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("must be a JSON array of exchange.socialsecurity.v1.CompareResidentsRequest objects", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:7443")]
    [InlineData("127.0.0.1:7443")]
    public async Task Call_GatewayNotHttps_IsRefused(string gateway)
    {
        var result = await ExchangeCommand.RunAsync("call", "DirectoryService/ListServices", "--gateway", gateway, "--pki", _pki.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("must be an https:// address", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("100000")]
    public async Task Call_TimeoutOutOfRange_IsRefused(string timeout)
    {
        var result = await ExchangeCommand.RunAsync("call", "DirectoryService/ListServices", "--timeout", timeout, "--pki", _pki.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--timeout must be more than 0", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_InvalidParticipantId_IsAUsageError()
    {
        var result = await ExchangeCommand.RunAsync("call", "DirectoryService/ListServices", "--as", "../etc", "--pki", _pki.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("participant '../etc'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_JsonFromMissingFile_IsAUsageError()
    {
        var result = await ExchangeCommand.RunAsync("call", "DirectoryService/ListServices", "--json", "@" + Path.Combine(_pki.Path, "nope.json"), "--pki", _pki.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nope.json", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_WithoutMethod_IsAUsageError()
    {
        var result = await ExchangeCommand.RunAsync("call");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommand_IsAUsageError()
    {
        var result = await ExchangeCommand.RunAsync("settle");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'settle'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoArguments_PrintsHelpAndIsAUsageError()
    {
        var result = await ExchangeCommand.RunAsync();

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("pki", result.Error, StringComparison.Ordinal);
        Assert.Contains("call <method>", result.Error, StringComparison.Ordinal);
        Assert.Contains("demo", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ExitsZeroAndShowsTheDefaults()
    {
        var result = await ExchangeCommand.RunAsync("call", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("https://127.0.0.1:7443", result.Output, StringComparison.Ordinal);
        Assert.Contains(".exchange/pki", result.Output, StringComparison.Ordinal);
        Assert.Contains("county-hospital", result.Output, StringComparison.Ordinal);
    }
}
