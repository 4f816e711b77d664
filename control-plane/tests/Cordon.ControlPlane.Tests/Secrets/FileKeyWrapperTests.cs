using System.Text;
using Cordon.ControlPlane.Secrets;

namespace Cordon.ControlPlane.Tests.Secrets;

/// <summary>The file master key: envelope round trips, a wrong key, and every state a crashed rotation can leave.</summary>
public sealed class FileKeyWrapperTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cordon-mk-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string KeyFile => Path.Combine(_dir, "master.key");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task SealOpen_RoundTrips_BoundToTenantAndName()
    {
        MasterKeyFile.CreateNew(KeyFile);
        var cipher = new SecretCipher(new FileKeyWrapper(KeyFile));
        var sealedSecret = await cipher.SealAsync("acme", "API_TOKEN", Encoding.UTF8.GetBytes("v-1"), Ct);

        Assert.Equal("v-1", Encoding.UTF8.GetString(await cipher.OpenAsync("acme", "API_TOKEN", sealedSecret, Ct)));
        await Assert.ThrowsAsync<MasterKeyMismatchException>(() => cipher.OpenAsync("globex", "API_TOKEN", sealedSecret, Ct));
        await Assert.ThrowsAsync<MasterKeyMismatchException>(() => cipher.OpenAsync("acme", "OTHER", sealedSecret, Ct));
        var flipped = sealedSecret.Ciphertext.ToArray();
        flipped[^1] ^= 1;
        await Assert.ThrowsAsync<MasterKeyMismatchException>(() => cipher.OpenAsync("acme", "API_TOKEN", sealedSecret with { Ciphertext = flipped }, Ct));
    }

    [Fact]
    public async Task WrongMasterKey_FailsWithBothKeyIds()
    {
        MasterKeyFile.CreateNew(KeyFile);
        var original = new FileKeyWrapper(KeyFile);
        var sealedSecret = await new SecretCipher(original).SealAsync("acme", "API_TOKEN", "v"u8.ToArray(), Ct);
        File.Delete(KeyFile);
        MasterKeyFile.CreateNew(KeyFile);
        var replaced = new FileKeyWrapper(KeyFile);

        var error = await Assert.ThrowsAsync<MasterKeyMismatchException>(() => new SecretCipher(replaced).OpenAsync("acme", "API_TOKEN", sealedSecret, Ct));

        Assert.Contains(original.CurrentKeyId, error.Message, StringComparison.Ordinal);
        Assert.Contains(replaced.CurrentKeyId, error.Message, StringComparison.Ordinal);
        Assert.Contains("replaced", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotation_CrashAtEachStep_LosesNothing()
    {
        MasterKeyFile.CreateNew(KeyFile);
        var wrapper = new FileKeyWrapper(KeyFile);
        var cipher = new SecretCipher(wrapper);
        var old = await cipher.SealAsync("acme", "A", "old"u8.ToArray(), Ct);

        var (oldId, newId) = await wrapper.BeginRotationAsync(Ct);
        Assert.Equal(old.Key.KeyId, oldId);
        Assert.NotEqual(oldId, newId);
        var rewrapped = await cipher.RewrapAsync("acme", "A", old.Key, Ct);
        Assert.Equal(newId, rewrapped.KeyId);

        // Crash after the new key was written: a restart wraps with the new key and unwraps both; a re-run resumes it.
        var restarted = new FileKeyWrapper(KeyFile);
        Assert.Equal(newId, restarted.CurrentKeyId);
        Assert.Equal("old"u8.ToArray(), await new SecretCipher(restarted).OpenAsync("acme", "A", old, Ct));
        Assert.Equal("old"u8.ToArray(), await new SecretCipher(restarted).OpenAsync("acme", "A", old with { Key = rewrapped }, Ct));
        Assert.Equal((oldId, newId), await restarted.BeginRotationAsync(Ct));

        // Crash in the middle of the swap (old key moved aside, new one not yet in place).
        File.Move(KeyFile, KeyFile + ".previous");
        var midSwap = new FileKeyWrapper(KeyFile);
        Assert.Equal("old"u8.ToArray(), await new SecretCipher(midSwap).OpenAsync("acme", "A", old, Ct));
        await midSwap.CompleteRotationAsync(newId, Ct);

        Assert.Equal(["master.key"], Directory.GetFiles(_dir).Select(Path.GetFileName));
        var done = new FileKeyWrapper(KeyFile);
        Assert.Equal(newId, done.CurrentKeyId);
        Assert.Equal("old"u8.ToArray(), await new SecretCipher(done).OpenAsync("acme", "A", old with { Key = rewrapped }, Ct));
        await Assert.ThrowsAsync<MasterKeyMismatchException>(() => new SecretCipher(done).OpenAsync("acme", "A", old, Ct));
    }

    [Fact]
    public void MalformedKeyFile_IsRefusedInWords()
    {
        File.WriteAllText(KeyFile, "not base64!");
        Assert.Contains("base64", Assert.Throws<InvalidOperationException>(() => new FileKeyWrapper(KeyFile)).Message, StringComparison.Ordinal);
        File.WriteAllText(KeyFile, Convert.ToBase64String(new byte[16]));
        Assert.Contains("16 bytes", Assert.Throws<InvalidOperationException>(() => new FileKeyWrapper(KeyFile)).Message, StringComparison.Ordinal);
    }
}
