using System.Collections;
using Exchange.Contracts.Descriptors;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Rpc;

namespace Exchange.Contracts.Validation;

/// <summary>
/// Validates a message against the exchange.v1 field annotations of its contract: required fields and formats,
/// recursively through nested and repeated messages. Field paths follow the proto names
/// ("visit.fee_items[2].amount.fen") as google.rpc.BadRequest expects.
/// </summary>
public static class MessageValidator
{
    /// <summary>Every violation in <paramref name="message"/>; empty when it is valid.</summary>
    public static IReadOnlyList<BadRequest.Types.FieldViolation> Validate(IMessage message)
    {
        var violations = new List<BadRequest.Types.FieldViolation>();
        Walk(message, prefix: "", violations);
        return violations;
    }

    private static void Walk(IMessage message, string prefix, List<BadRequest.Types.FieldViolation> violations)
    {
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var path = prefix + field.Name;
            var oneof = field.RealContainingOneof;
            if (oneof is not null && oneof.Accessor.GetCaseFieldDescriptor(message) != field)
            {
                continue; // another member of the oneof (or none) is set; required-ness of a oneof is the method's concern.
            }

            var rules = Annotations.For(field);
            var value = field.Accessor.GetValue(message);
            if (field.IsRepeated)
            {
                var list = (IList)value;
                if (rules.Required && list.Count == 0)
                {
                    violations.Add(Violation(path, "must have at least one element"));
                }

                for (var i = 0; i < list.Count; i++)
                {
                    CheckValue(field, rules, list[i], $"{path}[{i}]", violations);
                }
            }
            else
            {
                if (rules.Required && IsUnset(field, value))
                {
                    violations.Add(Violation(path, "must be set"));
                    continue;
                }

                CheckValue(field, rules, value, path, violations);
            }
        }
    }

    private static void CheckValue(FieldDescriptor field, V1.FieldRules rules, object? value, string path, List<BadRequest.Types.FieldViolation> violations)
    {
        switch (value)
        {
            case IMessage nested:
                Walk(nested, path + ".", violations);
                break;
            case string text when text.Length > 0 && rules.Format != V1.FieldFormat.Unspecified:
                AddIfInvalid(FieldFormats.Check(rules.Format, text), path, violations);
                break;
            case long number when field.FieldType is FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64:
                AddIfInvalid(FieldFormats.Check(rules.Format, number), path, violations);
                break;
        }
    }

    private static bool IsUnset(FieldDescriptor field, object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        ByteString b => b.IsEmpty,
        bool b => !b,
        int i => i == 0,
        long l => l == 0,
        uint u => u == 0,
        ulong u => u == 0,
        double d => d == 0,
        float f => f == 0,
        Enum e => Convert.ToInt32(e, System.Globalization.CultureInfo.InvariantCulture) == 0,
        _ => field.FieldType == FieldType.Message && value is null,
    };

    private static void AddIfInvalid(string? error, string path, List<BadRequest.Types.FieldViolation> violations)
    {
        if (error is not null)
        {
            violations.Add(Violation(path, error));
        }
    }

    private static BadRequest.Types.FieldViolation Violation(string path, string description) =>
        new() { Field = path, Description = description };
}
