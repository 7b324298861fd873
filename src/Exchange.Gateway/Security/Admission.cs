using Exchange.Contracts.Descriptors;
using Exchange.Contracts.V1;
using Exchange.Contracts.Validation;
using Exchange.Gateway.Contracts;
using Google.Protobuf;
using Grpc.Core;

namespace Exchange.Gateway.Security;

/// <summary>
/// The checks an exchange passes before anything is forwarded, in the order of the request path: who calls, may
/// it call this method, does it state a purpose it may state, is the request valid, may it reach the target. Each
/// refusal is final; nothing reaches a partner.
/// </summary>
internal sealed class Admission(CallerIdentity identity)
{
    /// <summary>The caller, if it may call the method at all (before the request is parsed).</summary>
    public Participant AdmitCaller(MethodPlan plan, ServerCallContext context)
    {
        var caller = Identify(context);
        AdmitMethod(plan, caller);
        return caller;
    }

    /// <summary>The calling participant, before any policy check; UNAUTHENTICATED when there is none.</summary>
    public Participant Identify(ServerCallContext context) => identity.Resolve(context);

    /// <summary>Checks that the caller may call the method.</summary>
    public static void AdmitMethod(MethodPlan plan, Participant caller)
    {
        if (!caller.MayCall(plan))
        {
            throw Rejections.MethodNotAllowed(caller.Id, plan.Path);
        }
    }

    /// <summary>Parses the request once and checks purpose and fields.</summary>
    public static IMessage AdmitRequest(MethodPlan plan, Participant caller, byte[] request)
    {
        var message = ParseRequest(plan, request);
        CheckRequest(plan, caller, message);
        return message;
    }

    /// <summary>Parses the request (once: everything after reads the parsed message); INVALID_ARGUMENT when it is not one.</summary>
    public static IMessage ParseRequest(MethodPlan plan, byte[] request)
    {
        try
        {
            return plan.RequestParser.ParseFrom(request);
        }
        catch (InvalidProtocolBufferException)
        {
            throw InvalidArgument.For("", $"the request is not a valid {plan.Descriptor.InputType.FullName} message");
        }
    }

    /// <summary>Checks the purpose and the fields of a parsed request.</summary>
    public static void CheckRequest(MethodPlan plan, Participant caller, IMessage message)
    {
        AdmitPurpose(plan, caller, message);
        InvalidArgument.ThrowIfInvalid(message);
    }

    /// <summary>Checks that a purpose is stated where required, and that the caller may state it.</summary>
    public static void AdmitPurpose(MethodPlan plan, Participant caller, IMessage message)
    {
        if (plan.PurposeField is null)
        {
            return;
        }

        PurposeOfUseRule.Enforce(plan.Descriptor, message);
        var purpose = (PurposeOfUse)plan.PurposeField.Accessor.GetValue(message);
        if (!caller.MayState(purpose))
        {
            throw Rejections.PurposeNotAllowed(caller.Id, ProtoEnumNames.Of(purpose));
        }
    }

    /// <summary>Checks that the caller may reach the region.</summary>
    public static void AdmitTarget(Participant caller, string regionCode)
    {
        if (!caller.MayReach(regionCode))
        {
            throw Rejections.TargetNotAllowed(caller.Id, regionCode);
        }
    }
}
