using System.Collections;
using System.Collections.Concurrent;
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
/// <remarks>
/// Every request the gateway forwards passes through here, so the annotations are read once per message type into a
/// <see cref="MessageRules"/> (reading a field's options clones them) and only the fields that carry a rule, or lead
/// to a message that does, are visited. A field path is spelled out only for a violation.
/// </remarks>
public static class MessageValidator
{
    private static readonly ConcurrentDictionary<MessageDescriptor, MessageRules> RulesByType = new();

    /// <summary>Every violation in <paramref name="message"/>; empty when it is valid.</summary>
    public static IReadOnlyList<BadRequest.Types.FieldViolation> Validate(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var walk = new Walker();
        walk.Message(message, RulesOf(message.Descriptor));
        return walk.Violations ?? (IReadOnlyList<BadRequest.Types.FieldViolation>)[];
    }

    private static MessageRules RulesOf(MessageDescriptor descriptor) =>
        RulesByType.TryGetValue(descriptor, out var rules) ? rules : Compile(descriptor);

    private static MessageRules Compile(MessageDescriptor descriptor)
    {
        // Built depth first with the types on the way down, so a recursive type (a message that contains itself)
        // refers to its own, still filling, rules instead of recursing forever.
        var building = new Dictionary<MessageDescriptor, MessageRules>();
        Build(descriptor, building);
        Prune(building.Values);
        foreach (var (type, built) in building)
        {
            RulesByType.TryAdd(type, built);
        }

        return RulesByType[descriptor];
    }

    /// <summary>Drops fields that only lead to message types with nothing to check, until none is left.</summary>
    private static void Prune(IEnumerable<MessageRules> types)
    {
        bool changed;
        do
        {
            changed = false;
            foreach (var rules in types)
            {
                var kept = Array.FindAll(rules.Fields, c => c.Required || c.Format != V1.FieldFormat.Unspecified || c.Nested is not { Fields.Length: 0 });
                if (kept.Length != rules.Fields.Length)
                {
                    rules.Fields = kept;
                    changed = true;
                }
            }
        }
        while (changed);
    }

    private static MessageRules Build(MessageDescriptor descriptor, Dictionary<MessageDescriptor, MessageRules> building)
    {
        if (RulesByType.TryGetValue(descriptor, out var known) || building.TryGetValue(descriptor, out known))
        {
            return known;
        }

        var rules = new MessageRules();
        building.Add(descriptor, rules);
        var checks = new List<FieldCheck>();
        foreach (var field in descriptor.Fields.InDeclarationOrder())
        {
            var annotation = Annotations.For(field);
            var nested = field.FieldType == FieldType.Message ? Build(field.MessageType, building) : null;
            var hasRule = annotation.Required || annotation.Format != V1.FieldFormat.Unspecified;
            if (hasRule || nested is not null)
            {
                checks.Add(new FieldCheck(field, annotation, nested));
            }
        }

        rules.Fields = [.. checks];
        return rules;
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

    /// <summary>The checks of one message type: its fields with a rule or leading to a message type.</summary>
    private sealed class MessageRules
    {
        public FieldCheck[] Fields { get; set; } = [];
    }

    private sealed record FieldCheck(FieldDescriptor Field, V1.FieldRules Rules, MessageRules? Nested)
    {
        public bool Required => Rules.Required;

        public V1.FieldFormat Format => Rules.Format;

        public bool IsInt64 { get; } = Field.FieldType is FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64;
    }

    /// <summary>One validation: the path to the field being checked (names and indexes) and the violations found.</summary>
    private sealed class Walker
    {
        private readonly List<(string Name, int Index)> _path = [];

        public List<BadRequest.Types.FieldViolation>? Violations { get; private set; }

        public void Message(IMessage message, MessageRules rules)
        {
            foreach (var check in rules.Fields)
            {
                var field = check.Field;
                var oneof = field.RealContainingOneof;
                if (oneof is not null && oneof.Accessor.GetCaseFieldDescriptor(message) != field)
                {
                    continue; // another member of the oneof (or none) is set; required-ness of a oneof is the method's concern.
                }

                var value = field.Accessor.GetValue(message);
                if (field.IsRepeated)
                {
                    var list = (IList)value;
                    if (check.Required && list.Count == 0)
                    {
                        Add(field.Name, -1, "must have at least one element");
                    }

                    for (var i = 0; i < list.Count; i++)
                    {
                        Value(check, list[i], field.Name, i);
                    }
                }
                else if (check.Required && IsUnset(field, value))
                {
                    Add(field.Name, -1, "must be set");
                }
                else
                {
                    Value(check, value, field.Name, -1);
                }
            }
        }

        private void Value(FieldCheck check, object? value, string name, int index)
        {
            switch (value)
            {
                case IMessage nested when check.Nested is { } nestedRules:
                    _path.Add((name, index));
                    Message(nested, nestedRules);
                    _path.RemoveAt(_path.Count - 1);
                    break;
                case string text when text.Length > 0 && check.Format != V1.FieldFormat.Unspecified:
                    AddIfInvalid(FieldFormats.Check(check.Format, text), name, index);
                    break;
                case long number when check.IsInt64:
                    AddIfInvalid(FieldFormats.Check(check.Format, number), name, index);
                    break;
            }
        }

        private void AddIfInvalid(string? error, string name, int index)
        {
            if (error is not null)
            {
                Add(name, index, error);
            }
        }

        private void Add(string name, int index, string description)
        {
            var path = new System.Text.StringBuilder();
            foreach (var (parent, parentIndex) in _path)
            {
                Append(path, parent, parentIndex).Append('.');
            }

            Append(path, name, index);
            (Violations ??= []).Add(new BadRequest.Types.FieldViolation { Field = path.ToString(), Description = description });
        }

        private static System.Text.StringBuilder Append(System.Text.StringBuilder path, string name, int index) =>
            index < 0 ? path.Append(name) : path.Append(name).Append('[').Append(index).Append(']');
    }
}
