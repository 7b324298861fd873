using Exchange.Contracts.Descriptors;
using Exchange.Contracts.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Exchange.Contracts.Validation;

/// <summary>
/// PIPL asks for a specific purpose before personal data is processed: a method whose contract names a purpose
/// field refuses a request that leaves it unset with PERMISSION_DENIED (not INVALID_ARGUMENT: the request is
/// well-formed, the caller just has no stated right to the data), carrying google.rpc.ErrorInfo.
/// </summary>
public static class PurposeOfUseRule
{
    /// <summary>The google.rpc.ErrorInfo domain of every error the exchange contracts define.</summary>
    public const string ErrorDomain = "exchange.gov.cn";

    /// <summary>ErrorInfo reason of a request without a purpose.</summary>
    public const string PurposeRequiredReason = "PURPOSE_REQUIRED";

    /// <summary>The purpose stated in <paramref name="request"/>, or Unspecified when the method names no purpose field.</summary>
    public static PurposeOfUse StatedIn(MethodDescriptor method, IMessage request)
    {
        var fieldName = Annotations.For(method).PurposeField;
        if (fieldName.Length == 0)
        {
            return PurposeOfUse.Unspecified;
        }

        var field = method.InputType.FindFieldByName(fieldName);
        return field?.Accessor.GetValue(request) is PurposeOfUse purpose ? purpose : PurposeOfUse.Unspecified;
    }

    /// <summary>Throws PERMISSION_DENIED if <paramref name="method"/> requires a purpose and <paramref name="request"/> states none.</summary>
    public static void Enforce(MethodDescriptor method, IMessage request)
    {
        if (Annotations.For(method).PurposeField.Length > 0 && StatedIn(method, request) == PurposeOfUse.Unspecified)
        {
            throw Missing(method);
        }
    }

    private static RpcException Missing(MethodDescriptor method)
    {
        var info = new ErrorInfo { Reason = PurposeRequiredReason, Domain = ErrorDomain };
        info.Metadata.Add("method", ContractSet.PathOf(method));
        info.Metadata.Add("field", Annotations.For(method).PurposeField);
        return new Google.Rpc.Status
        {
            Code = (int)Code.PermissionDenied,
            Message = $"{method.Name} touches personal data: state the purpose of use in '{Annotations.For(method).PurposeField}'",
            Details = { Any.Pack(info) },
        }.ToRpcException();
    }
}
