using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Cordon.Mcp.ConformanceHost;

/// <summary>The <c>test_*</c> tools the conformance suite's tools-call scenarios call, answering as they expect.</summary>
[McpServerToolType]
internal sealed class ConformanceTools
{
    private const int StepDelayMs = 50;

    [McpServerTool(Name = "test_simple_text"), Description("Returns a fixed text.")]
    public static string SimpleText() => "This is a simple text response for testing.";

    [McpServerTool(Name = "test_image_content"), Description("Returns a 1x1 PNG as image content.")]
    public static ImageContentBlock ImageContent() => ImageContentBlock.FromBytes(ConformanceContent.RedPixelPng, "image/png");

    [McpServerTool(Name = "test_audio_content"), Description("Returns a tiny WAV as audio content.")]
    public static AudioContentBlock AudioContent() => AudioContentBlock.FromBytes(ConformanceContent.SilentWav, "audio/wav");

    [McpServerTool(Name = "test_embedded_resource"), Description("Returns an embedded text resource.")]
    public static EmbeddedResourceBlock EmbeddedResource() => new()
    {
        Resource = new TextResourceContents
        {
            Uri = "test://embedded-resource",
            MimeType = "text/plain",
            Text = "This is an embedded resource content.",
        },
    };

    [McpServerTool(Name = "test_multiple_content_types"), Description("Returns text, image and resource content together.")]
    public static IEnumerable<ContentBlock> MultipleContentTypes() =>
    [
        new TextContentBlock { Text = "Multiple content types test:" },
        ImageContentBlock.FromBytes(ConformanceContent.RedPixelPng, "image/png"),
        new EmbeddedResourceBlock
        {
            Resource = new TextResourceContents
            {
                Uri = "test://mixed-content-resource",
                MimeType = "application/json",
                Text = """{"test":"data","value":123}""",
            },
        },
    ];

    [McpServerTool(Name = "test_tool_with_logging"), Description("Sends three info log notifications while it runs.")]
    public static async Task<string> ToolWithLogging(McpServer server, CancellationToken cancellationToken)
    {
        await LogAsync(server, "Tool execution started", cancellationToken);
        await Task.Delay(StepDelayMs, cancellationToken);
        await LogAsync(server, "Tool processing data", cancellationToken);
        await Task.Delay(StepDelayMs, cancellationToken);
        await LogAsync(server, "Tool execution completed", cancellationToken);
        return "Tool with logging executed successfully";
    }

    [McpServerTool(Name = "test_tool_with_progress"), Description("Reports progress 0, 50 and 100 of 100 while it runs.")]
    public static async Task<string> ToolWithProgress(IProgress<ProgressNotificationValue> progress, CancellationToken cancellationToken)
    {
        for (var step = 0; step <= 100; step += 50)
        {
            if (step > 0)
            {
                await Task.Delay(StepDelayMs, cancellationToken);
            }

            progress.Report(new ProgressNotificationValue { Progress = step, Total = 100 });
        }

        return "Tool with progress executed successfully";
    }

