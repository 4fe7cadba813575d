/**
 * Plain-text operations: the document is a string, an op is a Quill Delta ops array
 * without attributes. Lengths and positions count UTF-16 code units.
 *
 * ```
 * TextOp        := TextComponent*
 * TextComponent := { retain: n } | { insert: 'text' } | { delete: n }     n ≥ 1
 * ```
 *
 * @example
 * // "hello world" → "Hello, world!"
 * const op: TextOp = [{ delete: 1 }, { insert: 'H' }, { retain: 4 }, { insert: ',' }, { retain: 6 }, { insert: '!' }];
 */

/** One step of a plain-text op. */
export type TextComponent = { readonly retain: number } | { readonly insert: string } | { readonly delete: number };

/** A plain-text op: its components in document order. */
export type TextOp = readonly TextComponent[];
