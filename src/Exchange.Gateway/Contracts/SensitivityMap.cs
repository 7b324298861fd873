using Exchange.Contracts.Descriptors;
using Exchange.Contracts.V1;
using Google.Protobuf.Reflection;

namespace Exchange.Gateway.Contracts;

/// <summary>Reads the sensitivity and subject annotations of message types, recursively.</summary>
internal static class SensitivityMap
{
    /// <summary>The effective sensitivity of a field: unannotated fields are public.</summary>
    public static Sensitivity Of(FieldDescriptor field)
    {
        var level = Annotations.For(field).Sensitivity;
        return level == Sensitivity.Unspecified ? Sensitivity.Public : level;
    }

    /// <summary>True if <paramref name="message"/> has, at any depth, a field more sensitive than <paramref name="clearance"/>.</summary>
    public static bool HasFieldAbove(MessageDescriptor message, Sensitivity clearance) =>
        HasFieldAbove(message, clearance, []);

    /// <summary>Dotted paths of the request fields that identify the data subject, at any depth.</summary>
    public static IReadOnlyList<string> SubjectFieldsOf(MessageDescriptor message)
    {
        var paths = new List<string>();
        Collect(message, "", paths, []);
        return paths;
    }

    private static bool HasFieldAbove(MessageDescriptor message, Sensitivity clearance, HashSet<string> visiting)
    {
        if (!visiting.Add(message.FullName))
        {
            return false;
        }

        var found = message.Fields.InDeclarationOrder().Any(f =>
            Of(f) > clearance || (f.FieldType == FieldType.Message && HasFieldAbove(f.MessageType, clearance, visiting)));
        visiting.Remove(message.FullName);
        return found;
    }

    private static void Collect(MessageDescriptor message, string prefix, List<string> paths, HashSet<string> visiting)
    {
        if (!visiting.Add(message.FullName))
        {
            return;
        }

        foreach (var field in message.Fields.InDeclarationOrder())
        {
            if (Annotations.For(field).SubjectIdentifier)
            {
                paths.Add(prefix + field.Name);
            }
            else if (field.FieldType == FieldType.Message)
            {
                Collect(field.MessageType, prefix + field.Name + ".", paths, visiting);
            }
        }

        visiting.Remove(message.FullName);
    }
}
