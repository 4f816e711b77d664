namespace Cordon.Runner.Egress;

/// <summary>The reason phrases of the statuses the runner's egress socket answers with itself (proxy and registry mirror).</summary>
internal static class ReasonPhrases
{
    public static string Of(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        502 => "Bad Gateway",
        507 => "Insufficient Storage",
        _ => "Error",
    };
}
