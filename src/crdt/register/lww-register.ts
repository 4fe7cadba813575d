import {
  ReplicaTableReader,
  ReplicaTableWriter,
  ingestValue,
  readValue,
  valuesEqual,
  writeValue,
  expectObject,
  type DecodeLimits,
  type JsonValue,
  type PayloadCodec,
  type Reader,
  type Writer,
} from '../../codec/index.js';
import { HybridLogicalClock, VersionVector } from '../clock/index.js';
import { checkHistory, compareWrites, readLogical, readWall, writeFromJSON, writeToJSON, type Write } from '../lww.js';
import { ReplicatedBase, type ChangeEvent, type ReplicatedOptions } from '../replicated.js';
import { TAG } from '../tags.js';
import { addVersionReplicas, deltaBase, readBase, readVersion, versionFromJSON, writeVersion } from '../wire.js';

/** Payload model of an `LWWRegister` (`FORMAT.md` 4.3). */
interface LWWRegisterModel {
  readonly version: VersionVector;
  readonly base: VersionVector;
  readonly write: Write | undefined;
}

/** Payload codec of `LWWRegister` frames. */
export const lwwRegisterCodec: PayloadCodec<LWWRegisterModel> = {
  tag: TAG.LWWRegister,
  name: 'lww-register',
  write(w: Writer, model: LWWRegisterModel): void {
    const table = new ReplicaTableWriter();
    addVersionReplicas(table, model.version);
    if (model.write) table.add(model.write.replica);
    table.write(w);
    writeVersion(w, table, model.version);
    writeVersion(w, table, model.base);
    w.u8(model.write ? 1 : 0);
    if (model.write) {
      table.ref(w, model.write.replica);
      w.uint(model.write.counter);
      w.uint(model.write.wall);
      w.uint(model.write.logical);
      writeValue(w, model.write.value as JsonValue);
    }
  },
  read(r: Reader): LWWRegisterModel {
    const table = new ReplicaTableReader(r);
    const version = readVersion(r, table);
    const base = readBase(r, table, version);
    const present = r.u8();
    if (present > 1) throw r.error('invalid-value', 'the present flag is 0 or 1');
    let write: Write | undefined;
    if (present === 1) {
      const replica = table.ref(r);
      const counter = r.uint();
      if (counter === 0) throw r.error('invalid-value', 'event counters start at 1');
      const wall = readWall(r);
      const logical = readLogical(r);
      write = { replica, counter, wall, logical, value: readValue(r) };
      if (!version.contains(write)) throw r.error('invalid-value', "the write's event is outside the frame's version");
      if (base.contains(write)) throw r.error('invalid-value', "a delta never holds a write its base has");
    }
    table.finish(r);
    return { version, base, write };
  },
  toJSON(model: LWWRegisterModel): unknown {
    const out: Record<string, unknown> = { version: model.version.toJSON(), base: model.base.toJSON() };
    if (model.write) out.write = writeToJSON(model.write);
    return out;
  },
  fromJSON(json: unknown, limits: DecodeLimits): LWWRegisterModel {
    const o = expectObject(json, 'payload', ['version', 'base', 'write']);
    return {
      version: versionFromJSON(o.version, 'payload.version', limits),
      base: versionFromJSON(o.base, 'payload.base', limits),
      write: o.write === undefined ? undefined : writeFromJSON(expectObject(o.write, 'payload.write', ['replica', 'counter', 'wall', 'logical', 'value']), 'payload.write', limits, true),
    };
  },
};

/** Options of {@link LWWRegister}. */
export interface LWWRegisterOptions extends ReplicatedOptions {
  /** Physical clock in milliseconds, `Date.now` by default; tests inject their own. */
  readonly now?: () => number;
}

/**
 * A last-writer-wins register: holds one JSON value; of concurrent writes, the one with
 * the greatest hybrid-logical-clock timestamp wins, ties broken by replica id. A write
 * made after seeing another always wins over it, whatever the physical clocks say (see
 * {@link HybridLogicalClock} for timestamps from the future). Setting a value equal (by
 * JSON content) to the current one is a no-op.
 *
 * @example
 * const title = new LWWRegister<string>({ replica: 'alice' });
 * title.set('Draft'); title.get() // 'Draft'
 */
export class LWWRegister<T extends JsonValue = JsonValue> extends ReplicatedBase<LWWRegisterModel, ChangeEvent> {
  private readonly vv = new VersionVector();
  private readonly hlc: HybridLogicalClock;
  private current: Write | undefined;

  constructor(options: LWWRegisterOptions) {
    super(options, lwwRegisterCodec);
    this.hlc = new HybridLogicalClock({ replica: this.replica, ...(options.now ? { now: options.now } : {}) });
  }

  protected get clock(): VersionVector {
    return this.vv;
  }

  /** The current value, or `undefined` before any write. It is frozen: copy it to change it. */
  get(): T | undefined {
    return this.current?.value as T | undefined;
  }

  /**
   * Writes `value`.
   * @throws {TypeError} / {@link RangeError} when `value` is not JSON (see `ingestValue`).
   */
  set(value: T): this {
    const v = ingestValue(value, 'value', this.limits);
    if (this.current !== undefined && valuesEqual(this.current.value as JsonValue, v)) return this;
    const ts = this.hlc.now();
    this.current = { replica: this.replica, counter: this.vv.next(this.replica), wall: ts.wall, logical: ts.logical, value: v };
    this.emit({ origin: 'local' });
    return this;
  }

  protected claims(model: LWWRegisterModel): number {
    return model.version.get(this.replica);
  }

  protected snapshot(since: VersionVector | undefined): LWWRegisterModel {
    const base = deltaBase(since, this.vv);
    const write = this.current && !base.contains(this.current) ? this.current : undefined;
    return { version: this.vv.clone(), base, write };
  }

  protected merge(model: LWWRegisterModel): ChangeEvent | undefined {
    const incoming = model.write;
    if (incoming) checkHistory(this.current, incoming, this.vv.contains(incoming));
    const wins = incoming !== undefined && (this.current === undefined || compareWrites(incoming, this.current) > 0);
    const advanced = this.vv.merge(model.version);
    if (incoming) this.hlc.observe(incoming.wall, incoming.logical);
    if (wins) this.current = incoming;
    return wins || advanced ? { origin: 'remote' } : undefined;
  }
}
