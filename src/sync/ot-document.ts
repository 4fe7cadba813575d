/**
 * The handle of an OT document opened with {@link SyncClient.openOT}: the document value,
 * local edits (applied at once, sent when online, kept across reloads), change and
 * rejection events, and undo of this client's own edits.
 */
import type { AttributeMap, RichTextDocument, RichTextOp, TextOp } from '../ot/index.js';
import { UndoManager, type DocumentChange, type OTClient, type RejectEvent } from '../ot/index.js';
import type { OTSession } from './ot-session.js';

/** An OT document of any type. */
export class OTDocument<Snapshot, Op> {
  private undoManager: UndoManager<Snapshot, Op> | undefined;

  /** @param session The client's session of the document. */
  constructor(protected readonly session: OTSession<Snapshot, Op>) {}

  /** The document's name. */
  get name(): string {
    return this.session.name;
  }

  /** The document as this client sees it, its unconfirmed edits included. */
  get value(): Snapshot {
    return this.session.client.document;
  }

  /** The newest server revision this client has seen. */
  get revision(): number {
    return this.session.client.revision;
  }

  /** Local edits the server has not acknowledged. */
  get pending(): number {
    return this.session.pending;
  }

  /** The underlying OT client, for what this handle does not cover. */
  get client(): OTClient<Snapshot, Op> {
    return this.session.client;
  }

  /**
   * Applies `op` to the document now and sends it to the server (when online, else after
   * reconnecting).
   * @throws whatever the type throws when `op` is malformed or does not fit the document;
   *   nothing changes then.
   */
  submit(op: Op): this {
    this.session.client.submit(op);
    return this;
  }

  /** Listens for changes to {@link value}, local ones included. Returns an unsubscribe function. */
  on(event: 'change', listener: (change: DocumentChange<Snapshot, Op>) => void): () => void;
  /** Listens for local edits the server refused (already taken back). Returns an unsubscribe function. */
  on(event: 'reject', listener: (rejection: RejectEvent<Op>) => void): () => void;
  on(event: 'change' | 'reject', listener: ((change: DocumentChange<Snapshot, Op>) => void) | ((rejection: RejectEvent<Op>) => void)): () => void {
    if (event === 'change') return this.session.client.on('change', listener as (change: DocumentChange<Snapshot, Op>) => void);
    if (event === 'reject') return this.session.client.on('reject', listener as (rejection: RejectEvent<Op>) => void);
    throw new TypeError(`unknown event "${String(event)}"; an OT document has "change" and "reject"`);
  }

  /** Undoes this client's newest edit step (edits within 500 ms group). Returns whether there was one. */
  undo(): boolean {
    return this.history().undo();
  }

  /** Redoes the newest undone step. Returns whether there was one. */
  redo(): boolean {
    return this.history().redo();
  }

  /** Whether {@link undo} has a step. */
  get canUndo(): boolean {
    return this.undoManager?.canUndo ?? false;
  }

  /** Whether {@link redo} has a step. */
  get canRedo(): boolean {
    return this.undoManager?.canRedo ?? false;
  }

  /** Starts recording undo steps; the client does it when the document opens. */
  protected history(): UndoManager<Snapshot, Op> {
    if (this.undoManager === undefined) this.undoManager = new UndoManager(this.session.client);
    return this.undoManager;
  }

  /** Starts recording edits for undo. */
  track(): void {
    this.history();
  }
}

/** A plain-text OT document (`ot-text`): the value is a string. */
export class OTTextDocument extends OTDocument<string, TextOp> {
  /**
   * Inserts `text` at UTF-16 index `index`.
   * @throws {OTError} when `index` is past the end or splits a surrogate pair.
   */
  insert(index: number, text: string): this {
    return this.submit(index > 0 ? [{ retain: index }, { insert: text }] : [{ insert: text }]);
  }

  /**
   * Deletes `count` code units from `index`.
   * @throws {OTError} when the range passes the end or splits a surrogate pair.
   */
  delete(index: number, count: number): this {
    return this.submit(index > 0 ? [{ retain: index }, { delete: count }] : [{ delete: count }]);
  }

  /** The text. */
  override toString(): string {
    return this.value;
  }
}

/** A rich-text OT document (`ot-rich-text`): the value is a Delta of inserts with attributes. */
export class OTRichTextDocument extends OTDocument<RichTextDocument, RichTextOp> {
  /**
   * Inserts `text` at `index`, formatted with `attributes`.
   * @throws {OTError} when `index` is past the end or the op is malformed.
   */
  insert(index: number, text: string, attributes?: AttributeMap): this {
    const insert = attributes === undefined ? { insert: text } : { insert: text, attributes };
    return this.submit(index > 0 ? [{ retain: index }, insert] : [insert]);
  }

  /**
   * Deletes `count` code units from `index`.
   * @throws {OTError} when the range passes the end.
   */
  delete(index: number, count: number): this {
    return this.submit(index > 0 ? [{ retain: index }, { delete: count }] : [{ delete: count }]);
  }

  /**
   * Sets `attributes` on `count` code units from `index` (a null value removes one).
   * @throws {OTError} when the range passes the end.
   */
  format(index: number, count: number, attributes: AttributeMap): this {
    return this.submit(index > 0 ? [{ retain: index }, { retain: count, attributes }] : [{ retain: count, attributes }]);
  }

  /** The plain text, without formatting. */
  override toString(): string {
    return this.value.map((insert) => insert.insert).join('');
  }
}
