/** Type tags of the replicated types (`FORMAT.md` section 3). */
export const TAG = Object.freeze({
  GCounter: 0x01,
  PNCounter: 0x02,
  LWWRegister: 0x03,
  MVRegister: 0x04,
  GSet: 0x05,
  TwoPhaseSet: 0x06,
  AWSet: 0x07,
  RWSet: 0x08,
  LWWMap: 0x09,
  AWMap: 0x0a,
  Text: 0x10,
  List: 0x11,
});

/** Every tag a replicated type uses, to tell `type-mismatch` from `unknown-type`. */
export const CRDT_TAGS: ReadonlySet<number> = new Set(Object.values(TAG));
