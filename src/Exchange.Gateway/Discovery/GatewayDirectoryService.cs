using System.Globalization;
using Exchange.Contracts.Descriptors;
using Exchange.Contracts.Directory.V1;
using Exchange.Contracts.Validation;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Contracts;
using Exchange.Gateway.Security;
using DirectoryParticipant = Exchange.Contracts.Directory.V1.Participant;
using Grpc.Core;

namespace Exchange.Gateway.Discovery;

/// <summary>
/// The gateway's directory (X-Road's listClients and listMethods), answered from configuration and the contract set,
/// to configured participants whose policy names the directory's methods: who takes part is not for strangers.
/// </summary>
internal sealed class GatewayDirectoryService(GatewayOptions options, Admission admission, MethodPlanCatalog catalog) : DirectoryService.DirectoryServiceBase
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;

    public override Task<ListParticipantsResponse> ListParticipants(ListParticipantsRequest request, ServerCallContext context)
    {
        Admit(context);
        if (request.PageSize is < 0)
        {
            throw InvalidArgument.For("page_size", "must not be negative");
        }

        var size = request.PageSize == 0 ? DefaultPageSize : Math.Min(request.PageSize, MaxPageSize);
        var start = PageToken.Decode(request.PageToken);
        var all = options.Participants.OrderBy(p => p.Id, StringComparer.Ordinal).ToArray();
        if (start > all.Length)
        {
            throw InvalidArgument.For("page_token", "was not issued for this list");
        }

        var response = new ListParticipantsResponse();
        response.Participants.Add(all.Skip(start).Take(size).Select(p => new DirectoryParticipant
        {
            ParticipantId = p.Id,
            DisplayName = p.DisplayName,
            RegionCode = p.Region,
            Kind = p.Role switch
            {
                ParticipantRole.PartnerRegion => ParticipantKind.PartnerRegion,
                ParticipantRole.Auditor => ParticipantKind.Auditor,
                _ => ParticipantKind.CountySystem,
            },
        }));
        if (start + size < all.Length)
        {
            response.NextPageToken = PageToken.Encode(start + size);
        }

        return Task.FromResult(response);
    }

    public override Task<ListServicesResponse> ListServices(ListServicesRequest request, ServerCallContext context)
    {
        Admit(context);
        return Task.FromResult(new ListServicesResponse { Services = { MethodCatalogue.Services() } });
    }

    private void Admit(ServerCallContext context) =>
        admission.AdmitCaller(catalog.Find(context.Method) ?? throw Rejections.Unimplemented(context.Method), context);

    /// <summary>Opaque page tokens: the offset, so a token only makes sense for the list that issued it.</summary>
    private static class PageToken
    {
        private const string Prefix = "p1:";

        public static string Encode(int offset) =>
            Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(Prefix + offset.ToString(CultureInfo.InvariantCulture)));

        public static int Decode(string token)
        {
            if (token.Length == 0)
            {
                return 0;
            }

            try
            {
                var text = System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(token));
                if (text.StartsWith(Prefix, StringComparison.Ordinal)
                    && int.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
                {
                    return offset;
                }
            }
            catch (FormatException)
            {
            }

            throw InvalidArgument.For("page_token", "was not issued by this gateway");
        }
    }
}
