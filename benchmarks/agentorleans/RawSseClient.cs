using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace AgentOrleans.Benchmarks.Load;

/// <summary>
/// A lean SSE client for the fan-out scenario: one socket, one receive loop, HTTP/1.1 chunked decoding
/// and SSE line scanning over the raw bytes, no <c>HttpClient</c>, <c>StreamReader</c> or strings per line.
/// S5 runs 1,000 of these in the load tool, on the same 2 cores as the Api; with an <c>HttpClient</c>-based client
/// the readers took about as much CPU as the server they measure. Each event's receive time is the
/// moment the receive that completed its <c>data:</c> line returned, taken before any parsing.
/// </summary>
public sealed class RawSseClient(Uri baseAddress, string executionId, long? lastEventId = null)
{
    private static readonly byte[] IdField = "id: "u8.ToArray();
    private static readonly byte[] EventField = "event: "u8.ToArray();
    private static readonly byte[] DataField = "data: "u8.ToArray();
    private static readonly byte[] AtField = "\"at\":\""u8.ToArray();

    private readonly List<byte> _line = new(1024);
    private long _seq;
    private bool _terminalType;
    private bool _completedType;
    private readonly List<byte> _type = new(32);

    // Chunked transfer decoding: the size line being read, or the bytes left in the current chunk.
    private long _chunkLeft;
    private readonly StringBuilder _sizeLine = new();
    private bool _inChunk;
    private int _crlfToSkip;

    public TaskCompletionSource Connected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>seq → (received, at); filled by <see cref="RunAsync"/>.</summary>
    public Dictionary<long, (DateTimeOffset Received, DateTimeOffset At)> Events { get; } = new(capacity: 256);

    public bool SawTerminal { get; private set; }

    /// <summary>The terminal event was <c>execution.completed</c>.</summary>
    public bool Succeeded { get; private set; }

    /// <summary>The seq of the last event whose data line was read: what a reconnect sends as <c>Last-Event-ID</c>.</summary>
    public long? LastDataSeq { get; private set; }

    /// <summary>Called with each event's seq, type and data line (after <c>data: </c>), as it is read (S11 scans its tokens).</summary>
    public DataLineHandler? OnData { get; init; }

    /// <summary>How many receives returned data: more than one event per receive means the server coalesced them into one write.</summary>
    public int Receives { get; private set; }

