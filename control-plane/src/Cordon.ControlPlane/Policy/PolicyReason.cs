namespace Cordon.ControlPlane.Policy;

/// <summary>One rule that took part in a decision: its id (<see cref="PolicyRules"/>) and a sentence a user can act on.</summary>
internal sealed record PolicyReason(string Rule, string Message);
