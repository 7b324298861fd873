using Exchange.Gateway.Tests.Infrastructure;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace Exchange.Gateway.Tests.Discovery;

/// <summary>The standard gRPC health and reflection services on the gateway's mTLS endpoint.</summary>
public sealed class HealthAndReflectionTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayEnvironment Environment => fixture.Environment;

    [Fact]
    public async Task HealthCheck_OverallStatus_IsServing()
    {
        var health = new Health.HealthClient(Environment.ChannelFor(TestParticipants.Hospital));

        var answer = await health.CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, answer.Status);
    }

    [Fact]
    public async Task HealthCheck_ServiceWithoutHealthMapping_IsNotFound()
    {
        var health = new Health.HealthClient(Environment.ChannelFor(TestParticipants.Hospital));

        var e = await Assert.ThrowsAsync<RpcException>(async () =>
            await health.CheckAsync(new HealthCheckRequest { Service = "exchange.medical.v1.NoSuchService" }));

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
    }

    [Fact]
    public async Task Reflection_ListServices_NamesTheExchangeServicesAuditHealthAndReflection()
    {
        var response = await ReflectAsync(new ServerReflectionRequest { ListServices = "" });

        Assert.Equal(
            [
                "exchange.archive.v1.ArchiveService",
                "exchange.audit.v1.AuditService",
                "exchange.credit.v1.CreditService",
                "exchange.directory.v1.DirectoryService",
                "exchange.medical.v1.CrossRegionSettlementService",
                "exchange.socialsecurity.v1.SocialSecurityCardService",
                "grpc.health.v1.Health",
                "grpc.reflection.v1alpha.ServerReflection",
            ],
            response.ListServicesResponse.Service.Select(s => s.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Reflection_FileContainingService_DescribesItsMethodsAndAnnotationsImport()
    {
        // What grpcurl and integrators' tools need to call the gateway without the protos at hand.
        var response = await ReflectAsync(new ServerReflectionRequest { FileContainingSymbol = "exchange.medical.v1.CrossRegionSettlementService" });

        var files = response.FileDescriptorResponse.FileDescriptorProto.Select(FileDescriptorProto.Parser.ParseFrom).ToArray();
        var settlement = files.Single(f => f.Name == "exchange/medical/v1/settlement.proto");
        Assert.Contains("exchange/v1/annotations.proto", settlement.Dependency);
        Assert.Equal(8, settlement.Service.Single(s => s.Name == "CrossRegionSettlementService").Method.Count);
    }

    [Fact]
    public async Task Reflection_UnknownSymbol_IsNotFound()
    {
        var response = await ReflectAsync(new ServerReflectionRequest { FileContainingSymbol = "exchange.sim.v1.SimulatorControl" });

        Assert.Equal((int)StatusCode.NotFound, response.ErrorResponse.ErrorCode);
    }

    private async Task<ServerReflectionResponse> ReflectAsync(ServerReflectionRequest request)
    {
        var client = new ServerReflection.ServerReflectionClient(Environment.ChannelFor(TestParticipants.Hospital));
        using var call = client.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(request);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var response = call.ResponseStream.Current;
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        return response;
    }
}
