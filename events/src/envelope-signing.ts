import { CompactSign, compactVerify } from 'jose';
import type { CryptoKey, KeyObject } from 'jose';
import { EventError } from './event-error.js';

type Key = CryptoKey | KeyObject;
const ALGORITHM = 'ES256';

/** Signs envelopes as one producing service. */
export interface EnvelopeSigner {
  /** Returns the envelope as a compact JWS (`header.payload.signature`). */
  sign(envelope: unknown): Promise<string>;
}

/** Creates the signer of `producer`: its name travels as the key id. */
export function createEnvelopeSigner(producer: string, privateKey: Key): EnvelopeSigner {
  return {
    sign: (envelope) =>
      new CompactSign(new TextEncoder().encode(JSON.stringify(envelope)))
        .setProtectedHeader({ alg: ALGORITHM, kid: producer, typ: 'registrar-event+jws' })
        .sign(privateKey),
  };
}

/**
 * Verifies a signed message and returns the envelope's JSON text. The signature must be by the
 * producer the envelope names, with that producer's key: one service cannot speak for another.
 * @throws EventError EVENT_SIGNATURE_INVALID (not retryable) for anything else.
 */
export async function verifySignedEnvelope(
  message: Buffer,
  producerKeys: Readonly<Record<string, Key>>,
): Promise<string> {
  try {
    const { payload, protectedHeader } = await compactVerify(
      message.toString('utf8'),
      (header) => {
        const key = header.kid ? producerKeys[header.kid] : undefined;
        if (!key) throw new Error('unknown producer');
        return key;
      },
      { algorithms: [ALGORITHM] },
    );
    const text = new TextDecoder().decode(payload);
    const claimed = (JSON.parse(text) as { producer?: unknown }).producer;
    if (claimed !== protectedHeader.kid) throw new Error('producer mismatch');
    return text;
  } catch {
    throw new EventError(
      'EVENT_SIGNATURE_INVALID',
      'The event is not signed by the producer it names; it was not applied.',
    );
  }
}
