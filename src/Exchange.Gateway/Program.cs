using Exchange.Gateway.Hosting;

// The Exchange gateway. With the embedded defaults (appsettings.json) it runs the sandbox:
//   dotnet run --project src/Exchange.Gateway
return await GatewayCommandLine.RunAsync(args).ConfigureAwait(false);
