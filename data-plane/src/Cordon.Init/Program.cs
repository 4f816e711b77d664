using Cordon.Init;
using Cordon.Init.Server;

var options = AgentOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: cordon-init [--socket PATH] [--workspace DIR]");
    return 2;
}

return await Agent.RunAsync(options);
