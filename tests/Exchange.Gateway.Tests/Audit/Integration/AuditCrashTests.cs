using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Security;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.V1;
using Exchange.Gateway.Audit;
using Exchange.Gateway.Tests.Infrastructure;
using Exchange.PartnerSim.Population;
using Exchange.Pki;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit.Abstractions;

namespace Exchange.Gateway.Tests.Audit.Integration;

/// <summary>
/// Issue 5, part 7: the real gateway (the built dll, as a separate process, sandbox configuration) under load is
/// killed as <c>kill -9</c> would kill it, mid-run, and restarted on the same state directory. Every exchange a client
/// saw answered OK must be in the trail, and the trail must verify. The counts are printed (test output).
/// </summary>
public sealed class AuditCrashTests(ITestOutputHelper output) : IDisposable
{
    private const string Node = "gateway-341021-1"; // appsettings.json
    private const int Workers = 16;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly string _state = Directory.CreateTempSubdirectory("exchange-audit-crash-").FullName;

    [Fact]
    public async Task KillNineUnderLoad_EveryExchangeAnsweredBeforeTheKillIsInTheTrail_AndTheTrailVerifies()
    {
        // The PKI first, so the client can load its certificate; the gateway's sandbox adds what else it needs.
        using var pki = DevelopmentPki.LoadOrCreate(
            Path.Combine(_state, "pki"), new DevelopmentPkiPlan("341021", GatewayEnvironment.RegionCodes, [TestParticipants.Hospital]));
        var patients = PopulationSeeder.Create("310000", seed: 2260, Forwarding.Seeded.Today)
            .Insurance.Where(i => i.Status == InsuranceStatus.Active).Select(i => i.CitizenId).Take(20).ToArray();
        var answered = new ConcurrentBag<string>();
        var failedAfterKill = 0;

        var gateway = await GatewayProcess.StartAsync(_state, StartTimeout);
        var killed = false;
        try
        {
            using var channel = Channel(gateway.Address, pki);
            var client = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(channel);
            using var stop = new CancellationTokenSource();
            var load = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var (headers, traceId) = AuditProbe.NewTrace();
                    try
                    {
                        await client.GetInsuredPersonAsync(
                            new GetInsuredPersonRequest { InsuredRegion = "310000", CitizenId = patients[(worker + i) % patients.Length], Purpose = PurposeOfUse.MedicalSettlement },
                            headers,
                            DateTime.UtcNow.AddSeconds(10));
                        answered.Add(traceId); // seen answered OK: must be in the trail
                    }
                    catch (RpcException) when (Volatile.Read(ref killed))
                    {
                        Interlocked.Increment(ref failedAfterKill);
                        return; // the gateway is gone
                    }
                }
            })).ToArray();

            // Mid-run: once a good number of exchanges are answered, with many more in flight.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (answered.Count < 1500 && DateTime.UtcNow < deadline && load.All(t => !t.IsCompleted))
            {
                await Task.Delay(20);
            }

            Assert.All(load.Where(t => t.IsFaulted), t => Assert.Fail($"a worker failed before the kill: {t.Exception}\n{gateway.Output}"));
            Volatile.Write(ref killed, true);
            await gateway.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(load);
        }
        finally
        {
            await gateway.DisposeAsync();
        }

        var seen = answered.ToHashSet(StringComparer.Ordinal);

        // Restart on the same state: the trail resumes the chain (and signs the tail the crash left unsigned).
        await using var restarted = await GatewayProcess.StartAsync(_state, StartTimeout);
        var store = new SqliteAuditStore(Path.Combine(_state, AuditSetup.SqliteFileName));
        await using (store)
        {
            var inTrail = new HashSet<string>(StringComparer.Ordinal);
            long records = 0;
            await foreach (var record in store.ReadChainAsync(Node, 0, CancellationToken.None))
            {
                records++;
                if (record.Entry.TraceId is { } traceId)
                {
                    inTrail.Add(traceId);
                }
            }

            using var keys = AuditCheckpointKeys.Load(AuditCheckpointSigner.PublicKeyPath(Path.Combine(_state, AuditSetup.CheckpointKeyFileName)));
            var report = await new AuditVerifier(store, keys, Path.Combine(_state, AuditSetup.ArchiveDirectoryName)).VerifyAsync();
            var chain = Assert.Single(report.Chains);
            var missing = seen.Where(t => !inTrail.Contains(t)).ToArray();

            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"crash test: {seen.Count} exchanges answered OK before kill -9 (pid {gateway.Id}); {seen.Count - missing.Length} of them in the trail; "
                + $"{records} records in the trail ({records - (seen.Count - missing.Length)} more: exchanges in flight at the kill, made durable but never answered); "
                + $"{chain.Records} records verified, {chain.Checkpoints} checkpoints, signed through {chain.LastSignedSequence}; "
                + $"{failedAfterKill} calls cut off by the kill; trail {(report.IsValid ? "intact" : "BROKEN: " + string.Join("; ", report.Problems))}"));

            Assert.True(seen.Count >= 100, $"only {seen.Count} exchanges were answered before the kill:\n{gateway.Output}");
            Assert.True(failedAfterKill > 0, "the kill cut no call off: it did not happen mid-run");
            Assert.Empty(missing);
            Assert.True(report.IsValid, string.Join("; ", report.Problems));
            Assert.Equal(records, chain.Records);
            Assert.Equal(records, chain.LastSignedSequence); // the restart signed what the crash left unsigned
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }

    private static GrpcChannel Channel(Uri address, DevelopmentPki pki)
    {
        var ca = pki.CaCertificate;
        var certificate = pki.ParticipantCertificate(TestParticipants.Hospital);
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                RemoteCertificateValidationCallback = (_, presented, _, _) =>
                    presented is System.Security.Cryptography.X509Certificates.X509Certificate2 server
                    && CertificateTrust.IsIssuedBy(server, ca, CertificateUsage.ServerAuthentication, out _),
            },
        };
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }
}
