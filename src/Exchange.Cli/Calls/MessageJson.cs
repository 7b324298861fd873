using System.Text.Json;
using Exchange.Contracts.Descriptors;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Exchange.Cli.Calls;

/// <summary>
/// Converts between the proto3 JSON mapping and protobuf wire bytes for any message of the contract set, by
/// descriptor: the CLI never needs a generated type to call a method.
/// </summary>
internal static class MessageJson
{
    /// <summary>Every message of the contract set and its imports, plus the google.rpc error details.</summary>
    public static TypeRegistry Registry { get; } = TypeRegistry.FromFiles(
        [.. ContractSet.ServiceFiles, Google.Rpc.ErrorDetailsReflection.Descriptor, Google.Rpc.StatusReflection.Descriptor]);

    // Unknown fields are refused: a typo in a field name must not silently send an empty field.
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithTypeRegistry(Registry).WithIgnoreUnknownFields(false));

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default
        .WithTypeRegistry(Registry)
        .WithFormatEnumsAsIntegers(false)
        .WithIndentation("  "));

    private static readonly JsonFormatter CompactFormatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(Registry));

    /// <summary>Parses one message of <paramref name="type"/> from JSON and serializes it.</summary>
    /// <exception cref="JsonInputException">The JSON is malformed or does not fit the message.</exception>
    public static byte[] ToBytes(MessageDescriptor type, string json)
    {
        try
        {
            return Parser.Parse(json, type).ToByteArray();
        }
        catch (Exception error) when (error is InvalidProtocolBufferException or InvalidJsonException or FormatException or InvalidOperationException)
        {
            throw new JsonInputException($"--json is not a valid {type.FullName}: {error.Message}", error);
        }
    }

    /// <summary>Parses a JSON array of messages of <paramref name="type"/> (a client stream) and serializes each.</summary>
    /// <exception cref="JsonInputException">The JSON is not an array, or an element does not fit the message.</exception>
    public static IReadOnlyList<byte[]> ToBytesArray(MessageDescriptor type, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException error)
        {
            throw new JsonInputException($"--json is not valid JSON: {error.Message}", error);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new JsonInputException($"this method takes a stream of requests: --json must be a JSON array of {type.FullName} objects");
            }

            var messages = new List<byte[]>();
            foreach (var (element, index) in document.RootElement.EnumerateArray().Select((e, i) => (e, i)))
            {
                try
                {
                    messages.Add(ToBytes(type, element.GetRawText()));
                }
                catch (JsonInputException error)
                {
                    throw new JsonInputException($"element [{index}]: {error.Message}", error);
                }
            }

            return messages;
        }
    }

    /// <summary>Parses wire bytes as <paramref name="type"/> and formats them as indented JSON, enums by name.</summary>
    public static string ToJson(MessageDescriptor type, byte[] bytes) => Formatter.Format(type.Parser.ParseFrom(bytes));

    /// <summary>Formats a message as indented JSON, enums by name.</summary>
    public static string ToJson(IMessage message) => Formatter.Format(message);

    /// <summary>Formats a message as one line of JSON, enums by name.</summary>
    public static string ToCompactJson(IMessage message) => CompactFormatter.Format(message);
}
