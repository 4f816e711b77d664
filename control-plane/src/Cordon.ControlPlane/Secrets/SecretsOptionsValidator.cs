using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Secrets;

/// <summary>A configured master key file must hold a key now: a start that could store no secret is refused in words.</summary>
internal sealed class SecretsOptionsValidator : IValidateOptions<SecretsOptions>
{
    public ValidateOptionsResult Validate(string? name, SecretsOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var path = options.MasterKeyFile!;
        if (!File.Exists(path) && !File.Exists(path + ".previous"))
        {
            return ValidateOptionsResult.Fail(
                $"Cordon:Secrets:MasterKeyFile '{path}' does not exist; create it (umask 077; head -c 32 /dev/urandom | base64 > '{path}') or unset it.");
        }

        try
        {
            MasterKeyFile.Read(File.Exists(path) ? path : path + ".previous");
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException exception)
        {
            return ValidateOptionsResult.Fail("Cordon:Secrets:MasterKeyFile: " + exception.Message);
        }
    }
}
