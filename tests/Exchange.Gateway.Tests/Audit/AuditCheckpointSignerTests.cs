using System.Security.Cryptography;
using Exchange.Gateway.Audit;

namespace Exchange.Gateway.Tests.Audit;

public sealed class AuditCheckpointSignerTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 8, 30, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("exchange-audit-keys-").FullName;

    [Fact]
    public void Sign_CheckpointVerifiesWithThePublicKeyOnly()
    {
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        using var keys = AuditCheckpointKeys.FromPem(signer.ExportPublicKeyPem());

        var checkpoint = signer.Sign("gw-1", 7, AuditHash.Compute([7]), Now);

        Assert.True(keys.Verify(checkpoint, out var problem), problem);
        Assert.Equal(signer.KeyId, checkpoint.KeyId);
        Assert.Equal([signer.KeyId], keys.KeyIds);
    }

    [Theory]
    [InlineData("node")]
    [InlineData("sequence")]
    [InlineData("hash")]
    [InlineData("time")]
    [InlineData("signature")]
    public void Verify_AnyPartChanged_Fails(string part)
    {
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        using var keys = signer.PublicKeys();
        var checkpoint = signer.Sign("gw-1", 7, AuditHash.Compute([7]), Now);
        var signature = checkpoint.Signature.ToArray();
        signature[^1] ^= 1;

        var altered = part switch
        {
            "node" => checkpoint with { Node = "gw-2" },
            "sequence" => checkpoint with { Sequence = 8 },
            "hash" => checkpoint with { RecordHash = AuditHash.Compute([8]) },
            "time" => checkpoint with { CreatedAt = Now.AddTicks(10) },
            _ => checkpoint with { Signature = [.. signature] },
        };

        Assert.False(keys.Verify(altered, out var problem));
        Assert.Contains("does not verify", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SignedByAKeyNotInTheSet_FailsNamingTheUnknownKey()
    {
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        using var other = AuditCheckpointSigner.CreateEphemeral();
        using var keys = other.PublicKeys();

        Assert.False(keys.Verify(signer.Sign("gw-1", 1, AuditHash.Zero, Now), out var problem));
        Assert.Contains("unknown key", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_GarbageSignature_FailsWithoutThrowing()
    {
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        using var keys = signer.PublicKeys();

        Assert.False(keys.Verify(signer.Sign("gw-1", 1, AuditHash.Zero, Now) with { Signature = [1, 2, 3] }, out _));
    }

    [Fact]
    public void LoadOrCreateDevelopment_CreatesAnOwnerOnlyKeyAndItsPublicKey_ThenLoadsTheSameKey()
    {
        var path = Path.Combine(_directory, "audit", "checkpoint-key.pem");

        string keyId;
        using (var created = AuditCheckpointSigner.LoadOrCreateDevelopment(path))
        {
            keyId = created.KeyId;
        }

        using var loaded = AuditCheckpointSigner.LoadOrCreateDevelopment(path);
        using var published = AuditCheckpointKeys.Load(AuditCheckpointSigner.PublicKeyPath(path));

        Assert.Equal(keyId, loaded.KeyId);
        Assert.Equal([keyId], published.KeyIds);
        Assert.EndsWith("checkpoint-key.pub.pem", AuditCheckpointSigner.PublicKeyPath(path), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Constructor_KeyOnAnotherCurve_IsRefused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Throws<ArgumentException>(() => new AuditCheckpointSigner(p384));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
