using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Cordon.Mcp.ConformanceHost;

/// <summary>The <c>test_*</c> prompts the prompts scenarios get.</summary>
[McpServerPromptType]
internal sealed class ConformancePrompts
{
    [McpServerPrompt(Name = "test_simple_prompt"), Description("A prompt without arguments.")]
    public static string SimplePrompt() => "This is a simple prompt for testing.";

    [McpServerPrompt(Name = "test_prompt_with_arguments"), Description("A prompt with two arguments.")]
    public static string PromptWithArguments(
        [Description("First test argument")] string arg1, [Description("Second test argument")] string arg2) =>
        $"Prompt with arguments: arg1='{arg1}', arg2='{arg2}'";

    [McpServerPrompt(Name = "test_prompt_with_embedded_resource"), Description("A prompt that embeds a resource.")]
    public static IEnumerable<PromptMessage> PromptWithEmbeddedResource(
        [Description("URI of the resource to embed")] string resourceUri) =>
    [
        new()
        {
            Role = Role.User,
            Content = new EmbeddedResourceBlock
            {
                Resource = new TextResourceContents { Uri = resourceUri, MimeType = "text/plain", Text = "Embedded resource content for testing." },
            },
        },
        new() { Role = Role.User, Content = new TextContentBlock { Text = "Please process the embedded resource above." } },
    ];

    [McpServerPrompt(Name = "test_prompt_with_image"), Description("A prompt with an image.")]
    public static IEnumerable<PromptMessage> PromptWithImage() =>
    [
        new() { Role = Role.User, Content = ImageContentBlock.FromBytes(ConformanceContent.RedPixelPng, "image/png") },
        new() { Role = Role.User, Content = new TextContentBlock { Text = "Please analyze the image above." } },
    ];
}
