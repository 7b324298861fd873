using Exchange.Contracts.Sim.V1;
using Exchange.PartnerSim.Faults;
using Exchange.PartnerSim.Hosting;
using Exchange.PartnerSim.Medical;
using Exchange.PartnerSim.Observation;
using Grpc.Core;
using ControlServiceBase = Exchange.Contracts.Sim.V1.SimulatorControlService.SimulatorControlServiceBase;

namespace Exchange.PartnerSim.Control;

/// <summary>Changes faults at run time and reports what the simulator saw.</summary>
internal sealed class SimulatorControlService(
    PartnerRegionOptions options, FaultInjection faults, CallStatistics statistics, IServiceProvider services) : ControlServiceBase
{
    public override Task<GetFaultsResponse> GetFaults(GetFaultsRequest request, ServerCallContext context) =>
        Task.FromResult(new GetFaultsResponse { Faults = faults.Current.Clone() });

    public override Task<SetFaultsResponse> SetFaults(SetFaultsRequest request, ServerCallContext context)
    {
        try
        {
            faults.Set(request.Faults ?? new FaultSettings());
        }
        catch (ArgumentException e)
        {
            throw Contracts.Validation.InvalidArgument.For("faults", e.Message.Split(" (Parameter", 2)[0]);
        }

        return Task.FromResult(new SetFaultsResponse { Faults = faults.Current.Clone() });
    }

    public override Task<GetStatsResponse> GetStats(GetStatsRequest request, ServerCallContext context)
    {
        var response = new GetStatsResponse
        {
            RegionCode = options.RegionCode,
            SettlementCount = services.GetService<ISettlementCounter>()?.SettlementCount ?? 0,
        };
        response.Methods.Add(statistics.Snapshot());
        return Task.FromResult(response);
    }

    public override Task<ResetStatsResponse> ResetStats(ResetStatsRequest request, ServerCallContext context)
    {
        statistics.Reset();
        return Task.FromResult(new ResetStatsResponse());
    }
}
