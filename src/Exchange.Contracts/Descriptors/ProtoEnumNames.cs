using System.Collections.Concurrent;
using System.Reflection;
using Google.Protobuf.Reflection;

namespace Exchange.Contracts.Descriptors;

/// <summary>
/// The proto name of a generated enum value ("PURPOSE_OF_USE_MEDICAL_SETTLEMENT"), as clients in every language
/// see it: for messages and error details, where the C# member name would mean nothing to an integrator.
/// </summary>
public static class ProtoEnumNames
{
    private static readonly ConcurrentDictionary<(Type, int), string> Names = new();

    /// <summary>The proto name of <paramref name="value"/>, or its number when the value is not defined.</summary>
    public static string Of<T>(T value)
        where T : struct, Enum
    {
        var number = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
        return Names.GetOrAdd((typeof(T), number), static key =>
        {
            var member = key.Item1.GetFields(BindingFlags.Public | BindingFlags.Static)
                .FirstOrDefault(f => Convert.ToInt32(f.GetValue(null), System.Globalization.CultureInfo.InvariantCulture) == key.Item2);
            return member?.GetCustomAttribute<OriginalNameAttribute>()?.Name ?? key.Item2.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
    }
}
