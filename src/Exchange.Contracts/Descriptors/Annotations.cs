using Exchange.Contracts.V1;
using Google.Protobuf.Reflection;

namespace Exchange.Contracts.Descriptors;

/// <summary>Reads the exchange.v1 custom options from descriptors.</summary>
public static class Annotations
{
    private static readonly FieldRules NoFieldRules = new();
    private static readonly MethodRules NoMethodRules = new();

    /// <summary>The field's rules, or empty rules when it has none.</summary>
    public static FieldRules For(FieldDescriptor field) =>
        field.GetOptions()?.GetExtension(AnnotationsExtensions.Field) ?? NoFieldRules;

    /// <summary>The method's rules, or empty rules when it has none.</summary>
    public static MethodRules For(MethodDescriptor method) =>
        method.GetOptions()?.GetExtension(AnnotationsExtensions.Method) ?? NoMethodRules;

    /// <summary>The method's standard idempotency_level option.</summary>
    public static MethodOptions.Types.IdempotencyLevel IdempotencyOf(MethodDescriptor method) =>
        method.GetOptions()?.IdempotencyLevel ?? MethodOptions.Types.IdempotencyLevel.IdempotencyUnknown;
}
