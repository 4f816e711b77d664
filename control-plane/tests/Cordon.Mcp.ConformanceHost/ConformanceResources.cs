using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Cordon.Mcp.ConformanceHost;

/// <summary>The <c>test://</c> resources and the resource template the resources scenarios read.</summary>
[McpServerResourceType]
internal sealed class ConformanceResources
{
    [McpServerResource(UriTemplate = "test://static-text", Name = "static-text", MimeType = "text/plain")]
    [Description("A static text resource.")]
    public static string StaticText() => "This is the content of the static text resource.";

    [McpServerResource(UriTemplate = "test://static-binary", Name = "static-binary", MimeType = "image/png")]
    [Description("A static binary resource (a 1x1 PNG).")]
    public static BlobResourceContents StaticBinary() =>
        BlobResourceContents.FromBytes(ConformanceContent.RedPixelPng, "test://static-binary", "image/png");

    [McpServerResource(UriTemplate = "test://watched-resource", Name = "watched-resource", MimeType = "text/plain")]
    [Description("A resource clients may subscribe to.")]
    public static string Watched() => "Watched resource content.";

    [McpServerResource(UriTemplate = "test://template/{id}/data", Name = "template-data", MimeType = "application/json")]
    [Description("Data for an id, from a URI template.")]
    public static TextResourceContents TemplateData(string id) => new()
    {
        Uri = $"test://template/{id}/data",
        MimeType = "application/json",
        Text = JsonSerializer.Serialize(new Dictionary<string, object> { ["id"] = id, ["templateTest"] = true, ["data"] = $"Data for ID: {id}" }),
    };
}
