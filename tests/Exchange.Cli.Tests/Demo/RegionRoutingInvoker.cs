using System.Collections;
using Exchange.Contracts.Descriptors;
using Exchange.Contracts.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Exchange.Cli.Tests.Demo;

/// <summary>
/// A stand-in for the gateway in the demo's tests: routes each call to the simulated region named by the method's
/// routing field (longest prefix), or asks every region and merges the answers for a fan-out method. No security,
/// no validation: those are the gateway's, tested with the gateway.
/// </summary>
internal sealed class RegionRoutingInvoker(IReadOnlyDictionary<string, CallInvoker> regions) : CallInvoker
{
    public List<(string Method, string Target)> Calls { get; } = [];

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException("the demo calls asynchronously");

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var routing = Annotations.For(ContractSet.MethodsByPath[method.FullName]).Routing;
        if (routing.TargetCase == Routing.TargetOneofCase.FanOut)
        {
            Record(method.FullName, "*");
            return new AsyncUnaryCall<TResponse>(
                FanOutAsync(method, options, request, routing.FanOut.RegionStatusField), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
        }

        return regions[Route(method.FullName, routing, request)].AsyncUnaryCall(method, host, options, request);
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var routing = Annotations.For(ContractSet.MethodsByPath[method.FullName]).Routing;
        return regions[Route(method.FullName, routing, request)].AsyncServerStreamingCall(method, host, options, request);
    }

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException("the demo does not stream requests");

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException("the demo does not stream requests");

    private string Route<TRequest>(string method, Routing routing, TRequest request)
    {
        var message = (IMessage)request!;
        var code = (string)message.Descriptor.FindFieldByName(routing.RegionField).Accessor.GetValue(message);
        var target = regions.Keys
            .Where(region => code.StartsWith(PrefixOf(region), StringComparison.Ordinal))
            .OrderByDescending(region => PrefixOf(region).Length)
            .First();
        Record(method, target);
        return target;
    }

    private void Record(string method, string target)
    {
        lock (Calls)
        {
            Calls.Add((method, target));
        }
    }

    private async Task<TResponse> FanOutAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions options, TRequest request, string statusField)
        where TRequest : class
        where TResponse : class
    {
        var answers = await Task.WhenAll(regions.Select(async region =>
        {
            try
            {
                return (Region: region.Key, Answer: (IMessage?)await region.Value.AsyncUnaryCall(method, null, options, request).ResponseAsync, Error: (RpcException?)null);
            }
            catch (RpcException error)
            {
                return (region.Key, null, error);
            }
        }));

        // Concatenated protobuf messages parse as their merge: repeated fields (records, region statuses) append.
        var parser = ContractSet.MethodsByPath[method.FullName].OutputType.Parser;
        var merged = parser.ParseFrom(answers.Where(a => a.Answer is not null).SelectMany(a => a.Answer!.ToByteArray()).ToArray());
        var statuses = (IList)merged.Descriptor.FindFieldByName(statusField).Accessor.GetValue(merged);
        foreach (var (region, _, error) in answers.Where(a => a.Error is not null))
        {
            statuses.Add(new RegionStatus { RegionCode = region, Outcome = RegionOutcome.Unavailable, Detail = error!.Status.Detail });
        }

        return (TResponse)merged;
    }

    private static string PrefixOf(string code) =>
        code.EndsWith("0000", StringComparison.Ordinal) ? code[..2] : code.EndsWith("00", StringComparison.Ordinal) ? code[..4] : code;
}
