using Exchange.Contracts.Descriptors;
using Exchange.Contracts.V1;
using Google.Protobuf.Reflection;

namespace Exchange.Contracts.Tests.Descriptors;

/// <summary>
/// The annotations are the gateway's only source of domain knowledge, so a mistake in them is a mistake in the
/// gateway. These tests hold every method and field of the contract set to the rules annotations.proto states.
/// </summary>
public sealed class ContractRulesTests
{
    public static TheoryData<string> MethodPaths() => new(ContractSet.MethodsByPath.Keys.Order(StringComparer.Ordinal));

    [Fact]
    public void ContractSet_HasTheSixServicesAndTheirMethods()
    {
        var counts = ContractSet.Services.ToDictionary(s => s.FullName, s => s.Methods.Count);

        Assert.Equal(
            new Dictionary<string, int>
            {
                ["exchange.medical.v1.CrossRegionSettlementService"] = 8,
                ["exchange.socialsecurity.v1.SocialSecurityCardService"] = 6,
                ["exchange.credit.v1.CreditService"] = 4,
                ["exchange.archive.v1.ArchiveService"] = 5,
                ["exchange.directory.v1.DirectoryService"] = 2,
                ["exchange.audit.v1.AuditService"] = 2,
            },
            counts);
        Assert.DoesNotContain(ContractSet.Services, s => s.FullName.StartsWith("exchange.sim.", StringComparison.Ordinal));
    }

    [Fact]
    public void AuditService_IsGatewayOnly_AndPartnersServeEveryOtherService()
    {
        Assert.Equal(["exchange.audit.v1.AuditService"], ContractSet.GatewayOnlyServices.Select(s => s.FullName));
        Assert.Equal(
            ContractSet.Services.Select(s => s.FullName).Where(name => name != "exchange.audit.v1.AuditService"),
            ContractSet.PartnerServices.Select(s => s.FullName));
    }

    [Theory]
    [MemberData(nameof(MethodPaths))]
    public void EveryMethod_SetsIdempotencyLevelExplicitly(string path)
    {
        var method = ContractSet.MethodsByPath[path];

        Assert.True(method.GetOptions()?.HasIdempotencyLevel, $"{path} does not set idempotency_level");
    }

    [Theory]
    [MemberData(nameof(MethodPaths))]
    public void SideEffectingMethods_CarryARequestId_AndOthersDoNot(string path)
    {
        var method = ContractSet.MethodsByPath[path];
        var rules = Annotations.For(method);
        var sideEffects = Annotations.IdempotencyOf(method) != MethodOptions.Types.IdempotencyLevel.NoSideEffects;

        if (!sideEffects)
        {
            Assert.Empty(rules.RequestIdField);
            return;
        }

        var field = method.InputType.FindFieldByName(rules.RequestIdField);
        Assert.NotNull(field);
        Assert.Equal(FieldType.String, field!.FieldType);
        Assert.Contains(Annotations.For(field).Format, new[] { FieldFormat.RequestId, FieldFormat.MedicalMessageId });
        Assert.True(Annotations.For(field).Required, $"{path}: {field.Name} must be required");
    }

    [Theory]
    [MemberData(nameof(MethodPaths))]
    public void RoutedMethods_NameARegionCodeField_FanOutMethodsNameRepeatedFields(string path)
    {
        var method = ContractSet.MethodsByPath[path];
        var routing = Annotations.For(method).Routing;
        if (method.Service.FullName is "exchange.directory.v1.DirectoryService" or "exchange.audit.v1.AuditService")
        {
            Assert.Null(routing); // answered by the node itself
            return;
        }

        Assert.NotNull(routing);
        if (routing!.TargetCase == Routing.TargetOneofCase.RegionField)
        {
            var field = FieldAt(method.InputType, routing.RegionField);
            Assert.Equal(FieldFormat.RegionCode, Annotations.For(field).Format);
            // A client-streaming method reads the region from its first message, where the service checks it.
            Assert.True(method.IsClientStreaming || Annotations.For(field).Required, $"{path}: routing field must be required");
            return;
        }

        Assert.Equal(Routing.TargetOneofCase.FanOut, routing.TargetCase);
        var merged = method.OutputType.FindFieldByName(routing.FanOut.MergeField);
        Assert.True(merged is { IsRepeated: true }, $"{path}: merge field must be repeated");
        var statuses = method.OutputType.FindFieldByName(routing.FanOut.RegionStatusField);
        Assert.True(statuses is { IsRepeated: true }, $"{path}: region status field must be repeated");
        Assert.Equal(RegionStatus.Descriptor, statuses!.MessageType);
    }

    [Theory]
    [MemberData(nameof(MethodPaths))]
    public void MethodsTouchingPersonalData_RequireAPurpose(string path)
    {
        var method = ContractSet.MethodsByPath[path];
        var rules = Annotations.For(method);
        var personal = CarriesPersonalData(method.InputType, []) && !method.IsClientStreaming;

        if (rules.PurposeField.Length == 0)
        {
            Assert.False(personal, $"{path} carries personal data but names no purpose field");
            return;
        }

        var field = method.InputType.FindFieldByName(rules.PurposeField);
        Assert.NotNull(field);
        Assert.Equal("exchange.v1.PurposeOfUse", field!.EnumType?.FullName);
    }

    [Fact]
    public void FileDescriptorSet_ListsDependenciesBeforeDependents()
    {
        var set = ContractSet.ToFileDescriptorSet();
        var names = set.File.Select(f => f.Name).ToList();

        Assert.Contains("google/protobuf/descriptor.proto", names);
        foreach (var file in set.File)
        {
            foreach (var dependency in file.Dependency)
            {
                Assert.True(names.IndexOf(dependency) < names.IndexOf(file.Name), $"{dependency} must precede {file.Name}");
            }
        }

        Assert.Equal(names.Count, names.Distinct().Count());
    }

    private static FieldDescriptor FieldAt(MessageDescriptor message, string dottedPath)
    {
        var parts = dottedPath.Split('.');
        var field = message.FindFieldByName(parts[0]) ?? throw new InvalidOperationException($"{message.FullName} has no field {parts[0]}");
        return parts.Length == 1 ? field : FieldAt(field.MessageType, string.Join('.', parts[1..]));
    }

    private static bool CarriesPersonalData(MessageDescriptor message, HashSet<string> visited)
    {
        if (!visited.Add(message.FullName))
        {
            return false;
        }

        return message.Fields.InDeclarationOrder().Any(f =>
            Annotations.For(f).Sensitivity >= Sensitivity.Personal
            || (f.FieldType == FieldType.Message && CarriesPersonalData(f.MessageType, visited)));
    }
}
