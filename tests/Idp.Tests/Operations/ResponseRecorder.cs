using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Idp.Tests.Operations;

/// <summary>
/// Every response a node sent, as the client got it (outermost in the pipeline, after the error handlers; an exception
/// that escaped them all counts as the bare 500 it becomes): its status, path, when it ended and how long it took.
/// </summary>
public sealed class ResponseRecorder : IStartupFilter
{
    public sealed record Entry(int Status, string Path, TimeSpan At, TimeSpan Took);

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public TimeSpan Now => _clock.Elapsed;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, inner) =>
        {
            var started = _clock.Elapsed;
            try
            {
                await inner(context);
            }
            catch
            {
                // Escaped every handler: the client gets a bare 500.
                Entries.Enqueue(new Entry(StatusCodes.Status500InternalServerError, context.Request.Path, _clock.Elapsed, _clock.Elapsed - started));
                throw;
            }

            Entries.Enqueue(new Entry(context.Response.StatusCode, context.Request.Path, _clock.Elapsed, _clock.Elapsed - started));
        });
        next(app);
    };

    public static Action<IServiceCollection> On(ResponseRecorder recorder) => services => services.AddSingleton<IStartupFilter>(recorder);
}
