using Cordon.Contracts.Runner.Agent;
using Cordon.Init.Files;
using Cordon.Init.Native;
using Cordon.Init.Processes;
using Cordon.Init.Repl;

namespace Cordon.Init.Server;

/// <summary>Turns one request into its reply; every failure becomes an <see cref="AgentError"/>, never a crash.</summary>
internal sealed class RequestDispatcher(SpawnRunner spawns, ReplHost repls, WorkspaceFiles files, SecretFiles secrets, JobIdentity job, DateTimeOffset startedAt)
{
    public async Task<AgentReply> HandleAsync(AgentRequest request, AgentConnection connection)
    {
        try
        {
            return request switch
            {
                AgentHealthQuery => new AgentHealth
                {
                    ProtocolVersion = AgentFrame.ProtocolVersion,
                    Version = typeof(RequestDispatcher).Assembly.GetName().Version?.ToString() ?? "0",
                    UptimeMs = (long)(DateTimeOffset.UtcNow - startedAt).TotalMilliseconds,
                },
                AgentSpawn spawn => await spawns.RunAsync(spawn, connection),
                AgentRepl repl => await repls.RunAsync(repl, connection),
                // File operations run with the job's file ids: the files are the job's, and the agent can do
                // nothing to the workspace the job could not.
                AgentWriteFile write => job.AsJob(() => Ok(() => files.Write(write.Path, write.Content, write.Mode))),
                AgentReadFile read => job.AsJob(() => new AgentFileContent { Content = files.Read(read.Path, read.MaxBytes) }),
                AgentListFiles list => job.AsJob(() => new AgentFileList { Entries = files.List(list.Path) }),
                AgentDeleteFile delete => job.AsJob(() => Ok(() => files.Delete(delete.Path))),
                AgentWriteSecrets write => job.AsJob(() => Ok(() => secrets.Write(write.Files))),
                _ => Error(AgentErrorCodes.BadRequest, "unknown request"),
            };
        }
        catch (AgentFileException e)
        {
            return Error(e.Code, e.Message);
        }
        catch (WorkspacePathException e)
        {
            return Error(AgentErrorCodes.InvalidPath, e.Message);
        }
        catch (FileNotFoundException e)
        {
            return Error(AgentErrorCodes.NotFound, e.Message);
        }
        catch (DirectoryNotFoundException e)
        {
            return Error(AgentErrorCodes.NotFound, e.Message);
        }
        catch (FileTooLargeException e)
        {
            return Error(AgentErrorCodes.TooLarge, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Error(AgentErrorCodes.IoError, e.Message);
        }
    }

    private static AgentReply Ok(Action action)
    {
        action();
        return new AgentOk();
    }

    private static AgentError Error(string code, string message) => new() { Code = code, Message = message };
}
