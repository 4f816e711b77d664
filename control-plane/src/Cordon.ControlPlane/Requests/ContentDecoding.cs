namespace Cordon.ControlPlane.Requests;

/// <summary>The outcome of <see cref="ContentEncodings.Decode"/>: the bytes, or what is wrong with which member.</summary>
internal sealed record ContentDecoding(byte[]? Bytes, string? ContentProblem, string? EncodingProblem)
{
    public static ContentDecoding Success(byte[] bytes) => new(bytes, null, null);

    public static ContentDecoding BadContent(string problem) => new(null, problem, null);

    public static ContentDecoding BadEncoding(string problem) => new(null, null, problem);
}