    [McpServerTool(Name = "test_error_handling"), Description("Always fails, as a tool error result.")]
    public static CallToolResult ErrorHandling() => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = "This tool intentionally returns an error for testing" }],
    };

    [McpServerTool(Name = "test_sampling"), Description("Asks the client's LLM to answer a prompt.")]
    public static async Task<string> Sampling(
        McpServer server, [Description("The prompt to send to the LLM")] string prompt, CancellationToken cancellationToken)
    {
        var result = await server.SampleAsync(
            new CreateMessageRequestParams
            {
                Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock { Text = prompt }] }],
                MaxTokens = 100,
            },
            cancellationToken);
        var text = result.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text ?? "";
        return $"LLM response: {text}";
    }

    [McpServerTool(Name = "test_elicitation"), Description("Asks the user for a username and an email address.")]
    public static async Task<string> Elicitation(
        McpServer server, [Description("The message to show the user")] string message, CancellationToken cancellationToken)
    {
        var result = await server.ElicitAsync(
            new ElicitRequestParams
            {
                Message = message,
                RequestedSchema = new ElicitRequestParams.RequestSchema
                {
                    Properties =
                    {
                        ["username"] = new ElicitRequestParams.StringSchema { Description = "User's response" },
                        ["email"] = new ElicitRequestParams.StringSchema { Description = "User's email address" },
                    },
                    Required = ["username", "email"],
                },
            },
            cancellationToken);
        return $"User response: action={result.Action}, content={JsonSerializer.Serialize(result.Content)}";
    }

    [McpServerTool(Name = "test_elicitation_sep1034_defaults"), Description("Elicits every primitive type with a default (SEP-1034).")]
    public static async Task<string> ElicitationDefaults(McpServer server, CancellationToken cancellationToken)
    {
        var result = await server.ElicitAsync(
            new ElicitRequestParams
            {
                Message = "Please review and update the form fields with defaults",
                RequestedSchema = new ElicitRequestParams.RequestSchema
                {
                    Properties =
                    {
                        ["name"] = new ElicitRequestParams.StringSchema { Description = "User name", Default = "John Doe" },
                        ["age"] = new ElicitRequestParams.NumberSchema { Type = "integer", Description = "User age", Default = 30 },
                        ["score"] = new ElicitRequestParams.NumberSchema { Description = "User score", Default = 95.5 },
                        ["status"] = new ElicitRequestParams.UntitledSingleSelectEnumSchema
                        {
                            Description = "User status",
                            Enum = ["active", "inactive", "pending"],
                            Default = "active",
                        },
                        ["verified"] = new ElicitRequestParams.BooleanSchema { Description = "Verification status", Default = true },
                    },
                },
            },
            cancellationToken);
        return $"Elicitation completed: action={result.Action}, content={JsonSerializer.Serialize(result.Content)}";
    }

    [McpServerTool(Name = "test_elicitation_sep1330_enums"), Description("Elicits the five enum schema variants (SEP-1330).")]
    public static async Task<string> ElicitationEnums(McpServer server, CancellationToken cancellationToken)
    {
        var result = await server.ElicitAsync(
            new ElicitRequestParams
            {
                Message = "Please select options from the enum fields",
                RequestedSchema = new ElicitRequestParams.RequestSchema
                {
                    Properties =
                    {
                        ["untitledSingle"] = new ElicitRequestParams.UntitledSingleSelectEnumSchema
                        {
                            Description = "Select one option",
                            Enum = ["option1", "option2", "option3"],
                        },
                        ["titledSingle"] = new ElicitRequestParams.TitledSingleSelectEnumSchema
                        {
                            Description = "Select one option with titles",
                            OneOf =
                            [
                                new() { Const = "value1", Title = "First Option" },
                                new() { Const = "value2", Title = "Second Option" },
                                new() { Const = "value3", Title = "Third Option" },
                            ],
                        },
                        ["legacyEnum"] = new ElicitRequestParams.LegacyTitledEnumSchema
                        {
                            Description = "Select one option (legacy)",
                            Enum = ["opt1", "opt2", "opt3"],
                            EnumNames = ["Option One", "Option Two", "Option Three"],
                        },
                        ["untitledMulti"] = new ElicitRequestParams.UntitledMultiSelectEnumSchema
                        {
                            Description = "Select multiple options",
                            Items = new ElicitRequestParams.UntitledEnumItemsSchema { Enum = ["option1", "option2", "option3"] },
                        },
                        ["titledMulti"] = new ElicitRequestParams.TitledMultiSelectEnumSchema
                        {
                            Description = "Select multiple options with titles",
                            Items = new ElicitRequestParams.TitledEnumItemsSchema
                            {
                                AnyOf =
                                [
                                    new() { Const = "value1", Title = "First Choice" },
                                    new() { Const = "value2", Title = "Second Choice" },
                                    new() { Const = "value3", Title = "Third Choice" },
                                ],
                            },
                        },
                    },
                },
            },
            cancellationToken);
        return $"Elicitation completed: action={result.Action}, content={JsonSerializer.Serialize(result.Content)}";
    }

    [McpServerTool(Name = "test_reconnection"), Description("Ends its SSE stream mid-call; the client polls for the result (SEP-1699).")]
    public static async Task<string> Reconnection(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken)
    {
        await context.EnablePollingAsync(TimeSpan.FromMilliseconds(500), cancellationToken);
        await Task.Delay(200, cancellationToken);
        return "Reconnection test completed";
    }

    private static Task LogAsync(McpServer server, string message, CancellationToken cancellationToken) =>
        server.SendNotificationAsync(
            NotificationMethods.LoggingMessageNotification,
            new LoggingMessageNotificationParams
            {
                Level = LoggingLevel.Info,
                Logger = "conformance",
                Data = JsonSerializer.SerializeToElement(message),
            },
            cancellationToken: cancellationToken);
}
