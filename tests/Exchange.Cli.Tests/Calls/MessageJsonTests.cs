using System.Text.Json;
using Exchange.Cli.Calls;
using Exchange.Contracts.Archive.V1;
using Exchange.Contracts.Credit.V1;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.SocialSecurity.V1;
using Exchange.Contracts.V1;
using Google.Protobuf;

namespace Exchange.Cli.Tests.Calls;

public sealed class MessageJsonTests
{
    private const string PreSettleJson = """
        {
          "insuredRegion": "310000",
          "visit": {
            "treatmentRegion": "341021",
            "citizenId": "11010519491231002X",
            "hospital": { "code": "H34102100001", "level": "HOSPITAL_LEVEL_SECONDARY" },
            "visitId": "MZ202501010001",
            "feeItems": [
              { "itemCode": "001101000010000", "catalogueClass": "CATALOGUE_CLASS_A", "amount": { "fen": "2500" } },
              { "itemCode": "250102001", "catalogueClass": "CATALOGUE_CLASS_B", "amount": { "fen": 8600 } }
            ]
          },
          "purpose": "PURPOSE_OF_USE_MEDICAL_SETTLEMENT"
        }
        """;

    [Fact]
    public void ToBytes_PreSettleRequest_EncodesWhatTheGeneratedTypeWould()
    {
        var bytes = MessageJson.ToBytes(PreSettleRequest.Descriptor, PreSettleJson);

        var request = PreSettleRequest.Parser.ParseFrom(bytes);
        Assert.Equal("310000", request.InsuredRegion);
        Assert.Equal(PurposeOfUse.MedicalSettlement, request.Purpose);
        Assert.Equal(HospitalLevel.Secondary, request.Visit.Hospital.Level);
        Assert.Equal([2500L, 8600L], request.Visit.FeeItems.Select(i => i.Amount.Fen));
        Assert.Equal(CatalogueClass.B, request.Visit.FeeItems[1].CatalogueClass);
    }

    [Fact]
    public void RoundTrip_PreSettleRequest_JsonToBytesToJsonKeepsEveryValue()
    {
        var bytes = MessageJson.ToBytes(PreSettleRequest.Descriptor, PreSettleJson);
        var json = MessageJson.ToJson(PreSettleRequest.Descriptor, bytes);

        Assert.Equal(bytes, MessageJson.ToBytes(PreSettleRequest.Descriptor, json));
        Assert.Contains("\"purpose\": \"PURPOSE_OF_USE_MEDICAL_SETTLEMENT\"", json, StringComparison.Ordinal);
        Assert.Contains("\"level\": \"HOSPITAL_LEVEL_SECONDARY\"", json, StringComparison.Ordinal);
        Assert.Contains("\"fen\": \"2500\"", json, StringComparison.Ordinal); // int64 as a string, per the proto3 JSON mapping
        Assert.Contains(Environment.NewLine + "  \"insuredRegion\"", json, StringComparison.Ordinal); // indented
    }

    [Fact]
    public void RoundTrip_SubjectOneofAndProtoFieldNames_AreAccepted()
    {
        const string json = """
            { "request_id": "county-archive:0001", "archive_region": "330000", "category": "ARCHIVE_CATEGORY_SCHOOL",
              "subject": { "citizen_id": "11010519491231002X" }, "subject_name": "张伟", "purpose": 6 }
            """;

        var bytes = MessageJson.ToBytes(SubmitArchiveLookupRequest.Descriptor, json);
        var request = SubmitArchiveLookupRequest.Parser.ParseFrom(bytes);

        Assert.Equal(Subject.IdentifierOneofCase.CitizenId, request.Subject.IdentifierCase);
        Assert.Equal(PurposeOfUse.SubjectRequest, request.Purpose);
        Assert.Equal("张伟", request.SubjectName);
        Assert.Equal(bytes, MessageJson.ToBytes(SubmitArchiveLookupRequest.Descriptor, MessageJson.ToJson(SubmitArchiveLookupRequest.Descriptor, bytes)));
    }

