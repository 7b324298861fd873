using System.Collections.Concurrent;
using Exchange.Contracts.V1;
using Google.Protobuf.Reflection;

namespace Exchange.Contracts.Descriptors;

/// <summary>
/// Reads the exchange.v1 custom options from descriptors. Read once per descriptor and kept: Google.Protobuf clones
/// a descriptor's options on every <c>GetOptions()</c>, and the request path asks for them on every exchange. The
/// rules returned are shared; callers only read them.
/// </summary>
public static class Annotations
{
    private static readonly FieldRules NoFieldRules = new();
    private static readonly MethodRules NoMethodRules = new();
    private static readonly ConcurrentDictionary<FieldDescriptor, FieldRules> FieldRulesRead = new();
    private static readonly ConcurrentDictionary<MethodDescriptor, MethodRules> MethodRulesRead = new();

    /// <summary>The field's rules, or empty rules when it has none.</summary>
    public static FieldRules For(FieldDescriptor field) =>
        FieldRulesRead.GetOrAdd(field, static f => f.GetOptions()?.GetExtension(AnnotationsExtensions.Field) ?? NoFieldRules);

    /// <summary>The method's rules, or empty rules when it has none.</summary>
    public static MethodRules For(MethodDescriptor method) =>
        MethodRulesRead.GetOrAdd(method, static m => m.GetOptions()?.GetExtension(AnnotationsExtensions.Method) ?? NoMethodRules);

    /// <summary>The method's standard idempotency_level option.</summary>
    public static MethodOptions.Types.IdempotencyLevel IdempotencyOf(MethodDescriptor method) =>
        method.GetOptions()?.IdempotencyLevel ?? MethodOptions.Types.IdempotencyLevel.IdempotencyUnknown;
}
