namespace Cordon.Logging;

/// <summary>A log setting (<c>CORDON_LOG_LEVEL</c>, <c>CORDON_LOG_FORMAT</c>) has a value the service cannot use: it refuses to start and says why.</summary>
internal sealed class LogSettingsException(string message) : Exception(message);
