using System.Security.Cryptography;
using Cordon.ControlPlane.Storage;

namespace Cordon.ControlPlane.Tests.Storage;

/// <summary>What every <see cref="IObjectStore"/> must do, run against each implementation.</summary>
public abstract class ObjectStoreContractTests : IAsyncLifetime
{
    private protected IObjectStore Store { get; set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public abstract ValueTask InitializeAsync();

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Put_ThenOpen_ReturnsTheBytes()
    {
        await Store.PutAsync("acme/job_1/out/a.txt", "hello"u8.ToArray(), Ct);

        Assert.Equal("hello"u8.ToArray(), await ReadAsync("acme/job_1/out/a.txt"));
    }

    [Fact]
    public async Task Put_Twice_KeepsTheSecond()
    {
        await Store.PutAsync("acme/job_2/a", "first"u8.ToArray(), Ct);
        await Store.PutAsync("acme/job_2/a", "second"u8.ToArray(), Ct);

        Assert.Equal("second"u8.ToArray(), await ReadAsync("acme/job_2/a"));
    }

    [Fact]
    public async Task Put_LargeBinaryObject_RoundTripsByteExact()
    {
        var content = RandomNumberGenerator.GetBytes(6 * 1024 * 1024 + 17);

        await Store.PutAsync("acme/job_3/big.bin", content, Ct);

        Assert.Equal(SHA256.HashData(content), SHA256.HashData(await ReadAsync("acme/job_3/big.bin") ?? []));
    }

    [Fact]
    public async Task Open_MissingKey_ReturnsNull()
    {
        Assert.Null(await Store.OpenReadAsync("acme/job_none/a", Ct));
    }

    [Fact]
    public async Task Delete_RemovesTheObject_AndDeletingAgainIsNoError()
    {
        await Store.PutAsync("acme/job_4/a", "x"u8.ToArray(), Ct);
        await Store.PutAsync("acme/job_4/b", "y"u8.ToArray(), Ct);

        await Store.DeleteAsync("acme/job_4/a", Ct);
        await Store.DeleteAsync("acme/job_4/a", Ct);

        Assert.Null(await Store.OpenReadAsync("acme/job_4/a", Ct));
        Assert.Equal("y"u8.ToArray(), await ReadAsync("acme/job_4/b"));
    }

    private async Task<byte[]?> ReadAsync(string key)
    {
        await using var stream = await Store.OpenReadAsync(key, Ct);
        if (stream is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }
}
