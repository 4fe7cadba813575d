/**
 * A parser for `text/event-stream` (the Server-Sent Events wire, WHATWG HTML §9.2.6), fed
 * text in chunks as it arrives from a streaming `fetch`:
 *
 *   event: session          a field line: name, colon, optional space, value
 *   data: AAEC…             several data lines join with "\n"
 *                           a blank line ends the event
 *   : keep-alive            a comment, ignored
 *
 * Lines end with CRLF, LF or CR. `id` and `retry` are accepted and ignored: the sync
 * transport resumes through the protocol, not through `Last-Event-ID`.
 */

/** One dispatched event. */
export interface StreamEvent {
  /** The `event` field, `message` when absent. */
  readonly type: string;
  /** The `data` lines joined with "\n". */
  readonly data: string;
}

/** Parses an event stream incrementally. */
export class EventStreamParser {
  private buffer = '';
  private type = '';
  private data: string[] = [];
  private dataLength = 0;
  /** Whether the previous chunk ended with CR, so a leading LF in the next belongs to it. */
  private afterCR = false;

  /**
   * @param maxEventLength The longest event, in UTF-16 code units of data plus the
   *   unfinished line; a longer one is an error rather than unbounded buffering.
   */
  constructor(private readonly maxEventLength = 64 * 1024 * 1024) {}

  /**
   * Feeds the next chunk of text; returns the events it completes.
   * @throws {RangeError} when an event or line grows past `maxEventLength`.
   */
  push(chunk: string): StreamEvent[] {
    let text = chunk;
    if (text === '') return [];
    if (this.afterCR && text.startsWith('\n')) text = text.slice(1);
    this.afterCR = text.endsWith('\r');
    this.buffer += text;
    const events: StreamEvent[] = [];
    let start = 0;
    for (;;) {
      const lf = this.buffer.indexOf('\n', start);
      const cr = this.buffer.indexOf('\r', start);
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (end === -1) break;
      const line = this.buffer.slice(start, end);
      start = end + (this.buffer[end] === '\r' && this.buffer[end + 1] === '\n' ? 2 : 1);
      const event = this.line(line);
      if (event !== undefined) events.push(event);
    }
    this.buffer = this.buffer.slice(start);
    if (this.buffer.length + this.dataLength > this.maxEventLength) {
      throw new RangeError(`an event-stream event is longer than ${this.maxEventLength} characters`);
    }
    return events;
  }

  private line(line: string): StreamEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.type = value;
    else if (field === 'data') {
      this.data.push(value);
      this.dataLength += value.length + 1;
      if (this.dataLength > this.maxEventLength) throw new RangeError(`an event-stream event is longer than ${this.maxEventLength} characters`);
    }
    return undefined;
  }

  private dispatch(): StreamEvent | undefined {
    const type = this.type === '' ? 'message' : this.type;
    const data = this.data;
    this.type = '';
    this.data = [];
    this.dataLength = 0;
    // An event with no data line is not dispatched (WHATWG: "If the data buffer is empty, return").
    if (data.length === 0) return undefined;
    return { type, data: data.join('\n') };
  }
}
