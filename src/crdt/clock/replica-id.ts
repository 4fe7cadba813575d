const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * A new random replica id: 22 URL-safe characters holding 128 random bits from the
 * platform's cryptographic generator, so two replicas never pick the same one by chance.
 *
 * Every live replica needs an id of its own: two replicas writing under one id would
 * both spend the same events and diverge. Keep a replica's id with its stored state and
 * reuse it when the state is reloaded; make a new one for a new replica (a new tab, a new
 * device).
 *
 * @throws {Error} when the platform has no `crypto.getRandomValues`.
 */
export function createReplicaId(): string {
  const crypto = (globalThis as { crypto?: { getRandomValues(bytes: Uint8Array): Uint8Array } }).crypto;
  if (crypto === undefined) throw new Error('createReplicaId needs crypto.getRandomValues, which this platform lacks');
  const bytes = crypto.getRandomValues(new Uint8Array(22));
  let id = '';
  // 22 characters of 6 bits each: 132 bits, of which 128 or more are random.
  for (const b of bytes) id += ALPHABET[b & 63];
  return id;
}
