/**
 * The closed set of rules an operation, a document or an argument can break. Each
 * {@link OTError} names one, so callers can react to the kind of fault without parsing
 * messages.
 *
 * - `malformed`: not the op grammar: not an array, a component that is not an object, a
 *   component with no kind or two kinds, a length that is not a number, an insert that is
 *   not a string, attributes that are not a plain object of JSON values, attributes on a
 *   delete or in a plain-text op, `null` among an insert's attributes.
 * - `unknown-key`: a component holds a key other than `retain`, `insert`, `delete` and
 *   (rich text) `attributes`.
 * - `not-integer`: a retain or delete length that is NaN, infinite, fractional or beyond
 *   2^53 − 1.
 * - `negative`: a negative retain or delete length.
 * - `zero-length`: `{retain: 0}`, `{delete: 0}` or `{insert: ''}`.
 * - `lone-surrogate`: inserted text (or an attribute string) holding half a surrogate pair.
 * - `splits-surrogate`: the op would cut the document between the two halves of a
 *   surrogate pair.
 * - `length-mismatch`: the op retains or deletes past the end of the document.
 * - `bad-argument`: an argument other than an op is wrong (a `side` that is neither
 *   `'left'` nor `'right'`, a position that is not a safe integer ≥ 0, a document of the
 *   wrong kind).
 */
export type OTErrorRule =
  | 'malformed'
  | 'unknown-key'
  | 'not-integer'
  | 'negative'
  | 'zero-length'
  | 'lone-surrogate'
  | 'splits-surrogate'
  | 'length-mismatch'
  | 'bad-argument';

/**
 * Raised by every OT function for input that breaks a rule of the op grammar or does not
 * fit the document. Nothing is clamped or repaired: a rejected op changes nothing.
 *
 * @example
 * try { apply(doc, op) } catch (e) { if (e instanceof OTError && e.rule === 'length-mismatch') resync() }
 */
export class OTError extends Error {
  /** Which rule the input broke. */
  readonly rule: OTErrorRule;
  /** Index of the offending component in the op, when the fault lies in one. */
  readonly component: number | undefined;

  constructor(rule: OTErrorRule, message: string, component?: number) {
    super(component === undefined ? `${rule}: ${message}` : `${rule} at component ${component}: ${message}`);
    this.name = 'OTError';
    this.rule = rule;
    this.component = component;
  }
}
