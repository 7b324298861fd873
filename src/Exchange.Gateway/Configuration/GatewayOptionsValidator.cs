using System.Globalization;
using Exchange.Contracts.Descriptors;
using Exchange.Contracts.V1;
using Exchange.Domain.Regions;

namespace Exchange.Gateway.Configuration;

/// <summary>
/// Checks the whole configuration before the gateway starts and reports every error at once, each naming the
/// offending entry (after YARP's ConfigValidator): an operator fixes a file in one pass, not one error per restart.
/// </summary>
public static class GatewayOptionsValidator
{
    // Stands in, during validation only, for the subject-hash key the sandbox makes when none is configured.
    private static readonly string SandboxKeyPlaceholder = Convert.ToBase64String(new byte[32]);

    /// <summary>Every error in <paramref name="options"/>; empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.NodeId))
        {
            errors.Add("NodeId: must be set");
        }

        CheckRegion(options.CountyRegion, "CountyRegion", errors);
        CheckListen(options, errors);
        CheckOutbound(options, errors);
        if (options.Limits.MaxRequestBytes <= 0 || options.Limits.MaxResponseBytes <= 0)
        {
            errors.Add("Limits: MaxRequestBytes and MaxResponseBytes must be positive");
        }

        CheckMetadataAllowList(options.MetadataAllowList, errors);
        CheckRegions(options, errors);
        CheckParticipants(options, errors);
        ResilienceOptionsValidator.Check(options, errors);
        CheckIdempotency(options, errors);
        CheckAudit(options, errors);
        if (!(options.Telemetry.TraceSampleRatio is >= 0 and <= 1))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Telemetry.TraceSampleRatio: {options.Telemetry.TraceSampleRatio} is not a share between 0 and 1"));
        }

        return errors;
    }

    /// <summary>Throws <see cref="GatewayConfigurationException"/> listing every error, if there is any.</summary>
    public static void ThrowIfInvalid(GatewayOptions options)
    {
        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new GatewayConfigurationException(errors);
        }
    }

    private static void CheckListen(GatewayOptions options, List<string> errors)
    {
        var listen = options.Listen;
        if (!System.Net.IPAddress.TryParse(listen.Address, out _))
        {
            errors.Add($"Listen.Address: '{listen.Address}' is not an IP address");
        }

        if (listen.Port is < 0 or > 65535)
        {
            errors.Add($"Listen.Port: {listen.Port} is not a port number");
        }

        if (listen.PlaintextPort != 0)
        {
            if (listen.PlaintextPort is < 0 or > 65535)
            {
                errors.Add($"Listen.PlaintextPort: {listen.PlaintextPort} is not a port number");
            }

            if (!System.Net.IPAddress.TryParse(listen.Address, out var address) || !System.Net.IPAddress.IsLoopback(address))
            {
                errors.Add("Listen.PlaintextPort: the plaintext endpoint is only offered on a loopback Listen.Address");
            }

            if (!options.Participants.Any(p => p.Id == listen.PlaintextParticipant))
            {
                errors.Add($"Listen.PlaintextParticipant: '{listen.PlaintextParticipant}' is not a configured participant");
            }
        }

        if (options.Sandbox.Enabled)
        {
            return; // the sandbox fills the certificate paths from its development PKI
        }

        CheckFile(listen.ServerCertificatePath, "Listen.ServerCertificatePath", errors);
        CheckFile(listen.ServerKeyPath, "Listen.ServerKeyPath", errors);
        CheckFile(listen.ClientCaPath, "Listen.ClientCaPath", errors);
    }

    private static void CheckOutbound(GatewayOptions options, List<string> errors)
    {
        var outbound = options.Outbound;
        if (outbound.DeadlineMargin < TimeSpan.Zero)
        {
            errors.Add("Outbound.DeadlineMargin: must not be negative");
        }

        if (outbound.DefaultTimeout <= TimeSpan.Zero)
        {
            errors.Add("Outbound.DefaultTimeout: must be positive");
        }

        if ((outbound.ClientCertificatePath is null) != (outbound.ClientKeyPath is null))
        {
            errors.Add("Outbound: ClientCertificatePath and ClientKeyPath must be set together");
        }

        if (options.Sandbox.Enabled)
        {
            return; // the sandbox fills the certificate paths from its development PKI
        }

        // Optional, but a path that is set must name a file: otherwise the start fails on loading it, after validation.
        CheckOptionalFile(outbound.ClientCertificatePath, "Outbound.ClientCertificatePath", errors);
        CheckOptionalFile(outbound.ClientKeyPath, "Outbound.ClientKeyPath", errors);
        CheckOptionalFile(outbound.TrustedCaPath, "Outbound.TrustedCaPath", errors);
    }

    private static void CheckRegions(GatewayOptions options, List<string> errors)
    {
        if (options.Regions.Length == 0)
        {
            errors.Add("Regions: at least one route is needed");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Regions.Length; i++)
        {
            var region = options.Regions[i];
            var name = $"Regions[{(region.Code.Length > 0 ? region.Code : i.ToString(System.Globalization.CultureInfo.InvariantCulture))}]";
            CheckRegion(region.Code, $"{name}.Code", errors);
            if (!seen.Add(region.Code))
            {
                errors.Add($"{name}: the region code is routed twice");
            }

            if (region.Endpoints.Length == 0 && !options.Sandbox.Enabled)
            {
                errors.Add($"{name}.Endpoints: at least one endpoint is needed");
            }

            foreach (var endpoint in region.Endpoints)
            {
                if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                {
                    errors.Add($"{name}.Endpoints: '{endpoint}' is not an http:// or https:// address");
                }
            }
        }

        // Only a valid code routes anything: an empty one would otherwise "cover" every code.
        if (!options.Regions.Any(r => RegionCode.IsValid(r.Code) && options.CountyRegion.StartsWith(RegionScope.PrefixOf(r.Code), StringComparison.Ordinal)))
        {
            errors.Add($"Regions: no route covers the county's own region {options.CountyRegion}");
        }
    }

    private static void CheckParticipants(GatewayOptions options, List<string> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Participants.Length; i++)
        {
            var participant = options.Participants[i];
            var name = $"Participants[{(participant.Id.Length > 0 ? participant.Id : i.ToString(System.Globalization.CultureInfo.InvariantCulture))}]";
            if (string.IsNullOrWhiteSpace(participant.Id))
            {
                errors.Add($"{name}.Id: must be set (the CN of its client certificate)");
            }
            else if (!seen.Add(participant.Id))
            {
                errors.Add($"{name}: the participant id is used twice");
            }

            CheckRegion(participant.Region, $"{name}.Region", errors);
            if (!Enum.IsDefined(participant.Clearance) || participant.Clearance == Sensitivity.Unspecified)
            {
                errors.Add($"{name}.Clearance: must be Public, Internal, Personal or SensitivePersonal");
            }

            foreach (var method in participant.Methods)
            {
                if (!MethodPattern.TryParse(method, out _, out var error))
                {
                    errors.Add($"{name}.Methods: '{method}' {error}");
                }
            }

            foreach (var target in participant.Targets.Where(t => t != "*"))
            {
                CheckRegion(target, $"{name}.Targets", errors);
            }

            if (participant.Purposes.Any(p => p == PurposeOfUse.Unspecified || !Enum.IsDefined(p)))
            {
                errors.Add($"{name}.Purposes: every purpose must be a defined PurposeOfUse other than Unspecified");
            }
        }
    }

    private static void CheckIdempotency(GatewayOptions options, List<string> errors)
    {
        var idempotency = options.Idempotency;
        switch (idempotency.Store)
        {
            case IdempotencyStoreKind.Sqlite:
                if (idempotency.SqlitePath is { } path && string.IsNullOrWhiteSpace(path))
                {
                    errors.Add("Idempotency.SqlitePath: must not be blank (leave it unset for gateway.db in the sandbox state directory)");
                }

                break;
            case IdempotencyStoreKind.Postgres:
                if (string.IsNullOrWhiteSpace(idempotency.PostgresConnectionString))
                {
                    errors.Add("Idempotency.PostgresConnectionString: must be set when Store is Postgres");
                }
                else if (!IsNpgsqlConnectionString(idempotency.PostgresConnectionString))
                {
                    // Not echoed: it may hold a password.
                    errors.Add("Idempotency.PostgresConnectionString: is not a valid Npgsql connection string");
                }

                if (!Storage.PostgresSchema.IsName(idempotency.PostgresSchema))
                {
                    errors.Add($"Idempotency.PostgresSchema: '{idempotency.PostgresSchema}' must be lower-case letters, digits and '_' (at most 63, not starting with a digit)");
                }

                break;
            default:
                errors.Add($"Idempotency.Store: '{idempotency.Store}' must be Sqlite or Postgres");
                break;
        }

        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        if (idempotency.LeaseDuration <= options.Outbound.DefaultTimeout)
        {
            errors.Add(string.Create(
                invariant,
                $"Idempotency.LeaseDuration: {idempotency.LeaseDuration:c} must be longer than Outbound.DefaultTimeout ({options.Outbound.DefaultTimeout:c}), the longest a forward may take"));
        }

        if (idempotency.Retention <= idempotency.LeaseDuration)
        {
            errors.Add(string.Create(
                invariant, $"Idempotency.Retention: {idempotency.Retention:c} must be longer than Idempotency.LeaseDuration ({idempotency.LeaseDuration:c})"));
        }

        if (idempotency.PurgeInterval <= TimeSpan.Zero)
        {
            errors.Add("Idempotency.PurgeInterval: must be positive");
        }
    }

    private static void CheckAudit(GatewayOptions options, List<string> errors)
    {
        var audit = Audit.AuditSetup.Resolve(options);
        if (options.Audit.NodeId is null && string.IsNullOrWhiteSpace(options.NodeId))
        {
            audit = audit with { NodeId = "node" }; // the chain is named after NodeId, whose absence is reported already
        }

        if (options.Sandbox.Enabled)
        {
            // The sandbox makes the keys it is not given (SandboxEnvironment), as it does the certificates.
            audit = audit with { SubjectHashKey = audit.SubjectHashKey ?? SandboxKeyPlaceholder, CheckpointKeyPath = audit.CheckpointKeyPath ?? "sandbox" };
        }

        errors.AddRange(audit.Validate());
        if (options.Audit.SqlitePath is { } path && string.IsNullOrWhiteSpace(path))
        {
            errors.Add("Audit.SqlitePath: must not be blank (leave it unset for audit.db in the sandbox state directory)");
        }

        if (audit.Store == Audit.AuditStoreKind.Postgres && !string.IsNullOrWhiteSpace(audit.PostgresConnectionString) && !IsNpgsqlConnectionString(audit.PostgresConnectionString))
        {
            // Not echoed: it may hold a password.
            errors.Add("Audit.PostgresConnectionString: is not a valid Npgsql connection string");
        }

        if (!options.Sandbox.Enabled && !string.IsNullOrWhiteSpace(audit.CheckpointKeyPath) && !File.Exists(audit.CheckpointKeyPath))
        {
            errors.Add($"Audit.CheckpointKeyPath: file '{audit.CheckpointKeyPath}' does not exist");
        }
    }

    private static bool IsNpgsqlConnectionString(string connectionString)
    {
        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void CheckMetadataAllowList(string[] allowList, List<string> errors)
    {
        // Credentials, transport headers and gRPC's own headers are never passed on to a partner, whatever the list says.
        string[] reserved = ["authorization", "cookie", "host", "te", "content-type", "user-agent", "traceparent", "tracestate"];
        foreach (var name in allowList)
        {
            var lower = name.ToLowerInvariant();
            if (lower.Length == 0 || lower.StartsWith(':') || lower.StartsWith("grpc-", StringComparison.Ordinal) || reserved.Contains(lower) || lower.EndsWith("-bin", StringComparison.Ordinal))
            {
                errors.Add($"MetadataAllowList: '{name}' may not be passed on (credentials, transport, gRPC or binary headers)");
            }
        }
    }

    private static void CheckRegion(string code, string name, List<string> errors)
    {
        if (!RegionCode.TryParse(code, out var error))
        {
            errors.Add($"{name}: '{code}' {error}");
        }
    }

    private static void CheckOptionalFile(string? path, string name, List<string> errors)
    {
        if (path is not null && !File.Exists(path))
        {
            errors.Add($"{name}: file '{path}' does not exist");
        }
    }

    private static void CheckFile(string? path, string name, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            errors.Add($"{name}: must be set");
        }
        else if (!File.Exists(path))
        {
            errors.Add($"{name}: file '{path}' does not exist");
        }
    }
}

/// <summary>The configuration is invalid; <see cref="Errors"/> lists every problem.</summary>
public sealed class GatewayConfigurationException(IReadOnlyList<string> errors)
    : Exception("invalid gateway configuration:\n  " + string.Join("\n  ", errors))
{
    /// <summary>Every problem found.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}