    public string? Error { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(baseAddress.Host), baseAddress.Port), cancellationToken);
            var request = $"GET /v1/executions/{executionId}/events HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nAccept: text/event-stream\r\n{(lastEventId is { } last ? $"Last-Event-ID: {last}\r\n" : "")}\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, cancellationToken);

            var buffer = new byte[16 * 1024];
            var headers = new List<byte>();
            var inBody = false;
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                var received = DateTimeOffset.UtcNow;
                if (n == 0)
                {
                    Error ??= "connection closed before the terminal event";
                    return;
                }

                Receives++;
                var span = buffer.AsSpan(0, n);
                if (!inBody)
                {
                    headers.AddRange(span.ToArray());
                    var end = IndexOf(headers, "\r\n\r\n"u8);
                    if (end < 0)
                    {
                        continue;
                    }

                    var head = Encoding.ASCII.GetString([.. headers.Take(end)]);
                    if (!head.StartsWith("HTTP/1.1 200", StringComparison.Ordinal) || !head.Contains("chunked", StringComparison.OrdinalIgnoreCase))
                    {
                        Error = head.Split("\r\n")[0];
                        return;
                    }

                    inBody = true;
                    span = headers.Skip(end + 4).ToArray();
                }

                if (DecodeChunks(span, received))
                {
                    SawTerminal = true;
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            Error ??= "timed out";
        }
        catch (Exception ex) when (ex is SocketException or IOException or FormatException or InvalidDataException)
        {
            Error = ex.GetType().Name + ": " + ex.Message;
        }
        finally
        {
            Connected.TrySetResult();
        }
    }

    /// <summary>Feeds the body bytes of one receive through the chunked decoder into the SSE lines; true after the terminal event.</summary>
    private bool DecodeChunks(ReadOnlySpan<byte> bytes, DateTimeOffset received)
    {
        while (!bytes.IsEmpty)
        {
            if (_crlfToSkip > 0)
            {
                _crlfToSkip--;
                bytes = bytes[1..];
                continue;
            }

            if (!_inChunk)
            {
                var nl = bytes.IndexOf((byte)'\n');
                var part = nl < 0 ? bytes : bytes[..nl];
                _sizeLine.Append(Encoding.ASCII.GetString(part).TrimEnd('\r'));
                if (nl < 0)
                {
                    return false;
                }

                bytes = bytes[(nl + 1)..];
                _chunkLeft = long.Parse(_sizeLine.ToString().Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                _sizeLine.Clear();
                if (_chunkLeft == 0)
                {
                    throw new InvalidDataException("the response ended before the terminal event");
                }

                _inChunk = true;
                continue;
            }

            var take = (int)Math.Min(_chunkLeft, bytes.Length);
            if (Lines(bytes[..take], received))
            {
                return true;
            }

            bytes = bytes[take..];
            _chunkLeft -= take;
            if (_chunkLeft == 0)
            {
                _inChunk = false;
                _crlfToSkip = 2;
            }
        }

        return false;
    }

    /// <summary>Splits decoded body bytes into SSE lines; true after the terminal event's data line.</summary>
    private bool Lines(ReadOnlySpan<byte> body, DateTimeOffset received)
    {
        while (!body.IsEmpty)
        {
            var nl = body.IndexOf((byte)'\n');
            if (nl < 0)
            {
                _line.AddRange(body);
                return false;
            }

            _line.AddRange(body[..nl]);
            body = body[(nl + 1)..];
            if (Line(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_line), received))
            {
                return true;
            }

            _line.Clear();
        }

        return false;
    }

    private bool Line(ReadOnlySpan<byte> line, DateTimeOffset received)
    {
        if (line.StartsWith(":"u8))
        {
            Connected.TrySetResult();
        }
        else if (line.StartsWith(IdField))
        {
            if (!Utf8Parser.TryParse(line[IdField.Length..], out _seq, out _))
            {
                throw new FormatException("bad id line");
            }
        }
        else if (line.StartsWith(EventField))
        {
            var type = line[EventField.Length..];
            _type.Clear();
            _type.AddRange(type);
            _completedType = type.SequenceEqual("execution.completed"u8);
            _terminalType = type.SequenceEqual("execution.completed"u8) || type.SequenceEqual("execution.failed"u8)
                || type.SequenceEqual("execution.cancelled"u8) || type.SequenceEqual("execution.timed_out"u8);
        }
        else if (line.StartsWith(DataField))
        {
            Connected.TrySetResult();
            // The quoted "at" value read as a JSON string: no allocation per event, so the 1,000 clients' GC stays quiet.
            var i = line.IndexOf(AtField) + AtField.Length - 1;
            var length = line[(i + 1)..].IndexOf((byte)'"') + 2;
            var at = new Utf8JsonReader(line.Slice(i, length));
            at.Read();
            Events[_seq] = (received, at.GetDateTimeOffset());
            LastDataSeq = _seq;
            OnData?.Invoke(_seq, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_type), line[DataField.Length..], received);
            Succeeded = _terminalType && _completedType;
            return _terminalType;
        }

        return false;
    }

    private static int IndexOf(List<byte> bytes, ReadOnlySpan<byte> value) =>
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes).IndexOf(value);
}

/// <summary>One event's seq, type, data line and receive time, as <see cref="RawSseClient"/> reads it.</summary>
public delegate void DataLineHandler(long seq, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data, DateTimeOffset received);
