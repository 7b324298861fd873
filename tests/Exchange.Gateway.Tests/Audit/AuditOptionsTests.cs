using Exchange.Gateway.Audit;

namespace Exchange.Gateway.Tests.Audit;

public sealed class AuditOptionsTests
{
    [Fact]
    public void Validate_CompleteOptions_HaveNoErrors() =>
        Assert.Empty(AuditTestData.Options().Validate());

    [Fact]
    public void Validate_Defaults_NameEveryMissingSetting()
    {
        var errors = new AuditOptions().Validate();

        Assert.Equal(
            [
                "Audit.NodeId: '' must be 1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-'",
                "Audit.SubjectHashKey: must be set (base64, at least 32 bytes)",
                "Audit.CheckpointKeyPath: must be set",
            ],
            errors);
    }

    [Fact]
    public void Validate_EveryBadSetting_IsReportedAtOnce()
    {
        var options = AuditTestData.Options() with
        {
            Store = AuditStoreKind.Postgres,
            PostgresSchema = "Audit-Schema",
            NodeId = "../etc",
            SubjectHashKey = Convert.ToBase64String(new byte[16]),
            CheckpointEveryRecords = 0,
            BatchSize = -1,
            Linger = TimeSpan.FromSeconds(-1),
            RetentionPeriod = TimeSpan.Zero,
        };

        var errors = options.Validate();

        Assert.Equal(
            [
                "Audit.PostgresConnectionString",
                "Audit.PostgresSchema",
                "Audit.NodeId",
                "Audit.SubjectHashKey",
                "Audit.CheckpointEveryRecords",
                "Audit.BatchSize",
                "Audit.Linger",
                "Audit.RetentionPeriod",
            ],
            errors.Select(e => e[..e.IndexOf(':', StringComparison.Ordinal)]));
        Assert.Contains("Audit.SubjectHashKey: 16 bytes; at least 32 are needed", errors);
    }

    [Theory]
    [InlineData("gw-1", true)]
    [InlineData("gateway_2.she-county", true)]
    [InlineData(".hidden", false)]
    [InlineData("..", false)]
    [InlineData("a/b", false)]
    [InlineData("", false)]
    [InlineData("网关", false)]
    public void IsNodeId_AcceptsOnlyNamesSafeAsADirectory(string node, bool valid) =>
        Assert.Equal(valid, AuditOptions.IsNodeId(node));

    [Fact]
    public void SubjectHashKeyBytes_NotBase64_ThrowsNamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => (AuditTestData.Options() with { SubjectHashKey = "not base64!" }).SubjectHashKeyBytes());

        Assert.Equal("Audit.SubjectHashKey: is not base64", error.Message);
    }
}
