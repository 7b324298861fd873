using Exchange.PartnerSim.Hosting;

// Stand-alone simulated partner region:
//   dotnet run --project src/Exchange.PartnerSim -- --region 310000 --port 50051
return await SimulatorCommandLine.RunAsync(args).ConfigureAwait(false);
