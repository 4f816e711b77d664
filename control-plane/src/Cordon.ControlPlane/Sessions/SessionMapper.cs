using Cordon.Contracts.Sessions;

namespace Cordon.ControlPlane.Sessions;

internal static class SessionMapper
{
    public static Session ToContract(this SessionEntity entity) => new()
    {
        Id = entity.Id,
        Status = entity.Status,
        Language = entity.Language,
        EndReason = entity.EndReason,
        CreatedAt = entity.CreatedAt,
        ExpiresAt = entity.ExpiresAt,
        LastActiveAt = entity.LastActiveAt,
        EndedAt = entity.EndedAt,
    };
}
