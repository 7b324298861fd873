namespace Exchange.PartnerSim.Observation;

/// <summary>Tells exchange calls from calls to the simulator's own control service.</summary>
internal static class SimulatorPaths
{
    private const string ControlPrefix = "/exchange.sim.";

    /// <summary>True for a call to the control service, which faults, validation and statistics leave alone.</summary>
    public static bool IsControl(string method) => method.StartsWith(ControlPrefix, StringComparison.Ordinal);
}
