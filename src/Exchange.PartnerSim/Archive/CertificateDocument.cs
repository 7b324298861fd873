using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Exchange.Contracts.Archive.V1;
using Exchange.PartnerSim.Population;

namespace Exchange.PartnerSim.Archive;

/// <summary>
/// The certified document: UTF-8 JSON with a fixed member order, so the bytes signed are the bytes stored. It is the
/// certified record and names the person (the contract grades the field sensitive).
/// </summary>
internal static class CertificateDocument
{
    /// <summary>The document's media type.</summary>
    public const string MediaType = "application/json";

    // Chinese text stays readable; the document is never embedded in HTML.
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>Writes the document of a certificate.</summary>
    public static byte[] Write(
        string certificateId, string issuerRegion, string archiveName, LookupQuery query, ArchiveHolding holding, DateTimeOffset issued)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            json.WriteStartObject();
            json.WriteString("certificate_id", certificateId);
            json.WriteString("lookup_id", query.LookupId);
            json.WriteString("issuer_region", issuerRegion);
            json.WriteString("archive", archiveName);
            json.WriteString("category", ContractNames.Of(holding.Category));
            json.WriteString("subject_name", query.SubjectName);
            json.WriteString("subject_citizen_id", query.CitizenId);
            json.WriteNumber("record_year", holding.Year);
            json.WriteString("record_summary", holding.Summary);
            json.WriteString("issue_time", issued.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
