using System.Net.Sockets;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Scheduling;

/// <summary>The configured runners, their channels and health; placement picks from here.</summary>
internal sealed class RunnerRegistry : IDisposable
{
    private readonly List<RunnerState> _runners;

    public RunnerRegistry(IOptions<SchedulingOptions> options)
    {
        _runners = options.Value.Runners.Select((r, i) =>
        {
            var url = new Uri(r.Url);
            var channelOptions = new GrpcChannelOptions
            {
                MaxReceiveMessageSize = 256 * 1024 * 1024,
                MaxSendMessageSize = 64 * 1024 * 1024,
            };
            // unix:/path is a runner serving on a 0600 Unix socket (Cordon:Runner:Socket): HTTP/2 over that socket.
            if (url.Scheme == "unix")
            {
                var path = url.AbsolutePath;
                channelOptions.HttpHandler = new SocketsHttpHandler
                {
                    ConnectCallback = async (_, cancellationToken) =>
                    {
                        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                        try
                        {
                            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
                            return new NetworkStream(socket, ownsSocket: true);
                        }
                        catch
                        {
                            socket.Dispose();
                            throw;
                        }
                    },
                };
            }

            var channel = GrpcChannel.ForAddress(url.Scheme == "unix" ? new Uri("http://localhost") : url, channelOptions);
            return new RunnerState(r.Id ?? $"runner-{i}", url, r.Token, channel);
        }).ToList();
    }

    public IReadOnlyList<RunnerState> All => _runners;

    public RunnerState? Find(string id) => _runners.FirstOrDefault(r => r.Id == id);

    /// <summary>
    /// A runner that is up and has the runtime, preferring free capacity; null when none is up with the runtime.
    /// A full runner is still returned (least loaded first): the runner answers ResourceExhausted and the caller waits.
    /// </summary>
    public RunnerState? Place(string language) =>
        _runners.Where(r => r.IsUp && r.HasRuntime(language))
            .OrderByDescending(r => r.FreeCapacity > 0)
            .ThenByDescending(r => r.FreeCapacity)
            .ThenBy(r => r.InFlight)
            .FirstOrDefault();

    public void Dispose()
    {
        foreach (var runner in _runners)
        {
            runner.Channel.Dispose();
        }
    }
}
