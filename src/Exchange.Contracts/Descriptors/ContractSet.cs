using Exchange.Contracts.Archive.V1;
using Exchange.Contracts.Audit.V1;
using Exchange.Contracts.Credit.V1;
using Exchange.Contracts.Directory.V1;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.SocialSecurity.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Exchange.Contracts.Descriptors;

/// <summary>
/// The exchange contract set: the proto files whose services the gateway serves and forwards, and those it answers
/// itself (the directory, the audit trail). The simulator's control contract (exchange.sim.v1) is deliberately not
/// part of it.
/// </summary>
public static class ContractSet
{
    /// <summary>The proto files that define exchange services, in declaration order.</summary>
    public static IReadOnlyList<FileDescriptor> ServiceFiles { get; } =
    [
        SettlementReflection.Descriptor,
        CardReflection.Descriptor,
        CreditReflection.Descriptor,
        ArchiveReflection.Descriptor,
        DirectoryReflection.Descriptor,
        AuditReflection.Descriptor,
    ];

    /// <summary>Every service of the contract set.</summary>
    public static IReadOnlyList<ServiceDescriptor> Services { get; } =
        ServiceFiles.SelectMany(f => f.Services).ToArray();

    /// <summary>
    /// Services only a gateway answers, from its own state: the audit trail. A partner region neither serves nor lists
    /// them.
    /// </summary>
    public static IReadOnlyList<ServiceDescriptor> GatewayOnlyServices { get; } = [.. AuditReflection.Descriptor.Services];

    /// <summary>The services a partner region serves (and its directory lists): every service but <see cref="GatewayOnlyServices"/>.</summary>
    public static IReadOnlyList<ServiceDescriptor> PartnerServices { get; } = [.. Services.Except(GatewayOnlyServices)];

    /// <summary>Every method of the contract set, keyed by its gRPC path ("/package.Service/Method").</summary>
    public static IReadOnlyDictionary<string, MethodDescriptor> MethodsByPath { get; } =
        Services.SelectMany(s => s.Methods).ToDictionary(PathOf, StringComparer.Ordinal);

    /// <summary>The gRPC path of a method: "/package.Service/Method".</summary>
    public static string PathOf(MethodDescriptor method) => $"/{method.Service.FullName}/{method.Name}";

    /// <summary>
    /// The contract set and all its imports as a <c>google.protobuf.FileDescriptorSet</c>, dependencies
    /// first, for reflection services and for integrators' code generators.
    /// </summary>
    public static FileDescriptorSet ToFileDescriptorSet() => ToFileDescriptorSet(ServiceFiles);

    /// <summary>The given files and all their imports as a descriptor set, dependencies first.</summary>
    public static FileDescriptorSet ToFileDescriptorSet(IEnumerable<FileDescriptor> files)
    {
        var ordered = new List<FileDescriptor>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            AddWithDependencies(file, ordered, seen);
        }

        var set = new FileDescriptorSet();
        set.File.AddRange(ordered.Select(f => FileDescriptorProto.Parser.ParseFrom(f.SerializedData)));
        return set;
    }

    private static void AddWithDependencies(FileDescriptor file, List<FileDescriptor> ordered, HashSet<string> seen)
    {
        if (!seen.Add(file.Name))
        {
            return;
        }

        foreach (var dependency in file.Dependencies)
        {
            AddWithDependencies(dependency, ordered, seen);
        }

        ordered.Add(file);
    }
}
