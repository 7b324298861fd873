using Exchange.Contracts.Descriptors;
using Exchange.Contracts.Directory.V1;
using Exchange.Domain.Regions;
using Exchange.PartnerSim.Hosting;
using Grpc.Core;

namespace Exchange.PartnerSim.RegionDirectory;

/// <summary>
/// A partner region's directory: it answers for itself (one participant, the services it serves: every contract service
/// but the gateway-only ones, such as the audit trail, which it answers UNIMPLEMENTED).
/// </summary>
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

    public override Task<ListServicesResponse> ListServices(ListServicesRequest request, ServerCallContext context) =>
        Task.FromResult(new ListServicesResponse { Services = { MethodCatalogue.Services(ContractSet.PartnerServices) } });
}
