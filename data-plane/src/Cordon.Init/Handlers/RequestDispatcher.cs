using Cordon.Contracts.Runner.Agent;
using Cordon.Init.Files;
using Cordon.Init.Processes;
using Cordon.Init.Server;

namespace Cordon.Init.Handlers;

/// <summary>Routes a request to its handler and turns expected failures into <see cref="AgentError"/> replies.</summary>
internal sealed class RequestDispatcher(HealthHandler health, SpawnHandler spawn, ReplHandler repl, FileHandler files)
{
    public async Task<AgentReply> DispatchAsync(AgentRequest request, ReplyChannel channel, CancellationToken cancellationToken)
    {
        try
        {
            return request switch
            {
                AgentHealthQuery => health.Handle(),
                AgentSpawn s => await spawn.HandleAsync(s, channel, cancellationToken),
                AgentRepl r => await repl.HandleAsync(r, channel, cancellationToken),
                AgentWriteFile w => await files.WriteAsync(w, cancellationToken),
                AgentReadFile r => await files.ReadAsync(r, cancellationToken),
                AgentListFiles l => await files.ListAsync(l, cancellationToken),
                AgentDeleteFile d => await files.DeleteAsync(d, cancellationToken),
                _ => Error(AgentErrorCodes.BadRequest, $"Unknown request {request.GetType().Name}."),
            };
        }
        catch (SpawnException e)
        {
            return Error(e.Code, e.Message);
        }
        catch (WorkspaceException e)
        {
            return Error(e.Code, e.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Error(AgentErrorCodes.BadRequest, "The request was cancelled.");
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"cordon-init: {request.GetType().Name} failed: {e}");
            return Error(AgentErrorCodes.IoError, $"Internal agent error: {e.Message}");
        }
    }

    private static AgentError Error(string code, string message) => new() { Code = code, Message = message };
}
