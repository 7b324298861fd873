using System.Text;
using System.Text.Json;

namespace Exchange.Cli.Tests.Infrastructure;

/// <summary>Splits printed output made of several JSON documents one after another (a response stream).</summary>
public static class JsonDocuments
{
    public static IReadOnlyList<JsonElement> Parse(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true });
        var documents = new List<JsonElement>();
        while (reader.Read())
        {
            using var document = JsonDocument.ParseValue(ref reader);
            documents.Add(document.RootElement.Clone());
        }

        return documents;
    }
}
