using System.Collections.Concurrent;
using System.Net.Sockets;

namespace Cordon.Runner.Egress;

/// <summary>
/// The accept loop of a sandbox's egress socket (the proxy, or an installing sandbox's registry mirror): each
/// connection served on the thread pool and held in <c>connections</c> until it ends, so a disposal can wait for all.
/// </summary>
internal static class AcceptLoop
{
    public static async Task RunAsync(
        Socket listener, Func<Socket, Task> serve, ConcurrentDictionary<Task, byte> connections, Action<SocketException> acceptFailed, TimeProvider time, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stopping);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of descriptors, say: keep serving the connections there are and try again shortly.
                acceptFailed(e);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), time, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            var connection = Task.Run(() => serve(client), CancellationToken.None);
            connections[connection] = 0;
            _ = connection.ContinueWith(done => connections.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
