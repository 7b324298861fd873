using Exchange.Contracts.Descriptors;
using Exchange.Contracts.Directory.V1;
using Exchange.Domain.Regions;
using Exchange.PartnerSim.Hosting;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace Exchange.PartnerSim.RegionDirectory;

/// <summary>A partner region's directory: it answers for itself (one participant, the services it serves).</summary>
internal sealed class RegionDirectoryService(PartnerRegionOptions options) : DirectoryService.DirectoryServiceBase
{
    public override Task<ListParticipantsResponse> ListParticipants(ListParticipantsRequest request, ServerCallContext context)
    {
        if (request.PageSize < 0)
        {
            throw Contracts.Validation.InvalidArgument.For("page_size", "must not be negative");
        }

        if (request.PageToken.Length > 0)
        {
            // There is only one page: any token is one this node never issued.
            throw Contracts.Validation.InvalidArgument.For("page_token", "was not issued by this node");
        }

        var name = RegionTable.Default.TryGet(options.RegionCode, out var region) ? region.Name : options.RegionCode;
        return Task.FromResult(new ListParticipantsResponse
        {
            Participants =
            {
                new Participant
                {
                    ParticipantId = $"region-{options.RegionCode}",
                    DisplayName = $"{name}数据交换平台",
                    RegionCode = options.RegionCode,
                    Kind = ParticipantKind.PartnerRegion,
                },
            },
        });
    }

    public override Task<ListServicesResponse> ListServices(ListServicesRequest request, ServerCallContext context)
    {
        var response = new ListServicesResponse();
        foreach (var service in ContractSet.Services.OrderBy(s => s.FullName, StringComparer.Ordinal))
        {
            var info = new ServiceInfo { FullName = service.FullName };
            info.Methods.Add(service.Methods.Select(Describe));
            response.Services.Add(info);
        }

        return Task.FromResult(response);
    }

    /// <summary>Describes a method from its descriptor and annotations.</summary>
    public static MethodInfo Describe(MethodDescriptor method)
    {
        var rules = Annotations.For(method);
        return new MethodInfo
        {
            Name = method.Name,
            Path = ContractSet.PathOf(method),
            Streaming = (method.IsClientStreaming, method.IsServerStreaming) switch
            {
                (false, false) => StreamingKind.Unary,
                (false, true) => StreamingKind.ServerStreaming,
                (true, false) => StreamingKind.ClientStreaming,
                _ => StreamingKind.BidiStreaming,
            },
            Idempotency = Annotations.IdempotencyOf(method) switch
            {
                MethodOptions.Types.IdempotencyLevel.NoSideEffects => Contracts.Directory.V1.Idempotency.NoSideEffects,
                MethodOptions.Types.IdempotencyLevel.Idempotent => Contracts.Directory.V1.Idempotency.Idempotent,
                _ => Contracts.Directory.V1.Idempotency.Unspecified,
            },
            RequiresRequestId = rules.RequestIdField.Length > 0,
            RequiresPurpose = rules.PurposeField.Length > 0,
            FanOut = rules.Routing?.FanOut is not null,
        };
    }
}
