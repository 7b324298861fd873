using System.Globalization;
using Exchange.Contracts.Sim.V1;
using Exchange.Domain.Regions;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Exchange.PartnerSim.Hosting;

/// <summary>The stand-alone simulator's command line.</summary>
internal static class SimulatorCommandLine
{
    private const string Usage = """
        Usage: Exchange.PartnerSim --region CODE [options]

          --region CODE          GB/T 2260 code of the simulated region (e.g. 310000)   (required)
          --port N               port to listen on (default 50051; 0 picks a free one)
          --listen ADDRESS       address to listen on (default 127.0.0.1)
          --seed N               population and fault seed (default 2260)
          --residents N          people to generate (default 240)
          --archive-delay SEC    seconds per archive search step (default 2)
          --latency-ms N         injected latency in milliseconds
          --latency-rate R       share of calls delayed, 0..1 (default 1 when --latency-ms is set)
          --errors LIST          injected errors, e.g. UNAVAILABLE=0.3,INTERNAL=0.05
          --black-hole           accept calls and never answer
        Faults can be changed at run time through exchange.sim.v1.SimulatorControlService.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        PartnerRegionOptions options;
        try
        {
            options = Parse(args);
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}\n\n{Usage}").ConfigureAwait(false);
            return 2;
        }

        await using var host = await PartnerRegionHost.StartAsync(options).ConfigureAwait(false);
        var name = RegionTable.Default.TryGet(options.RegionCode, out var region) ? region.Name : "";
        Console.WriteLine($"Simulated region {options.RegionCode} {name} listening on {host.Address} (h2c); {host.Population.Residents.Count} residents, seed {options.Seed}.");
        Console.WriteLine("Press Ctrl+C to stop.");
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
        await Task.WhenAny(Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default), host.Stopped).ConfigureAwait(false);
        return 0;
    }

    /// <summary>Parses the command line into options; FormatException names the bad argument.</summary>
    public static PartnerRegionOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var key = args[i];
            if (!key.StartsWith("--", StringComparison.Ordinal))
            {
                throw new FormatException($"unexpected argument '{key}'");
            }

            if (key == "--black-hole")
            {
                values[key] = "true";
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new FormatException($"{key} needs a value");
            }

            values[key] = args[++i];
        }

        var known = new[] { "--region", "--port", "--listen", "--seed", "--residents", "--archive-delay", "--latency-ms", "--latency-rate", "--errors", "--black-hole" };
        foreach (var key in values.Keys.Where(k => !known.Contains(k)))
        {
            throw new FormatException($"unknown option {key}");
        }

        if (!values.TryGetValue("--region", out var regionCode))
        {
            throw new FormatException("--region is required");
        }

        if (!RegionCode.TryParse(regionCode, out var regionError))
        {
            throw new FormatException($"--region: {regionError}");
        }

        var faults = new FaultSettings { BlackHole = values.ContainsKey("--black-hole") };
        if (values.TryGetValue("--latency-ms", out var latency))
        {
            faults.Latency = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(Int(latency, "--latency-ms")));
            faults.LatencyRate = values.TryGetValue("--latency-rate", out var rate) ? Double(rate, "--latency-rate") : 1;
        }

        if (values.TryGetValue("--errors", out var errors))
        {
            foreach (var item in errors!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = item.Split('=', 2);
                if (parts.Length != 2 || !System.Enum.TryParse<StatusCode>(parts[0].Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var code) || code == StatusCode.OK)
                {
                    throw new FormatException($"--errors: '{item}' is not STATUS=RATE (e.g. UNAVAILABLE=0.3)");
                }

                faults.Errors.Add(new ErrorFault { StatusCode = (int)code, Rate = Double(parts[1], "--errors") });
            }
        }

        try
        {
            Faults.FaultInjection.Validate(faults);
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message.Split(" (Parameter", 2)[0], e);
        }

        return new PartnerRegionOptions
        {
            RegionCode = regionCode!,
            Port = values.TryGetValue("--port", out var port) ? Int(port, "--port") : 50051,
            ListenAddress = values.GetValueOrDefault("--listen") ?? "127.0.0.1",
            Seed = values.TryGetValue("--seed", out var seed) ? Int(seed, "--seed") : 2260,
            ResidentCount = values.TryGetValue("--residents", out var residents) ? Int(residents, "--residents") : 240,
            ArchiveSearchDelay = values.TryGetValue("--archive-delay", out var delay) ? TimeSpan.FromSeconds(Double(delay, "--archive-delay")) : TimeSpan.FromSeconds(2),
            Faults = faults,
            ExitProcessOnCrash = true,
            MinimumLogLevel = LogLevel.Information,
        };
    }

    private static int Int(string? value, string option) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : throw new FormatException($"{option}: '{value}' is not a non-negative integer");

    private static double Double(string? value, string option) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 ? d : throw new FormatException($"{option}: '{value}' is not a non-negative number");
}
