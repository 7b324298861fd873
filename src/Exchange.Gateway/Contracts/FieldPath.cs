using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Exchange.Gateway.Contracts;

/// <summary>A resolved dotted field path ("visit.citizen_id") of a message type, read without string lookups.</summary>
internal sealed class FieldPath
{
    private readonly FieldDescriptor[] _fields;

    private FieldPath(string text, FieldDescriptor[] fields)
    {
        Text = text;
        _fields = fields;
    }

    /// <summary>The path as written in the annotation.</summary>
    public string Text { get; }

    /// <summary>The last field of the path.</summary>
    public FieldDescriptor Leaf => _fields[^1];

    /// <summary>Resolves <paramref name="path"/> against <paramref name="message"/>; throws naming the missing part.</summary>
    public static FieldPath Resolve(MessageDescriptor message, string path)
    {
        var fields = new List<FieldDescriptor>();
        var current = message;
        foreach (var part in path.Split('.'))
        {
            if (current is null)
            {
                throw new InvalidOperationException($"{message.FullName}: '{path}' goes through a field that is not a message");
            }

            var field = current.FindFieldByName(part) ?? throw new InvalidOperationException($"{message.FullName}: '{path}' names no field '{part}'");
            fields.Add(field);
            current = field.FieldType == FieldType.Message ? field.MessageType : null;
        }

        return new FieldPath(path, [.. fields]);
    }

    /// <summary>The value at the path, or null when a message on the way is unset.</summary>
    public object? GetValue(IMessage message)
    {
        object? value = message;
        foreach (var field in _fields)
        {
            if (value is not IMessage current)
            {
                return null;
            }

            value = field.Accessor.GetValue(current);
        }

        return value;
    }

    /// <summary>The string at the path, or "" when unset.</summary>
    public string GetString(IMessage message) => GetValue(message) as string ?? "";
}
