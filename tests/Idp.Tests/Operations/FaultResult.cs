namespace Idp.Tests.Operations;

/// <summary>What a <see cref="FaultLoad"/> saw.</summary>
/// <param name="Entries">Every response of both nodes.</param>
/// <param name="Clients">Clients that refresh (each should end holding a working token).</param>
/// <param name="Held">Clients holding a refresh token at the end.</param>
/// <param name="StillValid">Of those, tokens that still refresh.</param>
/// <param name="Lost">Refreshes refused with 400 during the run: a token given out and then gone.</param>
/// <param name="Reuses">Refresh-token reuse detections audited (a rotation the client never heard of).</param>
internal sealed record FaultResult(List<ResponseRecorder.Entry> Entries, int Clients, int Held, int StillValid, int Lost, int Reuses)
{
    /// <summary>Acknowledged writes lost: tokens refused during the run, plus tokens held at the end that no longer work.</summary>
    public int LostWrites => Lost + (Held - StillValid);

    public List<ResponseRecorder.Entry> Between(TimeSpan from, TimeSpan to) => Entries.Where(e => e.At > from && e.At < to).ToList();

    public List<string> Errors => Entries.Where(e => e.Status >= 500 && e.Status != 503).Select(e => $"{e.Status} {e.Path}").ToList();
}
