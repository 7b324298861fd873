using Exchange.Gateway.Audit;

namespace Exchange.Gateway.Configuration;

/// <summary>
/// The gateway's configuration (section "Exchange"): who may call, where each region is, and how the gateway listens
/// and calls out. Validated at start by <see cref="GatewayOptionsValidator"/>, which lists every error at once.
/// </summary>
public sealed record GatewayOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Exchange";

    /// <summary>Name of this gateway node in traces and audit records (its audit chain, unless Audit.NodeId says otherwise). Default "gateway-1".</summary>
    public string NodeId { get; init; } = "gateway-1";

    /// <summary>GB/T 2260 code of the county this gateway serves. Default 341021 (She County).</summary>
    public string CountyRegion { get; init; } = "341021";

    /// <summary>Where and how the gateway listens.</summary>
    public ListenOptions Listen { get; init; } = new();

    /// <summary>How the gateway calls regions.</summary>
    public OutboundOptions Outbound { get; init; } = new();

    /// <summary>Message size limits.</summary>
    public LimitOptions Limits { get; init; } = new();

    /// <summary>Request metadata (headers) passed on to partners besides W3C trace context; everything else is dropped.</summary>
    public string[] MetadataAllowList { get; init; } = ["x-request-source", "accept-language"];

    /// <summary>The systems and platforms allowed to call, each named by its client certificate.</summary>
    public ParticipantOptions[] Participants { get; init; } = [];

    /// <summary>Routes: one per region code (the county's own systems included); longest prefix wins.</summary>
    public RegionOptions[] Regions { get; init; } = [];

    /// <summary>The embedded sandbox: simulated regions in-process and a development PKI.</summary>
    public SandboxOptions Sandbox { get; init; } = new();

    /// <summary>Timeouts, retries, circuit breakers, hedging, bulkheads and rate limits of the request path.</summary>
    public ResilienceOptions Resilience { get; init; } = new();

    /// <summary>Exactly-once treatment of side-effecting methods: the idempotency store.</summary>
    public IdempotencyOptions Idempotency { get; init; } = new();

    /// <summary>
    /// The tamper-evident audit trail (section "Exchange:Audit"): store, keys, group commit, checkpoints, retention.
    /// Unset paths and node id are filled from the state directory and <see cref="NodeId"/>; the sandbox makes the keys.
    /// </summary>
    public AuditOptions Audit { get; init; } = new();

    /// <summary>Traces and metrics (section "Exchange:Telemetry").</summary>
    public TelemetryOptions Telemetry { get; init; } = new();
}

/// <summary>How the gateway traces exchanges.</summary>
public sealed record TelemetryOptions
{
    /// <summary>
    /// Share of the exchanges that start a trace at the gateway (no sampled caller context) whose spans are recorded,
    /// 0 to 1. Default 0.1. An exchange whose caller sent a sampled W3C trace context is always recorded, and an
    /// unsampled one never (parent-based), so a partner that traces a call sees the gateway's spans in it.
    /// </summary>
    public double TraceSampleRatio { get; init; } = 0.1;
}

/// <summary>Where and how the gateway listens.</summary>
public sealed record ListenOptions
{
    /// <summary>Address to listen on. Default 127.0.0.1.</summary>
    public string Address { get; init; } = "127.0.0.1";

    /// <summary>Port of the mTLS endpoint. Default 7443.</summary>
    public int Port { get; init; } = 7443;

    /// <summary>PEM server certificate (with <see cref="ServerKeyPath"/>); filled from the development PKI in the sandbox.</summary>
    public string? ServerCertificatePath { get; init; }

    /// <summary>PEM private key of the server certificate.</summary>
    public string? ServerKeyPath { get; init; }

    /// <summary>PEM CA certificate that issues participants' client certificates.</summary>
    public string? ClientCaPath { get; init; }

    /// <summary>
    /// Port of an optional plaintext HTTP/2 (h2c) endpoint on a loopback address, for a co-located caller that
    /// cannot present a certificate (a TLS-terminating sidecar, a load generator). Every call on it acts as
    /// <see cref="PlaintextParticipant"/>. Default 0: off.
    /// </summary>
    public int PlaintextPort { get; init; }

    /// <summary>The participant every call on the plaintext endpoint acts as; required when it is on.</summary>
    public string? PlaintextParticipant { get; init; }
}

/// <summary>How the gateway calls regions.</summary>
public sealed record OutboundOptions
{
    /// <summary>PEM client certificate the gateway presents to partner endpoints over TLS (optional).</summary>
    public string? ClientCertificatePath { get; init; }

    /// <summary>PEM private key of the client certificate.</summary>
    public string? ClientKeyPath { get; init; }

    /// <summary>PEM CA certificate that issues partner endpoints' server certificates (https endpoints).</summary>
    public string? TrustedCaPath { get; init; }

    /// <summary>
    /// Taken off the caller's deadline before it is passed on, so the gateway still has time to answer (and audit)
    /// when the partner uses all of it: the answer still has to be audited durably and sent. Default 200 ms (50 ms
    /// proved too tight under load on two cores: answers reached callers after their deadline).
    /// </summary>
    public TimeSpan DeadlineMargin { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Deadline given to a partner when the caller set none. Default 30 s.</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>Message size limits, checked before anything is parsed or forwarded.</summary>
public sealed record LimitOptions
{
    /// <summary>Largest request message accepted, in bytes. Default 1 MiB.</summary>
    public int MaxRequestBytes { get; init; } = 1024 * 1024;

    /// <summary>Largest response message accepted from a partner, in bytes. Default 4 MiB.</summary>
    public int MaxResponseBytes { get; init; } = 4 * 1024 * 1024;
}

/// <summary>The embedded sandbox.</summary>
public sealed record SandboxOptions
{
    /// <summary>True to run simulated regions in-process for every region without endpoints. Default false (set in appsettings.json).</summary>
    public bool Enabled { get; init; }

    /// <summary>Directory for the sandbox's state (development PKI, databases). Default ".exchange".</summary>
    public string StateDirectory { get; init; } = ".exchange";

    /// <summary>Duration of each archive search step in the simulated regions. Default 1 s.</summary>
    public TimeSpan ArchiveSearchDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Population seed of the simulated regions (the CLI demo uses the same). Default 2260.</summary>
    public int Seed { get; init; } = 2260;
}
