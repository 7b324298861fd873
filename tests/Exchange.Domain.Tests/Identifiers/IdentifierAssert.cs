using Exchange.Domain.Identifiers;

namespace Exchange.Domain.Tests.Identifiers;

/// <summary>Checks shared by every identifier's rejection tests.</summary>
internal static class IdentifierAssert
{
    // Any six consecutive characters of the input in a message would already reveal too much of an ID number.
    private const int EchoWindow = 6;

    public static void Rejects<T>(string? value, string expectedError)
        where T : struct, IIdentifier<T>
    {
        Assert.False(T.TryParse(value, out var result, out var error));
        Assert.Equal(expectedError, error);
        Assert.Equal(default, result);
        Assert.False(T.IsValid(value));
        DoesNotEcho(value, error);
    }

    public static T Accepts<T>(string value)
        where T : struct, IIdentifier<T>
    {
        Assert.True(T.TryParse(value, out var result, out var error), error);
        Assert.Null(error);
        Assert.True(T.IsValid(value));
        return result;
    }

    /// <summary>Fails if the message contains the value or any run of six of its characters.</summary>
    public static void DoesNotEcho(string? value, string? error)
    {
        if (string.IsNullOrEmpty(value) || error is null)
        {
            return;
        }

        var window = Math.Min(EchoWindow, value.Length);
        for (var start = 0; start + window <= value.Length; start++)
        {
            Assert.DoesNotContain(value.Substring(start, window), error, StringComparison.Ordinal);
        }
    }
}
