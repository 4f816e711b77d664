using System.Net.Http.Json;
using System.Text;
using Cordon.Contracts.Json;

namespace Cordon.ControlPlane.Tests.Infrastructure;

internal static class Http
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response)
    {
        var value = await response.Content.ReadFromJsonAsync<T>(CordonJsonContext.Default.Options, TestContext.Current.CancellationToken);
        return value ?? throw new InvalidOperationException("empty body");
    }
}
