using System.Collections;
using Exchange.Contracts.V1;
using Exchange.Gateway.Contracts;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Exchange.Gateway.Security;

/// <summary>
/// Minimum necessary (PIPL): clears every response field more sensitive than the caller's clearance, at any depth,
/// before the response leaves the gateway. Only called when the method's plan says the response type has such a
/// field for this clearance, so other responses pass through as bytes.
/// </summary>
internal static class ResponseMinimiser
{
    /// <summary>Parses, clears and re-serialises <paramref name="response"/> if the plan requires it; else returns it unchanged.</summary>
    public static byte[] Minimise(MethodPlan plan, byte[] response, Sensitivity clearance)
    {
        if (!plan.NeedsRedaction(clearance))
        {
            return response;
        }

        var message = plan.ResponseParser.ParseFrom(response);
        Clear(message, clearance);
        return message.ToByteArray();
    }

    /// <summary>Clears, in place, every field of <paramref name="message"/> above <paramref name="clearance"/>.</summary>
    public static void Clear(IMessage message, Sensitivity clearance)
    {
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            if (SensitivityMap.Of(field) > clearance)
            {
                field.Accessor.Clear(message);
                continue;
            }

            if (field.FieldType != FieldType.Message)
            {
                continue;
            }

            if (field.IsMap)
            {
                // A map is repeated too, but its value is a dictionary: only message values can hold fields to clear.
                if (field.MessageType.FindFieldByNumber(2).FieldType == FieldType.Message)
                {
                    foreach (var item in ((IDictionary)field.Accessor.GetValue(message)).Values)
                    {
                        Clear((IMessage)item, clearance);
                    }
                }
            }
            else if (field.IsRepeated)
            {
                foreach (var item in (IList)field.Accessor.GetValue(message))
                {
                    Clear((IMessage)item, clearance);
                }
            }
            else if (field.Accessor.GetValue(message) is IMessage nested)
            {
                Clear(nested, clearance);
            }
        }
    }
}
