using System.ComponentModel.DataAnnotations;

namespace Cordon.ControlPlane.Storage;

internal sealed class StorageOptions : IValidatableObject
{
    public const string SectionName = "Cordon:Storage";

    /// <summary><c>sqlite</c> (default, a file in the data directory) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>Required for postgres; for sqlite the default is <c>Data Source=&lt;data dir&gt;/cordon.db</c>.</summary>
    public string? ConnectionString { get; set; }

    public bool IsPostgres => string.Equals(Provider, "postgres", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsPostgres && !string.Equals(Provider, "sqlite", StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult(
                $"Cordon:Storage:Provider is '{Provider}'; set it to 'sqlite' (the default) or 'postgres'.",
                [nameof(Provider)]);
        }

        if (IsPostgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                "Cordon:Storage:Provider is 'postgres' but Cordon:Storage:ConnectionString is empty; set it to an " +
                "Npgsql connection string such as 'Host=db;Username=cordon;Password=…;Database=cordon'.",
                [nameof(ConnectionString)]);
        }
    }
}