    [Fact]
    public void RoundTrip_ResponseWithRepeatedMessagesAndTimestamps()
    {
        var response = new ListCreditRecordsResponse
        {
            Records =
            {
                new CreditRecord
                {
                    RecordId = "310000-0000001",
                    Subject = new Subject { CreditCode = "91310000MA1FL8T63Y" },
                    Kind = RecordKind.AdministrativePenalty,
                    PenaltyAmount = new Money { Fen = 1_000_00 },
                    UpdateTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero)),
                },
            },
            RegionStatuses = { new RegionStatus { RegionCode = "310000", Outcome = RegionOutcome.Answered, ResultCount = 1 } },
        };

        var json = MessageJson.ToJson(ListCreditRecordsResponse.Descriptor, response.ToByteArray());

        Assert.Contains("\"updateTime\": \"2025-03-01T08:00:00Z\"", json, StringComparison.Ordinal);
        Assert.Contains("\"outcome\": \"REGION_OUTCOME_ANSWERED\"", json, StringComparison.Ordinal);
        Assert.Equal(response, ListCreditRecordsResponse.Parser.ParseFrom(MessageJson.ToBytes(ListCreditRecordsResponse.Descriptor, json)));
    }

    [Fact]
    public void ToBytesArray_ClientStream_EncodesEachElementInOrder()
    {
        var hash = new string('a', 64);
        var json = $$"""
            [ { "pensionRegion": "310000", "subjectHashes": ["{{hash}}"], "purpose": "PURPOSE_OF_USE_BENEFIT_ELIGIBILITY" },
              { "subjectHashes": ["{{hash}}", "{{hash}}"] } ]
            """;

        var messages = MessageJson.ToBytesArray(CompareResidentsRequest.Descriptor, json);

        Assert.Equal(2, messages.Count);
        Assert.Equal("310000", CompareResidentsRequest.Parser.ParseFrom(messages[0]).PensionRegion);
        Assert.Equal(2, CompareResidentsRequest.Parser.ParseFrom(messages[1]).SubjectHashes.Count);
    }

    [Fact]
    public void ToBytes_UnknownField_NamesIt()
    {
        var error = Assert.Throws<JsonInputException>(() =>
            MessageJson.ToBytes(VerifyCardRequest.Descriptor, """{ "issuingRegion": "341021", "citizenID": "x" }"""));

        Assert.Equal("--json is not a valid exchange.socialsecurity.v1.VerifyCardRequest: Unknown field: citizenID", error.Message);
    }

    [Fact]
    public void ToBytes_UnknownEnumName_SaysSo()
    {
        var error = Assert.Throws<JsonInputException>(() =>
            MessageJson.ToBytes(VerifyCardRequest.Descriptor, """{ "purpose": "TOURISM" }"""));

        Assert.StartsWith("--json is not a valid exchange.socialsecurity.v1.VerifyCardRequest: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("TOURISM", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToBytes_WrongValueType_SaysSo()
    {
        var error = Assert.Throws<JsonInputException>(() =>
            MessageJson.ToBytes(ListCreditRecordsRequest.Descriptor, """{ "includeUnpublished": "yes" }"""));

        Assert.StartsWith("--json is not a valid exchange.credit.v1.ListCreditRecordsRequest: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"issuingRegion\": ")]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    public void ToBytes_MalformedJson_IsAJsonInputError(string json)
    {
        var error = Assert.Throws<JsonInputException>(() => MessageJson.ToBytes(VerifyCardRequest.Descriptor, json));

        Assert.StartsWith("--json is not a valid exchange.socialsecurity.v1.VerifyCardRequest: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToBytesArray_ObjectInsteadOfArray_AsksForAnArray()
    {
        var error = Assert.Throws<JsonInputException>(() => MessageJson.ToBytesArray(CompareResidentsRequest.Descriptor, "{}"));

        Assert.Equal("this method takes a stream of requests: --json must be a JSON array of exchange.socialsecurity.v1.CompareResidentsRequest objects", error.Message);
    }

    [Fact]
    public void ToBytesArray_BadElement_NamesItsIndex()
    {
        var error = Assert.Throws<JsonInputException>(() => MessageJson.ToBytesArray(CompareResidentsRequest.Descriptor, """[ {}, { "nope": 1 } ]"""));

        Assert.StartsWith("element [1]: --json is not a valid exchange.socialsecurity.v1.CompareResidentsRequest: Unknown field: nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToBytesArray_InvalidJson_SaysSo()
    {
        var error = Assert.Throws<JsonInputException>(() => MessageJson.ToBytesArray(CompareResidentsRequest.Descriptor, "[ {"));

        Assert.StartsWith("--json is not valid JSON: ", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<JsonException>(error.InnerException);
    }
}
