using Exchange.Contracts.Credit.V1;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.SocialSecurity.V1;
using Exchange.Contracts.V1;
using Exchange.Contracts.Validation;
using Google.Rpc;
using Grpc.Core;

namespace Exchange.Contracts.Tests.Validation;

/// <summary>Annotation-driven validation: required fields, formats, nested and repeated paths, oneofs.</summary>
public sealed class MessageValidatorTests
{
    private const string ValidId = "11010519491231002X";

    [Fact]
    public void Validate_ValidRequest_HasNoViolations()
    {
        Assert.Empty(MessageValidator.Validate(ValidPreSettle()));
    }

    [Fact]
    public void Validate_EmptyRequest_ListsEveryRequiredField()
    {
        var violations = MessageValidator.Validate(new PreSettleRequest());

        Assert.Equal(["insured_region", "visit", "purpose"], violations.Select(v => v.Field));
        Assert.All(violations, v => Assert.Equal("must be set", v.Description));
    }

    [Fact]
    public void Validate_NestedAndRepeatedFields_UseProtoPathsWithIndexes()
    {
        var request = ValidPreSettle();
        request.Visit.CitizenId = "110105194912310021";
        request.Visit.FeeItems[1].Amount.Fen = -1;
        request.Visit.Hospital.Level = HospitalLevel.Unspecified;

        var violations = MessageValidator.Validate(request);

        Assert.Equal(["visit.citizen_id", "visit.hospital.level", "visit.fee_items[1].amount.fen"], violations.Select(v => v.Field));
        Assert.Equal("is not a citizen ID number: check character does not match", violations[0].Description);
    }

    [Fact]
    public void Validate_RequiredRepeatedField_MustHaveAnElement()
    {
        var request = ValidPreSettle();
        request.Visit.FeeItems.Clear();

        var violation = Assert.Single(MessageValidator.Validate(request));

        Assert.Equal("visit.fee_items", violation.Field);
        Assert.Equal("must have at least one element", violation.Description);
    }

    [Theory]
    [InlineData("31000", "is not a GB/T 2260 region code")]
    [InlineData("999999", "is not a GB/T 2260 region code")]
    public void Validate_BadRegionCode_IsNamed(string region, string expectedStart)
    {
        var request = ValidPreSettle();
        request.InsuredRegion = region;

        var violation = Assert.Single(MessageValidator.Validate(request));

        Assert.Equal("insured_region", violation.Field);
        Assert.StartsWith(expectedStart, violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OneofMember_IsCheckedOnlyWhenSet()
    {
        var byCode = new ListCreditRecordsRequest { Subject = new Subject { CreditCode = "91310110666007217T" }, Purpose = PurposeOfUse.CreditSupervision };
        var badCode = new ListCreditRecordsRequest { Subject = new Subject { CreditCode = "91310110666007217A" }, Purpose = PurposeOfUse.CreditSupervision };

        Assert.Empty(MessageValidator.Validate(byCode));
        Assert.Equal("subject.credit_code", Assert.Single(MessageValidator.Validate(badCode)).Field);
    }

    [Fact]
    public void Validate_RepeatedStrings_AreCheckedOneByOne()
    {
        var request = new CompareResidentsRequest { PensionRegion = "310000" };
        request.SubjectHashes.Add(new string('a', 64));
        request.SubjectHashes.Add("ABC");

        Assert.Equal("subject_hashes[1]", Assert.Single(MessageValidator.Validate(request)).Field);
    }

    [Fact]
    public void Violations_NeverRepeatTheValue()
    {
        var request = ValidPreSettle();
        request.Visit.CitizenId = "110105194912310021";

        var error = InvalidArgument.For(MessageValidator.Validate(request));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.DoesNotContain("110105194912310021", error.Status.Detail, StringComparison.Ordinal);
        var details = error.GetRpcStatus()!.GetDetail<BadRequest>();
        Assert.DoesNotContain("110105194912310021", details!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidArgument_CarriesBadRequestWithEveryViolation()
    {
        var error = InvalidArgument.For(MessageValidator.Validate(new VerifyCardRequest { CitizenId = "123" }));

        var badRequest = error.GetRpcStatus()!.GetDetail<BadRequest>()!;
        Assert.Equal(["issuing_region", "citizen_id", "purpose"], badRequest.FieldViolations.Select(v => v.Field));
        Assert.StartsWith("invalid request: issuing_region must be set; citizen_id is not a citizen ID number", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-02-29", false)]
    [InlineData("2024-02-29", true)]
    [InlineData("2024-2-9", false)]
    [InlineData("20240209", false)]
    public void DateFormat_IsStrictIso(string value, bool valid)
    {
        Assert.Equal(valid, FieldFormats.Check(FieldFormat.Date, value) is null);
    }

    private static PreSettleRequest ValidPreSettle() => new()
    {
        InsuredRegion = "310000",
        Purpose = PurposeOfUse.MedicalSettlement,
        Visit = new Visit
        {
            TreatmentRegion = "341021",
            CitizenId = ValidId,
            Hospital = new Hospital { Code = "H34102100001", Level = HospitalLevel.Secondary },
            VisitId = "V1",
            FeeItems =
            {
                new FeeItem { ItemCode = "A1", CatalogueClass = CatalogueClass.A, Amount = new Money { Fen = 100 } },
                new FeeItem { ItemCode = "B1", CatalogueClass = CatalogueClass.B, Amount = new Money { Fen = 200 } },
            },
        },
    };
}
